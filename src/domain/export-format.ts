/** Pure renderer for exported tables as Markdown (CSV is written by csv-stringify in the use-case). No I/O. */

/** One table of an export: a heading, column labels and rows of plain text cells. */
export interface ExportTable {
  heading: string;
  columns: string[];
  rows: string[][];
}

/** One Markdown table cell: pipes escaped, line breaks kept as <br>, never empty-looking. */
export function mdCell(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n|\r/g, '<br>')
    .trim();
}

/** A Markdown document: a title, optional lines of context, then each table under its heading. */
export function toMarkdown(title: string, intro: readonly string[], tables: readonly ExportTable[], empty: string): string {
  const out: string[] = [`# ${mdCell(title)}`, ''];
  for (const line of intro) out.push(`${mdCell(line)}  `);
  if (intro.length > 0) out.push('');
  for (const t of tables) {
    out.push(`## ${mdCell(t.heading)}`, '');
    if (t.rows.length === 0) {
      out.push(mdCell(empty), '');
      continue;
    }
    out.push(`| ${t.columns.map(mdCell).join(' | ')} |`, `|${t.columns.map(() => ' --- |').join('')}`);
    for (const r of t.rows) out.push(`| ${t.columns.map((_, i) => mdCell(r[i] ?? '')).join(' | ')} |`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
