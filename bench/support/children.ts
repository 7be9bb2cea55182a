/**
 * Child processes of a benchmark: each started in a process group of its own, so that a whole `npm start`
 * tree (npm → sh → tsx → node) is stopped with it, and every group still alive is killed when the benchmark
 * exits, also on an error, Ctrl-C or SIGTERM.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';

const alive = new Set<ChildProcess>();

const running = (c: ChildProcess): boolean => c.exitCode === null && c.signalCode === null;

function killGroup(c: ChildProcess, signal: NodeJS.Signals): void {
  if (c.pid === undefined) return;
  try {
    process.kill(-c.pid, signal);
  } catch {
    // The group is gone already.
  }
}

let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const c of alive) killGroup(c, 'SIGKILL');
  });
  // On Ctrl-C or SIGTERM: SIGTERM first, so a child benchmark can stop its own children and redis-server, then SIGKILL.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      void stopAll().finally(() => process.exit(130));
    });
  }
}

/** A started child with its output so far; `stop()` ends its whole process group. */
export interface Child {
  proc: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the output once `pattern` appears in it; rejects if the child exits first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the child has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A clean, fully stated environment for a child: only the variables given, plus a PATH that finds this node
 * and the system's tools, and HOME for npm. Nothing of the caller's own environment (a developer's REDIS_URL
 * or SLACK_* settings) leaks into a measured process.
 */
export function cleanEnv(vars: Record<string, string> = {}): Record<string, string> {
  return { PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`, HOME: homedir(), ...vars };
}

/** Spawns a command in a process group of its own, tracked for cleanup; its environment is `cleanEnv()` unless given. */
export function start(command: string, args: string[], options: SpawnOptions = {}): Child {
  hookExit();
  const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv(), ...options, detached: true });
  alive.add(proc);
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of [...listeners]) l();
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  void exited.then(() => {
    alive.delete(proc);
    for (const l of [...listeners]) l();
  });
  return {
    proc,
    output: () => out,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => done(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; output:\n${out.slice(-2000)}`)),
          timeoutMs,
        );
        const check = () => {
          if (pattern.test(out)) done();
          else if (!running(proc))
            done(
              new Error(
                `${command} ${args.join(' ')} exited (${proc.exitCode ?? proc.signalCode}) before ${pattern}; output:\n${out.slice(-2000)}`,
              ),
            );
        };
        const done = (err?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve(out);
        };
        listeners.add(check);
        check();
      });
    },
    async stop(graceMs = 10_000) {
      if (!running(proc)) return;
      killGroup(proc, 'SIGTERM');
      const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // Grandchildren that ignored SIGTERM (npm's shell, tsx's node) go with the group.
      killGroup(proc, 'SIGKILL');
    },
  };
}

/** Stops every child still running (for `finally` blocks). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...alive].map(async (c) => {
      killGroup(c, 'SIGTERM');
      const timer = setTimeout(() => killGroup(c, 'SIGKILL'), 5_000);
      if (running(c)) await new Promise((r) => c.once('exit', r));
      clearTimeout(timer);
      killGroup(c, 'SIGKILL');
    }),
  );
}

/** A process's resident memory in bytes (VmRSS of /proc/<pid>/status), or 0 once it is gone. */
export function rssOf(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The pids of a process and all its descendants (from /proc/<pid>/stat). */
export function treeOf(root: number): number[] {
  const parent = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(ppid, [...(parent.get(ppid) ?? []), Number(name)]);
    } catch {
      // Exited while we looked.
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const c of parent.get(pid) ?? []) walk(c);
  };
  walk(root);
  return out;
}

/** Resident memory of a process tree: the largest process (the bot's node under npm and tsx) and the sum. */
export function treeRss(root: number): { main: number; total: number } {
  const sizes = treeOf(root).map(rssOf);
  return { main: Math.max(0, ...sizes), total: sizes.reduce((a, b) => a + b, 0) };
}

/** CPU time (user + system) a process tree has used so far, in milliseconds (from /proc/<pid>/stat). */
export function cpuMsOf(root: number): number {
  let ticks = 0;
  for (const pid of treeOf(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    } catch {
      // Exited while we looked.
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}
