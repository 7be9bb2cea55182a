import type { Deps } from './context.js';

/**
 * The platform removed the bot from a tenant (the Slack app was uninstalled from a workspace, or its tokens
 * revoked): the tenant is suspended, so nothing more is planned or sent for it, and each of its projects is
 * planned again, which drops the reminders already planned. Its projects and audit trails are kept.
 */
export async function tenantRemoved(deps: Pick<Deps, 'store' | 'scheduler'>, tenant: string): Promise<void> {
  await deps.store.setSuspended(tenant, true);
  for (const id of await deps.store.projectIds(tenant)) await deps.scheduler?.replan(tenant, id);
}

/** The bot is back in a tenant (installed again): its projects' reminders are planned again. */
export async function tenantRestored(deps: Pick<Deps, 'store' | 'scheduler'>, tenant: string): Promise<void> {
  const suspended = await deps.store.suspendedTenants();
  if (!suspended.has(tenant)) return;
  await deps.store.setSuspended(tenant, false);
  for (const id of await deps.store.projectIds(tenant)) await deps.scheduler?.replan(tenant, id);
}
