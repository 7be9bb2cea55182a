/**
 * The parts of benchmark 2 (bench/broadcast.ts): projects whose communications groups cover many
 * conversations, "go" decisions recorded through the bot (several at the same moment when a part has several
 * announcements, such as two workspaces broadcasting at once), and the figures of each announcement from the
 * decision to the gate's last admitted post, with the none-lost / none-twice checks.
 */
import { WorkingDayCalendar } from '../../src/domain/calendar.js';
import { announcementBatch } from '../../src/domain/comms.js';
import { newProject } from '../../src/domain/project.js';
import { grant } from '../../src/domain/roles.js';
import type { Lang, Platform, Project } from '../../src/domain/types.js';
import type { Composed } from '../../app/compose.js';
import type { PlatformStats } from './broadcast-platforms.js';

/** Each announcement must end within this many times its minimum. */
export const GOAL_RATIO = 1.1;

/** One announcement of a part: where it goes and what the limits allow. */
export interface Announcement {
  /** How the figures name it: `slack`, `teams`, or a workspace's team id. */
  label: string;
  platform: Platform;
  tenant: string;
  ids: readonly string[];
  /** The gate's figures for this announcement's workspace or app (fetched from the fakes' process). */
  stats: () => Promise<PlatformStats>;
  minimumS: number;
  /** When the last post could reach the platform at the earliest, bursting to the limit at once (sliding windows). */
  earliestLastPostS: number;
}

/** The figures of one announcement. */
export interface PartResult {
  label: string;
  platform: Platform;
  tenant: string;
  conversations: number;
  messages: number;
  minimumS: number;
  earliestLastPostS: number;
  queuedS: number;
  firstPostS: number;
  completionS: number;
  ledgerS: number;
  ratio: number;
  /** CPU the bot's process used from the decisions to the last ledger entry settled, per message of the part (all its announcements). */
  cpuMsPerMessage: number;
  limited429: { perConversation: number; global: number };
  peakPerSecond: number;
  lost: number;
  twice: number;
  failed: number;
  goalMet: boolean;
}

/** The bot the announcements go through: one worker process's composition. */
export type BenchBot = Pick<Composed, 'store' | 'bot' | 'queues'>;

const calendar = new WorkingDayCalendar();
const DECIDER = 'decider-1';
const round = (n: number): number => Math.round(n * 1000) / 1000;

/** A project whose communications groups (100 channels each) cover `ids` on one platform, in `langs` languages. */
function projectWith(a: Announcement, langs: Lang[], goLive: string): Project {
  const p = newProject(
    `bench-${a.label.toLowerCase()}`,
    { tenant: a.tenant, userId: DECIDER, name: 'Decider', platform: a.platform },
    { platform: a.platform, id: `${a.platform}-home` },
    `Broadcast bench ${a.label}`,
    new Date().toISOString(),
  );
  p.people = grant(p.people, DECIDER, 'decider', 'Decider');
  p.goLive = goLive;
  p.comms = [];
  for (let g = 0; g * 100 < a.ids.length; g++) {
    p.comms.push({
      id: `group${g + 1}`,
      name: `Group ${g + 1}`,
      channels: a.ids.slice(g * 100, g * 100 + 100).map((c) => ({ platform: a.platform, id: c })),
      languages: langs,
      texts: {},
    });
  }
  return p;
}

/**
 * Polls until `check` holds. Every 200 ms: the check reads the whole ledger in the bot's own process, and
 * at 20 ms that reading took a seventh of the process's CPU away from the workers being measured. The
 * completion figure is the gate's own time of the last post, so the interval only coarsens `ledgerS`.
 */
async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Records a go decision for each announcement at the same moment (one alone for a one-workspace part), and
 * measures each from its own decision to its last post through the one bot's delivery engine.
 */
export async function runPart(bot: BenchBot, langs: Lang[], announcements: readonly Announcement[]): Promise<PartResult[]> {
  const goLive = calendar.addDays(calendar.today(new Date()), 60);
  const projects = announcements.map((a) => projectWith(a, langs, goLive));
  for (const [i, p] of projects.entries()) {
    await bot.store.create(p, { at: p.createdAt, actor: DECIDER, platform: announcements[i]!.platform, action: 'project.create' });
  }
  const cpu = process.cpuUsage();
  const decided = await Promise.all(
    announcements.map(async (a, i) => {
      const project = projects[i]!;
      const start = Date.now();
      const reply = await bot.bot.handle({
        actor: { tenant: a.tenant, userId: DECIDER, name: 'Decider', platform: a.platform },
        channel: project.channel,
        input: { kind: 'text', text: `decide go ${goLive} override benchmark` },
      });
      const queuedMs = Date.now() - start;
      if (reply.visibility !== 'channel') throw new Error(`the decision was not recorded: ${JSON.stringify(reply).slice(0, 400)}`);
      const decision = (await bot.store.load(a.tenant, project.id))?.project.decisions.at(-1);
      if (!decision) throw new Error('no decision recorded');
      return { start, queuedMs, batch: announcementBatch(project.id, decision.id) };
    }),
  );
  const ledgerMs = await Promise.all(
    announcements.map(async (a, i) => {
      const { start, batch } = decided[i]!;
      const messages = a.ids.length * langs.length;
      await waitUntil(
        `${messages} ${a.label} messages to settle`,
        async () => {
          // The count of entries not yet ended first: the whole ledger is read only once it says none.
          if (((await bot.queues.ledgerStore.open(a.tenant, batch)) ?? 0) > 0) return false;
          const l = await bot.queues.ledger(a.tenant, batch);
          return l.length === messages && l.every((e) => e.state === 'sent' || e.state === 'failed');
        },
        Math.max(60_000, a.minimumS * 5_000 * announcements.length),
      );
      return Date.now() - start;
    }),
  );
  const used = process.cpuUsage(cpu);
  const cpuMsPerMessage = round((used.user + used.system) / 1000 / announcements.reduce((n, a) => n + a.ids.length * langs.length, 0));
  const results: PartResult[] = [];
  for (const [i, a] of announcements.entries()) {
    const { start, queuedMs, batch } = decided[i]!;
    const t = { start, queuedMs, ledgerMs: ledgerMs[i]!, cpuMsPerMessage };
    results.push(figures(a, langs.length, await bot.queues.ledger(a.tenant, batch), await a.stats(), t));
  }
  return results;
}

