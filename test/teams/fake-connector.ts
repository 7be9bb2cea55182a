import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGraph, GRAPH_TOKEN } from './fake-graph.js';

/** One request the bot made to the connector, as recorded. */
export interface ConnectorCall {
  seq: number;
  at: number;
  method: string;
  path: string;
  kind:
    | 'send'
    | 'reply'
    | 'update'
    | 'create-conversation'
    | 'get-member'
    | 'paged-members'
    | 'team-details'
    | 'team-channels'
    | 'upload'
    | 'graph-channel-messages'
    | 'graph-chat-messages'
    | 'other';
  conversationId?: string;
  /** The activity replied to (reply) or updated (update). */
  activityId?: string;
  body: any;
  /** The status the fake answered. */
  status: number;
  /** The id the fake gave a created activity or conversation. */
  createdId?: string;
}

/** A OneDrive upload session, as Teams puts it in a file consent accept (`uploadInfo`), and what was PUT to it. */
export interface UploadSession {
  info: { contentUrl: string; name: string; uploadUrl: string; uniqueId: string; fileType: string };
  /** The bytes of a complete, well-formed PUT (Content-Range covering the whole file). */
  bytes?: Buffer;
}

export interface Member {
  id: string;
  name: string;
  aadObjectId: string;
}

/** The error code an injected failure carries, by status. */
const ERROR_CODES: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 429: 'Throttled' };

/** A planned failure: the next `times` requests matching `match` get `status` (and Retry-After). */
interface Failure {
  match: (c: Pick<ConnectorCall, 'method' | 'kind' | 'conversationId'>) => boolean;
  status: number;
  retryAfter?: string;
  times: number;
}

