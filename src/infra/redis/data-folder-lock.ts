import {
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { DataFolderInUseError, type DataFolderHolder } from '../../ports/errors.js';
import type { Logger } from '../../ports/logger.js';

/** The lock file's name inside the private Redis's folder (`<LV_DATA_DIR>/redis/lv-bot.lock`). */
export const LOCK_FILE = 'lv-bot.lock';

const GUARD_STALE_MS = 5_000;
const ORPHAN_STOP_MS = 15_000;
const ATTEMPTS = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether a process runs (a zombie, dead but not yet reaped, does not count). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S …"; the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(pid, 0) is the answer
  }
}

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

function parse(text: string | undefined): DataFolderHolder | undefined {
  try {
    const v = JSON.parse(text ?? '') as Partial<DataFolderHolder>;
    return Number.isSafeInteger(v.pid) && typeof v.since === 'string' ? (v as DataFolderHolder) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The redis-server processes whose working directory is `dir` (Redis changes into its `--dir` on start), read
 * from /proc on Linux: they write this folder's append-only file, lock file or not. Empty where there is no /proc.
 */
export function redisServersIn(dir: string): number[] {
  let entries: string[];
  let real: string;
  try {
    entries = readdirSync('/proc');
    real = realpathSync(dir);
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${e}/cwd`) !== real) continue;
      if (!readFileSync(`/proc/${e}/comm`, 'utf8').startsWith('redis-server')) continue;
      if (isAlive(Number(e))) found.push(Number(e));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/**
 * An lv-bot's hold on its data folder, so only one private redis-server ever writes the folder's append-only
 * file. The lock file names the bot's pid and, once started, its redis-server's pid and port; it is created
 * whole or not at all (written aside, then hard-linked into place, which fails if one exists) and rewritten by
 * rename. A lock whose bot is dead (a `kill -9`) is stale: the next start takes it over and first stops the
 * dead bot's redis-server if it still runs (SIGTERM: Redis flushes the append-only file and exits).
 */
export class DataFolderLock {
  private held = true;
  private readonly releaseOnExit = (): void => this.release();

  private constructor(
    readonly file: string,
    private info: DataFolderHolder,
  ) {
    process.once('exit', this.releaseOnExit);
  }

  /** Takes the folder `dir` (the message names `folder`, the data folder it is in), or throws DataFolderInUseError naming the lv-bot that has it. */
  static async acquire(dir: string, options: { folder?: string; log?: Pick<Logger, 'warn' | 'info'> } = {}): Promise<DataFolderLock> {
    const { log } = options;
    mkdirSync(dir, { recursive: true });
    const file = join(dir, LOCK_FILE);
    const mine: DataFolderHolder = { pid: process.pid, since: new Date().toISOString() };
    let stale: DataFolderHolder | undefined;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (createWhole(file, mine)) {
        const lock = new DataFolderLock(file, mine);
        try {
          await stopOrphans(dir, stale, log);
        } catch (e) {
          lock.release();
          throw e;
        }
        return lock;
      }
      const seen = readText(file);
      if (seen === undefined) continue; // released meanwhile
      const holder = parse(seen);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid))
        throw new DataFolderInUseError(realpathSync(options.folder ?? dir), holder, file);
      stale = holder ?? stale;
      if (!removeIfUnchanged(file, seen)) await sleep(20);
    }
    throw new Error(`could not take the lock ${file}: it kept changing`);
  }

  /** Records the private redis-server, so a start after a crash of this bot can find it and stop it. */
  recordRedis(redisPid: number, port: number): void {
    if (!this.held) return;
    this.info = { ...this.info, redisPid, port };
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.info));
    renameSync(tmp, this.file);
  }

  /** Lets the folder go (once its redis-server has stopped); leaves a lock file that is not this process's alone. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    process.removeListener('exit', this.releaseOnExit);
    if (parse(readText(this.file))?.pid === process.pid) {
      try {
        unlinkSync(this.file);
      } catch {
        // already gone
      }
    }
  }
}

/** Creates the lock file with its whole content, failing (false) if one exists: written aside, then hard-linked. */
function createWhole(file: string, info: DataFolderHolder): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(info));
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * Removes a stale lock file if it still has the text read, under a short-lived guard file, so two starts that
 * both found the same stale lock cannot remove the fresh one the other just made. False if the guard is busy.
 */
function removeIfUnchanged(file: string, seen: string): boolean {
  const guard = `${file}.takeover`;
  try {
    writeFileSync(guard, String(process.pid), { flag: 'wx' });
  } catch {
    try {
      if (Date.now() - statSync(guard).mtimeMs > GUARD_STALE_MS) unlinkSync(guard); // its taker died
    } catch {
      // removed meanwhile
    }
    return false;
  }
  try {
    if (readText(file) === seen) unlinkSync(file);
    return true;
  } finally {
    unlinkSync(guard);
  }
}

/** Stops every redis-server still running on the folder: the stale lock's, and (on Linux) any found by its working directory. */
async function stopOrphans(dir: string, stale: DataFolderHolder | undefined, log?: Pick<Logger, 'warn' | 'info'>): Promise<void> {
  const pids = new Set(redisServersIn(dir));
  // Without /proc, the stale lock's redis-server is the one answering on its port with its pid (not another process that got the pid).
  if (stale?.redisPid && stale.port && !existsProc() && (await redisPidOn(stale.port)) === stale.redisPid) pids.add(stale.redisPid);
  for (const pid of pids) {
    log?.warn(
      { redisPid: pid, folder: dir },
      'a redis-server of an lv-bot that is gone still runs on the data folder; stopping it cleanly',
    );
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + ORPHAN_STOP_MS;
    while (isAlive(pid) && Date.now() < deadline) await sleep(25);
    if (isAlive(pid)) {
      process.kill(pid, 'SIGKILL'); // with appendfsync always, every confirmed write is already on disk
      while (isAlive(pid)) await sleep(25);
    }
  }
}

const existsProc = (): boolean => {
  try {
    return statSync('/proc/self').isDirectory();
  } catch {
    return false;
  }
};

/** The process_id a Redis on a loopback port reports (INFO server), or undefined if nothing answers as Redis. */
function redisPidOn(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (pid: number | undefined) => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(1_000, () => done(undefined));
    socket.once('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (d: Buffer) => {
      reply += d.toString();
      const m = /\r\nprocess_id:(\d+)\r\n/.exec(reply);
      if (m) done(Number(m[1]));
      else if (!reply.startsWith('$')) done(undefined);
    });
    socket.once('error', () => done(undefined));
  });
}
