/**
 * Verifies an audit export (`export audit json`): `npm run verify-audit -- <file>`.
 * Prints "OK: N events, chain intact" and exits 0, or names the first problem and exits 1 (2 on usage errors).
 */
import { readFileSync } from 'node:fs';
import { verifyAuditFile } from '../src/infra/audit/audit-file.js';

const file = process.argv[2];
if (!file || process.argv.length > 3) {
  process.stderr.write('usage: npm run verify-audit -- <audit export .json>\n');
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
if (verdict.ok) {
  process.stdout.write(`OK: ${verdict.count} events, chain intact (project ${verdict.project}, head ${verdict.head})\n`);
  process.exit(0);
}
process.stdout.write(`BROKEN: ${verdict.error}\n`);
process.exit(1);
