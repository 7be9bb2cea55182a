import type { ChannelRef, Lang, Platform, Project } from '../domain/types.js';

/** A project as read, with what an optimistic commit must check against. */
export interface Loaded {
  project: Project;
  version: number;
  /** Hash of the project's newest audit event: the next event chains to it. */
  head: string;
}

/** What a use-case says about a change; the store adds the chain hashes. */
export interface AuditInput {
  at: string;
  actor: string;
  platform: Platform;
  action: string;
  target?: string;
  before?: unknown;
  after?: unknown;
  idem?: string;
}

/** A stored audit event: each carries the hash of the one before it. */
export interface AuditEvent extends AuditInput {
  id: string;
  project: string;
  prev: string;
  hash: string;
  /** The event exactly as stored (the JSON the hash was taken of), for verifiable exports. */
  body?: string;
}

/** What an optimistic commit found. */
export type CommitResult = 'ok' | 'conflict' | 'duplicate';

/** What an inbound reads first, asked of the store together (`ProjectStore.prefetch`). */
export interface Prefetched {
  /** The person's chosen language, if any. */
  lang?: Lang;
  /** The project bound to the conversation, if any. */
  bound?: string;
  /** The project a pressed button names, as stored now (absent when there is none or it names none). */
  named?: { projectId: string; loaded: Loaded | undefined };
}

/** Persistence of projects, their audit trails and people's preferences, scoped by tenant. */
export interface ProjectStore {
  /**
   * The reads every inbound starts with (the person's language, the conversation's project, the project a button
   * names) in one round trip instead of three in turn: a button press is mostly these reads.
   */
  prefetch(tenant: string, userId: string, channel: ChannelRef, projectId?: string): Promise<Prefetched>;
  /** The project bound to a conversation, if any. */
  projectIdFor(tenant: string, channel: ChannelRef): Promise<string | undefined>;
  load(tenant: string, projectId: string): Promise<Loaded | undefined>;
  /** Creates a project bound to its channel, with its first audit event; refuses a channel that has one. */
  create(project: Project, event: AuditInput): Promise<{ created: true } | { created: false; existing: string }>;
  /** Writes the change and its audit event in one atomic step, if nobody changed the project meanwhile. */
  commit(loaded: Loaded, next: Project, event: AuditInput, idemKey?: string): Promise<CommitResult>;
  auditTrail(tenant: string, projectId: string): Promise<AuditEvent[]>;
  projectIds(tenant: string): Promise<string[]>;
  /** Every tenant with a project, for the daily reminder plan; backfill first scans for tenants the index missed. */
  tenants(backfill?: boolean): Promise<string[]>;
  /** Tenants whose platform removed the bot (the Slack app uninstalled): nothing is planned or sent for them until it is back. */
  suspendedTenants(): Promise<Set<string>>;
  /** Marks a tenant as removed (true) or back (false). */
  setSuspended(tenant: string, suspended: boolean): Promise<void>;
  userLang(tenant: string, userId: string): Promise<Lang | undefined>;
  setUserLang(tenant: string, userId: string, lang: Lang): Promise<void>;
}
