/**
 * Benchmark 1 (issue 7): interaction latency. Signed Slack `block_actions` clicks on a real sign-off request's
 * approve button (each a distinct delivery: own user, trigger_id, action_ts) at a fixed rate, evenly spaced
 * (open model), against (a) a bare Bolt app that only acks and (b) the bot: the real Slack adapter over Bolt's
 * HTTP receiver with the real Bot on a private redis-server, its Web API calls going to the fake Slack API.
 * Both run in child processes (bench/support/latency-target.ts) so the load generator does not share their
 * event loop; latency is counted from when each click was due until its HTTP answer (the ack Slack waits for).
 * Goals: bot p99 ≤ 100 ms and bot p50 ≤ 1.5 × bare p50 (issue 7); bot CPU per click ≤ 1.5 × bare (issue 15).
 *
 *   npx tsx bench/interaction-latency.ts [--quick] [--rate 200] [--seconds 20] [--warmup 3] [--cpu-prof <dir>]
 *
 * `--cpu-prof <dir>` writes a V8 CPU profile of the bot process there (open it in Chrome DevTools).
 */
import { randomBytes } from 'node:crypto';
import { EmbeddedRedis } from '../src/infra/redis/embedded-redis.js';
import { ms, numberFlag, quick, root } from './support/args.js';
import { cpuMsOf, start, stopAll, type Child } from './support/children.js';
import type { TargetReady } from './support/latency-target.js';
import { pacedLoad, type LoadResult } from './support/paced-load.js';
import { BOT_TOKEN, clickBuilder } from './support/slack-clicks.js';

const GOAL_P99_MS = 100;
const GOAL_P50_RATIO = 1.5;
/** Issue 15: the CPU of a signed click at most 1.5 × the bare Bolt app's, in the same run. */
const GOAL_CPU_RATIO = 1.5;

const opts = {
  rate: numberFlag('rate', 200),
  seconds: numberFlag('seconds', quick ? 3 : 20),
  warmup: numberFlag('warmup', quick ? 1 : 3),
};

/** Starts a helper child (a latency target or the fake Slack API) and waits for its READY line. */
const profileAt = process.argv.indexOf('--cpu-prof');
const profileDir = profileAt >= 0 ? process.argv[profileAt + 1] : undefined;

async function target<T = TargetReady>(args: string[], profile = false): Promise<{ child: Child; ready: T }> {
  const child = start(
    process.execPath,
    [...(profile && profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), '--import', 'tsx', ...args],
    { cwd: root },
  );
  const out = await child.waitFor(/^READY .*$/m, 90_000);
  const line = /^READY (.*)$/m.exec(out)![1]!;
  return { child, ready: JSON.parse(line) as T };
}

/** Resolves once a process has stopped using CPU (the work after the acks is done), 30 s at most. */
async function settled(pid: number): Promise<void> {
  let last = cpuMsOf(pid);
  for (let i = 0; i < 120; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpuMsOf(pid);
    if (now - last <= 20) return;
    last = now;
  }
}

function line(name: string, r: LoadResult & { cpuMsPerClick: number }): string {
  return `  ${name.padEnd(5)} p50 ${ms(r.p50).padStart(9)}  p90 ${ms(r.p90).padStart(9)}  p99 ${ms(r.p99).padStart(9)}  max ${ms(r.max).padStart(9)}  (${r.ok} ok, ${r.non2xx} non-2xx, ${r.errors} errors; ${r.achievedRate}/s sent, generator lag ≤ ${ms(r.maxSendLagMs)}; ${r.cpuMsPerClick} ms CPU a click)`;
}

