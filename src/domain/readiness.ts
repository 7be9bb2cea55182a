import { groupsWithoutChannel } from './comms.js';
import { latestSignoff, requiredKinds, signoffState, type SignoffState } from './signoffs.js';
import type { Project, SignoffKind } from './types.js';

/** One piece of evidence the decision rests on, and whether it is there. */
export type ReadinessItem =
  | {
      key: 'signoff';
      kind: SignoffKind;
      ok: boolean;
      state: SignoffState | 'missing';
      defects: string[];
      /** Rejections on the request in force: with `need 1` one approval carries it, and the rejections stay in view. */
      rejections: Array<{ by: string; text?: string }>;
    }
  | { key: 'acceptance-record'; ok: boolean; missing: Array<'complete' | 'effect'> }
  | { key: 'golive-plan'; ok: boolean }
  | { key: 'golive-date'; ok: boolean; date?: string }
  | { key: 'risks'; ok: boolean; count: number; withoutFallback: string[] }
  | { key: 'impact-organisation'; ok: boolean }
  | { key: 'impact-customers'; ok: boolean }
  | { key: 'comms'; ok: boolean; withoutChannel: string[] };

/** The evidence for a go decision, each item saying whether it is present. */
export function readiness(project: Project): ReadinessItem[] {
  const items: ReadinessItem[] = [];
  for (const kind of requiredKinds(project)) {
    const s = latestSignoff(project, kind);
    const state = s ? signoffState(s) : 'missing';
    const rejections = (s?.responses ?? [])
      .filter((r) => r.kind === 'reject')
      .map((r) => ({ by: r.by, ...(r.text ? { text: r.text } : {}) }));
    items.push({ key: 'signoff', kind, ok: state === 'approved', state, defects: s?.acceptance?.toFix ?? [], rejections });
  }
  const acc = latestSignoff(project, 'acceptance')?.acceptance;
  const missing = (['complete', 'effect'] as const).filter((f) => !acc?.[f]);
  items.push({ key: 'acceptance-record', ok: missing.length === 0, missing: [...missing] });
  const plan = project.tasks.find((t) => t.id === 'golive-plan');
  items.push({ key: 'golive-plan', ok: plan?.status === 'done' });
  items.push({ key: 'golive-date', ok: Boolean(project.goLive), ...(project.goLive ? { date: project.goLive } : {}) });
  const withoutFallback = project.risks.filter((r) => r.critical && !r.fallback).map((r) => r.id);
  items.push({ key: 'risks', ok: project.risks.length > 0 && withoutFallback.length === 0, count: project.risks.length, withoutFallback });
  items.push({ key: 'impact-organisation', ok: Boolean(project.impact.organisation) });
  items.push({ key: 'impact-customers', ok: Boolean(project.impact.customers) });
  const withoutChannel = groupsWithoutChannel(project);
  items.push({ key: 'comms', ok: withoutChannel.length === 0, withoutChannel });
  return items;
}

/** The keys of evidence still missing, for refusals and overrides. */
export function missingEvidence(project: Project): string[] {
  return readiness(project)
    .filter((i) => !i.ok)
    .map((i) => (i.key === 'signoff' ? `signoff.${i.kind}` : i.key));
}
