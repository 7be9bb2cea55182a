import type { ConnectorCall } from './fake-connector.js';

/** The bearer token the fake Graph accepts (the tests' token source hands it out). */
export const GRAPH_TOKEN = 'fake-graph-token';

/** Graph's documented page size for message lists, and its most. */
const DEFAULT_TOP = 20;
const MAX_TOP = 50;

/** A Graph message list a request names: a team's channel, or a chat. */
export type GraphList = { kind: 'graph-channel-messages'; team: string; channel: string } | { kind: 'graph-chat-messages'; chat: string };

/** What the fake Graph reads from the connector it sits beside. */
export interface GraphSource {
  readonly calls: readonly ConnectorCall[];
  /** The connector's base URL (`http://127.0.0.1:<port>/`); Graph lives under `graph/v1.0/`. */
  baseUrl(): string;
  /** A member's Microsoft Entra object id, by their Teams id, if the connector knows them. */
  aadOf(teamsId: string): string | undefined;
}

/**
 * The two Microsoft Graph message lists findSent reads, served from what the fake connector received:
 * `GET /teams/{team}/channels/{channel}/messages` (the channel's top-level posts, not thread replies) and
 * `GET /chats/{chat}/messages`, as documented chatMessage objects (newest first, a bot's card as an
 * attachment whose `content` is the card JSON as a string), `$top` up to 50, `@odata.nextLink` paging.
 * A personal chat the bot opened is `19:<member's object id>_<bot's app id>@unq.gbl.spaces`, as in Teams.
 */
export class FakeGraph {
  /** Channel id → the team's group id, for the channels Graph knows. */
  private readonly channels = new Map<string, string>();
  /** Graph chat id → the connector's conversation id, where the two differ. */
  private readonly aliases = new Map<string, string>();

  constructor(private readonly source: GraphSource) {}

  /** The Graph base URL the adapter is given (`…/graph/v1.0`). */
  get url(): string {
    return `${this.source.baseUrl()}graph/v1.0`;
  }

  /** Makes a channel listable as part of a team (Graph names teams by their group id). */
  addChannel(teamAadGroupId: string, channelId: string): void {
    this.channels.set(channelId, teamAadGroupId);
  }

  /** Names a connector conversation (a personal chat's `a:…`) by its Graph chat id. */
  linkChat(graphChatId: string, conversationId: string): void {
    this.aliases.set(graphChatId, conversationId);
  }

  /** The list a request path names (`['graph', 'v1.0', …]`), if it is one of the two. */
  route(method: string, parts: readonly string[]): GraphList | undefined {
    if (method !== 'GET' || parts[0] !== 'graph' || parts[1] !== 'v1.0') return undefined;
    const p = parts.slice(2);
    if (p.length === 5 && p[0] === 'teams' && p[2] === 'channels' && p[4] === 'messages')
      return { kind: 'graph-channel-messages', team: p[1]!, channel: p[3]! };
    if (p.length === 3 && p[0] === 'chats' && p[2] === 'messages') return { kind: 'graph-chat-messages', chat: p[1]! };
    return undefined;
  }

