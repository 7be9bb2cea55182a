import type { DocumentRenderer, PrintDocument, PrintLine } from '../../ports/documents.js';

const MARGIN = 56; // about 2 cm
const FOOTER_SIZE = 7.5;

/**
 * What the PDF standard fonts can show: they are WinAnsi-encoded, which covers Latin-1 (Finnish and Swedish
 * ä ö å, é, ü …) and the typographic marks below; anything else would print as a wrong glyph, so it becomes '?'.
 */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const printable = (text: string): string =>
  [...text.normalize('NFC')]
    .map((c) => {
      const code = c.codePointAt(0)!;
      if (c === '\t') return ' ';
      return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(c) ? c : '?';
    })
    .join('');

/**
 * A4 PDFs by pdfkit (a maintained, dependency-light PDF writer for Node) with its built-in Helvetica and Courier:
 * no font file to ship, and they cover Finnish and Swedish. Every page's foot repeats the document's footer
 * (the audit anchor) with the page number.
 */
export class PdfkitRenderer implements DocumentRenderer {
  async pdf(doc: PrintDocument): Promise<Uint8Array> {
    // pdfkit (and fontkit under it) is loaded on the first export, not at start: a web process may never print.
    const { default: PDFDocument } = await import('pdfkit');
    return new Promise((resolve, reject) => {
      const pdf = new PDFDocument({
        size: 'A4',
        margin: MARGIN,
        bufferPages: true,
        lang: doc.lang,
        displayTitle: true,
        info: {
          Title: printable(doc.title),
          Subject: printable(doc.subject),
          Keywords: printable(doc.keywords.join(', ')),
          Creator: 'lv-bot',
        },
      });
      const chunks: Buffer[] = [];
      pdf.on('data', (c: Buffer) => chunks.push(c));
      pdf.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
      pdf.on('error', reject);
      try {
        layout(pdf, doc);
        pdf.end();
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }
}

function line(pdf: PDFKit.PDFDocument, l: PrintLine, size: number, indent = 0): void {
  pdf
    .font(l.mono ? 'Courier' : 'Helvetica')
    .fontSize(l.mono ? size - 0.5 : size)
    .text(printable(l.text), MARGIN + indent, undefined, { width: pdf.page.width - 2 * MARGIN - indent });
}

function layout(pdf: PDFKit.PDFDocument, doc: PrintDocument): void {
  pdf.font('Helvetica-Bold').fontSize(17).text(printable(doc.title));
  pdf.moveDown(0.6);
  for (const l of doc.intro) line(pdf, l, 10);
  for (const section of doc.sections) {
    pdf.moveDown(1);
    // A heading never ends a page alone.
    if (pdf.y > pdf.page.height - MARGIN - 80) pdf.addPage();
    pdf.font('Helvetica-Bold').fontSize(13).text(printable(section.heading), MARGIN);
    pdf.moveDown(0.3);
    if (section.entries.length === 0) pdf.font('Helvetica-Oblique').fontSize(10).text(printable(section.empty), MARGIN);
    for (const entry of section.entries) {
      if (pdf.y > pdf.page.height - MARGIN - 50) pdf.addPage();
      pdf.moveDown(0.35);
      pdf.font('Helvetica-Bold').fontSize(10).text(printable(entry.title), MARGIN);
      for (const l of entry.lines) line(pdf, l, 9.5, 12);
    }
  }
  const { start, count } = pdf.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    pdf.switchToPage(i);
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0; // writing in the margin must not start a new page
    const text = printable(`${doc.footer} · ${doc.page(i + 1, count)}`);
    pdf
      .font('Helvetica')
      .fontSize(FOOTER_SIZE)
      .fillColor('#555555')
      .text(text, MARGIN, pdf.page.height - MARGIN / 2 - FOOTER_SIZE, {
        width: pdf.page.width - 2 * MARGIN,
        align: 'center',
        lineBreak: false,
      });
    pdf.fillColor('black');
    pdf.page.margins.bottom = bottom;
  }
}
