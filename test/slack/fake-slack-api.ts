import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { FakeSocketMode } from './fake-socket-mode.js';

/** One request the fake received: a Web API method (`chat.update`) or `response_url`. */
export interface ApiCall {
  method: string;
  path: string;
  body: Record<string, unknown>;
  auth: string | undefined;
  contentType: string | undefined;
  status: number;
  at: number;
}

/** A message the fake holds, as the bot posted or last updated it. */
export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  /** The metadata it was posted with, as conversations.history returns it with include_all_metadata. */
  metadata?: unknown;
}

/** A workspace the fake serves, with the bot token it was installed with. */
export interface FakeTeam {
  id: string;
  name: string;
  botUserId: string;
  botId: string;
  enterpriseId?: string;
}

/** An OAuth code Slack would hand the redirect, and what oauth.v2.access makes of it. */
export interface FakeGrant {
  team: FakeTeam;
  /** An org-wide install of an Enterprise Grid org (team is then the org's first workspace). */
  org?: boolean;
  /** Token rotation on: the token expires after `expiresIn` seconds and comes with a refresh token. */
  expiresIn?: number;
}

/** A person users.info knows. */
export interface FakeUser {
  id: string;
  name: string;
  locale?: string;
  isBot?: boolean;
  deleted?: boolean;
}

interface Waiter {
  match: (c: ApiCall) => boolean;
  count: number;
  resolve: (calls: ApiCall[]) => void;
}

const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata', 'files']);

/** A file shared through files.getUploadURLExternal → POST upload_url → files.completeUploadExternal. */
export interface SharedFile {
  id: string;
  title: string;
  filename: string;
  /** The bytes that reached the upload URL. */
  bytes: Buffer;
  channel: string;
  initialComment?: string;
  threadTs?: string;
}

interface PendingUpload {
  id: string;
  filename: string;
  length: number;
  bytes?: Buffer;
}

/**
 * A small Slack Web API on 127.0.0.1: auth.test, chat.postMessage, chat.postEphemeral, chat.update, views.open,
 * views.publish, users.info, conversations.info, conversations.open, conversations.history (newest first, paged by cursor, metadata with
 * include_all_metadata), the external file upload (files.getUploadURLExternal, an upload_url on this server,
 * files.completeUploadExternal) and response_url, answering as Slack documents. It records every call (method, parsed body, auth
 * header) and can answer 429 with Retry-After (the next n calls, or every n-th call), or a Slack error, on demand.
 */
