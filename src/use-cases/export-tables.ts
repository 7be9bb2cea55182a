import { anchorOf, type AuditAnchor } from '../domain/audit-chain.js';
import { helsinkiIso } from '../domain/calendar.js';
import { applicableTasks, effectiveStatus, taskName } from '../domain/checklist.js';
import type { ExportTable } from '../domain/export-format.js';
import { needed, replacedBy, signoffState } from '../domain/signoffs.js';
import type { Decision, Project, Signoff } from '../domain/types.js';
import type { AuditEvent } from '../ports/store.js';
import type { Ctx } from './context.js';

/** What one export is made of: the project as read, its audit trail, the anchor of the trail as of that read, and when. */
export interface ExportSource {
  ctx: Ctx;
  project: Project;
  trail: AuditEvent[];
  anchor: AuditAnchor;
  /** The export's instant, ISO 8601 UTC. */
  at: string;
}

/** The anchor of a project's trail as of the head its record names (read together with it). */
export function exportAnchor(trail: readonly AuditEvent[], head: string): AuditAnchor {
  return anchorOf(
    trail.map((e) => e.hash),
    head,
  );
}

/** The audit event that recorded a decision (its number from 1 and its hash), so the record points into the chain. */
export function decisionEvent(trail: readonly AuditEvent[], d: Decision): { seq: number; hash: string } | undefined {
  const i = trail.findLastIndex((e) => e.target === d.id && e.action.startsWith('decision.'));
  return i >= 0 ? { seq: i + 1, hash: trail[i]!.hash } : undefined;
}

/** A request's state as the cards show it: a request replaced by a newer one of its kind is no longer in force. */
function shownState(p: Project, s: Signoff) {
  return replacedBy(p, s) ? 'superseded' : signoffState(s);
}

/** The decision material: sign-offs with answers, the acceptance record with its defects, risks, impacts, decisions. */
export function decisionTables({ ctx, project: p, trail }: ExportSource): ExportTable[] {
  const { t } = ctx;
  const e = t.exportDoc;
  const columns = [e.col.ref, e.col.item, e.col.state, e.col.by, e.col.at, e.col.text, e.col.detail];
  const signoffs: string[][] = [];
  const acceptance: string[][] = [];
  for (const s of p.signoffs) {
    const need = s.need === 'all' ? String(s.approvers.length) : String(needed(s));
    const newer = replacedBy(p, s);
    signoffs.push([
      s.id,
      t.signoffKind[s.kind],
      t.signoffState[shownState(p, s)],
      s.requestedBy,
      helsinkiIso(s.requestedAt),
      e.request({ approvers: s.approvers.join(', '), need }),
      newer ? e.replacedBy({ id: newer.id }) : '',
    ]);
    for (const r of s.responses)
      signoffs.push([s.id, t.signoffKind[s.kind], e.response[r.kind], r.by, helsinkiIso(r.at), r.text ?? '', '']);
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
    const event = decisionEvent(trail, d);
    const details = [
      d.nextReview ? e.nextReview({ date: d.nextReview }) : '',
      d.overridden?.length
        ? e.overridden({
            missing: d.overridden.map((m) => t.readinessCard.evidence[m as keyof typeof t.readinessCard.evidence] ?? m).join(', '),
          })
        : '',
      event ? e.auditEvent({ seq: String(event.seq), hash: event.hash }) : '',
    ].filter(Boolean);
    const text = [d.reasons ?? '', d.override ? e.override({ text: d.override }) : ''].filter(Boolean).join('\n');
    return [d.id, t.outcome[d.outcome], d.date ?? '', d.by, helsinkiIso(d.at), text, details.join('\n')];
  });
  return [
    { heading: e.section.signoffs, columns, rows: signoffs },
    { heading: e.section.acceptance, columns, rows: acceptance },
    { heading: e.section.risks, columns, rows: risks },
    { heading: e.section.impacts, columns, rows: impacts },
    { heading: e.section.decisions, columns, rows: decisions },
  ];
}

