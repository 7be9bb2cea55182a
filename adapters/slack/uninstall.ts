import type { App } from '@slack/bolt';
import type { Logger } from '../../src/ports/logger.js';
import type { Bot } from '../../src/use-cases/bot.js';

/** What handling an uninstall needs: the bot (to suspend the tenant) and the installations (to forget one). */
export interface UninstallDeps {
  bot: Pick<Bot, 'tenantRemoved'>;
  log: Logger;
  remove(teamId: string | undefined, enterpriseId: string | undefined, org: boolean): Promise<string[]>;
}

/**
 * A workspace removed the app (`app_uninstalled`) or its bot token was revoked (`tokens_revoked`): its
 * installation is forgotten and its tenant suspended, so nothing more is planned or sent there; the other
 * workspaces are untouched. Its projects and audit trails stay, for when it installs the app again.
 */
export function registerUninstall(app: App, deps: UninstallDeps): void {
  const forget = async (teamId: string | undefined, enterpriseId: string | undefined, org: boolean, why: string) => {
    const tenants = await deps.remove(teamId, enterpriseId, org);
    for (const tenant of tenants) await deps.bot.tenantRemoved(tenant);
    deps.log.info({ tenants, why }, 'slack: installation removed; its tenant is suspended');
  };
  app.event('app_uninstalled', async ({ body, context }) => {
    await forget(
      body.team_id ?? context.teamId,
      body.enterprise_id ?? context.enterpriseId,
      context.isEnterpriseInstall === true,
      'app_uninstalled',
    );
  });
  app.event('tokens_revoked', async ({ event, body, context }) => {
    // Only the bot's tokens matter: lv-bot asks for no user tokens.
    if ((event.tokens.bot ?? []).length === 0) return;
    await forget(
      body.team_id ?? context.teamId,
      body.enterprise_id ?? context.enterpriseId,
      context.isEnterpriseInstall === true,
      'tokens_revoked',
    );
  });
}
