import type { Command } from '../commands/command-types.js';
import { stringify } from 'csv-stringify/sync';
import { anchorOf } from '../domain/audit-chain.js';
import { helsinkiIso } from '../domain/calendar.js';
import { refuse } from '../domain/change.js';
import { toMarkdown, type ExportTable } from '../domain/export-format.js';
import { buildAuditFile, serializeAuditFile } from '../infra/audit/audit-file.js';
import type { AuditEvent } from '../ports/store.js';
import type { Attachment, ReplyBody } from '../../messages/card.js';
import { refusalText, sentence } from '../views/texts.js';
import type { Ctx } from './context.js';
import { decisionDocument } from './decision-pdf.js';
import { auditTable, decisionJson, decisionTables, exportAnchor, tasksJson, tasksTable, type ExportSource } from './export-tables.js';

type ExportCommand = Extract<Command, { name: 'export' }>;

const MEDIA_TYPE = {
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  pdf: 'application/pdf',
} as const;

/** `20261123T100000Z` from an instant, for file names. */
const stamp = (iso: string): string => iso.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');

/**
 * `export decision|audit|tasks md|csv|json` and `export decision pdf`: the decision material, the full audit trail or
 * the task list, as a file the adapter delivers its own way. Anyone in the project may export, as anyone may read.
 * Headings and labels follow the reader's language; ids, dates (ISO 8601; instants in Helsinki time with the offset)
 * and JSON keys stay fixed. Every export names the audit trail's anchor (its head hash and event count).
 */
export async function runExport(ctx: Ctx, projectId: string, command: ExportCommand): Promise<ReplyBody> {
  const { actor } = ctx.inbound;
  const loaded = await ctx.deps.store.load(actor.tenant, projectId);
  if (!loaded) return { visibility: 'private', cards: [sentence(refusalText(ctx, refuse('action.unknown')))] };
  const p = loaded.project;
  const at = ctx.now.toISOString();
  const filename = `${p.id}-${command.kind}-${stamp(at)}.${command.format}`;
  const trail = await ctx.deps.store.auditTrail(actor.tenant, projectId);
  // The audit trail is exported whole; the decision material and the tasks name the trail as of the record read.
  const anchor = command.kind === 'audit' ? anchorOf(trail.map((e) => e.hash)) : exportAnchor(trail, loaded.head);
  const src: ExportSource = { ctx, project: p, trail, anchor, at };
  if (command.format === 'pdf') {
    const renderer = ctx.deps.documents;
    if (!renderer) return { visibility: 'private', cards: [sentence(ctx.t.exportDoc.noPdf, p)] };
    const pdf = await renderer.pdf(decisionDocument(src));
    const attachment: Attachment = {
      filename,
      mediaType: MEDIA_TYPE.pdf,
      content: Buffer.from(pdf).toString('base64'),
      encoding: 'base64',
    };
    return { visibility: 'private', cards: [sentence(ctx.t.exportDoc.ready({ file: filename }), p)], attachment };
  }
  let content: string;
  if (command.kind === 'audit') {
    content = command.format === 'json' ? auditJson(src) : render(src, command, [auditTable(src)]);
  } else if (command.kind === 'tasks') {
    content = command.format === 'json' ? tasksJson(src) : render(src, command, [tasksTable(src)]);
  } else {
    content = command.format === 'json' ? decisionJson(src) : render(src, command, decisionTables(src));
  }
  const attachment: Attachment = { filename, mediaType: MEDIA_TYPE[command.format], content };
  return { visibility: 'private', cards: [sentence(ctx.t.exportDoc.ready({ file: filename }), p)], attachment };
}

/** Markdown (every table under its heading, the anchor in the introduction) or CSV (one table; the decision material gets a section column; the anchor last). */
function render(src: ExportSource, command: ExportCommand, tables: ExportTable[]): string {
  const { ctx, project: p, at, anchor } = src;
  const e = ctx.t.exportDoc;
  if (command.format === 'md') {
    const title = e.title[command.kind]({ name: p.name });
    const intro = [
      e.project({ name: p.name, id: p.id }),
      e.exportedAt({ at: helsinkiIso(at), by: ctx.inbound.actor.userId }),
      e.anchor({ head: anchor.head, count: String(anchor.count) }),
    ];
    return toMarkdown(title, intro, tables, e.empty);
  }
  const single = tables.length === 1;
  const columns = single ? tables[0]!.columns : [e.col.section, ...(tables[0]?.columns ?? [])];
  const rows = single ? tables[0]!.rows : tables.flatMap((t) => t.rows.map((r) => [t.heading, ...r]));
  const anchorRow = [e.anchorLabel, anchor.head, e.events({ count: String(anchor.count) })];
  return toCsv(columns, [...rows, [...anchorRow, ...columns.slice(anchorRow.length).map(() => '')]]);
}

/** The verifiable audit file: each event's stored body and hash, in order (see `scripts/verify-audit.ts`). */
function auditJson({ trail, project: p, at, ctx }: ExportSource): string {
  const events = trail.map((ev) => ({ body: ev.body ?? storedBody(ev), hash: ev.hash }));
  return serializeAuditFile(buildAuditFile(p.id, events, helsinkiIso(at), ctx.inbound.actor.userId));
}

/** Fallback for a store that does not hand back bodies: the body as the Redis store writes it. */
function storedBody(ev: AuditEvent): string {
  const { hash: _hash, body: _body, streamId: _streamId, ...rest } = ev as AuditEvent & { streamId?: string };
  return JSON.stringify(rest);
}

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or carriage return first) gets a
 * leading apostrophe, as OWASP advises for CSV injection: a typed note like `=HYPERLINK(…)` stays text.
 */
export function inertCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * CSV as Finnish and Swedish Excel opens it in columns: `;` between fields (their list separator, the decimal
 * mark being a comma) and a UTF-8 byte order mark (else Excel reads ä ö å as another code page); otherwise
 * RFC 4180 (CRLF records, quoting where needed) by csv-stringify rather than by hand; every cell inert. A cell with
 * a line break is quoted too: csv-stringify quotes only the record delimiter itself, and Excel ends a row at a bare LF.
 */
function toCsv(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  return stringify([columns, ...rows], {
    delimiter: ';',
    bom: true,
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
    cast: { string: inertCell },
  });
}
