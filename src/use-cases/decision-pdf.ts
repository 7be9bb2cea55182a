import { helsinkiIso } from '../domain/calendar.js';
import type { ExportTable } from '../domain/export-format.js';
import type { PrintDocument, PrintEntry, PrintLine } from '../ports/documents.js';
import { decisionTables, type ExportSource } from './export-tables.js';

/** A table row as a printed record: its id, item and state in bold, then each other filled cell under its label. */
function entry(columns: readonly string[], row: readonly string[]): PrintEntry {
  const title = row.slice(0, 3).filter(Boolean).join(' · ');
  const lines: PrintLine[] = [];
  row.forEach((cell, i) => {
    if (i < 3 || !cell) return;
    const [first = '', ...more] = cell.split(/\r?\n|\r/);
    lines.push({ text: `${columns[i]}: ${first}` }, ...more.map((text) => ({ text })));
  });
  return { title, lines };
}

/**
 * The decision record as a document to file: the decision in force (outcome, date, who, when) first, then the
 * decision material section by section, and the audit trail's anchor in the introduction and at every page's foot.
 */
export function decisionDocument(src: ExportSource): PrintDocument {
  const { ctx, project: p, anchor, at } = src;
  const { t } = ctx;
  const e = t.exportDoc;
  const d = p.decisions.at(-1);
  const inForce = d
    ? e.inForce({ outcome: t.outcome[d.outcome], date: d.date ?? d.nextReview ?? '', id: d.id, by: d.by, at: helsinkiIso(d.at) })
    : e.noDecision;
  const intro: PrintLine[] = [
    { text: e.project({ name: p.name, id: p.id }) },
    ...(p.authority ? [{ text: `${t.project.authority}: ${p.authority}` }] : []),
    ...(p.goLive ? [{ text: `${t.project.goLive}: ${p.goLive}` }] : []),
    { text: inForce },
    { text: e.exportedAt({ at: helsinkiIso(at), by: ctx.inbound.actor.userId }) },
    { text: `${e.anchorLabel} (${e.events({ count: String(anchor.count) })}):` },
    { text: anchor.head, mono: true },
  ];
  const tables: ExportTable[] = decisionTables(src);
  return {
    lang: ctx.lang,
    title: e.title.decision({ name: p.name }),
    subject: inForce,
    keywords: [p.id, anchor.head],
    intro,
    sections: tables.map((table) => ({ heading: table.heading, entries: table.rows.map((r) => entry(table.columns, r)), empty: e.empty })),
    footer: `${e.anchorLabel}: ${anchor.head}`,
    page: (page, pages) => t.common.page({ page: String(page), pages: String(pages) }),
  };
}
