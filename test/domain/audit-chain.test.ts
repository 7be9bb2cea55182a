import { describe, expect, it } from 'vitest';
import { chainHash, GENESIS, verifyChain } from '../../src/domain/audit-chain.js';

/** A chain of n events of one project, linked as the store links them. */
function chain(n: number, project = 'p1'): Array<{ body: string; hash: string }> {
  const out: Array<{ body: string; hash: string }> = [];
  let prev = GENESIS;
  for (let i = 0; i < n; i++) {
    const body = JSON.stringify({ id: `e${i}`, project, action: 'note', prev });
    prev = chainHash(body);
    out.push({ body, hash: prev });
  }
  return out;
}

describe('the audit chain rule', () => {
  it('accepts an intact chain and names its head; an empty chain is its start', () => {
    const events = chain(3);
    expect(verifyChain(events, 'p1')).toEqual({ ok: true, head: events[2]!.hash });
    expect(verifyChain([], 'p1')).toEqual({ ok: true, head: GENESIS });
  });

  it('names the first broken event: an altered body, a removed or reordered event, another project, extra fields', () => {
    const altered = chain(3);
    altered[1] = { ...altered[1]!, body: altered[1]!.body.replace('note', 'done') };
    expect(verifyChain(altered, 'p1')).toMatchObject({
      ok: false,
      event: 2,
      error: expect.stringContaining('hash does not match its body'),
    });
    const removed = chain(3).filter((_, i) => i !== 1);
    expect(verifyChain(removed, 'p1')).toMatchObject({
      ok: false,
      event: 2,
      error: expect.stringContaining('prev does not match the hash of event 1'),
    });
    const [a, b] = chain(2);
    expect(verifyChain([b, a], 'p1')).toMatchObject({ ok: false, event: 1, error: expect.stringContaining('the chain start') });
    expect(verifyChain(chain(2, 'p2'), 'p1')).toMatchObject({ ok: false, event: 1, error: 'event 1: belongs to another project' });
    expect(verifyChain([{ ...a!, at: 'x' }], 'p1')).toMatchObject({
      ok: false,
      event: 1,
      error: 'event 1: has fields other than body and hash',
    });
  });
});
