import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OutboundMessage } from '../../src/ports/jobs.js';
import { createQueues } from '../../jobs/job-queues.js';
import { JobKeys } from '../../jobs/job-keys.js';
import { freshRedis } from '../support/redis.js';
import { deliveryEngine } from './support/jobs-harness.js';
import { RecordingChatPort } from './support/recording-chat.js';
import { waitFor, waitForQuietQueues } from './support/wait.js';

/** An announcement batch (`ann|<project>|<occasion>`) of n messages to n Slack channels of tenant `tenant`. */
function announcement(tenant: string, n: number): OutboundMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `ann|${tenant}|${i}`,
    target: { tenant, platform: 'slack' as const, conversation: `C${tenant}${String(i).padStart(3, '0')}` },
    card: { blocks: [{ type: 'text' as const, text: `message ${i}` }] },
    lang: 'en' as const,
  }));
}

describe('the announcement report check after each delivery', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('reads the whole ledger only once the count of entries not yet ended says none, not after every message (which made a broadcast quadratic)', async () => {
    const chat = new RecordingChatPort('slack');
    const { workers: w, queues: q } = await deliveryEngine(chat, cleanups);
    const reads = vi.spyOn(w.queues.ledgerStore, 'entries');
    const n = 60;
    const batches = ['T1', 'T2'].map((tenant) => ({ tenant, batch: `ann|p0${tenant.toLowerCase()}|d1` }));
    // Two workspaces' announcements at once, through one worker.
    await Promise.all(batches.map((b) => q.send(b.tenant, b.batch, announcement(b.tenant, n))));
    for (const b of batches) {
      await waitFor(`${n} sent in ${b.tenant}`, async () => {
        const l = await q.ledger(b.tenant, b.batch);
        return l.length === n && l.every((e) => e.state === 'sent');
      });
    }
    await waitForQuietQueues(q);
    expect(chat.posts).toHaveLength(2 * n);
    // The worker reads each ledger when its last messages end (a few completions may see "none left" at once), not 60 times.
    const byBatch = (batch: string) => reads.mock.calls.filter((c) => c[1] === batch).length;
    for (const b of batches) {
      expect(byBatch(b.batch)).toBeGreaterThanOrEqual(1);
      expect(byBatch(b.batch)).toBeLessThanOrEqual(10);
    }
    // The count itself: none open once all are sent.
    for (const b of batches) expect(await w.queues.ledgerStore.open(b.tenant, b.batch)).toBe(0);
  });

  it('keeps the count of entries not yet ended through failure, retry and repeated registration, and a ledger without it is read as before', async () => {
    const f = freshRedis();
    cleanups.push(() => f.cleanup());
    const q = createQueues({ redis: f.redis, prefix: f.prefix });
    cleanups.push(() => q.close());
    const ledger = q.ledgerStore;
    const messages = announcement('T1', 3).map((m) => ({ key: m.key, target: m.target }));
    await ledger.register('T1', 'b', messages);
    await ledger.register('T1', 'b', messages); // registering again adds nothing
    expect(await ledger.open('T1', 'b')).toBe(3);
    await ledger.begin('T1', 'b', messages[0]!.key, messages[0]!.target);
    expect(await ledger.open('T1', 'b')).toBe(3); // sending is still on its way
    await ledger.sent('T1', 'b', messages[0]!.key, 'm1');
    await ledger.sent('T1', 'b', messages[0]!.key, 'm1'); // sent is final: no second decrement
    await ledger.failed('T1', 'b', messages[1]!.key, 'channel_not_found');
    expect(await ledger.open('T1', 'b')).toBe(1);
    await ledger.pending('T1', 'b', messages[1]!.key, 'retry requested'); // a retry opens it again
    expect(await ledger.open('T1', 'b')).toBe(2);
    // A ledger written before the count existed has none: the caller reads the entries.
    const keys = new JobKeys(f.prefix);
    await f.redis.hset(keys.ledger('T1', 'old'), 'k', JSON.stringify({ state: 'pending', attempts: 0 }));
    expect(await ledger.open('T1', 'old')).toBeUndefined();
  });
});