async function main(): Promise<void> {
  const secret = randomBytes(16).toString('hex');
  const redis = new EmbeddedRedis({ persistence: 'none' });
  try {
    const { url } = await redis.start();
    const fake = await target<{ apiUrl: string }>(['bench/support/fake-slack-process.ts', BOT_TOKEN]);
    const { apiUrl } = fake.ready;
    // The bot first: it makes the project and the sign-off request whose button both targets get clicked on.
    const bot = await target(['bench/support/latency-target.ts', 'bot', secret, url, apiUrl], true);
    const bare = await target(['bench/support/latency-target.ts', 'bare', secret]);
    const message = bot.ready.message!;
    let seq = 0;
    const responseUrl = () => `${apiUrl.replace(/\/api\/$/, '')}/commands/T111/${++seq}/hookbench${seq}`;
    const clicks = clickBuilder(message, secret, responseUrl);
    // The target's CPU time per click shows the cost of the work behind the ack even on a busy machine.
    const run = async (t: { child: Child; ready: TargetReady }, seconds: number) => {
      const cpu0 = cpuMsOf(t.child.proc.pid!);
      const r = await pacedLoad({ url: `http://127.0.0.1:${t.ready.port}/slack/events`, rate: opts.rate, seconds, build: clicks });
      await settled(t.child.proc.pid!);
      return { ...r, cpuMsPerClick: Math.round(((cpuMsOf(t.child.proc.pid!) - cpu0) / r.sent) * 100) / 100 };
    };

    console.log(
      `interaction latency: signed block_actions clicks at ${opts.rate}/s for ${opts.seconds} s (after ${opts.warmup} s warm-up each), latency from when each click was due to its ack`,
    );
    await run(bare, opts.warmup);
    await run(bot, opts.warmup);
    const bareResult = await run(bare, opts.seconds);
    const botResult = await run(bot, opts.seconds);
    console.log(line('bare', bareResult));
    console.log(line('bot', botResult));

    await bare.child.stop();
    await bot.child.stop();
    const botLog = /bot log: .*/.exec(bot.child.output())?.[0];
    if (botLog) console.log(`  ${botLog}`);
    // One event loop does the acks and the work behind them: past this rate a bot process queues clicks.
    const capacity = (r: { cpuMsPerClick: number }) => (r.cpuMsPerClick > 0 ? Math.round(1000 / r.cpuMsPerClick) : Infinity);
    console.log(
      `  one process at a full core: about ${capacity(botResult)} clicks/s for the bot with its work behind the ack, ${capacity(bareResult)}/s for the bare app`,
    );

    const ratio = bareResult.p50 > 0 ? botResult.p50 / bareResult.p50 : Infinity;
    const answeredAll = botResult.ok === botResult.sent && bareResult.ok === bareResult.sent;
    const cpuRatio = bareResult.cpuMsPerClick > 0 ? botResult.cpuMsPerClick / bareResult.cpuMsPerClick : Infinity;
    const met = botResult.p99 <= GOAL_P99_MS && ratio <= GOAL_P50_RATIO && answeredAll;
    const cpuMet = cpuRatio <= GOAL_CPU_RATIO;
    console.log(
      `  goal: bot p99 ≤ ${GOAL_P99_MS} ms (${ms(botResult.p99)}), bot p50 ≤ ${GOAL_P50_RATIO} × bare p50 (${ratio.toFixed(2)} ×), every click acked (${answeredAll ? 'yes' : 'no'}): ${met ? 'MET' : 'NOT MET'}${quick ? ' (quick run: indicative only)' : ''}`,
    );
    console.log(
      `  goal: bot CPU per click ≤ ${GOAL_CPU_RATIO} × bare (${botResult.cpuMsPerClick} ms vs ${bareResult.cpuMsPerClick} ms: ${cpuRatio.toFixed(2)} ×): ${cpuMet ? 'MET' : 'NOT MET'}${quick ? ' (quick run: indicative only)' : ''}`,
    );
    console.log(
      JSON.stringify({
        bench: 'interaction-latency',
        quick,
        ...opts,
        bare: bareResult,
        bot: botResult,
        p50Ratio: Math.round(ratio * 100) / 100,
        cpuRatio: Math.round(cpuRatio * 100) / 100,
        goal: { p99Ms: GOAL_P99_MS, p50Ratio: GOAL_P50_RATIO, cpuRatio: GOAL_CPU_RATIO, met: met && cpuMet },
      }),
    );
  } finally {
    await stopAll();
    await redis.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`interaction-latency failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
