/**
 * Benchmark 4 (issue 7): footprint. How long the real `app/main.ts` takes from `npm start` to ready, in web mode
 * (Slack credentials pointed at a fake Slack API, Redis given by REDIS_URL; ready = `/readyz` answers 200) and in
 * console mode (its private Redis in a fresh data directory; ready = the console takes its first line), and the
 * resident memory (VmRSS) of `npm run web` and `npm run worker`, idle and under the load of benchmark 1 (signed
 * Slack clicks at 200 a second for 20 seconds on a real sign-off request, sent to the web process).
 *
 *   npx tsx bench/footprint.ts [--quick] [--runs 3] [--rate 200] [--seconds 20] [--idle 5]
 *
 * Memory is read from /proc/<pid>/status: "bot" is the node process running app/main.ts, "tree" adds npm, its
 * shell and tsx's launcher above it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedRedis } from '../src/infra/redis/embedded-redis.js';
import { FakeSlackApi } from '../test/slack/fake-slack-api.js';
import { SlackSender } from '../test/slack/slack-requests.js';
import { mib, ms, numberFlag, quick, root } from './support/args.js';
import { cleanEnv, start, stopAll, treeRss, type Child } from './support/children.js';
import { pacedLoad, type LoadResult } from './support/paced-load.js';
import { addPeople, BOT_TOKEN, clickBuilder, requestSignoff } from './support/slack-clicks.js';

const opts = {
  runs: numberFlag('runs', quick ? 1 : 3),
  rate: numberFlag('rate', 200),
  seconds: numberFlag('seconds', quick ? 3 : 20),
  idle: numberFlag('idle', quick ? 1 : 5),
  // --starts-only: measure the starts alone (for profiling a start), without the memory and load part.
  startsOnly: process.argv.includes('--starts-only'),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** Polls `/readyz` until it answers 200; resolves with the moment it did. */
