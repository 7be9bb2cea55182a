import type { Command } from '../commands/command-types.js';
import { refuse } from '../domain/change.js';
import { applicableTasks, taskName } from '../domain/checklist.js';
import { stringify } from 'csv-stringify/sync';
import { toMarkdown, type ExportTable } from '../domain/export-format.js';
import { needed, signoffState } from '../domain/signoffs.js';
import type { Project } from '../domain/types.js';
import { buildAuditFile, serializeAuditFile } from '../infra/audit/audit-file.js';
import type { AuditEvent } from '../ports/store.js';
import type { Attachment, ReplyBody } from '../../messages/card.js';
import { refusalText, sentence } from '../views/texts.js';
import type { Ctx } from './context.js';

type ExportCommand = Extract<Command, { name: 'export' }>;

const MEDIA_TYPE = { md: 'text/markdown; charset=utf-8', csv: 'text/csv; charset=utf-8', json: 'application/json' } as const;

/** `20261123T100000Z` from an instant, for file names. */
const stamp = (iso: string): string => iso.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');

/**
 * `export decision|audit|tasks md|csv|json`: the decision material, the full audit trail or the task list,
 * as a file the adapter delivers its own way. Anyone in the project may export, as anyone may read.
 * Headings and labels follow the reader's language; ids, dates (ISO 8601) and JSON keys stay fixed.
 */
export async function runExport(ctx: Ctx, projectId: string, command: ExportCommand): Promise<ReplyBody> {
  const { actor } = ctx.inbound;
  const loaded = await ctx.deps.store.load(actor.tenant, projectId);
  if (!loaded) return { visibility: 'private', cards: [sentence(refusalText(ctx, refuse('action.unknown')))] };
  const p = loaded.project;
  const at = ctx.now.toISOString();
  const filename = `${p.id}-${command.kind}-${stamp(at)}.${command.format}`;
  let content: string;
  if (command.kind === 'audit') {
    const trail = await ctx.deps.store.auditTrail(actor.tenant, projectId);
    content = command.format === 'json' ? auditJson(trail, p, at, actor.userId) : render(ctx, p, command, [auditTable(ctx, p, trail)], at);
  } else if (command.kind === 'tasks') {
    content = command.format === 'json' ? tasksJson(ctx, p, at) : render(ctx, p, command, [tasksTable(ctx, p)], at);
  } else {
    content = command.format === 'json' ? decisionJson(ctx, p, at) : render(ctx, p, command, decisionTables(ctx, p), at);
  }
  const attachment: Attachment = { filename, mediaType: MEDIA_TYPE[command.format], content };
  return { visibility: 'private', cards: [sentence(ctx.t.exportDoc.ready({ file: filename }), p)], attachment };
}

/** Markdown (every table under its heading) or CSV (one table; the decision material gets a section column). */
function render(ctx: Ctx, p: Project, command: ExportCommand, tables: ExportTable[], at: string): string {
  const e = ctx.t.exportDoc;
  if (command.format === 'md') {
    const title = e.title[command.kind]({ name: p.name });
    return toMarkdown(title, [e.project({ name: p.name, id: p.id }), e.exportedAt({ at, by: ctx.inbound.actor.userId })], tables, e.empty);
  }
  if (tables.length === 1) return toCsv(tables[0]!.columns, tables[0]!.rows);
  const columns = [e.col.section, ...(tables[0]?.columns ?? [])];
  return toCsv(
    columns,
    tables.flatMap((t) => t.rows.map((r) => [t.heading, ...r])),
  );
}

/** The decision material: sign-offs with answers, the acceptance record with its defects, risks, impacts, decisions. */
function decisionTables(ctx: Ctx, p: Project): ExportTable[] {
  const { t } = ctx;
  const e = t.exportDoc;
  const columns = [e.col.ref, e.col.item, e.col.state, e.col.by, e.col.at, e.col.text, e.col.detail];
  const signoffs: string[][] = [];
  const acceptance: string[][] = [];
  for (const s of p.signoffs) {
    const need = s.need === 'all' ? String(s.approvers.length) : String(needed(s));
    signoffs.push([
      s.id,
      t.signoffKind[s.kind],
      t.signoffState[signoffState(s)],
      s.requestedBy,
      s.requestedAt,
      e.request({ approvers: s.approvers.join(', '), need }),
      '',
    ]);
    for (const r of s.responses) signoffs.push([s.id, t.signoffKind[s.kind], e.response[r.kind], r.by, r.at, r.text ?? '', '']);
    if (s.acceptance) {
      if (s.acceptance.complete !== undefined) acceptance.push([s.id, e.complete, '', '', '', s.acceptance.complete, '']);
      for (const d of s.acceptance.toFix) acceptance.push([s.id, e.defect, '', '', '', d, '']);
      if (s.acceptance.effect !== undefined) acceptance.push([s.id, e.effect, '', '', '', s.acceptance.effect, '']);
    }
  }
  const risks = p.risks.map((r) => [
    r.id,
    r.text,
    r.critical ? e.critical : '',
    '',
    '',
    r.fallback ? e.fallback({ plan: r.fallback }) : e.noFallback,
    '',
  ]);
  const impacts = (['organisation', 'customers'] as const)
    .filter((k) => p.impact[k] !== undefined)
    .map((k) => [k, e.impact[k], '', '', '', p.impact[k] ?? '', '']);
  const decisions = p.decisions.map((d) => {
    const details = [
      d.nextReview ? e.nextReview({ date: d.nextReview }) : '',
      d.overridden?.length
        ? e.overridden({
            missing: d.overridden.map((m) => t.readinessCard.evidence[m as keyof typeof t.readinessCard.evidence] ?? m).join(', '),
          })
        : '',
    ].filter(Boolean);
    const text = [d.reasons ?? '', d.override ? e.override({ text: d.override }) : ''].filter(Boolean).join('\n');
    return [d.id, t.outcome[d.outcome], d.date ?? '', d.by, d.at, text, details.join('\n')];
  });
  return [
    { heading: e.section.signoffs, columns, rows: signoffs },
    { heading: e.section.acceptance, columns, rows: acceptance },
    { heading: e.section.risks, columns, rows: risks },
    { heading: e.section.impacts, columns, rows: impacts },
    { heading: e.section.decisions, columns, rows: decisions },
  ];
}

