import { afterEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/ports/jobs.js';
import { PLATFORM_WIDE_LIMITS } from '../../jobs/conversation-limiter.js';
import { paceSpacingMs, spreadBatch } from '../../jobs/broadcast-spread.js';
import { deliveryEngine } from './support/jobs-harness.js';
import { RecordingChatPort } from './support/recording-chat.js';
import { waitFor } from './support/wait.js';

/** A workspace's announcement: one message per channel and language, keyed as announcements are. */
function announcement(tenant: string, channels: number, langs: ReadonlyArray<'fi' | 'sv' | 'en'> = ['fi']): OutboundMessage[] {
  return Array.from({ length: channels }, (_, c) =>
    langs.map((lang) => ({
      key: `announce|go|${tenant}|C${c}|${lang}`,
      target: { tenant, platform: 'slack' as const, conversation: `C${tenant}${c}` },
      card: { blocks: [{ type: 'text' as const, text: `${tenant} ${c} ${lang}` }] },
      lang,
    })),
  ).flat();
}

describe('two workspaces broadcasting at once', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("sends the second workspace's announcement beside the first's, not after it, each at its own workspace's pace", async () => {
    const slack = new RecordingChatPort('slack');
    const { queues: q } = await deliveryEngine(slack, cleanups);
    // Workspace A's announcement is queued whole before B's: one FIFO used to send all of A's first.
    await q.send('TA', 'go', announcement('TA', 120));
    await q.send('TB', 'go', announcement('TB', 120));
    await waitFor('240 sent', () => slack.posts.length >= 240 && slack.posts, 30_000, 50);
    const at = (tenant: string) => slack.posts.filter((p) => p.target.tenant === tenant).map((p) => p.at);
    const a = at('TA');
    const b = at('TB');
    expect(a).toHaveLength(120);
    expect(b).toHaveLength(120);
    // B starts while A is just beginning, and the two end together: each took about its own 120 at its pace.
    expect(b[0]! - a[0]!).toBeLessThan(500);
    const own = 119 * paceSpacingMs(PLATFORM_WIDE_LIMITS.slack);
    for (const times of [a, b]) {
      expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(own - 50);
      expect(times.at(-1)! - times[0]!).toBeLessThan(own * 1.5);
    }
    expect(slack.perKey().size).toBe(240);
  }, 40_000);

  it('queues the first message of every channel before any channel gets its second, keeping each channel’s own order', () => {
    const messages = announcement('TA', 3, ['fi', 'sv', 'en']);
    const due = spreadBatch(messages);
    expect(due.map((d) => d.message.key.split('|').slice(3).join(' '))).toEqual([
      'C0 fi',
      'C1 fi',
      'C2 fi',
      'C0 sv',
      'C1 sv',
      'C2 sv',
      'C0 en',
      'C1 en',
      'C2 en',
    ]);
    // Due in turn at the workspace's pace (95 a second on Slack), each platform counted on its own.
    const step = paceSpacingMs(PLATFORM_WIDE_LIMITS.slack);
    expect(step).toBeCloseTo(1000 / 95, 6);
    expect(due.map((d) => d.dueMs)).toEqual(due.map((_, i) => i * step));
    const mixed = spreadBatch([
      ...announcement('TA', 2),
      { ...messages[0]!, key: 'teams', target: { tenant: 'TA', platform: 'teams', conversation: '19:x' } },
    ]);
    expect(mixed.map((d) => d.dueMs)).toEqual([0, step, 0]);
    // The console has no pace: all due at once.
    expect(spreadBatch([{ ...messages[0]!, target: { tenant: 'TA', platform: 'console', conversation: 'c' } }])[0]!.dueMs).toBe(0);
  });
});
