import { announcementBatch, announcementOf } from '../src/domain/comms.js';
import type { Project } from '../src/domain/types.js';
import { announcementMessages } from '../src/use-cases/comms-commands.js';
import type { Deliveries } from '../src/ports/jobs.js';

/** How long after a decision the planner still checks that its announcement was queued. */
const WINDOW_MS = 3 * 24 * 3600_000;
/** A message registered but still pending after this long lost its job (a crash between the two steps). */
const STUCK_MS = 10 * 60_000;

/**
 * Completes the announcement of a recent decision that a crash between recording it and queueing the
 * broadcast left unsent. The decision's commit is atomic; its broadcast is a second step, and this check
 * in every plan (after each change, and nightly) makes that second step happen eventually. Sending is
 * keyed per message, so a broadcast that did go out is never repeated. Returns how many were queued again.
 */
export async function recoverAnnouncement(deliveries: Deliveries, project: Project, now: Date): Promise<number> {
  const decision = project.decisions.at(-1);
  if (!decision || now.getTime() - Date.parse(decision.at) > WINDOW_MS) return 0;
  const expected = announcementMessages(project, announcementOf(decision), decision.id, decision);
  if (expected.length === 0) return 0;
  const batch = announcementBatch(project.id, decision.id);
  const ledger = await deliveries.ledger(project.tenant, batch);
  const known = new Set(ledger.map((e) => e.key));
  const stuck = ledger.some((e) => e.state === 'pending' && now.getTime() - Date.parse(e.updatedAt) > STUCK_MS);
  if (!stuck && expected.every((m) => known.has(m.key))) return 0;
  await deliveries.send(project.tenant, batch, expected);
  return expected.length;
}
