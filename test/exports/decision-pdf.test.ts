import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleShell } from '../../adapters/console/console-shell.js';
import { attachmentBytes } from '../../src/ports/chat.js';
import type { Reply } from '../../messages/card.js';
import { botHarness, textOf, type BotHarness } from '../support/bot-harness.js';

const run = promisify(execFile);

/**
 * `export decision pdf`, read back as a person would: poppler's pdftotext for the words and pdftoppm for the
 * pages as PNG (Debian's poppler-utils, which .ci/run installs).
 */
describe('the decision record as a PDF', () => {
  let h: BotHarness;
  let pid: string;
  let dir: string;
  const pdfOf = async (locale?: string): Promise<{ reply: Reply; bytes: Buffer; file: string }> => {
    const reply = await h.say('coord', 'export decision pdf', locale ? { locale } : {});
    expect(reply.attachment, textOf(reply)).toBeDefined();
    const bytes = attachmentBytes(reply.attachment!);
    const file = join(dir, `${locale ?? 'en'}.pdf`);
    writeFileSync(file, bytes);
    return { reply, bytes, file };
  };
  const text = async (file: string) => (await run('pdftotext', ['-layout', file, '-'])).stdout;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lv-pdf-'));
    h = await botHarness();
    const ok = async (user: string, line: string) => expect((await h.say(user, line)).visibility, line).toBe('channel');
    await ok('coord', 'project new Åbo stad – Lupapalvelut');
    pid = await h.projectId();
    await ok('coord', 'project authority Åbo stad / Turun kaupunki');
    await ok('coord', 'golive 2027-03-05');
    await ok('coord', 'role dave decider');
    await ok('coord', 'signoff functional anna confirm');
    await ok('anna', 'remarks functional Kuittien ääkköset näkyvät väärin; två små fel');
    await ok('coord', 'risk add critical Suomi.fi-tunnistus ei toimi fallback Paperilomakkeet asiakaspalvelussa');
    await ok('coord', 'impact customers Asiakkaat hakevat luvat verkossa');
    await ok('dave', 'decide go 2027-03-05 override Pilottiasiakkaat ensin, hallitus hyväksyi 20.11.');
  });
  afterAll(async () => {
    await h.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is a PDF with the decision, its date, the decider and the audit head hash, in the reader’s language', async () => {
    const head = (await h.store.load('T1', pid))!.head;
    const en = await pdfOf();
    expect(en.reply.visibility).toBe('private');
    expect(en.reply.attachment).toMatchObject({ mediaType: 'application/pdf', encoding: 'base64' });
    expect(en.reply.attachment!.filename).toMatch(new RegExp(`^${pid}-decision-\\d{8}T\\d{6}Z\\.pdf$`));
    expect(textOf(en.reply)).toContain(`Export ready: ${en.reply.attachment!.filename}`);
    expect(en.bytes.subarray(0, 5).toString()).toBe('%PDF-');

    const words = await text(en.file);
    expect(words).toContain('Decision material: Åbo stad – Lupapalvelut');
    expect(words).toContain('Authority: Åbo stad / Turun kaupunki');
    expect(words).toMatch(/Decision in force: go, 2027-03-05 \(d\d+\), decided by dave on 2026-11-23T12:00:00\+02:00/);
    expect(words).toContain('override: Pilottiasiakkaat ensin, hallitus hyväksyi 20.11.');
    expect(words).toContain('Kuittien ääkköset näkyvät väärin; två små fel');
    expect(words).toContain('fallback plan: Paperilomakkeet asiakaspalvelussa');
    expect(words).toContain(head);
    expect(words).toMatch(/Audit trail anchor \(\d+ events\):/);
    expect(words).toMatch(/Page 1 of \d/);
    const info = (await run('pdfinfo', [en.file])).stdout;
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    expect(info).toContain(`Keywords:        ${pid}, ${head}`);

    const fi = await text((await pdfOf('fi-FI')).file);
    expect(fi).toContain('Päätösaineisto: Åbo stad – Lupapalvelut');
    expect(fi).toMatch(/Voimassa oleva päätös: myönteinen, 2027-03-05 \(d\d+\), päättäjä dave, kirjattu 2026-11-23T12:00:00\+02:00/);
    expect(fi).toContain('Muutoslokin tarkistetiiviste');
    expect(fi).toContain(head);
    const sv = await text((await pdfOf('sv-FI')).file);
    expect(sv).toContain('Beslutsunderlag: Åbo stad – Lupapalvelut');
    expect(sv).toMatch(/Gällande beslut: .*2027-03-05 \(d\d+\), fattat av dave/);
    expect(sv).toContain('Ändringsloggens kontrollsumma');
  });

  it('turns into PNG pages with ink where the title, the text and the anchor at the foot are', async () => {
    const { file } = await pdfOf('fi-FI');
    await run('pdftoppm', ['-png', '-r', '60', file, join(dir, 'page')]);
    const pages = readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png'));
    expect(pages.length).toBeGreaterThanOrEqual(1);
    for (const page of pages) {
      const png = readFileSync(join(dir, page));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      // IHDR: an A4 page at 60 dpi is 497 × 702 pixels.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([497, 702]);
    }
    // The same first page as plain grey levels (PGM), to see where the ink is.
    await run('pdftoppm', ['-gray', '-r', '100', '-f', '1', '-l', '1', '-singlefile', file, join(dir, 'grey')]);
    const pgm = readFileSync(join(dir, 'grey.pgm'));
    const [, w, hgt] = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 20).toString('latin1'))!.map(Number) as [number, number, number];
    const pixels = pgm.subarray(pgm.length - w * hgt);
    const ink = (top: number, bottom: number) => {
      let dark = 0;
      for (let y = Math.round(top * hgt); y < Math.round(bottom * hgt); y++) for (let x = 0; x < w; x++) if (pixels[y * w + x]! < 192) dark++;
      return dark;
    };
    expect(ink(0.05, 0.1), 'the title').toBeGreaterThan(200);
    expect(ink(0.1, 0.6), 'the record').toBeGreaterThan(2000);
    expect(ink(0.95, 0.99), 'the anchor at the foot').toBeGreaterThan(50);
    expect(ink(0, 0.04), 'the top margin').toBe(0);
  });

  it('is written byte for byte by the console, and only the decision has a PDF', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (d: Buffer) => (out += d.toString()));
    const exportDir = join(dir, 'exports');
    const shell = new ConsoleShell(h.bot, { tenant: 'T1', user: 'coord', input, output, interactive: false, exportDir });
    input.end('project new Console pdf\nexport decision pdf\n');
    await shell.run();
    const path = /^(\/.*\.pdf)$/m.exec(out)?.[1];
    expect(path, out).toBeDefined();
    expect(readFileSync(path!).subarray(0, 5).toString()).toBe('%PDF-');
    expect(await text(path!)).toContain('No decision has been recorded yet.');
    for (const line of ['export audit pdf', 'export tasks pdf'])
      expect(textOf(await h.say('coord', line))).toContain('export decision|audit|tasks md|csv|json, export decision pdf');
  });
});
