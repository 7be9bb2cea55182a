import { isRefusal, type Change, type Refusal } from '../domain/change.js';
import { limitRefusal } from '../domain/project-limits.js';
import type { Project } from '../domain/types.js';
import { ContentionError } from '../ports/errors.js';
import type { Ctx } from './context.js';

/** How a change ended, for the handler to describe. */
export type MutateOutcome =
  | { kind: 'accepted'; project: Project; before: Project; version: number }
  | { kind: 'unchanged'; project: Project }
  | { kind: 'refused'; refusal: Refusal; project: Project }
  | { kind: 'missing' };

const MAX_ATTEMPTS = 25;

/**
 * Applies a pure domain change to the stored project with optimistic concurrency: load, decide, check the
 * limits of its texts and size, commit if nobody wrote meanwhile, else decide again on the fresh state. A redelivery (same idempotency key)
 * is recognised by the store and reported as unchanged.
 */
export async function mutate(ctx: Ctx, projectId: string, apply: (p: Project) => Change): Promise<MutateOutcome> {
  const { store } = ctx.deps;
  const { actor, idemKey } = ctx.inbound;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const loaded = await store.load(actor.tenant, projectId);
    if (!loaded) return { kind: 'missing' };
    const change = apply(loaded.project);
    if (isRefusal(change)) return { kind: 'refused', refusal: change, project: loaded.project };
    if (change.unchanged) return { kind: 'unchanged', project: loaded.project };
    // Whatever command or form made the change: no text over its limit, no document past its budget.
    const tooLarge = limitRefusal(change.project, loaded.project);
    if (tooLarge) return { kind: 'refused', refusal: tooLarge, project: loaded.project };
    const result = await store.commit(
      loaded,
      change.project,
      {
        at: ctx.now.toISOString(),
        actor: actor.userId,
        platform: actor.platform,
        ...change.audit,
        ...(idemKey ? { idem: idemKey } : {}),
      },
      idemKey,
    );
    if (result === 'ok') {
      // The change is committed: a re-plan that cannot be queued now (Redis went away just after the
      // commit) must not make the answer "nothing was changed"; the nightly plan converges, and a stale
      // reminder never fires (docs/jobs.md).
      await ctx.deps.scheduler?.projectChanged(actor.tenant, projectId, loaded.version + 1).catch(() => undefined);
      return { kind: 'accepted', project: change.project, before: loaded.project, version: loaded.version + 1 };
    }
    if (result === 'duplicate') {
      const fresh = await store.load(actor.tenant, projectId);
      return fresh ? { kind: 'unchanged', project: fresh.project } : { kind: 'missing' };
    }
  }
  throw new ContentionError(`project ${projectId} changed ${MAX_ATTEMPTS} times while applying one change`);
}
