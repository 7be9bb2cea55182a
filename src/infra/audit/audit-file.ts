import { chainHash, GENESIS, verifyChain } from '../../domain/audit-chain.js';

/** The format tag of a verifiable audit export. */
export const AUDIT_FORMAT = 'lv-bot.audit/1';

/** One exported event: its body exactly as stored, and the hash stored with it. */
export interface AuditFileEvent {
  body: string;
  hash: string;
}

/** A verifiable audit export. `digest` covers every other field, so the file's own fields cannot be changed either. */
export interface AuditFile {
  format: typeof AUDIT_FORMAT;
  project: string;
  exportedAt: string;
  exportedBy: string;
  genesis: string;
  count: number;
  head: string;
  events: AuditFileEvent[];
  digest: string;
}

/** sha256 (hex) of the canonical serialisation of the file without its digest. */
function digestOf(file: Omit<AuditFile, 'digest'>): string {
  return chainHash(JSON.stringify(file));
}

/** The file's exact text: two-space JSON and a final newline; verification insists on this form. */
export function serializeAuditFile(file: AuditFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Builds the export of one project's audit trail, events in stream order. */
export function buildAuditFile(project: string, events: readonly AuditFileEvent[], exportedAt: string, exportedBy: string): AuditFile {
  const rest: Omit<AuditFile, 'digest'> = {
    format: AUDIT_FORMAT,
    project,
    exportedAt,
    exportedBy,
    genesis: GENESIS,
    count: events.length,
    head: events.at(-1)?.hash ?? GENESIS,
    events: events.map((e) => ({ body: e.body, hash: e.hash })),
  };
  return { ...rest, digest: digestOf(rest) };
}

/** What verification found: intact with the event count and head, or the first problem. */
export type AuditVerdict = { ok: true; count: number; head: string; project: string } | { ok: false; error: string; event?: number };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks an audit export: its events follow the chain rule (verifyChain: every event's hash is sha256 of its
 * body, every body's `prev` the hash of the one before), the top-level fields agree with the events, the
 * digest covers them, and the text is exactly the canonical form (so no byte can change unnoticed).
 * Events are numbered from 1 in messages.
 */
export function verifyAuditFile(input: string | Uint8Array): AuditVerdict {
  let text: string;
  try {
    text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return { ok: false, error: 'the file is not valid UTF-8' };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, error: 'the file is not valid JSON' };
  }
  if (!isObject(doc)) return { ok: false, error: 'the file is not a JSON object' };
  if (doc.format !== AUDIT_FORMAT) return { ok: false, error: `format is not ${AUDIT_FORMAT}` };
  if (doc.genesis !== GENESIS) return { ok: false, error: 'genesis is not the chain start (64 zeros)' };
  if (typeof doc.project !== 'string' || doc.project === '') return { ok: false, error: 'project is missing' };
  if (!Array.isArray(doc.events)) return { ok: false, error: 'events is not a list' };
  const chain = verifyChain(doc.events as unknown[], doc.project);
  if (!chain.ok) return chain;
  const prev = chain.head;
  const count = doc.events.length;
  if (doc.count !== count) return { ok: false, error: `count says ${String(doc.count)} but the file has ${count} events` };
  if (doc.head !== prev) return { ok: false, error: 'head is not the hash of the last event' };
  if (typeof doc.exportedAt !== 'string' || typeof doc.exportedBy !== 'string')
    return { ok: false, error: 'exportedAt or exportedBy is missing' };
  const { digest, ...rest } = doc;
  const expectedKeys = ['format', 'project', 'exportedAt', 'exportedBy', 'genesis', 'count', 'head', 'events', 'digest'];
  if (Object.keys(doc).join() !== expectedKeys.join())
    return { ok: false, error: `the top-level fields are not exactly ${expectedKeys.join(', ')}` };
  if (digest !== chainHash(JSON.stringify(rest)))
    return { ok: false, error: 'digest does not match the file (a top-level field was altered)' };
  if (text !== `${JSON.stringify(doc, null, 2)}\n`)
    return { ok: false, error: 'the file is not in its exported form (its layout was altered)' };
  return { ok: true, count, head: prev, project: doc.project };
}

/** What checking a verified trail against a filed anchor found: the anchor's event, or why the trail does not hold it. */
export type AnchorVerdict = { ok: true; event: number; count: number; last: boolean } | { ok: false; error: string };

/** A head hash as filed: 64 hex digits (any case). */
export const isHeadHash = (s: string): boolean => /^[0-9a-fA-F]{64}$/.test(s);

/**
 * Checks an audit export (already verified by verifyAuditFile) against an anchor kept apart from it: the head hash
 * the bot posted when a decision was recorded, or that an earlier export or decision record carries. The digest
 * alone cannot show a cut-off trail (drop the last events and recompute it, and the file verifies); the anchor
 * can: it must be the hash of one of the file's events. If it is the last one the file ends exactly there;
 * if it is earlier, nothing up to it was removed and the file holds the events recorded after it.
 */
export function verifyAnchor(file: AuditFile, head: string): AnchorVerdict {
  const anchor = head.toLowerCase();
  const i = file.events.findIndex((e) => e.hash === anchor);
  if (i < 0)
    return {
      ok: false,
      error:
        `the anchor ${anchor} is not the hash of any of the ${file.count} events: events were removed from the end of the trail ` +
        `(it was cut off), or the file is older than the anchor or of another project`,
    };
  return { ok: true, event: i + 1, count: file.count, last: i + 1 === file.count };
}