  /** The answer to a list request: a page of messages, or Graph's error shape. */
  list(list: GraphList, path: string, query: URLSearchParams): { status: number; body: unknown } {
    const top = Number(query.get('$top') ?? DEFAULT_TOP);
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) return error(400, 'BadRequest', `$top must be 1 to ${MAX_TOP}`);
    const all = list.kind === 'graph-channel-messages' ? this.channelMessages(list) : this.chatMessages(list.chat);
    if (!all) return error(404, 'NotFound', 'No such team, channel or chat.');
    const from = Number(Buffer.from(query.get('$skiptoken') ?? '', 'base64url').toString('utf8')) || 0;
    const page = all.slice(from, from + top);
    const next =
      from + top < all.length
        ? `${this.source.baseUrl()}${path.replace(/^\//, '')}?$top=${top}&$skiptoken=${Buffer.from(String(from + top)).toString('base64url')}`
        : undefined;
    return {
      status: 200,
      body: {
        '@odata.context': `${this.url}/$metadata#messages`,
        '@odata.count': page.length,
        ...(next ? { '@odata.nextLink': next } : {}),
        value: page,
      },
    };
  }

  /** A channel's top-level posts, newest first; undefined when Graph does not know the channel in that team. */
  private channelMessages(list: Extract<GraphList, { kind: 'graph-channel-messages' }>): unknown[] | undefined {
    if (this.channels.get(list.channel) !== list.team) return undefined;
    return this.posts((c) => c.conversationId === list.channel).map((c) =>
      this.message(c, { channelIdentity: { teamId: list.team, channelId: list.channel }, chatId: null }),
    );
  }

  /** A chat's messages, newest first; undefined for a chat the connector never saw. */
  private chatMessages(chat: string): unknown[] | undefined {
    const ids = new Set([chat, this.aliases.get(chat) ?? chat]);
    for (const c of this.source.calls)
      if (c.kind === 'create-conversation' && c.createdId && this.personalChatId(c) === chat) ids.add(c.createdId);
    const seen = (id: string) =>
      this.source.calls.some((c) => !c.kind.startsWith('graph-') && (c.conversationId === id || c.createdId === id));
    if (![...ids].some(seen)) return undefined;
    return this.posts((c) => ids.has(c.conversationId ?? '')).map((c) => this.message(c, { channelIdentity: null, chatId: chat }));
  }

  /** The Graph id of the personal chat a create-conversation call opened. */
  private personalChatId(c: ConnectorCall): string | undefined {
    const member = c.body?.members?.[0]?.id;
    const bot = String(c.body?.bot?.id ?? '').replace(/^28:/, '');
    return typeof member === 'string' && bot ? `19:${this.source.aadOf(member) ?? member}_${bot}@unq.gbl.spaces` : undefined;
  }

  /** The successful sends and replies that match, newest first (the connector's call order). */
  private posts(match: (c: ConnectorCall) => boolean): ConnectorCall[] {
    return this.source.calls
      .filter((c) => (c.kind === 'send' || c.kind === 'reply') && c.status < 300 && c.createdId && match(c))
      .reverse();
  }

  /** A recorded post as a chatMessage, with the latest update's cards (an updated card shows its new state). */
  private message(c: ConnectorCall, where: { channelIdentity: unknown; chatId: string | null }): Record<string, unknown> {
    const update = this.source.calls.filter((u) => u.kind === 'update' && u.status < 300 && u.activityId === c.createdId).at(-1);
    const activity = update?.body ?? c.body ?? {};
    const at = new Date(c.at).toISOString();
    const attachments = (activity.attachments ?? []).map((a: any, i: number) => ({
      id: `${c.createdId}-${i}`,
      contentType: a.contentType,
      contentUrl: a.contentUrl ?? null,
      content: a.content === undefined ? null : JSON.stringify(a.content),
      name: a.name ?? null,
      thumbnailUrl: null,
      teamsAppId: null,
    }));
    return {
      id: c.createdId,
      replyToId: c.kind === 'reply' ? (c.activityId ?? null) : null,
      etag: String(c.at),
      messageType: 'message',
      createdDateTime: at,
      lastModifiedDateTime: update ? new Date(update.at).toISOString() : at,
      lastEditedDateTime: null,
      deletedDateTime: null,
      subject: null,
      summary: null,
      ...where,
      importance: 'normal',
      locale: 'en-us',
      webUrl: null,
      policyViolation: null,
      eventDetail: null,
      from: {
        application: {
          '@odata.type': '#microsoft.graph.teamworkApplicationIdentity',
          id: String(activity.from?.id ?? '').replace(/^28:/, ''),
          displayName: activity.from?.name ?? 'lv-bot',
          applicationIdentityType: 'bot',
        },
        device: null,
        user: null,
      },
      body: {
        contentType: 'html',
        content: `${activity.text ?? ''}${attachments.map((a: { id: string }) => `<attachment id="${a.id}"></attachment>`).join('')}`,
      },
      attachments,
      mentions: [],
      reactions: [],
    };
  }
}

/** Graph's error shape. */
function error(status: number, code: string, message: string): { status: number; body: unknown } {
  return { status, body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': 'fake' } } } };
}