/** One announcement's figures from its ledger and its gate's stats. */
function figures(
  a: Announcement,
  langs: number,
  ledger: Array<{ state: string; messageId?: string }>,
  stats: PlatformStats,
  t: { start: number; queuedMs: number; ledgerMs: number; cpuMsPerMessage: number },
): PartResult {
  const last = Math.max(...stats.acceptedAt);
  const first = Math.min(...stats.acceptedAt);
  const completionS = (last - t.start) / 1000;
  // None lost, none twice: per conversation, the gate's and the fake's counts of accepted posts, and the ledger.
  let lost = 0;
  let twice = 0;
  for (const id of a.ids) {
    for (const n of [stats.accepted[id] ?? 0, stats.posted[id] ?? 0]) {
      if (n < langs) lost = Math.max(lost, langs - n);
      if (n > langs) twice = Math.max(twice, n - langs);
    }
  }
  const failed = ledger.filter((e) => e.state !== 'sent').length;
  if (new Set(ledger.map((e) => e.messageId)).size !== ledger.length) twice = Math.max(twice, 1);
  const ratio = completionS / a.minimumS;
  return {
    label: a.label,
    platform: a.platform,
    tenant: a.tenant,
    conversations: a.ids.length,
    messages: a.ids.length * langs,
    minimumS: a.minimumS,
    earliestLastPostS: a.earliestLastPostS,
    queuedS: round(t.queuedMs / 1000),
    firstPostS: round((first - t.start) / 1000),
    completionS: round(completionS),
    ledgerS: round(t.ledgerMs / 1000),
    ratio: round(ratio),
    cpuMsPerMessage: t.cpuMsPerMessage,
    limited429: { perConversation: stats.limitedPerKey, global: stats.limitedGlobal },
    peakPerSecond: stats.peakPerSecond,
    lost,
    twice,
    failed,
    goalMet: ratio <= GOAL_RATIO && lost === 0 && twice === 0 && failed === 0,
  };
}

/** Prints one announcement's figures under a heading naming its limits. */
export function printResult(r: PartResult, limits: string): void {
  console.log(`\n${r.label}: ${r.messages} messages to ${r.conversations} conversations (${limits})`);
  console.log(
    `  minimum the limits allow   ${r.minimumS.toFixed(2)} s   (messages ÷ rate; a sender bursting to the limit at once could land the last post at ${r.earliestLastPostS.toFixed(2)} s)`,
  );
  console.log(`  decision → batch queued    ${r.queuedS.toFixed(2)} s   (the bot's answer to "decide go")`);
  console.log(`  decision → first post      ${r.firstPostS.toFixed(2)} s`);
  console.log(`  decision → last post       ${r.completionS.toFixed(2)} s   (${r.ratio.toFixed(3)}× the minimum; goal ≤ ${GOAL_RATIO}×)`);
  console.log(`  decision → ledger all sent ${r.ledgerS.toFixed(2)} s`);
  console.log(`  429s answered              ${r.limited429.perConversation} per conversation, ${r.limited429.global} workspace/app`);
  console.log(`  most posts in any second   ${r.peakPerSecond}`);
  console.log(`  bot process CPU            ${r.cpuMsPerMessage.toFixed(2)} ms a message`);
  console.log(`  lost ${r.lost}, twice ${r.twice}, failed ${r.failed}   → goal ${r.goalMet ? 'MET' : 'MISSED'}`);
}

/** One line per announcement of a part with several: the table the issue's goal reads. */
export function printTable(results: readonly PartResult[]): void {
  console.log(`\n  bot process CPU ${results[0]?.cpuMsPerMessage.toFixed(2)} ms a message`);
  console.log('  workspace  messages  minimum  first post  last post  ratio   429s  lost/twice/failed  goal');
  for (const r of results) {
    console.log(
      `  ${r.label.padEnd(9)}  ${String(r.messages).padStart(8)}  ${r.minimumS.toFixed(2).padStart(5)} s  ${r.firstPostS.toFixed(2).padStart(8)} s  ${r.completionS.toFixed(2).padStart(7)} s  ${r.ratio.toFixed(3)}×  ${String(r.limited429.perConversation + r.limited429.global).padStart(4)}  ${`${r.lost}/${r.twice}/${r.failed}`.padStart(17)}  ${r.goalMet ? 'MET' : 'MISSED'}`,
    );
  }
}
