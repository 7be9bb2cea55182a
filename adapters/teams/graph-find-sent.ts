import type { ConversationDirectory } from '../../src/ports/conversations.js';
import type { ChatTarget, SentMessage } from '../../src/ports/chat.js';
import type { Logger } from '../../src/ports/logger.js';
import { RateLimitedError } from '../../src/ports/errors.js';
import { deliveryKeyOf } from './delivery-marker.js';
import { baseConversationId } from './inbound.js';
import { ADAPTIVE_CARD_CONTENT_TYPE } from './render-adaptive-card.js';
import { parseRetryAfter } from './send-governor.js';

/**
 * findSent for Teams: a post whose answer was lost is looked up with Microsoft Graph, among the newest
 * messages of its channel (`/teams/{group}/channels/{channel}/messages`, RSC ChannelMessage.Read.Group) or
 * chat (`/chats/{chat}/messages`, RSC ChatMessage.Read.Chat; personal chats need the application
 * permission Chat.Read.WhereInstalled), by the key its Adaptive Card carries (delivery-marker.ts).
 */

/** An app-only Microsoft Graph access token for a tenant (MSAL's client credentials in production). */
export type GraphTokenSource = (tenant: string) => Promise<string>;

/** Microsoft Graph v1.0 in the public cloud. */
export const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com/v1.0';

/** How far back findSent looks: this many pages of a conversation's messages, 50 (Graph's most) each. */
export const FIND_SENT_PAGES = 5;
const PAGE_SIZE = 50;

export interface GraphFindSentOptions {
  /** Graph's base URL, e.g. https://graph.microsoft.com/v1.0. */
  url: string;
  token: GraphTokenSource;
  refs: ConversationDirectory;
  /** The bot's Microsoft App ID when configured; else the one Teams named the bot by (`28:<app id>`) is used. */
  botAppId?: string;
  /** How long one Graph request may take before it counts as failed (default 10 s). */
  timeoutMs?: number;
  log: Pick<Logger, 'warn'>;
}

/** A chatMessage as Graph lists it, the fields the look-up reads. */
interface ChatMessage {
  id?: string;
  attachments?: Array<{ contentType?: string; content?: unknown }> | null;
}

/**
 * Network errors after which the same request may well succeed: the connection broke after it was made,
 * or a time limit ran out. Others (a name that does not resolve, a refused connection, a certificate
 * that does not verify) mean Graph cannot be reached from here until someone changes something.
 */
const TRANSIENT_NETWORK = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The error code under fetch's TypeError (`cause.code`, or its first inner error's for several addresses). */
function networkCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown; errors?: Array<{ code?: unknown }> } } | null)?.cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Thrown inside the look-up when it cannot look at all (no token, Graph unreachable, a request Graph rejects): answered as "not found". */
class CannotLook extends Error {
  constructor(
    readonly reason: string,
    readonly detail: Record<string, unknown>,
  ) {
    super(reason);
  }
}

/**
 * A `@odata.nextLink` on the configured base URL: Graph returns links on its own origin, which would go
 * around a proxy or gateway configured as TEAMS_GRAPH_URL. The path after the base's version segment
 * (`v1.0`) and the query are kept.
 */
