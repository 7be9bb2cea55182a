/**
 * Verifies an audit export (`export audit json`): `npm run verify-audit -- <file> [--head <hash>]`.
 * Prints "OK: N events, chain intact" and exits 0, or names the first problem and exits 1 (2 on usage errors).
 * With `--head`, the anchor filed with a decision (or the head an earlier export carries) must be one of the
 * trail's events, so a trail cut off after it fails although its own digest was recomputed.
 */
import { readFileSync } from 'node:fs';
import { isHeadHash, verifyAnchor, verifyAuditFile, type AuditFile } from '../src/infra/audit/audit-file.js';

const USAGE = 'usage: npm run verify-audit -- <audit export .json> [--head <64 hex digits: the audit trail anchor>]\n';
const args = process.argv.slice(2);
const at = args.indexOf('--head');
const head = at >= 0 ? args[at + 1] : undefined;
const rest = at >= 0 ? args.filter((_, i) => i !== at && i !== at + 1) : args;
const file = rest[0];
if (!file || rest.length > 1 || (at >= 0 && (head === undefined || !isHeadHash(head)))) {
  process.stderr.write(USAGE);
  process.exit(2);
}
let bytes: Buffer;
try {
  bytes = readFileSync(file);
} catch (e) {
  process.stderr.write(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
}
const verdict = verifyAuditFile(bytes);
if (!verdict.ok) {
  process.stdout.write(`BROKEN: ${verdict.error}\n`);
  process.exit(1);
}
const intact = `${verdict.count} events, chain intact (project ${verdict.project}, head ${verdict.head})`;
if (head === undefined) {
  process.stdout.write(`OK: ${intact}\n`);
  process.exit(0);
}
const anchored = verifyAnchor(JSON.parse(bytes.toString('utf8')) as AuditFile, head);
if (!anchored.ok) {
  process.stdout.write(`BROKEN: ${anchored.error}\n`);
  process.exit(1);
}
const where = anchored.last
  ? `the anchor is the last event, ${anchored.event}: nothing was cut off`
  : `the anchor is event ${anchored.event} of ${anchored.count}: nothing up to it was removed, and ${anchored.count - anchored.event} events were recorded after it`;
process.stdout.write(`OK: ${intact}; ${where}\n`);
process.exit(0);
