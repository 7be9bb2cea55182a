import { ConfidentialClientApplication } from '@azure/msal-node';
import type { TeamsConfig } from './teams-adapter.js';
import type { GraphTokenSource } from './graph-find-sent.js';

/**
 * The look-up works in Microsoft's public cloud only, as the rest of the Teams adapter (botbuilder's
 * defaults): tokens come from its Microsoft Entra ID and are for its Graph. TEAMS_GRAPH_URL may name a
 * proxy or gateway in front of graph.microsoft.com, so the token's audience is not taken from it.
 */
const LOGIN = 'https://login.microsoftonline.com';
/** Microsoft Graph in the public cloud, the audience of every token. */
const GRAPH_SCOPES = ['https://graph.microsoft.com/.default'];

export interface MsalGraphTokenOptions {
  /** The bot's Microsoft App ID (MICROSOFT_APP_ID). */
  clientId: string;
  /** Its client secret (MICROSOFT_APP_PASSWORD). */
  clientSecret: string;
  /** SingleTenant: the app's tenant (MICROSOFT_APP_TENANT_ID), which every token comes from. MultiTenant: unset, each token comes from the tenant of the conversation. */
  tenantId?: string;
}

/**
 * App-only Graph tokens with MSAL's client-credentials flow (the bot's own app id and secret), so the
 * RSC permissions the app package asks for apply. MSAL keeps each tenant's token and renews it before it
 * expires; nothing of OAuth is written here.
 */
export function msalGraphToken(o: MsalGraphTokenOptions): GraphTokenSource {
  const app = new ConfidentialClientApplication({
    auth: { clientId: o.clientId, clientSecret: o.clientSecret, authority: `${LOGIN}/${o.tenantId ?? 'organizations'}` },
  });
  return async (tenant) => {
    const result = await app.acquireTokenByClientCredential({ scopes: GRAPH_SCOPES, authority: `${LOGIN}/${o.tenantId ?? tenant}` });
    if (!result?.accessToken) throw new Error(`Microsoft Entra ID issued no Graph token for tenant ${o.tenantId ?? tenant}`);
    return result.accessToken;
  };
}

/** The token source the configuration allows: MSAL with the app's id and secret; none without a secret (a managed identity, local runs). */
export function configuredGraphToken(
  config: Pick<TeamsConfig, 'MICROSOFT_APP_ID' | 'MICROSOFT_APP_PASSWORD' | 'MICROSOFT_APP_TYPE' | 'MICROSOFT_APP_TENANT_ID'>,
): GraphTokenSource | undefined {
  if (!config.MICROSOFT_APP_ID || !config.MICROSOFT_APP_PASSWORD || config.MICROSOFT_APP_TYPE === 'UserAssignedMSI') return undefined;
  const multiTenant = config.MICROSOFT_APP_TYPE === 'MultiTenant' || !config.MICROSOFT_APP_TENANT_ID;
  return msalGraphToken({
    clientId: config.MICROSOFT_APP_ID,
    clientSecret: config.MICROSOFT_APP_PASSWORD,
    ...(multiTenant ? {} : { tenantId: config.MICROSOFT_APP_TENANT_ID }),
  });
}
