import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleShell } from '../../adapters/console/console-shell.js';
import { buildAuditFile, serializeAuditFile, verifyAnchor, verifyAuditFile, type AuditFile } from '../../src/infra/audit/audit-file.js';
import { GENESIS } from '../../src/domain/audit-chain.js';
import { helsinkiIso } from '../../src/domain/calendar.js';
import type { Reply } from '../../messages/card.js';
import { botHarness, textOf, type BotHarness } from '../support/bot-harness.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);

/** A strict reader for the tests: RFC 4180 with `;` between fields (as Finnish and Swedish Excel read it) after a UTF-8 BOM. */
function parseCsv(content: string): string[][] {
  if (!content.startsWith('\uFEFF')) throw new Error('no byte order mark');
  const text = content.slice(1);
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quote');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += text[i];
        i += 1;
      }
    }
    const c = text[i];
    if (c === ';') {
      record.push(field);
      field = '';
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else if (c === undefined) {
      break;
    } else {
      if (c === '"' || c === '\n' || c === '\r') throw new Error(`bad character at ${i}`);
      field += c;
      i += 1;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('last record not ended by CRLF');
  return records;
}

const REASON = 'Login fails for Virtu users, error "E42"\nsee the log';

describe('exports on a real Redis', () => {
  let h: BotHarness;
  let pid: string;
  let dir: string;
  let decided: Reply;
  const exp = async (what: string, locale?: string): Promise<Reply & { attachment: NonNullable<Reply['attachment']> }> => {
    const reply = await h.say('coord', `export ${what}`, locale ? { locale } : {});
    expect(reply.attachment, textOf(reply)).toBeDefined();
    return reply as Reply & { attachment: NonNullable<Reply['attachment']> };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lv-export-'));
    h = await botHarness();
    const ok = async (user: string, text: string) => {
      const r = await h.say(user, text);
      expect(r.visibility, `${text}: ${textOf(r)}`).toBe('channel');
    };
    await ok('coord', 'project new Demo | City');
    pid = await h.projectId();
    await ok('coord', 'golive 2027-03-05');
    await ok('coord', 'assign process.review anna 2027-02-01 confirm');
    await ok('coord', 'note process.review Checked, with "quotes"');
    await ok('coord', 'role dave decider');
    await ok('coord', 'signoff functional anna');
    // The form keeps the text as typed (quotes, line break), which the typed command line would not.
    const rejected = await h.click('anna', 'signoff.reject', `${pid}|s1`, { fields: { reason: REASON } });
    expect(rejected.visibility, textOf(rejected)).toBe('channel');
    await ok('coord', 'signoff functional anna');
    await ok('anna', 'remarks functional Works; two cosmetic issues');
    await ok('coord', 'signoff acceptance anna');
    await ok('anna', 'acceptance fix Receipt PDF has wrong logo');
    await ok('anna', 'acceptance complete Applications, decisions');
    await ok('coord', 'risk add critical Login service down fallback Paper forms at the desk');
    await ok('coord', 'impact customers Customers apply online');
    const refused = await h.say('dave', 'decide go');
    expect(refused.visibility).toBe('private');
    decided = await h.say('dave', 'decide go override Pilot customers only, agreed with the board');
    expect(decided.visibility, textOf(decided)).toBe('channel');
  });
  afterAll(async () => {
    await h.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports the decision material as Markdown in English and Finnish', async () => {
    const en = await exp('decision md');
    expect(en.visibility).toBe('private');
    expect(en.attachment.mediaType).toBe('text/markdown; charset=utf-8');
    expect(en.attachment.filename).toMatch(new RegExp(`^${pid}-decision-\\d{8}T\\d{6}Z\\.md$`));
    expect(textOf(en)).toContain(`Export ready: ${en.attachment.filename}`);
    const md = en.attachment.content;
    expect(md).toContain('# Decision material: Demo \\| City');
    for (const h2 of ['Sign-offs and answers', 'Acceptance record', 'Risks and fallback plans', 'Impact', 'Decisions']) expect(md).toContain(`## ${h2}`);
    expect(md).toContain('Login fails for Virtu users, error "E42"<br>see the log');
    expect(md).toContain('| rejected |');
    expect(md).toContain('approved with remarks');
    expect(md).toContain('Receipt PDF has wrong logo');
    expect(md).toContain('fallback plan: Paper forms at the desk');
    expect(md).toContain('override: Pilot customers only, agreed with the board');
    expect(md).toMatch(/missing at the time: .*impact on the organisation/);
    // Every table row has as many cells as its header.
    for (const line of md.split('\n').filter((l) => l.startsWith('|'))) expect(line.split(/(?<!\\)\|/).length).toBe(9);

    const fi = (await exp('decision md', 'fi-FI')).attachment.content;
    expect(fi).toContain('# Päätösaineisto: Demo \\| City');
    expect(fi).toContain('## Hyväksynnät ja vastaukset');
    expect(fi).toContain('## Riskit ja varasuunnitelmat');
    expect(fi).toContain('varasuunnitelma: Paper forms at the desk');
    expect(fi).toContain('| hylätty |');
    expect(fi).toContain('perustelu: Pilot customers only');
  });

  it('exports the decision material as RFC 4180 CSV and as JSON', async () => {
    for (const [locale, section, header] of [[undefined, 'Sign-offs and answers', 'Section'], ['fi-FI', 'Hyväksynnät ja vastaukset', 'Osio']] as const) {
      const r = await exp('decision csv', locale);
      expect(r.attachment.mediaType).toBe('text/csv; charset=utf-8');
      const csv = r.attachment.content;
      expect(csv).toContain(`"${REASON.replace(/"/g, '""')}"`);
      const records = parseCsv(csv);
      expect(records[0]?.[0]).toBe(header);
      expect(new Set(records.map((x) => x.length))).toEqual(new Set([8]));
      expect(csv.split('\r\n')[0]).toBe(`\uFEFF${records[0]!.join(';')}`);
      expect(records.some((x) => x[0] === section && x.includes(REASON))).toBe(true);
    }
    for (const locale of [undefined, 'fi-FI']) {
      const r = await exp('decision json', locale);
      expect(r.attachment.mediaType).toBe('application/json');
      const doc = JSON.parse(r.attachment.content);
      expect(doc.lang).toBe(locale ? 'fi' : 'en');
      expect(doc.signoffs.map((s: { id: string; state: string; replacedBy: string | null }) => [s.id, s.state, s.replacedBy])).toEqual([
        ['s1', 'superseded', 's2'],
        ['s2', 'approved', null],
        ['s3', 'open', null],
      ]);
      expect(doc.signoffs[0].responses[0]).toMatchObject({ by: 'anna', kind: 'reject', text: REASON });
      expect(doc.signoffs[2].acceptance).toEqual({ complete: 'Applications, decisions', defects: ['Receipt PDF has wrong logo'], effect: null });
      expect(doc.risks).toEqual([expect.objectContaining({ critical: true, fallback: 'Paper forms at the desk' })]);
      expect(doc.impact).toEqual({ organisation: null, customers: 'Customers apply online' });
      expect(doc.decisions).toEqual([expect.objectContaining({ outcome: 'go', override: 'Pilot customers only, agreed with the board' })]);
      expect(doc.signoffs[0].kindLabel).toBe(locale ? 'toiminnallinen testaus (E2E)' : 'functional testing (E2E)');
    }
  });

  it('exports the task list in each format and language', async () => {
    const md = (await exp('tasks md')).attachment.content;
    expect(md).toMatch(/\| process\.review \| .+ \| to do \| anna \| 2027-02-01 \|/);
    const mdFi = (await exp('tasks md', 'fi-FI')).attachment.content;
    expect(mdFi).toMatch(/\| Tunnus \| Nimi \| Tila \| Vastuuhenkilö \|/);
    expect(mdFi).toMatch(/\| process\.review \| .+ \| tekemättä \| anna \| 2027-02-01 \|/);
    for (const locale of [undefined, 'fi-FI']) {
      const records = parseCsv((await exp('tasks csv', locale)).attachment.content);
      expect(records[0]).toEqual(locale ? ['Tunnus', 'Nimi', 'Tila', 'Vastuuhenkilö', 'Eräpäivä', 'Syy', 'Muistiinpanot'] : ['Id', 'Name', 'Status', 'Owner', 'Due', 'Reason', 'Notes']);
      const review = records.find((x) => x[0] === 'process.review');
      expect(review?.[3]).toBe('anna');
      expect(review?.[6]).toMatch(/^2026-11-23T12:00:00\+02:00 coord: Checked, with/);
      const doc = JSON.parse((await exp('tasks json', locale)).attachment.content);
      expect(doc.tasks.find((t: { id: string }) => t.id === 'testing.functional')).toMatchObject({ status: 'done' });
      expect(doc.lang).toBe(locale ? 'fi' : 'en');
    }
  });

  it('exports the audit trail as Markdown and CSV in English and Finnish', async () => {
    const trail = await h.store.auditTrail('T1', pid);
    const md = (await exp('audit md')).attachment.content;
    expect(md).toContain('| # | When | Actor | Platform | Action | Target | Details | Hash | Previous hash |');
    for (const e of trail) expect(md).toContain(e.hash);
    const fi = (await exp('audit md', 'fi-FI')).attachment.content;
    expect(fi).toContain('# Muutosloki: Demo \\| City');
    expect(fi).toContain('| Tekijä |');
    const records = parseCsv((await exp('audit csv', 'fi-FI')).attachment.content);
    expect(records).toHaveLength(trail.length + 2);
    expect(records[1]?.[4]).toBe('project.create');
    expect(records[1]?.[8]).toBe(GENESIS);
    expect(records.at(-2)?.[4]).toBe('decision.go');
    expect(records.at(-1)).toEqual(['Muutoslokin tarkistetiiviste', trail.at(-1)!.hash, `${trail.length} tapahtumaa`, '', '', '', '', '', '']);
    // Instants in Helsinki time with the offset (the harness's clock is 10:00 UTC in November: 12:00 in Helsinki).
    expect(records[1]?.[1]).toBe('2026-11-23T12:00:00+02:00');
  });

  it('exports a verifiable audit JSON, in order, bodies exactly as stored', async () => {
    const trail = await h.store.auditTrail('T1', pid);
    for (const locale of [undefined, 'fi-FI']) {
      const { content } = (await exp('audit json', locale)).attachment;
      const doc = JSON.parse(content);
      expect(doc.events).toHaveLength(trail.length);
      expect(doc.events.map((e: { hash: string }) => e.hash)).toEqual(trail.map((e) => e.hash));
      expect(doc.head).toBe((await h.store.load('T1', pid))?.head);
      expect(verifyAuditFile(content)).toEqual({ ok: true, count: trail.length, head: doc.head, project: pid });
      expect(verifyAuditFile(Buffer.from(content))).toMatchObject({ ok: true });
    }
  });

  it('fails verification when any single byte of the audit JSON changes', async () => {
    const content = Buffer.from((await exp('audit json')).attachment.content);
    const text = content.toString();
    const at = (needle: string, from = 0) => {
      const i = content.indexOf(needle, from);
      expect(i).toBeGreaterThanOrEqual(0);
      return i;
    };
    const named = {
      insideBody: at('signoff.reject') + 3,
      insideHash: at('"hash": "') + 20,
      insideHead: at('"head": "') + 12,
      insideDigest: at('"digest": "') + 15,
      exportedAt: at('"exportedAt": "') + 17,
      whitespace: at('\n  "project"') + 1,
      finalNewline: content.length - 1,
    };
    const change = (i: number) => {
      const copy = Buffer.from(content);
      copy[i] = copy[i] === 0x61 ? 0x62 : 0x61; // 'a' ↔ 'b', or anything → 'a'
      return copy;
    };
    for (const [where, i] of Object.entries(named)) expect(verifyAuditFile(change(i)), where).toMatchObject({ ok: false });
    // The body of the reject event is named as the first broken one.
    const rejectIndex = JSON.parse(text).events.findIndex((e: { body: string }) => e.body.includes('signoff.reject'));
    expect(verifyAuditFile(change(named.insideBody))).toMatchObject({ ok: false, event: rejectIndex + 1 });
    expect(verifyAuditFile(change(named.insideHash))).toMatchObject({ ok: false, event: 1 });
    // And every other byte position too.
    for (let i = 0; i < content.length; i += 1) {
      const verdict = verifyAuditFile(change(i));
      if (verdict.ok) throw new Error(`changing byte ${i} (${JSON.stringify(text.slice(Math.max(0, i - 10), i + 10))}) went unnoticed`);
    }
    // Removing an event breaks the chain at the one after it, even with consistent top-level fields.
    const doc = JSON.parse(text);
    doc.events.splice(2, 1);
    expect(verifyAuditFile(`${JSON.stringify(doc, null, 2)}\n`)).toMatchObject({ ok: false, event: 3 });
  });

  it('verifies with scripts/verify-audit.ts as a child process: exit 0 on an intact file, 1 on an altered one', async () => {
    const { content } = (await exp('audit json')).attachment;
    const good = join(dir, 'good.json');
    const bad = join(dir, 'bad.json');
    writeFileSync(good, content);
    writeFileSync(bad, content.replace('signoff.reject', 'signoff.rejecT'));
    const count = JSON.parse(content).count as number;
    const ok = await run(process.execPath, ['--import', 'tsx', 'scripts/verify-audit.ts', good], { cwd: ROOT });
    expect(ok.stdout).toContain(`OK: ${count} events, chain intact`);
    const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/verify-audit.ts', bad], { cwd: ROOT }).then(
      () => ({ code: 0, stdout: '' }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^BROKEN: event \d+: hash does not match its body/);
  }, 60_000);

  it('detects a cut-off trail with verify-audit --head: dropping the last events and recomputing the digest no longer verifies', async () => {
    const { content } = (await exp('audit json')).attachment;
    const full = JSON.parse(content) as AuditFile;
    const anchor = full.head;
    // Cut off the last two events and rebuild every field from what is left: the file alone still verifies.
    const cut = serializeAuditFile(buildAuditFile(full.project, full.events.slice(0, -2), full.exportedAt, full.exportedBy));
    expect(verifyAuditFile(cut)).toMatchObject({ ok: true, count: full.count - 2 });
    expect(verifyAnchor(JSON.parse(cut) as AuditFile, anchor)).toMatchObject({ ok: false });
    const files = { full: join(dir, 'full.json'), cut: join(dir, 'cut.json') };
    writeFileSync(files.full, content);
    writeFileSync(files.cut, cut);
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/verify-audit.ts', ...args], { cwd: ROOT }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    const cutOff = await cli(files.cut, '--head', anchor);
    expect(cutOff.code).toBe(1);
    expect(cutOff.stdout).toBe(
      `BROKEN: the anchor ${anchor} is not the hash of any of the ${full.count - 2} events: events were removed from the end of the trail (it was cut off), or the file is older than the anchor or of another project\n`,
    );
    const whole = await cli('--head', anchor.toUpperCase(), files.full);
    expect(whole.code).toBe(0);
    expect(whole.stdout).toContain(`; the anchor is the last event, ${full.count}: nothing was cut off`);
    // An anchor filed earlier (say, with the decision) still verifies a longer trail exported later.
    const earlier = full.events[full.count - 3]!.hash;
    const later = await cli(files.full, '--head', earlier);
    expect(later.code).toBe(0);
    expect(later.stdout).toContain(`the anchor is event ${full.count - 2} of ${full.count}: nothing up to it was removed, and 2 events were recorded after it`);
    for (const bad of [[files.full, '--head'], [files.full, '--head', 'abc123'], [files.full, files.cut]]) {
      const usage = await cli(...bad);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('--head <64 hex digits');
    }
  }, 60_000);

  it('writes the export to the console\'s export folder and prints the path', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (d: Buffer) => (out += d.toString()));
    const exportDir = join(dir, 'nested', 'exports');
    const shell = new ConsoleShell(h.bot, { tenant: 'T1', user: 'coord', input, output, interactive: false, exportDir });
    input.end('project new Console demo\nexport audit json\n');
    await shell.run();
    const path = /^(\/.*\.json)$/m.exec(out)?.[1];
    expect(path, out).toBeDefined();
    expect(path?.startsWith(exportDir)).toBe(true);
    expect(verifyAuditFile(readFileSync(path ?? ''))).toMatchObject({ ok: true, count: 1 });
  });

  it('refuses bad export arguments with usage', async () => {
    expect(textOf(await h.say('coord', 'export everything md'))).toContain('export decision|audit|tasks md|csv|json');
    expect(textOf(await h.say('coord', 'export audit pdf'))).toContain('export decision|audit|tasks md|csv|json');
  });

  it('keeps a typed formula as text in CSV, so a spreadsheet never runs it, and exactly as typed in JSON', async () => {
    const formula = '=HYPERLINK("http://evil.example","Click")';
    expect((await h.say('coord', `block golive-plan ${formula}`)).visibility).toBe('channel');
    const row = parseCsv((await exp('tasks csv')).attachment.content).find((x) => x[0] === 'golive-plan');
    expect(row?.[5]).toBe(`'${formula}`);
    const doc = JSON.parse((await exp('tasks json')).attachment.content);
    expect(doc.tasks.find((t: { id: string }) => t.id === 'golive-plan').reason).toBe(formula);
  });

  it('anchors every export to the audit trail: the head hash and event count, as of the record read', async () => {
    const loaded = await h.store.load('T1', pid);
    const trail = await h.store.auditTrail('T1', pid);
    const head = loaded!.head;
    const count = trail.findIndex((e) => e.hash === head) + 1;
    expect(count).toBe(trail.length);
    for (const kind of ['decision', 'tasks', 'audit']) {
      expect((await exp(`${kind} md`)).attachment.content).toContain(`Audit trail anchor: ${head} (${count} events)`);
      expect((await exp(`${kind} md`, 'sv-FI')).attachment.content).toContain(`Ändringsloggens kontrollsumma: ${head} (${count} händelser)`);
      expect(parseCsv((await exp(`${kind} csv`)).attachment.content).at(-1)?.slice(0, 3)).toEqual(['Audit trail anchor', head, `${count} events`]);
    }
    for (const kind of ['decision', 'tasks']) expect(JSON.parse((await exp(`${kind} json`)).attachment.content).anchor).toEqual({ head, count });
    const audit = JSON.parse((await exp('audit json')).attachment.content);
    expect([audit.head, audit.count]).toEqual([head, count]);

    // The decision record points at the event that recorded it, and the channel was told that event's hash.
    const event = trail.findIndex((e) => e.action === 'decision.go');
    const decision = JSON.parse((await exp('decision json')).attachment.content).decisions[0];
    expect(decision.auditEvent).toEqual({ seq: event + 1, hash: trail[event]!.hash });
    expect((await exp('decision md')).attachment.content).toContain(`audit event ${event + 1}: ${trail[event]!.hash}`);
    expect(decided.visibility).toBe('channel');
    expect(textOf(decided)).toContain(`Audit trail anchor, event ${event + 1}: \`${trail[event]!.hash}\``);
  });

  it('writes every instant in Helsinki time with its offset, in summer too', async () => {
    const md = (await exp('decision md')).attachment.content;
    expect(md).toContain('Exported 2026-11-23T12:00:00+02:00 by coord');
    expect(md).not.toMatch(/\d{2}:\d{2}:\d{2}(\.\d+)?Z/);
    const json = JSON.parse((await exp('decision json')).attachment.content);
    expect(json.exportedAt).toBe('2026-11-23T12:00:00+02:00');
    expect(json.signoffs[0].requestedAt).toBe('2026-11-23T12:00:00+02:00');
    expect(json.decisions[0].at).toBe('2026-11-23T12:00:00+02:00');
    expect(JSON.parse((await exp('tasks json')).attachment.content).tasks.find((t: { id: string }) => t.id === 'process.review').notes[0].at).toBe(
      '2026-11-23T12:00:00+02:00',
    );
    expect(helsinkiIso('2027-06-01T09:30:00.000Z')).toBe('2027-06-01T12:30:00+03:00');
    expect(helsinkiIso('2027-03-28T00:59:59Z')).toBe('2027-03-28T02:59:59+02:00');
    expect(helsinkiIso('2027-03-28T01:00:00Z')).toBe('2027-03-28T04:00:00+03:00');
  });

  it('shows a replaced sign-off request as replaced, and a group as done once all its tasks are', async () => {
    const md = (await exp('decision md')).attachment.content;
    expect(md).toMatch(/\| s1 \| functional testing \(E2E\) \| replaced by a newer request \| coord \| .* \| replaced by s2 \|/);
    // An open request issued again: the old one is no longer waiting for answers.
    expect((await h.say('coord', 'signoff acceptance anna')).visibility).toBe('channel');
    const again = JSON.parse((await exp('decision json')).attachment.content);
    const newest = again.signoffs.at(-1).id as string;
    expect(again.signoffs.slice(2).map((s: { id: string; state: string; replacedBy: string | null }) => [s.id, s.state, s.replacedBy])).toEqual([
      ['s3', 'superseded', newest],
      [newest, 'open', null],
    ]);
    const fi = (await exp('decision csv', 'fi-FI')).attachment.content;
    expect(parseCsv(fi).find((r) => r[1] === 's3' && r[7] !== '')).toEqual(expect.arrayContaining(['korvattu uudemmalla pyynnöllä', `korvattu pyynnöllä ${newest}`]));

    for (const id of ['process.review', 'process.instructions', 'process.system-changes', 'process.training-needs'])
      expect((await h.say('coord', `done ${id}`)).visibility).toBe('channel');
    const rows = parseCsv((await exp('tasks csv')).attachment.content);
    expect(rows.find((r) => r[0] === 'process')?.[2]).toBe('done');
    expect(rows.find((r) => r[0] === 'comms')?.[2]).toBe('to do');
    expect(JSON.parse((await exp('tasks json')).attachment.content).tasks.find((t: { id: string }) => t.id === 'process')).toMatchObject({
      status: 'done',
    });
    expect((await exp('tasks md', 'sv-FI')).attachment.content).toMatch(/\| process \| [^|]+ \| klar \|/);
  });
});
