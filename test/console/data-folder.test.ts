import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../src/infra/audit/audit-file.js';
import { isAlive, LOCK_FILE, redisServersIn } from '../../src/infra/redis/data-folder-lock.js';
import { AOF_PERSISTENCE_ARGS, freePort } from '../../src/infra/redis/embedded-redis.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `npm start` on a data folder, as a terminal runs it: standard input stays open until end() (piped input ends it at once). */
class BotProcess {
  readonly child: ChildProcess;
  out = '';
  err = '';
  readonly closed: Promise<number | null>;
  constructor(dataDir: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LV_DATA_DIR: dataDir, LV_CONSOLE_USER: 'coord' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (d: Buffer) => (this.out += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.err += d.toString()));
    this.closed = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
  }
  /** Types a line and waits until the output shows `answer`. */
  async say(line: string, answer: RegExp): Promise<void> {
    const from = this.out.length;
    this.child.stdin?.write(`${line}\n`);
    const deadline = Date.now() + 20_000;
    while (!answer.test(this.out.slice(from))) {
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`no ${answer} after "${line}":\n${this.out}\n${this.err}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  /** Ends the input (the console leaves at its end) and resolves with the exit code. */
  end(lines: string[] = []): Promise<number | null> {
    this.child.stdin?.end(lines.map((l) => `${l}\n`).join(''));
    return this.closed;
  }
}

const started: BotProcess[] = [];
const dirs: string[] = [];
const strays: number[] = [];

afterEach(async () => {
  for (const b of started.splice(0)) if (b.child.exitCode === null) b.child.kill('SIGKILL');
  for (const pid of strays.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function dataFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lv-folder-'));
  dirs.push(dir);
  return dir;
}

function bot(dataDir: string): BotProcess {
  const b = new BotProcess(dataDir);
  started.push(b);
  return b;
}

/** Reads the audit export the console wrote (the path it printed) and removes it from ./exports. */
async function exportedAudit(out: string): Promise<string> {
  const path = /^(\/\S+-audit-\S+\.json)$/m.exec(out)?.[1];
  expect(path, out).toBeDefined();
  const text = await readFile(path!, 'utf8');
  await rm(path!, { force: true });
  return text;
}

/** A client of a redis-server that is still starting: commands wait for it (up to about 5 s). */
function redisOn(port: number): Redis {
  const client = new Redis(port, '127.0.0.1', { retryStrategy: () => 50, maxRetriesPerRequest: 100 });
  client.on('error', () => undefined); // refused while the server starts
  return client;
}

const noteEvents = (audit: string): string[] =>
  (JSON.parse(audit) as { events: { body: string }[] }).events
    .map((e) => JSON.parse(e.body) as { action: string; after?: { text?: string } })
    .filter((b) => b.action === 'task.note')
    .map((b) => b.after?.text ?? '');

describe('one data folder, one private Redis', () => {
  it('refuses a second start on a folder in use, and after a kill -9 of the first the next start has every confirmed note', async () => {
    const dir = await dataFolder();
    const first = bot(dir);
    await first.say('project new Folder', /Project “Folder” created/);
    await first.say('note process.review first note', /Note added to process\.review/);
    const lock = JSON.parse(await readFile(join(dir, 'redis', LOCK_FILE), 'utf8')) as { pid: number; redisPid: number; port: number };
    expect(lock.pid).toBe(first.child.pid);
    expect(isAlive(lock.redisPid)).toBe(true);

    // A second start on the same folder would run a second redis-server on the same append-only file.
    const second = bot(dir);
    expect(await second.end(['note process.review from the second bot', 'export audit json'])).toBe(1);
    expect(second.err).toContain(`The data folder ${dir} is in use by another lv-bot (process ${first.child.pid}`);
    expect(second.err).toContain(`REDIS_URL=redis://127.0.0.1:${lock.port}`);
    expect(second.out).toBe('');
    expect(redisServersIn(join(dir, 'redis'))).toEqual([lock.redisPid]);

    await first.say('note process.review second note', /Note added to process\.review/);
    // Killed between jobs, not in one: a job running at a kill -9 stays active until BullMQ's stall check takes it
    // back (30 s), and the next start's end of input would rightly say that messages are still queued.
    const client = redisOn(lock.port);
    for (let active = 1; active > 0;) {
      const keys = await client.keys('*:active');
      active = (await Promise.all(keys.map((k) => client.llen(k)))).reduce((a, b) => a + b, 0);
      if (active > 0) await new Promise((r) => setTimeout(r, 25));
    }
    client.disconnect();
    first.child.kill('SIGKILL');
    await first.closed;
    if (existsSync('/usr/bin/setpriv')) {
      // Its redis-server got SIGTERM as its parent died (setpriv --pdeathsig) and stopped cleanly by itself.
      const deadline = Date.now() + 10_000;
      while (isAlive(lock.redisPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(isAlive(lock.redisPid)).toBe(false);
    }

    const third = bot(dir);
    expect(await third.end(['note process.review third note', 'export audit json'])).toBe(0);
    expect(third.err).toBe('');
    expect(isAlive(lock.redisPid)).toBe(false);
    const audit = await exportedAudit(third.out);
    expect(verifyAuditFile(audit)).toMatchObject({ ok: true });
    expect(noteEvents(audit)).toEqual(['first note', 'second note', 'third note']);
    // It left the folder as it found it: no lock, no redis-server.
    await expect(readFile(join(dir, 'redis', LOCK_FILE))).rejects.toThrow();
    expect(redisServersIn(join(dir, 'redis'))).toEqual([]);
  }, 90_000);

  it('stops the redis-server a killed bot left running on the folder before starting its own, losing nothing', async () => {
    const dir = await dataFolder();
    expect(await bot(dir).end(['project new Orphan', 'note process.review before the crash'])).toBe(0);

    // A dead bot's lock, and its redis-server still running on the folder (as without setpriv, or a killed process group).
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => gone.once('close', r));
    const port = await freePort();
    const orphan = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...AOF_PERSISTENCE_ARGS, '--dir', join(dir, 'redis')],
      { stdio: 'ignore', detached: true },
    );
    strays.push(orphan.pid!);
    const client = redisOn(port);
    await client.ping();
    await client.set('orphan:confirmed', 'kept');
    await client.quit();
    await writeFile(
      join(dir, 'redis', LOCK_FILE),
      JSON.stringify({ pid: gone.pid, since: new Date().toISOString(), redisPid: orphan.pid, port }),
    );

    const next = bot(dir);
    expect(await next.end(['note process.review after the crash', 'export audit json'])).toBe(0);
    expect(next.err).toContain(`"redisPid":${orphan.pid}`);
    expect(next.err).toContain('stopping it cleanly');
    expect(isAlive(orphan.pid!)).toBe(false);
    const audit = await exportedAudit(next.out);
    expect(verifyAuditFile(audit)).toMatchObject({ ok: true });
    expect(noteEvents(audit)).toHaveLength(2);

    // The orphan's last write reached the append-only file before it stopped.
    const port2 = await freePort();
    const reopened = spawn(
      'redis-server',
      ['--port', String(port2), '--bind', '127.0.0.1', '--save', '', ...AOF_PERSISTENCE_ARGS, '--dir', join(dir, 'redis')],
      { stdio: 'ignore' },
    );
    strays.push(reopened.pid!);
    const reader = redisOn(port2);
    expect(await reader.get('orphan:confirmed')).toBe('kept');
    await reader.quit();
    reopened.kill('SIGTERM');
    await new Promise((r) => reopened.once('close', r));
  }, 90_000);
});