export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  readonly messages = new Map<string, StoredMessage>();
  /** Files completed into a channel, in order. */
  readonly files: SharedFile[] = [];
  private readonly uploads = new Map<string, PendingUpload>();
  /** conversations.members of each channel. */
  private readonly memberLists = new Map<string, string[]>();
  /** Channels whose kind and the bot's membership the fake knows; any other channel is a public one the bot is in. */
  private readonly channels = new Map<string, { isPrivate: boolean; isMember: boolean }>();
  /** The Home tab last published for each person (views.publish). */
  readonly homes = new Map<string, { type: string; blocks: unknown[] }>();
  private readonly users = new Map<string, FakeUser>();
  private readonly limited = new Map<string, { times: number; retryAfter: number }>();
  private readonly failures = new Map<string, { times: number; error: string }>();
  private readonly limitedEvery = new Map<string, { every: number; retryAfter: number; seen: number }>();
  private readonly delays = new Map<string, number>();
  private waiters: Waiter[] = [];
  private server: Server | undefined;
  private socket: FakeSocketMode | undefined;
  private port = 0;
  private seq = 0;
  /** Bot tokens of workspaces installed through OAuth (beside the constructor's), and the refresh tokens that renew them. */
  private readonly tokens = new Map<string, { team: FakeTeam; org: boolean; expiresAt?: number }>();
  private readonly refreshTokens = new Map<string, { team: FakeTeam; org: boolean; expiresIn: number; old: string }>();
  private readonly grants = new Map<string, FakeGrant>();
  /** Which workspace each answered call was made for (by its token). */
  readonly teamOfCall = new WeakMap<ApiCall, string>();

  constructor(
    readonly token: string,
    readonly team: FakeTeam = { id: 'T111', name: 'LV Test', botUserId: 'UBOT', botId: 'BBOT' },
  ) {}

  /** A code the next oauth.v2.access exchanges for a bot token of `grant.team` (what Slack's consent page would redirect with). */
  grant(code: string, grant: FakeGrant): void {
    this.grants.set(code, grant);
  }

  /** A workspace whose installation was seeded out of band (a benchmark stores it in the vault itself): its bot token is valid. */
  install(token: string, team: FakeTeam): void {
    this.tokens.set(token, { team, org: false });
  }

  /** Revokes a workspace's bot tokens, as uninstalling the app does. */
  revoke(teamId: string): void {
    for (const [token, t] of this.tokens) if (t.team.id === teamId) this.tokens.delete(token);
  }

  /** The team a bot token belongs to, if it is valid now. */
  private teamOf(auth: string | undefined): { team: FakeTeam; org: boolean } | undefined {
    if (auth === `Bearer ${this.token}`) return { team: this.team, org: false };
    const t = auth?.startsWith('Bearer ') ? this.tokens.get(auth.slice(7)) : undefined;
    if (!t || (t.expiresAt !== undefined && t.expiresAt <= Date.now() / 1000)) return undefined;
    return t;
  }

  /** oauth.v2.access: a code (the install) or a refresh token (rotation) for a bot token, as Slack answers it. */
  private exchange(body: Record<string, unknown>): unknown {
    const issue = (team: FakeTeam, org: boolean, expiresIn?: number) => {
      const token = `xoxb-${team.id}-${++this.seq}-oauth`;
      this.tokens.set(token, { team, org, ...(expiresIn ? { expiresAt: Date.now() / 1000 + expiresIn } : {}) });
      const refresh = expiresIn ? `xoxe-1-${team.id}-${this.seq}` : undefined;
      if (refresh && expiresIn) this.refreshTokens.set(refresh, { team, org, expiresIn, old: token });
      return { token, refresh };
    };
    if (body.grant_type === 'refresh_token') {
      const r = this.refreshTokens.get(String(body.refresh_token));
      if (!r) return { ok: false, error: 'invalid_refresh_token' };
      this.refreshTokens.delete(String(body.refresh_token));
      this.tokens.delete(r.old);
      const { token, refresh } = issue(r.team, r.org, r.expiresIn);
      return {
        ok: true,
        access_token: token,
        token_type: 'bot',
        refresh_token: refresh,
        expires_in: r.expiresIn,
        team: { id: r.team.id, name: r.team.name },
      };
    }
    const g = this.grants.get(String(body.code));
    if (!g) return { ok: false, error: 'invalid_code' };
    this.grants.delete(String(body.code));
    const { token, refresh } = issue(g.team, g.org === true, g.expiresIn);
    return {
      ok: true,
      app_id: 'A111',
      authed_user: { id: 'UINSTALLER' },
      scope: 'commands,chat:write',
      token_type: 'bot',
      access_token: token,
      bot_user_id: g.team.botUserId,
      team: g.org ? null : { id: g.team.id, name: g.team.name },
      enterprise: g.team.enterpriseId ? { id: g.team.enterpriseId, name: 'Grid' } : null,
      is_enterprise_install: g.org === true,
      ...(refresh ? { refresh_token: refresh, expires_in: g.expiresIn } : {}),
    };
  }

  /** Listens on a free loopback port. */
  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
      if (this.socket && req.url?.startsWith('/link/')) this.socket.upgrade(req, socket);
      else socket.destroy();
    });
    this.server = server;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as AddressInfo).port;
  }

  /** Serves Socket Mode for an app-level token: apps.connections.open and the WebSocket it points to. */
  socketMode(appToken: string): FakeSocketMode {
    this.socket = new FakeSocketMode(appToken);
    return this.socket;
  }

  async stop(): Promise<void> {
    this.socket?.close();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The Web API base URL to give the adapter (SLACK_API_URL). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A fresh response_url, as Slack puts in commands and clicks. */
  responseUrl(): string {
    return `http://127.0.0.1:${this.port}/commands/${this.team.id}/${++this.seq}/hook${this.seq}`;
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  /**
   * A channel of the given kind with or without the bot: as Slack does, a private channel the bot is not in does not
   * exist for it (channel_not_found), while a public one can be posted to without joining (chat:write.public).
   */
  addChannel(id: string, o: { isPrivate: boolean; isMember: boolean }): void {
    this.channels.set(id, o);
  }

  /** The user ids conversations.members lists for a channel (people, bots, anyone). */
  setMembers(channel: string, ids: string[]): void {
    this.memberLists.set(channel, ids);
  }

  /** The next `times` calls of `method` (or `response_url`) get HTTP 429 with `Retry-After: retryAfter`. */
  rateLimit(method: string, times = 1, retryAfter = 1): void {
    this.limited.set(method, { times, retryAfter });
  }

  /** From now on every `every`-th call of `method` (counting from this call on) gets HTTP 429 with `Retry-After: retryAfter`. */
  rateLimitEvery(method: string, every: number, retryAfter = 1): void {
    this.limitedEvery.set(method, { every, retryAfter, seen: 0 });
  }

  /** Every answered call of `method` takes effect at once but is answered `ms` later (the message exists before the poster hears so). */
  delay(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** The messages of a channel, oldest first. */
  history(channel: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel);
  }

  /** The next `times` calls of `method` answer `{ ok: false, error }`. */
  fail(method: string, error: string, times = 1): void {
    this.failures.set(method, { times, error });
  }

  /** Calls that Slack answered (not rate-limited), optionally of one method. */
  answered(method?: string): ApiCall[] {
    return this.calls.filter((c) => c.status === 200 && (!method || c.method === method));
  }

  /** Resolves when at least `count` calls match, counting those already recorded. */
  waitFor(match: (c: ApiCall) => boolean, count = 1): Promise<ApiCall[]> {
    const now = this.calls.filter(match);
    if (now.length >= count) return Promise.resolve(now);
    return new Promise((resolve) => this.waiters.push({ match, count, resolve }));
  }

  /** Resolves when `count` answered calls of `method` have arrived. */
  waitForMethod(method: string, count = 1): Promise<ApiCall[]> {
    return this.waitFor((c) => c.method === method && c.status === 200, count);
  }

  private record(call: ApiCall): void {
    this.calls.push(call);
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      const matched = this.calls.filter(w.match);
      if (matched.length >= w.count) w.resolve(matched);
      else still.push(w);
    }
    this.waiters = still;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const contentType = req.headers['content-type'];
    if (req.url?.startsWith('/upload/')) {
      await this.receiveUpload(req.url, Buffer.concat(chunks), contentType, res);
      return;
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = parseBody(raw, contentType);
    const path = req.url ?? '/';
    const method = path.startsWith('/api/') ? path.slice(5).split('?')[0]! : path.startsWith('/commands/') ? 'response_url' : 'unknown';
    const auth = req.headers.authorization;
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      this.record({ method, path, body, auth, contentType, status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    const limit = this.limited.get(method);
    if (limit && limit.times > 0) {
      limit.times--;
      send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limit.retryAfter) });
      return;
    }
    const periodic = this.limitedEvery.get(method);
    if (periodic && ++periodic.seen % periodic.every === 0) {
      send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(periodic.retryAfter) });
      return;
    }
    if (method === 'response_url') {
      send(200, { ok: true });
      return;
    }
    if (method === 'apps.connections.open') {
      const ok = this.socket && auth === `Bearer ${this.socket.appToken}`;
      send(
        200,
        ok ? { ok: true, url: `ws://127.0.0.1:${this.port}/link/?ticket=${++this.seq}&app_id=A111` } : { ok: false, error: 'invalid_auth' },
      );
      return;
    }
    if (method === 'oauth.v2.access') {
      send(200, this.exchange(body));
      return;
    }
    const caller = this.teamOf(auth);
    if (!caller) {
      send(200, { ok: false, error: auth ? 'invalid_auth' : 'not_authed' });
      return;
    }
    const failure = this.failures.get(method);
    if (failure && failure.times > 0) {
      failure.times--;
      send(200, { ok: false, error: failure.error });
      return;
    }
    const answer = this.answer(method, body, caller);
    const ms = this.delays.get(method);
    if (ms) await new Promise((r) => setTimeout(r, ms));
    send(200, answer);
    this.teamOfCall.set(this.calls.at(-1)!, caller.team.id);
  }

  /** The upload URL's side: keeps the bytes (raw, or the one file part of a multipart body) for the file id. */
  private async receiveUpload(url: string, raw: Buffer, contentType: string | undefined, res: ServerResponse): Promise<void> {
    const id = url.split('/').at(-1)?.split('?')[0] ?? '';
    const upload = this.uploads.get(id);
    let bytes = raw;
    if (contentType?.startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
      const file = [...form.values()].find((v) => typeof v !== 'string');
      bytes = file && typeof file !== 'string' ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
    }
    const ok = Boolean(upload) && req200(bytes, upload);
    this.record({
      method: 'upload_url',
      path: url,
      body: { length: bytes.length },
      auth: undefined,
      contentType,
      status: ok ? 200 : 400,
      at: Date.now(),
    });
    if (ok) upload!.bytes = bytes;
    res.writeHead(ok ? 200 : 400, { 'content-type': 'text/plain' });
    res.end(ok ? `OK - ${bytes.length}` : 'bad upload');
  }

  private nextTs(): string {
    return `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
  }

  private answer(method: string, b: Record<string, unknown>, caller: { team: FakeTeam; org: boolean }): unknown {
    const str = (k: string) => (typeof b[k] === 'string' ? b[k] : '');
    const t = caller.team;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://lv-test.slack.com/',
          team: t.name,
          user: 'lv-bot',
          team_id: t.id,
          user_id: t.botUserId,
          bot_id: t.botId,
          ...(t.enterpriseId ? { enterprise_id: t.enterpriseId } : {}),
          is_enterprise_install: caller.org,
        };
      case 'chat.postMessage': {
        const known = this.channels.get(str('channel'));
        if (!str('channel') || (known?.isPrivate && !known.isMember)) return { ok: false, error: 'channel_not_found' };
        const channel = /^[UW]/.test(str('channel')) ? `D${str('channel').slice(1)}` : str('channel');
        const ts = this.nextTs();
        const blocks = (b.blocks as unknown[]) ?? [];
        this.messages.set(`${channel}:${ts}`, { channel, ts, text: str('text'), blocks, ...(b.metadata ? { metadata: b.metadata } : {}) });
        return {
          ok: true,
          channel,
          ts,
          message: { type: 'message', subtype: 'bot_message', text: str('text'), ts, username: 'lv-bot', bot_id: t.botId, blocks },
        };
      }
      case 'chat.postEphemeral':
        if (!str('channel') || !str('user')) return { ok: false, error: 'invalid_arguments' };
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.update': {
        const key = `${str('channel')}:${str('ts')}`;
        const msg = this.messages.get(key);
        if (!msg) return { ok: false, error: 'message_not_found' };
        const blocks = (b.blocks as unknown[]) ?? [];
        this.messages.set(key, { ...msg, text: str('text'), blocks });
        return { ok: true, channel: msg.channel, ts: msg.ts, text: str('text'), message: { text: str('text'), user: t.botUserId, blocks } };
      }
      case 'conversations.open': {
        const users = str('users');
        if (!/^[UW][A-Z0-9]*$/.test(users)) return { ok: false, error: users ? 'user_not_found' : 'not_enough_users' };
        return { ok: true, channel: { id: `D${users.slice(1)}` } };
      }
      case 'conversations.history': {
        const channel = str('channel');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const limit = Math.min(Math.max(Number(b.limit ?? 100) || 100, 1), 999);
        const offset = str('cursor')
          ? Number(
              Buffer.from(str('cursor'), 'base64')
                .toString('utf8')
                .replace(/^offset:/, ''),
            ) || 0
          : 0;
        const withMeta = b.include_all_metadata === true || b.include_all_metadata === 'true';
        const newestFirst = this.history(channel).sort((x, y) => (x.ts < y.ts ? 1 : x.ts > y.ts ? -1 : 0));
        const page = newestFirst.slice(offset, offset + limit);
        const hasMore = offset + limit < newestFirst.length;
        return {
          ok: true,
          messages: page.map((m) => ({
            type: 'message',
            subtype: 'bot_message',
            text: m.text,
            ts: m.ts,
            bot_id: t.botId,
            blocks: m.blocks,
            ...(withMeta && m.metadata ? { metadata: m.metadata } : {}),
          })),
          has_more: hasMore,
          pin_count: 0,
          ...(hasMore ? { response_metadata: { next_cursor: Buffer.from(`offset:${offset + limit}`).toString('base64') } } : {}),
        };
      }
      case 'views.open': {
        if (!str('trigger_id')) return { ok: false, error: 'invalid_trigger_id' };
        const view = (b.view ?? {}) as Record<string, unknown>;
        const id = `V${String(++this.seq).padStart(8, '0')}`;
        return {
          ok: true,
          view: {
            id,
            team_id: t.id,
            type: 'modal',
            ...view,
            state: { values: {} },
            hash: `${Math.floor(Date.now() / 1000)}.${id}`,
            clear_on_close: false,
            notify_on_close: false,
            root_view_id: id,
            app_id: 'A111',
            external_id: '',
            bot_id: t.botId,
          },
        };
      }
      case 'files.getUploadURLExternal': {
        const length = Number(b.length);
        if (!str('filename') || !Number.isInteger(length) || length < 1) return { ok: false, error: 'invalid_arguments' };
        const id = `F${String(++this.seq).padStart(9, '0')}`;
        this.uploads.set(id, { id, filename: str('filename'), length });
        return { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/v1/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = Array.isArray(b.files) ? (b.files as Array<{ id?: string; title?: string }>) : [];
        if (files.length === 0) return { ok: false, error: 'invalid_arguments' };
        const done: SharedFile[] = [];
        for (const f of files) {
          const upload = this.uploads.get(f.id ?? '');
          if (!upload?.bytes) return { ok: false, error: 'file_not_found' };
          done.push({
            id: upload.id,
            title: f.title ?? upload.filename,
            filename: upload.filename,
            bytes: upload.bytes,
            channel: str('channel_id'),
            ...(str('initial_comment') ? { initialComment: str('initial_comment') } : {}),
            ...(str('thread_ts') ? { threadTs: str('thread_ts') } : {}),
          });
        }
        for (const f of done) {
          this.uploads.delete(f.id);
          if (f.channel) this.files.push(f);
        }
        return {
          ok: true,
          files: done.map((f) => ({
            id: f.id,
            name: f.filename,
            title: f.title,
            size: f.bytes.length,
            ...(f.channel ? { channels: [f.channel] } : {}),
          })),
        };
      }
      case 'conversations.info': {
        const id = str('channel');
        if (!id) return { ok: false, error: 'channel_not_found' };
        if (/^D/.test(id)) return { ok: true, channel: { id, is_im: true, is_member: true } };
        const known = this.channels.get(id) ?? { isPrivate: false, isMember: true };
        if (known.isPrivate && !known.isMember) return { ok: false, error: 'channel_not_found' };
        return {
          ok: true,
          channel: {
            id,
            name: id.toLowerCase(),
            is_channel: !known.isPrivate,
            is_group: known.isPrivate,
            is_private: known.isPrivate,
            is_member: known.isMember,
          },
        };
      }
      case 'views.publish': {
        const view = (b.view ?? {}) as { type?: string; blocks?: unknown[] };
        if (!str('user_id') || view.type !== 'home') return { ok: false, error: 'invalid_arguments' };
        this.homes.set(str('user_id'), { type: 'home', blocks: view.blocks ?? [] });
        return { ok: true, view: { id: `V${++this.seq}`, type: 'home', blocks: view.blocks ?? [] } };
      }
      case 'conversations.members': {
        const list = this.memberLists.get(str('channel'));
        if (!list) return { ok: false, error: 'channel_not_found' };
        const limit = Math.min(Math.max(Number(b.limit ?? 100) || 100, 1), 1000);
        const offset = str('cursor')
          ? Number(
              Buffer.from(str('cursor'), 'base64')
                .toString('utf8')
                .replace(/^user:/, ''),
            ) || 0
          : 0;
        const next = offset + limit < list.length ? Buffer.from(`user:${offset + limit}`).toString('base64') : '';
        return { ok: true, members: list.slice(offset, offset + limit), response_metadata: { next_cursor: next } };
      }
      case 'users.info': {
        const u = this.users.get(str('user'));
        if (!u) return { ok: false, error: 'user_not_found' };
        const include = b.include_locale === true || b.include_locale === 'true';
        return {
          ok: true,
          user: {
            id: u.id,
            team_id: t.id,
            name: u.name,
            real_name: u.name,
            deleted: u.deleted ?? false,
            tz: 'Europe/Helsinki',
            is_bot: u.isBot ?? false,
            ...(include && u.locale ? { locale: u.locale } : {}),
          },
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** Whether an upload carried exactly the length its upload URL was asked for. */
function req200(bytes: Buffer, upload: PendingUpload | undefined): boolean {
  return upload !== undefined && bytes.length === upload.length;
}

/** The body as Slack would read it: form fields (JSON-valued ones parsed) or JSON. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.has(k)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // leave as text
      }
    }
    out[k] = v;
  }
  return out;
}