/** The applicable tasks, a group's status derived from its tasks (done when they all are). */
export function tasksTable({ ctx, project: p }: ExportSource): ExportTable {
  const e = ctx.t.exportDoc;
  const tasks = applicableTasks(p);
  return {
    heading: e.title.tasks({ name: p.name }),
    columns: [e.col.ref, e.col.name, e.col.status, e.col.owner, e.col.due, e.col.reason, e.col.notes],
    rows: tasks.map((task) => [
      task.id,
      taskName(task, ctx.lang),
      ctx.t.status[effectiveStatus(tasks, task)],
      task.owner ?? '',
      task.due ?? '',
      task.reason ?? '',
      task.notes.map((n) => `${helsinkiIso(n.at)} ${n.by}: ${n.text}`).join('\n'),
    ]),
  };
}

/** Every audit event with its hash and the previous one, times in Helsinki time. */
export function auditTable({ ctx, project: p, trail }: ExportSource): ExportTable {
  const e = ctx.t.exportDoc;
  const details = (ev: AuditEvent) =>
    JSON.stringify({ ...(ev.before !== undefined ? { before: ev.before } : {}), ...(ev.after !== undefined ? { after: ev.after } : {}) });
  return {
    heading: e.title.audit({ name: p.name }),
    columns: [e.col.seq, e.col.at, e.col.actor, e.col.platform, e.col.action, e.col.target, e.col.detail, e.col.hash, e.col.prev],
    rows: trail.map((ev, i) => [
      String(i + 1),
      helsinkiIso(ev.at),
      ev.actor,
      ev.platform,
      ev.action,
      ev.target ?? '',
      details(ev),
      ev.hash,
      ev.prev,
    ]),
  };
}

/** The task list as JSON (`lv-bot.tasks/1`), with the trail's anchor. */
export function tasksJson({ ctx, project: p, at, anchor }: ExportSource): string {
  const all = applicableTasks(p);
  const tasks = all.map((task) => {
    const status = effectiveStatus(all, task);
    return {
      id: task.id,
      name: taskName(task, ctx.lang),
      status,
      statusLabel: ctx.t.status[status],
      owner: task.owner ?? null,
      due: task.due ?? null,
      reason: task.reason ?? null,
      notes: task.notes.map((n) => ({ ...n, at: helsinkiIso(n.at) })),
    };
  });
  const doc = {
    format: 'lv-bot.tasks/1',
    lang: ctx.lang,
    title: ctx.t.exportDoc.title.tasks({ name: p.name }),
    project: { id: p.id, name: p.name },
    exportedAt: helsinkiIso(at),
    exportedBy: ctx.inbound.actor.userId,
    anchor,
    tasks,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The decision material as JSON (`lv-bot.decision/1`): each decision with its audit event, and the trail's anchor. */
export function decisionJson({ ctx, project: p, at, anchor, trail }: ExportSource): string {
  const { t } = ctx;
  const doc = {
    format: 'lv-bot.decision/1',
    lang: ctx.lang,
    title: t.exportDoc.title.decision({ name: p.name }),
    project: { id: p.id, name: p.name, authority: p.authority ?? null, goLive: p.goLive ?? null },
    exportedAt: helsinkiIso(at),
    exportedBy: ctx.inbound.actor.userId,
    anchor,
    signoffs: p.signoffs.map((s) => ({
      id: s.id,
      kind: s.kind,
      kindLabel: t.signoffKind[s.kind],
      state: shownState(p, s),
      stateLabel: t.signoffState[shownState(p, s)],
      replacedBy: replacedBy(p, s)?.id ?? null,
      approvers: s.approvers,
      need: s.need,
      requestedBy: s.requestedBy,
      requestedAt: helsinkiIso(s.requestedAt),
      responses: s.responses.map((r) => ({ ...r, at: helsinkiIso(r.at) })),
      ...(s.acceptance
        ? { acceptance: { complete: s.acceptance.complete ?? null, defects: s.acceptance.toFix, effect: s.acceptance.effect ?? null } }
        : {}),
    })),
    risks: p.risks.map((r) => ({ id: r.id, text: r.text, critical: r.critical, fallback: r.fallback ?? null })),
    impact: { organisation: p.impact.organisation ?? null, customers: p.impact.customers ?? null },
    decisions: p.decisions.map((d) => ({ ...d, at: helsinkiIso(d.at), auditEvent: decisionEvent(trail, d) ?? null })),
    current: p.decisions.at(-1)?.id ?? null,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
