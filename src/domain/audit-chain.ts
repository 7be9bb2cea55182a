import { createHash } from 'node:crypto';

/** The hash an audit chain starts from: the first event's `prev`, so a chain can be checked from its start. */
export const GENESIS = '0'.repeat(64);

/** Hash of one audit event's body (sha256, hex): the body includes `prev`, so altering any event breaks every later link. */
export function chainHash(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** What walking a chain found: intact up to its head, or the first broken event (numbered from 1) and why. */
export type ChainVerdict = { ok: true; head: string } | { ok: false; event: number; error: string };

const HEX64 = /^[0-9a-f]{64}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The chain rule, for any reader of a trail: each event is `{ body, hash }` and nothing else, its hash is
 * chainHash(body), its body is a JSON object of `project` whose `prev` is the hash of the event before it
 * (the first one's is GENESIS). Events are numbered from 1 in the messages.
 */
export function verifyChain(events: readonly unknown[], project: string): ChainVerdict {
  let prev = GENESIS;
  for (const [i, e] of events.entries()) {
    const n = i + 1;
    const fail = (why: string): ChainVerdict => ({ ok: false, event: n, error: `event ${n}: ${why}` });
    if (!isObject(e) || typeof e.body !== 'string' || typeof e.hash !== 'string') return fail('has no body and hash');
    if (Object.keys(e).length !== 2) return fail('has fields other than body and hash');
    if (!HEX64.test(e.hash)) return fail('hash is not 64 hex digits');
    if (chainHash(e.body) !== e.hash) return fail('hash does not match its body (the body or the hash was altered)');
    let body: unknown;
    try {
      body = JSON.parse(e.body);
    } catch {
      return fail('body is not JSON');
    }
    if (!isObject(body)) return fail('body is not a JSON object');
    if (body.prev !== prev)
      return fail(
        `prev does not match the hash of ${n === 1 ? 'the chain start' : `event ${n - 1}`} (an event was removed, added or reordered)`,
      );
    if (body.project !== project) return fail('belongs to another project');
    prev = e.hash;
  }
  return { ok: true, head: prev };
}

/** Where a trail stood: the hash of its last event and how many events lead to it (a head a decision record or an export carries). */
export interface AuditAnchor {
  head: string;
  count: number;
}

/**
 * The anchor of a trail, read from its events' hashes in order, as of `head` (the head the project's record names,
 * read with it): the events up to that head, so a record and its anchor agree although the trail grew meanwhile.
 */
export function anchorOf(hashes: readonly string[], head?: string): AuditAnchor {
  const i = head === undefined ? -1 : hashes.indexOf(head);
  if (i >= 0) return { head: hashes[i]!, count: i + 1 };
  return { head: hashes.at(-1) ?? GENESIS, count: hashes.length };
}