export function onBaseUrl(base: string, link: string): string {
  const b = new URL(base);
  const l = new URL(link, b);
  if (l.origin === b.origin) return l.href;
  const version = b.pathname.replace(/\/+$/, '').split('/').at(-1) ?? '';
  const at = version ? l.pathname.indexOf(`/${version}/`) : -1;
  const rest = at >= 0 ? l.pathname.slice(at + version.length + 2) : l.pathname.replace(/^\/+/, '');
  return `${base.replace(/\/+$/, '')}/${rest}${l.search}`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const enc = encodeURIComponent;

/** The delivery engine's findSent for the Teams ChatPort, reading Graph. */
export function graphFindSent(o: GraphFindSentOptions): (target: ChatTarget, key: string) => Promise<SentMessage | undefined> {
  const base = o.url.replace(/\/+$/, '');
  const warned = new Set<string>();
  /** Said once per tenant and reason: the look-up cannot work there until an admin acts, and deliveries go on. */
  const warnOnce = (tenant: string, reason: string, detail: Record<string, unknown> = {}) => {
    if (warned.has(`${tenant}|${reason}`)) return;
    warned.add(`${tenant}|${reason}`);
    o.log.warn({ tenant, ...detail }, `teams: ${reason}; a post whose answer was lost is sent again, so it may arrive twice`);
  };

  /** The Graph message lists that can hold the target's message, in the order to try them (a 404 moves on). */
  async function listsOf(target: ChatTarget): Promise<string[]> {
    const { tenant } = target;
    if (target.user) {
      const user = await o.refs.user(tenant, target.conversation);
      if (user?.personalConversation?.startsWith('19:')) return [`chats/${enc(user.personalConversation)}/messages`];
      // A bot's one-to-one chat is 19:<person's object id>_<app id>@unq.gbl.spaces in Graph; the Bot Framework calls it a:….
      const appId = o.botAppId || (await o.refs.tenant(tenant))?.botId?.replace(/^28:/, '');
      if (!GUID.test(target.conversation) || !appId) {
        warnOnce(tenant, 'a personal chat cannot be named in Microsoft Graph without the person’s object id and the app id', {
          user: target.conversation,
        });
        return [];
      }
      return [`${target.conversation}_${appId}`, `${appId}_${target.conversation}`].map(
        (pair) => `chats/${enc(`19:${pair}@unq.gbl.spaces`)}/messages`,
      );
    }
    const id = baseConversationId(target.conversation);
    const stored = await o.refs.conversation(tenant, id);
    const channel = stored?.kind ? stored.kind === 'channel' : /@thread\.(tacv2|skype)$/.test(id);
    if (channel) {
      // A record saved before its team's group id was learned finds it through the team's id.
      const group = stored?.teamAadGroupId ?? (stored?.teamId ? await o.refs.teamGroup(tenant, stored.teamId) : undefined);
      if (group) return [`teams/${enc(group)}/channels/${enc(id)}/messages`];
      warnOnce(
        tenant,
        'the Microsoft 365 group of a channel’s team is not known (Teams names it when the bot is added to the team or installed, and the connector when asked)',
        { channel: id },
      );
      return [];
    }
    return id.startsWith('19:') ? [`chats/${enc(id)}/messages`] : [];
  }

  /** One Graph GET; a token that cannot be had or a Graph that cannot be reached throws CannotLook, a broken connection or a timeout as it came. */
  async function get(tenant: string, url: string): Promise<Response> {
    let token: string;
    try {
      token = await o.token(tenant);
    } catch (err) {
      throw new CannotLook('no Microsoft Graph token could be had for the tenant (check the app id, its secret and its tenant)', {
        err: String((err as Error)?.message ?? err).slice(0, 300),
      });
    }
    try {
      return await fetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
    } catch (err) {
      const code = networkCode(err);
      if ((err as Error)?.name === 'TypeError' && !(code && TRANSIENT_NETWORK.has(code))) {
        throw new CannotLook(`Microsoft Graph cannot be reached (${code ?? (err as Error).message})`, { url: new URL(url).origin });
      }
      throw err;
    }
  }

  /**
   * The message posted under `key`, if Graph lists it among the newest FIND_SENT_PAGES × 50 of its
   * conversation. 429 throws RateLimitedError (Retry-After, else 1 s); 5xx, a timeout or a broken connection
   * is thrown as it came (the engine tries again). What means it cannot look at all (401/403: the permission
   * is not granted; another 4xx than 404; no token; Graph unreachable) is said once per tenant and answers
   * "not found", so the engine posts again: a possible duplicate beats a lost message.
   */
  return async function findSent(target: ChatTarget, key: string): Promise<SentMessage | undefined> {
    if (target.platform !== 'teams') return undefined;
    try {
      return await look(target, key);
    } catch (err) {
      if (!(err instanceof CannotLook)) throw err;
      warnOnce(target.tenant, err.reason, err.detail);
      return undefined;
    }
  };

  async function look(target: ChatTarget, key: string): Promise<SentMessage | undefined> {
    const { tenant } = target;
    for (const list of await listsOf(target)) {
      let url: string | undefined = `${base}/${list}?$top=${PAGE_SIZE}`;
      let listed = false;
      for (let page = 0; page < FIND_SENT_PAGES && url; page++) {
        const res = await get(tenant, url);
        if (res.status === 404) {
          await res.body?.cancel();
          break; // not this chat (or the conversation is gone): the next candidate, else "not found"
        }
        if (res.status === 401 || res.status === 403) {
          warnOnce(
            tenant,
            `Microsoft Graph refused to list messages (${res.status}): grant the app's RSC permissions (ChannelMessage.Read.Group, ChatMessage.Read.Chat) or Chat.Read.WhereInstalled`,
            { list },
          );
          await res.body?.cancel();
          return undefined;
        }
        if (res.status === 429) {
          await res.body?.cancel();
          throw new RateLimitedError(parseRetryAfter(res.headers.get('retry-after')) ?? 1000);
        }
        if (res.status >= 400 && res.status < 500) {
          throw new CannotLook(`Microsoft Graph rejected the request to list messages (${res.status})`, {
            list,
            body: (await res.text()).slice(0, 300),
          });
        }
        if (!res.ok) throw new Error(`Microsoft Graph answered ${res.status} listing ${list}: ${(await res.text()).slice(0, 300)}`);
        listed = true;
        const json = (await res.json()) as { value?: ChatMessage[]; '@odata.nextLink'?: string };
        for (const m of json.value ?? []) {
          const carries = (m.attachments ?? []).some(
            (att) => att.contentType === ADAPTIVE_CARD_CONTENT_TYPE && deliveryKeyOf(att.content) === key,
          );
          if (carries && m.id) return { messageId: m.id };
        }
        const next = json['@odata.nextLink'];
        url = next ? onBaseUrl(base, next) : undefined;
      }
      if (listed) return undefined; // this is the conversation, and (as far back as findSent looks) it holds no such message
    }
    return undefined;
  }
}
