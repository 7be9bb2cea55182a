import type { ExpressReceiver, ExpressReceiverOptions, Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { InstallationVault } from '../../src/ports/installations.js';
import type { Logger } from '../../src/ports/logger.js';

/** The InstallProvider Bolt builds from the OAuth options (@slack/oauth's). */
type InstallProvider = NonNullable<ExpressReceiver['installer']>;

/** The vault's kind for a Slack installation (a workspace's, or an Enterprise Grid org's). */
const INSTALLATION = 'slack';
/** The vault's kind under a workspace that belongs to an org-wide install: the org's enterprise id. */
const ORG_OF = 'slack-org';

/** The bot scopes an installation asks for: exactly the manifest's (test/slack/manifest.test.ts checks both). */
export const SLACK_BOT_SCOPES = [
  'app_mentions:read',
  'channels:history',
  'channels:read',
  'chat:write',
  'chat:write.public',
  'commands',
  'files:write',
  'groups:history',
  'groups:read',
  'im:history',
  'im:write',
  'mpim:history',
  'users:read',
] as const;

/** Where the install page and Slack's OAuth redirect are served. */
export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/** Which bot token answers for a workspace: one configured token, or each workspace's own from its installation. */
export interface Workspaces {
  /** The bot token for a tenant (a workspace's team id), refreshed first when it is about to expire; undefined when not installed. */
  tokenFor(tenant: string): Promise<string | undefined>;
  /** With many workspaces: Bolt's OAuth options for the receiver, and what to do when a workspace removes the app. */
  readonly oauth?: {
    receiverOptions: Pick<
      ExpressReceiverOptions,
      'clientId' | 'clientSecret' | 'stateSecret' | 'scopes' | 'installationStore' | 'installerOptions' | 'redirectUri'
    >;
    /** Hands over the InstallProvider Bolt made from those options (it refreshes rotating tokens). */
    bind: (installer: InstallProvider) => void;
    /** Forgets an installation (uninstalled, tokens revoked); resolves with the tenants it served. */
    remove: (teamId: string | undefined, enterpriseId: string | undefined, org: boolean) => Promise<string[]>;
  };
}

/** One workspace, one token (SLACK_BOT_TOKEN): every tenant is answered with it. */
export function singleWorkspace(token: string): Workspaces {
  return { tokenFor: async () => token };
}

/** What installing in many workspaces needs: the app's OAuth credentials and where installations are kept. */
export interface OAuthOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** The public URL of /slack/oauth_redirect, when the app has more than one redirect URL configured. */
  redirectUrl?: string;
  vault: InstallationVault;
  /** The Web API (oauth.v2.access, auth.test) base URL: Slack's, or a test's fake. */
  apiUrl: string;
  /** Where Slack's consent page is (tests point it at their fake). */
  authorizationUrl?: string;
  log: Logger;
  /** A workspace has installed the app (again). */
  onInstalled(tenant: string): Promise<void>;
}

/**
 * Many workspaces (Add to Slack) through Bolt's OAuth options: @slack/oauth's InstallProvider runs the OAuth
 * flow and refreshes rotating tokens, and each installation is kept in the encrypted vault under its
 * workspace (or its Enterprise Grid org for an org-wide install). The tenant is always the workspace's team
 * id, so a workspace that later joins a Grid org keeps its projects; a workspace served by an org-wide install
 * is remembered with its org, so a proactive message finds the org's token.
 */
export function oauthWorkspaces(o: OAuthOptions): Workspaces {
  let installer: InstallProvider | undefined;
  const known = new Set<string>();
  const store: InstallationStore = {
    async storeInstallation(installation: Installation) {
      const org = installation.isEnterpriseInstall === true ? installation.enterprise?.id : undefined;
      const owner = org ?? installation.team?.id;
      if (!owner) throw new Error('an installation without a team or enterprise id');
      await o.vault.put(owner, INSTALLATION, JSON.stringify(installation));
      await o.onInstalled(owner);
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      if (query.isEnterpriseInstall && query.teamId && query.enterpriseId && !known.has(query.teamId)) {
        await o.vault.put(query.teamId, ORG_OF, query.enterpriseId);
        known.add(query.teamId);
      }
      const owner = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
      const raw =
        (owner ? await o.vault.get(owner, INSTALLATION) : undefined) ??
        (query.enterpriseId ? await o.vault.get(query.enterpriseId, INSTALLATION) : undefined);
      if (!raw) throw new Error(`lv-bot is not installed in ${query.teamId ?? query.enterpriseId ?? 'this workspace'}`);
      return JSON.parse(raw) as Installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      const owner = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
      if (owner) await o.vault.delete(owner, INSTALLATION);
    },
  };

  /** How to ask the store for a tenant's installation: its own, else its org's. */
  const queryFor = async (tenant: string): Promise<InstallationQuery<boolean>> => {
    const org = (await o.vault.get(tenant, INSTALLATION)) ? undefined : await o.vault.get(tenant, ORG_OF);
    return org
      ? { teamId: tenant, enterpriseId: org, isEnterpriseInstall: true }
      : { teamId: tenant, enterpriseId: undefined, isEnterpriseInstall: false };
  };

  return {
    async tokenFor(tenant) {
      if (!installer) return undefined;
      try {
        return (await installer.authorize(await queryFor(tenant))).botToken;
      } catch {
        return undefined;
      }
    },
    oauth: {
      receiverOptions: {
        clientId: o.clientId,
        clientSecret: o.clientSecret,
        stateSecret: o.stateSecret,
        scopes: [...SLACK_BOT_SCOPES],
        installationStore: store,
        ...(o.redirectUrl ? { redirectUri: o.redirectUrl } : {}),
        installerOptions: {
          directInstall: true,
          installPath: INSTALL_PATH,
          redirectUriPath: REDIRECT_PATH,
          clientOptions: { slackApiUrl: o.apiUrl },
          ...(o.authorizationUrl ? { authorizationUrl: o.authorizationUrl } : {}),
        },
      },
      bind(given) {
        installer = given;
      },
      async remove(teamId, enterpriseId, org) {
        const owner = org ? enterpriseId : teamId;
        if (!owner) return [];
        await o.vault.delete(owner, INSTALLATION);
        if (teamId) {
          await o.vault.delete(teamId, ORG_OF);
          known.delete(teamId);
        }
        return [...new Set([owner, ...(teamId ? [teamId] : [])])];
      },
    },
  };
}
