import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { RedisNotFoundError } from '../../ports/errors.js';

/** Options for EmbeddedRedis; 'aof' makes every acknowledged write survive a restart on the same dataDir. */
export interface EmbeddedRedisOptions {
  dataDir?: string;
  persistence: 'aof' | 'none';
  redisServerPath?: string;
  /** A fixed port (a restart on the same dataDir and port, which clients reconnect to); a free one when absent. */
  port?: number;
  /**
   * The server gets SIGTERM (a clean stop: Redis flushes its append-only file) when this process dies, even by
   * `kill -9`, where util-linux's `setpriv --pdeathsig` is installed (Linux: /usr/bin/setpriv); elsewhere it outlives a killed bot
   * and the next start stops it (DataFolderLock).
   */
  dieWithParent?: boolean;
  /** Told the server's pid and port as soon as it is spawned, before it is ready (the data-folder lock records them). */
  onSpawn?: (pid: number, port: number) => void;
}

/**
 * The persistence the private Redis runs with ('aof'): an append-only file fsynced before every reply
 * (`appendfsync always`), so a write the bot confirmed to a person survives a SIGKILL or a power cut;
 * no RDB snapshots (the AOF is the one source), and an AOF whose last command was cut off by a crash is
 * loaded without it (`aof-load-truncated`, the unconfirmed write). See README "Redis persistence and restarts".
 */
export const AOF_PERSISTENCE_ARGS: readonly string[] = [
  '--appendonly',
  'yes',
  '--appendfsync',
  'always',
  '--aof-load-truncated',
  'yes',
  '--aof-use-rdb-preamble',
  'yes',
];

const HOST = '127.0.0.1';
const MAX_ATTEMPTS = 4; // first try + 3 retries when the chosen port was taken meanwhile
const READY_TIMEOUT_MS = 15_000;
const STOP_KILL_AFTER_MS = 10_000;

type Exit = { code: number | null; signal: NodeJS.Signals | null; output: string };

/** Runs a private redis-server child on a free loopback port, so the bot needs no externally managed Redis. */
export class EmbeddedRedis {
  private child: ChildProcess | undefined;
  private exited: Promise<Exit> | undefined;
  private readonly killOnExit = (): void => {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  };

  constructor(private readonly options: EmbeddedRedisOptions) {}

  /** Starts the server and resolves once it answers PING; rejects with its output if it dies first. */
  async start(): Promise<{ url: string; port: number }> {
    if (this.child) throw new Error('EmbeddedRedis already started');
    if (this.options.persistence === 'aof') {
      if (!this.options.dataDir) throw new Error("EmbeddedRedis: persistence 'aof' requires dataDir");
      await mkdir(this.options.dataDir, { recursive: true });
    }
    for (let attempt = 1; ; attempt++) {
      const port = this.options.port ?? (await freePort());
      try {
        await this.launch(port);
        return { url: `redis://${HOST}:${port}`, port };
      } catch (err) {
        if (!(err instanceof PortInUseError) || attempt >= MAX_ATTEMPTS || this.options.port !== undefined) throw err;
      }
    }
  }

  /** Sends SIGTERM (Redis flushes the AOF on it) and resolves when the child has exited. */
  async stop(): Promise<void> {
    const { child, exited } = this;
    if (!child || !exited) return;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_KILL_AFTER_MS);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
      this.reset();
    }
  }

  /** Kills the server with SIGKILL, as a crash would (no final flush), and resolves once it has exited. */
  async kill(): Promise<void> {
    const { child, exited } = this;
    if (!child || !exited) return;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    this.reset();
  }

  private reset(): void {
    process.removeListener('exit', this.killOnExit);
    this.child = undefined;
    this.exited = undefined;
  }

  private async launch(port: number): Promise<void> {
    const binary = this.options.redisServerPath ?? 'redis-server';
    const setpriv = this.options.dieWithParent ? findSetpriv() : undefined;
    const child = setpriv
      ? spawn(setpriv, ['--pdeathsig', 'TERM', '--', binary, ...this.args(port)], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(binary, this.args(port), { stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) this.options.onSpawn?.(child.pid, port);
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<Exit>((resolve, reject) => {
      child.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new RedisNotFoundError(binary) : err));
      child.once('close', (code, signal) => resolve({ code, signal, output }));
    });
    this.child = child;
    this.exited = exited;
    process.once('exit', this.killOnExit);

    let settled = false; // stops the PING loop once the race is decided either way
    const ready = waitForPing(port, () => settled || child.exitCode !== null || child.signalCode !== null);
    const died = exited.then((e) => {
      // setpriv execs the server in place; it exits 127 when it cannot find the binary.
      if (setpriv && e.code === 127 && e.output.includes('failed to execute')) throw new RedisNotFoundError(binary);
      const message = `redis-server on port ${port} exited before accepting connections (code ${e.code}, signal ${e.signal}):\n${e.output.trim()}`;
      throw e.output.includes('Address already in use') ? new PortInUseError(message) : new Error(message);
    });
    try {
      await Promise.race([ready, died]);
      settled = true;
    } catch (err) {
      settled = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited.catch(() => undefined);
      this.reset();
      throw err;
    }
  }

  private args(port: number): string[] {
    const base = [
      '--port',
      String(port),
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
    ];
    if (this.options.persistence === 'aof') {
      return [...base, ...AOF_PERSISTENCE_ARGS, '--dir', this.options.dataDir as string];
    }
    return [...base, '--appendonly', 'no'];
  }
}

/** util-linux's setpriv where Linux distributions install it, if it is there. */
function findSetpriv(): string | undefined {
  for (const path of ['/usr/bin/setpriv', '/bin/setpriv']) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Marks a start attempt that lost its port to another process, so start() retries on a fresh one. */
class PortInUseError extends Error {}

/** Asks the OS for a currently free loopback port (a private Redis, a test's cluster node). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not allocate a free port'))));
    });
  });
}

/** Polls PING with short-lived clients until PONG (not LOADING) or the deadline; never settles once told to give up. */
async function waitForPing(port: number, giveUp: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (giveUp()) return new Promise(() => undefined); // the exit branch of the race reports this
    try {
      if (await pingOnce(port)) return;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`redis-server on port ${port} not ready after ${READY_TIMEOUT_MS} ms: ${String(lastError)}`);
}

/**
 * One PING over a plain socket: true on +PONG, false while the server is down or still LOADING.
 * A raw socket rather than an ioredis client, whose disconnect() arms a 2-second timer that keeps
 * a short-lived process (piped `npm start`) alive after its work is done.
 */
function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port });
    let reply = '';
    const done = (ok: boolean | Error) => {
      socket.destroy();
      if (ok instanceof Error) reject(ok);
      else resolve(ok);
    };
    socket.setTimeout(500, () => done(new Error('PING timed out')));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d: Buffer) => {
      reply += d.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.once('error', (err) => done(err));
  });
}