async function readyz(port: number, child: Child, timeoutMs = 90_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null)
      throw new Error(`exited before ready:\n${child.output().slice(-2000)}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return performance.now();
    await sleep(20);
  }
  throw new Error(`/readyz not 200 within ${timeoutMs} ms:\n${child.output().slice(-2000)}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const secret = randomBytes(16).toString('hex');
  const redis = new EmbeddedRedis({ persistence: 'none' });
  const fake = new FakeSlackApi(BOT_TOKEN);
  const dataDir = await mkdtemp(join(tmpdir(), 'lv-bench-footprint-'));
  try {
    const { url } = await redis.start();
    await fake.start();
    addPeople(fake);
    const webEnv = (port: number, prefix: string) =>
      cleanEnv({
        REDIS_URL: url,
        LV_REDIS_PREFIX: prefix,
        LV_ADAPTERS: 'slack',
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: secret,
        SLACK_API_URL: fake.apiUrl,
        HOST: '127.0.0.1',
        PORT: String(port),
        LV_DAILY_PLAN: 'off',
        LOG_LEVEL: 'info',
      });

    console.log(
      `footprint: npm start to ready (median of ${opts.runs}), and resident memory of npm run web / npm run worker idle and under ${opts.rate} clicks/s for ${opts.seconds} s`,
    );

    // 1. npm start in web mode (web and workers in one process, as npm start runs them).
    const webStarts: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const port = await freePort();
      const t0 = performance.now();
      const child = start('npm', ['start'], { cwd: root, env: webEnv(port, `benchstart${i}${Date.now()}`) });
      webStarts.push((await readyz(port, child)) - t0);
      await child.stop();
    }

    // 1b. npm run web alone (the web role of a production deployment, its workers in another process).
    const webOnlyStarts: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const port = await freePort();
      const t0 = performance.now();
      const child = start('npm', ['run', 'web'], { cwd: root, env: webEnv(port, `benchweb${i}${Date.now()}`) });
      webOnlyStarts.push((await readyz(port, child)) - t0);
      await child.stop();
    }

    // 2. npm start in console mode, with its private Redis in a fresh data directory.
    const consoleStarts: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const t0 = performance.now();
      const child = start('npm', ['start'], {
        cwd: root,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: cleanEnv({ LV_ADAPTERS: 'console', LV_DATA_DIR: join(dataDir, `console${i}`), LOG_LEVEL: 'warn' }),
      });
      // Piped input: the console echoes each line as `lv> …` once it reads it, i.e. once it is ready.
      child.proc.stdin?.write('help\n');
      await child.waitFor(/^lv> help$/m, 90_000);
      consoleStarts.push(performance.now() - t0);
      child.proc.stdin?.end();
      await child.stop();
    }
    console.log(
      `  start to ready: npm run web ${ms(median(webOnlyStarts))} (${webOnlyStarts.map(ms).join(', ')}), npm start (web + workers) ${ms(median(webStarts))} (${webStarts.map(ms).join(', ')}), console ${ms(median(consoleStarts))} (${consoleStarts.map(ms).join(', ')})`,
    );
    if (opts.startsOnly) return;

    // 3. npm run web and npm run worker on one Redis: memory idle, then under the click load on the web process.
    const port = await freePort();
    const prefix = `benchfoot${Date.now()}`;
    const env = webEnv(port, prefix);
    const web = start('npm', ['run', 'web'], { cwd: root, env });
    const worker = start('npm', ['run', 'worker'], { cwd: root, env });
    await Promise.all([readyz(port, web), worker.waitFor(/lv-bot workers ready/, 90_000)]);
    await sleep(opts.idle * 1000);
    const idle = { web: treeRss(web.proc.pid!), worker: treeRss(worker.proc.pid!) };
    console.log(
      `  idle:       web ${mib(idle.web.main)} (tree ${mib(idle.web.total)}), worker ${mib(idle.worker.main)} (tree ${mib(idle.worker.total)})`,
    );

    const answered = () =>
      fake.calls.filter((c) => c.status === 200 && ['response_url', 'chat.postMessage', 'chat.postEphemeral'].includes(c.method)).length;
    let seen = answered();
    const settle = async () => {
      await fake.waitFor(
        (c) => c.status === 200 && ['response_url', 'chat.postMessage', 'chat.postEphemeral'].includes(c.method),
        seen + 1,
      );
      seen = answered();
    };
    const message = await requestSignoff({
      sender: new SlackSender(`http://127.0.0.1:${port}/slack/events`, secret),
      apiUrl: fake.apiUrl,
      token: BOT_TOKEN,
      settle,
    });
    let seq = 0;
    const clicks = clickBuilder(message, secret, () => `${fake.apiUrl.replace(/\/api\/$/, '')}/commands/T111/${++seq}/hookfoot${seq}`);
    const peak = { web: { main: 0, total: 0 }, worker: { main: 0, total: 0 } };
    const sample = () => {
      for (const [name, child] of [
        ['web', web],
        ['worker', worker],
      ] as const) {
        const r = treeRss(child.proc.pid!);
        peak[name] = { main: Math.max(peak[name].main, r.main), total: Math.max(peak[name].total, r.total) };
      }
    };
    const sampler = setInterval(sample, 250);
    let load: LoadResult;
    try {
      load = await pacedLoad({ url: `http://127.0.0.1:${port}/slack/events`, rate: opts.rate, seconds: opts.seconds, build: clicks });
      sample();
    } finally {
      clearInterval(sampler);
    }
    const after = { web: treeRss(web.proc.pid!), worker: treeRss(worker.proc.pid!) };
    console.log(
      `  under load: web peak ${mib(peak.web.main)} (tree ${mib(peak.web.total)}), worker peak ${mib(peak.worker.main)} (tree ${mib(peak.worker.total)})`,
    );
    console.log(`  after load: web ${mib(after.web.main)}, worker ${mib(after.worker.main)}`);
    console.log(`  the load on npm run web: ${load.ok}/${load.sent} acked, p50 ${ms(load.p50)}, p99 ${ms(load.p99)}, max ${ms(load.max)}`);
    await Promise.all([web.stop(), worker.stop()]);
    console.log(`  goal: figures for the README's sizing (no fixed limit in issue 7)${quick ? ' (quick run: indicative only)' : ''}`);

    const MB = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
    console.log(
      JSON.stringify({
        bench: 'footprint',
        quick,
        ...opts,
        startMs: {
          webOnly: Math.round(median(webOnlyStarts)),
          web: Math.round(median(webStarts)),
          console: Math.round(median(consoleStarts)),
          webOnlyRuns: webOnlyStarts.map(Math.round),
          webRuns: webStarts.map(Math.round),
          consoleRuns: consoleStarts.map(Math.round),
        },
        rssMiB: {
          idle: { web: MB(idle.web.main), worker: MB(idle.worker.main), webTree: MB(idle.web.total), workerTree: MB(idle.worker.total) },
          loadPeak: {
            web: MB(peak.web.main),
            worker: MB(peak.worker.main),
            webTree: MB(peak.web.total),
            workerTree: MB(peak.worker.total),
          },
          afterLoad: { web: MB(after.web.main), worker: MB(after.worker.main) },
        },
        load: { sent: load.sent, ok: load.ok, p50: load.p50, p99: load.p99, max: load.max },
      }),
    );
  } finally {
    await stopAll();
    await fake.stop();
    await redis.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`footprint failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
