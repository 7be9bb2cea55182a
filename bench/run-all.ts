/**
 * `npm run bench`: runs the benchmarks of issue 7 one after another, each in a child process of its own (so one's
 * servers, Redis and heap never colour the next one's figures), shows their figures as they print them, and ends
 * with a summary built from each one's final JSON line. A benchmark whose script is missing is reported as
 * missing and the others still run.
 *
 *   npm run bench                                   all four, full length
 *   npm run bench -- --quick                        all four, a short smoke run
 *   npm run bench -- interaction-latency footprint  a subset (names or numbers 1–4); other flags pass through
 *   npm run bench -- --out bench-results.json       also writes the machine, date and every JSON line to a file
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { quick, root } from './support/args.js';
import { start, stopAll } from './support/children.js';

/** The benchmarks in the issue's order, with the number and short names they also answer to. */
const BENCHES = [
  { name: 'interaction-latency', aliases: ['1', 'latency', 'interaction'] },
  { name: 'broadcast', aliases: ['2'] },
  { name: 'reminder-scale', aliases: ['3', 'reminders'] },
  { name: 'footprint', aliases: ['4', 'memory'] },
] as const;

type Status = 'ok' | 'failed' | 'missing';

interface Outcome {
  name: string;
  status: Status;
  seconds: number;
  /** The benchmark's final JSON line, when it printed one. */
  result?: Record<string, unknown>;
  met?: boolean;
}

function parseArgs(argv: string[]): { names: string[]; passThrough: string[]; out?: string } {
  const names: string[] = [];
  const passThrough: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') {
      out = argv[++i];
      continue;
    }
    const bench = BENCHES.find((b) => b.name === a || (b.aliases as readonly string[]).includes(a));
    const valueOfFlag = argv[i - 1]?.startsWith('--') && argv[i - 1] !== '--quick';
    if (bench && !valueOfFlag) names.push(bench.name);
    else passThrough.push(a);
  }
  const chosen = BENCHES.map((b) => b.name).filter((n) => names.length === 0 || names.includes(n));
  return { names: chosen, passThrough, ...(out ? { out } : {}) };
}

/** Whether a benchmark says its goal was met: `goal.met`, `met` or `goalMet` in its JSON, else for every part that has one. */
function goalMet(result: Record<string, unknown> | undefined): boolean | undefined {
  if (!result) return undefined;
  const direct = (result.goal as { met?: unknown } | undefined)?.met ?? result.met ?? result.goalMet;
  if (typeof direct === 'boolean') return direct;
  const parts = Object.values(result)
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .map((v) => goalMet(v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined));
  const known = parts.filter((p): p is boolean => p !== undefined);
  return known.length > 0 ? known.every(Boolean) : undefined;
}

/** The last line of the output that parses as a JSON object. */
function lastJson(output: string): Record<string, unknown> | undefined {
  for (const line of output.split('\n').reverse()) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      return JSON.parse(t) as Record<string, unknown>;
    } catch {
      // Not the JSON line.
    }
  }
  return undefined;
}

async function runOne(name: string, args: string[]): Promise<Outcome> {
  const script = join(root, 'bench', `${name}.ts`);
  if (!existsSync(script)) return { name, status: 'missing', seconds: 0 };
  const t0 = performance.now();
  const child = start(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root });
  child.proc.stdout?.on('data', (d: Buffer) => process.stdout.write(d));
  child.proc.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
  const code = await new Promise<number | null>((resolve) => child.proc.once('exit', (c) => resolve(c)));
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  // stdout and stderr carry the same stream the child wrote; the JSON line is the last object printed.
  const result = lastJson(child.output());
  const met = goalMet(result);
  return { name, status: code === 0 ? 'ok' : 'failed', seconds, ...(result ? { result } : {}), ...(met !== undefined ? { met } : {}) };
}

async function main(): Promise<void> {
  const { names, passThrough, out } = parseArgs(process.argv.slice(2));
  const cpu = cpus();
  const machine = {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
  const date = new Date().toISOString();
  console.log(`lv-bot benchmarks ${date}${quick ? ' (--quick: a smoke run, figures indicative only)' : ''}`);
  console.log(
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, load average ${machine.loadAverage.join(' ')}`,
  );
  const outcomes: Outcome[] = [];
  try {
    for (const name of names) {
      console.log(`\n=== ${name} ===`);
      const outcome = await runOne(name, passThrough);
      if (outcome.status === 'missing') console.log(`bench/${name}.ts is missing: skipped`);
      else if (outcome.status === 'failed') console.log(`${name} failed (see its output above)`);
      outcomes.push(outcome);
    }
  } finally {
    await stopAll();
  }

  console.log('\n=== summary ===');
  for (const o of outcomes) {
    const goal = o.met === undefined ? (o.status === 'ok' ? 'no goal reported' : '') : o.met ? 'goal met' : 'goal NOT met';
    console.log(`  ${o.name.padEnd(20)} ${o.status.padEnd(8)} ${o.status === 'missing' ? '' : `${o.seconds} s`.padEnd(9)} ${goal}`);
    // The benchmark's own one-line figures of its goal, when it prints them (`summary` in its JSON line).
    if (typeof o.result?.summary === 'string') console.log(`  ${''.padEnd(20)} ${o.result.summary}`);
  }
  if (out) {
    await writeFile(out, `${JSON.stringify({ date, quick, machine, args: passThrough, results: outcomes }, null, 2)}\n`);
    console.log(`results written to ${out}`);
  }
  if (outcomes.some((o) => o.status === 'failed')) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(`bench runner failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