function tasksTable(ctx: Ctx, p: Project): ExportTable {
  const e = ctx.t.exportDoc;
  return {
    heading: e.title.tasks({ name: p.name }),
    columns: [e.col.ref, e.col.name, e.col.status, e.col.owner, e.col.due, e.col.reason, e.col.notes],
    rows: applicableTasks(p).map((task) => [
      task.id,
      taskName(task, ctx.lang),
      ctx.t.status[task.status],
      task.owner ?? '',
      task.due ?? '',
      task.reason ?? '',
      task.notes.map((n) => `${n.at} ${n.by}: ${n.text}`).join('\n'),
    ]),
  };
}

function auditTable(ctx: Ctx, p: Project, trail: AuditEvent[]): ExportTable {
  const e = ctx.t.exportDoc;
  const details = (ev: AuditEvent) =>
    JSON.stringify({ ...(ev.before !== undefined ? { before: ev.before } : {}), ...(ev.after !== undefined ? { after: ev.after } : {}) });
  return {
    heading: e.title.audit({ name: p.name }),
    columns: [e.col.seq, e.col.at, e.col.actor, e.col.platform, e.col.action, e.col.target, e.col.detail, e.col.hash, e.col.prev],
    rows: trail.map((ev, i) => [String(i + 1), ev.at, ev.actor, ev.platform, ev.action, ev.target ?? '', details(ev), ev.hash, ev.prev]),
  };
}

/** The verifiable audit file: each event's stored body and hash, in order (see `scripts/verify-audit.ts`). */
function auditJson(trail: AuditEvent[], p: Project, at: string, by: string): string {
  const events = trail.map((ev) => ({ body: ev.body ?? storedBody(ev), hash: ev.hash }));
  return serializeAuditFile(buildAuditFile(p.id, events, at, by));
}

/** Fallback for a store that does not hand back bodies: the body as the Redis store writes it. */
function storedBody(ev: AuditEvent): string {
  const { hash: _hash, body: _body, streamId: _streamId, ...rest } = ev as AuditEvent & { streamId?: string };
  return JSON.stringify(rest);
}

function tasksJson(ctx: Ctx, p: Project, at: string): string {
  const tasks = applicableTasks(p).map((task) => ({
    id: task.id,
    name: taskName(task, ctx.lang),
    status: task.status,
    statusLabel: ctx.t.status[task.status],
    owner: task.owner ?? null,
    due: task.due ?? null,
    reason: task.reason ?? null,
    notes: task.notes,
  }));
  return `${JSON.stringify({ format: 'lv-bot.tasks/1', lang: ctx.lang, title: ctx.t.exportDoc.title.tasks({ name: p.name }), project: { id: p.id, name: p.name }, exportedAt: at, exportedBy: ctx.inbound.actor.userId, tasks }, null, 2)}\n`;
}

function decisionJson(ctx: Ctx, p: Project, at: string): string {
  const { t } = ctx;
  const doc = {
    format: 'lv-bot.decision/1',
    lang: ctx.lang,
    title: t.exportDoc.title.decision({ name: p.name }),
    project: { id: p.id, name: p.name, authority: p.authority ?? null, goLive: p.goLive ?? null },
    exportedAt: at,
    exportedBy: ctx.inbound.actor.userId,
    signoffs: p.signoffs.map((s) => ({
      id: s.id,
      kind: s.kind,
      kindLabel: t.signoffKind[s.kind],
      state: signoffState(s),
      stateLabel: t.signoffState[signoffState(s)],
      approvers: s.approvers,
      need: s.need,
      requestedBy: s.requestedBy,
      requestedAt: s.requestedAt,
      responses: s.responses,
      ...(s.acceptance
        ? { acceptance: { complete: s.acceptance.complete ?? null, defects: s.acceptance.toFix, effect: s.acceptance.effect ?? null } }
        : {}),
    })),
    risks: p.risks.map((r) => ({ id: r.id, text: r.text, critical: r.critical, fallback: r.fallback ?? null })),
    impact: { organisation: p.impact.organisation ?? null, customers: p.impact.customers ?? null },
    decisions: p.decisions,
    current: p.decisions.at(-1)?.id ?? null,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or carriage return first) gets a
 * leading apostrophe, as OWASP advises for CSV injection: a typed note like `=HYPERLINK(…)` stays text.
 */
export function inertCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 CSV (CRLF records, quoting where needed) by csv-stringify rather than by hand; every cell inert. */
function toCsv(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  return stringify([columns, ...rows], { record_delimiter: 'windows', cast: { string: inertCell } });
}