/**
 * A small Bot Framework connector on 127.0.0.1: the REST calls a bot makes to Teams
 * (send, reply, update, create conversation, get member, team details), recorded, with failures on demand; and the
 * OneDrive upload URL of a file consent accept (`uploadSession`), which takes one PUT with a Content-Range;
 * and, under `graph/v1.0/`, the Microsoft Graph message lists of what it received (`graph`, fake-graph.ts),
 * which answer 401 without the bearer token GRAPH_TOKEN. `fail` plans failures of either.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private readonly events = new EventEmitter();
  private readonly members = new Map<string, Member>();
  private readonly failures: Failure[] = [];
  /** The members GET /v3/conversations/{id}/pagedmembers lists, per conversation (a channel, its team, a chat). */
  private readonly conversationMembers = new Map<string, Member[]>();
  /** The teams GET /v3/teams/{id} describes: team id → its name and Microsoft 365 group id. */
  private readonly teams = new Map<string, { name: string; aadGroupId: string; channels: Array<{ id: string; name: string }> }>();
  /** Upload sessions by id. */
  readonly uploads = new Map<string, UploadSession>();
  /** Microsoft Graph's view of the conversations: what findSent reads. */
  readonly graph = new FakeGraph({ calls: this.calls, baseUrl: () => this.url, aadOf: (id) => this.members.get(id)?.aadObjectId });
  private server: Server | undefined;
  private seq = 0;
  private ids = 0;
  url = '';

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  addMember(m: Member): void {
    this.members.set(m.id, m);
  }

  /**
   * Makes GET /v3/teams/{teamId} (TeamsInfo.getTeamDetails) answer with the team's group id, and
   * GET /v3/teams/{teamId}/conversations (TeamsInfo.getTeamChannels) with its channels; unknown teams get 404.
   */
  addTeam(teamId: string, aadGroupId: string, name = 'Project team', channels: Array<{ id: string; name: string }> = []): void {
    this.teams.set(teamId, { name, aadGroupId, channels });
  }

  /** The next `times` matching requests are answered with `status` (e.g. 429 with Retry-After). */
  fail(opts: { status: number; retryAfter?: string; times?: number; match?: Failure['match'] }): void {
    this.failures.push({
      status: opts.status,
      times: opts.times ?? 1,
      match: opts.match ?? (() => true),
      ...(opts.retryAfter !== undefined ? { retryAfter: opts.retryAfter } : {}),
    });
  }

  /** Makes the upload session Teams would create in the person's OneDrive when they accept a file named `name`. */
  uploadSession(name: string): UploadSession['info'] {
    const id = `${++this.ids}A1B2C3D4-E5F6`;
    const info = {
      contentUrl: `${this.url}drive/personal/Documents/Applications/lv-bot/${encodeURIComponent(name)}`,
      name,
      uploadUrl: `${this.url}upload/${id}`,
      uniqueId: id,
      fileType: name.split('.').at(-1) ?? '',
    };
    this.uploads.set(id, { info });
    return info;
  }

  /** Sets who the paged member list of a conversation returns. */
  setConversationMembers(conversationId: string, members: Member[]): void {
    this.conversationMembers.set(conversationId, members);
  }

  /** Forgets the calls recorded so far (what setting a test up sent, such as the welcome), so a test counts only its own. */
  forget(kind?: ConnectorCall['kind']): void {
    for (let i = this.calls.length - 1; i >= 0; i--) if (!kind || this.calls[i]!.kind === kind) this.calls.splice(i, 1);
  }

  /** Successful calls of a kind, in order. */
  delivered(kind?: ConnectorCall['kind']): ConnectorCall[] {
    return this.calls.filter((c) => c.status < 300 && (!kind || c.kind === kind));
  }

  /** Resolves with the first recorded call (past or future) that matches. */
  waitFor(pred: (c: ConnectorCall) => boolean, timeoutMs = 10_000): Promise<ConnectorCall> {
    const found = this.calls.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('call', listener);
        reject(
          new Error(
            `fake connector: no matching call in ${timeoutMs} ms; calls: ${this.calls.map((c) => `${c.method} ${c.path} ${c.status}`).join(', ')}`,
          ),
        );
      }, timeoutMs);
      const listener = (c: ConnectorCall) => {
        if (!pred(c)) return;
        clearTimeout(timer);
        this.events.off('call', listener);
        resolve(c);
      };
      this.events.on('call', listener);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    if (req.url?.startsWith('/upload/')) {
      this.receiveUpload(req, bytes, res);
      return;
    }
    const raw = bytes.toString('utf8');
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/{2,}/g, '/');
    const parts = path
      .split('/')
      .filter(Boolean)
      .map((p) => decodeURIComponent(p));
    const call: ConnectorCall = { seq: ++this.seq, at: Date.now(), method, path, kind: 'other', body, status: 404 };
    const graphList = this.graph.route(method, parts);
    if (graphList) {
      call.kind = graphList.kind;
      call.conversationId = graphList.kind === 'graph-chat-messages' ? graphList.chat : graphList.channel;
      if (req.headers.authorization !== `Bearer ${GRAPH_TOKEN}`) {
        call.status = 401;
        this.record(call);
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } }));
        return;
      }
    }
    if (parts[0] === 'v3' && parts[1] === 'conversations') {
      const conversationId = parts[2];
      if (conversationId) call.conversationId = conversationId;
      if (method === 'POST' && parts.length === 2) call.kind = 'create-conversation';
      else if (method === 'POST' && parts.length === 4 && parts[3] === 'activities') call.kind = 'send';
      else if (method === 'POST' && parts.length === 5 && parts[3] === 'activities') {
        call.kind = 'reply';
        call.activityId = parts[4]!;
      } else if (method === 'PUT' && parts.length === 5 && parts[3] === 'activities') {
        call.kind = 'update';
        call.activityId = parts[4]!;
      } else if (method === 'GET' && parts.length === 4 && parts[3] === 'pagedmembers') {
        call.kind = 'paged-members';
      } else if (method === 'GET' && parts.length === 5 && parts[3] === 'members') {
        call.kind = 'get-member';
        call.activityId = parts[4]!;
      }
    }
    if (method === 'GET' && parts[0] === 'v3' && parts[1] === 'teams' && parts.length === 3) call.kind = 'team-details';
    if (method === 'GET' && parts[0] === 'v3' && parts[1] === 'teams' && parts.length === 4 && parts[3] === 'conversations')
      call.kind = 'team-channels';
    const failure = this.failures.find((f) => f.times > 0 && f.match(call));
    if (failure) {
      failure.times -= 1;
      call.status = failure.status;
      this.record(call);
      res.writeHead(failure.status, {
        'content-type': 'application/json',
        ...(failure.retryAfter !== undefined ? { 'retry-after': failure.retryAfter } : {}),
      });
      res.end(JSON.stringify({ error: { code: ERROR_CODES[failure.status] ?? 'ServiceError', message: 'fake failure' } }));
      return;
    }
    let answer: unknown;
    switch (call.kind) {
      case 'send':
      case 'reply':
        call.createdId = `act-${++this.ids}`;
        call.status = 201;
        answer = { id: call.createdId };
        break;
      case 'update':
        call.status = 200;
        answer = { id: call.activityId };
        break;
      case 'create-conversation':
        call.createdId = `a:fake-conversation-${++this.ids}`;
        call.status = 201;
        answer = { id: call.createdId, serviceUrl: this.url };
        break;
      case 'paged-members': {
        const all = this.conversationMembers.get(call.conversationId ?? '');
        const query = new URL(req.url ?? '/', 'http://x').searchParams;
        const size = Math.min(Number(query.get('pageSize') ?? 50) || 50, 500);
        const from = Number(query.get('continuationToken') ?? 0) || 0;
        call.status = all ? 200 : 404;
        const page = (all ?? []).slice(from, from + size).map((m) => ({
          id: m.id,
          name: m.name,
          aadObjectId: m.aadObjectId,
          userPrincipalName: `${m.name}@example.test`,
          tenantId: 'fake',
          userRole: 'user',
        }));
        answer = all
          ? { members: page, ...(from + size < all.length ? { continuationToken: String(from + size) } : {}) }
          : { error: { code: 'ConversationNotFound' } };
        break;
      }
      case 'get-member': {
        const m = this.members.get(call.activityId ?? '');
        call.status = m ? 200 : 404;
        answer = m
          ? { id: m.id, name: m.name, aadObjectId: m.aadObjectId, userPrincipalName: `${m.name}@example.test` }
          : { error: { code: 'MemberNotFound' } };
        break;
      }
      case 'team-details': {
        const team = this.teams.get(parts[2]!);
        call.status = team ? 200 : 404;
        answer = team
          ? { id: parts[2], name: team.name, aadGroupId: team.aadGroupId, type: 'standard' }
          : { error: { code: 'NotFound', message: 'No such team.' } };
        break;
      }
      case 'team-channels': {
        // TeamsInfo.getTeamChannels: the General channel (the team's own id) has no name.
        const team = this.teams.get(parts[2]!);
        call.status = team ? 200 : 404;
        answer = team
          ? { conversations: [{ id: parts[2] }, ...team.channels.map((c) => ({ id: c.id, name: c.name }))] }
          : { error: { code: 'NotFound', message: 'No such team.' } };
        break;
      }
      case 'graph-channel-messages':
      case 'graph-chat-messages': {
        const out = this.graph.list(graphList!, path, new URL(req.url ?? '/', 'http://x').searchParams);
        call.status = out.status;
        answer = out.body;
        break;
      }
      default:
        answer = { error: { code: 'NotFound' } };
    }
    this.record(call);
    res.writeHead(call.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  }

  /** A PUT to an upload URL: the whole file in one range, as OneDrive's upload session takes it. */
  private receiveUpload(req: IncomingMessage, bytes: Buffer, res: ServerResponse): void {
    const id = (req.url ?? '').split('/').at(-1) ?? '';
    const session = this.uploads.get(id);
    const range = /^bytes 0-(\d+)\/(\d+)$/.exec(String(req.headers['content-range'] ?? ''));
    const whole = range !== null && Number(range[1]) === bytes.length - 1 && Number(range[2]) === bytes.length;
    const status = !session ? 404 : req.method !== 'PUT' || !whole || session.bytes ? 400 : 201;
    if (status === 201) session!.bytes = bytes;
    this.record({
      seq: ++this.seq,
      at: Date.now(),
      method: req.method ?? 'PUT',
      path: req.url ?? '',
      kind: 'upload',
      body: { length: bytes.length, range: req.headers['content-range'] },
      status,
    });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        status === 201 ? { id, name: session!.info.name, size: bytes.length, file: {} } : { error: { code: 'invalidRequest' } },
      ),
    );
  }

  private record(call: ConnectorCall): void {
    this.calls.push(call);
    this.events.emit('call', call);
  }
}
