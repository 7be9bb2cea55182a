import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EmbeddedRedis, freePort } from '../../src/infra/redis/embedded-redis.js';

declare module 'vitest' {
  /** Values handed from globalSetup to test workers via provide/inject. */
  export interface ProvidedContext {
    /** `redis://…` of the run's Redis, or `redis+cluster://…` of its cluster (`npm run test:cluster`). */
    redisUrl: string;
  }
}

/** Starts the one throwaway, non-persistent Redis shared by a whole test run (never the developer's :6379). */
export async function startTestRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = new EmbeddedRedis({ persistence: 'none' });
  const { url } = await server.start();
  return { url, stop: () => server.stop() };
}

const HOST = '127.0.0.1';
const run = promisify(execFile);

/**
 * Starts a throwaway three-master Redis Cluster on loopback (no replicas, no persistence), the way an
 * operator would: three `redis-server --cluster-enabled yes` nodes joined by `redis-cli --cluster create`.
 * Resolves once every node reports `cluster_state:ok`, with a `redis+cluster://` URL naming all three.
 */
export async function startTestCluster(size = 3): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lv-cluster-'));
  const children: ChildProcess[] = [];
  const killAll = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.once('exit', killAll);
  const stop = async () => {
    await Promise.all(
      children.map((c) =>
        c.exitCode !== null || c.signalCode !== null
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
              c.once('close', () => (clearTimeout(timer), resolve()));
              c.kill('SIGTERM');
            }),
      ),
    );
    process.removeListener('exit', killAll);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < size; i++) {
      // A port found free may be taken by another test's server before this one binds it: then try new ports.
      for (let attempt = 1; ; attempt++) {
        const [port, bus] = [await freePort(), await freePort()];
        const child = spawn(
          'redis-server',
          [
            '--port',
            String(port),
            '--cluster-port',
            String(bus),
            '--bind',
            HOST,
            '--protected-mode',
            'yes',
            '--daemonize',
            'no',
            '--loglevel',
            'warning',
            '--save',
            '',
            '--appendonly',
            'no',
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            join(dir, `nodes-${port}.conf`),
            '--cluster-node-timeout',
            '5000',
            '--dir',
            dir,
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        children.push(child);
        try {
          await waitForPing(port, child);
          ports.push(port);
          break;
        } catch (err) {
          child.kill('SIGKILL');
          if (attempt >= 3) throw err;
        }
      }
    }
    const nodes = ports.map((p) => `${HOST}:${p}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    await Promise.all(ports.map((p) => waitFor(p, 'CLUSTER INFO', (reply) => reply.includes('cluster_state:ok'))));
    return { url: `redis+cluster://${nodes.join(',')}`, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Waits until a node answers PING, or fails at once with its output if it exits first. */
async function waitForPing(port: number, child: ChildProcess): Promise<void> {
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (d: Buffer) => (output += d.toString()));
  const died = new Promise<never>((_, reject) =>
    child.once('close', (code) => reject(new Error(`cluster node on ${port} exited (${code}): ${output.trim()}`))),
  );
  died.catch(() => undefined);
  await Promise.race([waitFor(port, 'PING', (r) => r.startsWith('+PONG')), died]);
}

/** Sends one inline command over a raw socket until its reply satisfies `ok` (polling every 50 ms, 20 s at most). */
async function waitFor(port: number, command: string, ok: (reply: string) => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  let last = '';
  while (Date.now() < deadline) {
    last = await once(port, command).catch((e: unknown) => String(e));
    if (ok(last)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`cluster node on ${port} did not answer ${command} as expected: ${last}`);
}

function once(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port });
    let reply = '';
    socket.setTimeout(1_000, () => (socket.destroy(), reject(new Error('timed out'))));
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (d: Buffer) => {
      reply += d.toString();
      // A bulk string reply ($<len>) is complete once its body arrived; a simple reply at its first CRLF.
      const bulk = /^\$(\d+)\r\n/.exec(reply);
      if (bulk ? reply.length >= bulk[0].length + Number(bulk[1]) : reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply);
      }
    });
    socket.once('error', reject);
  });
}
