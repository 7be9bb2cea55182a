import { accept, draft, refuse, unchanged, type Change } from './change.js';
import { requireRole } from './roles.js';
import type { Announcement, ChannelRef, CommsGroup, Decision, Lang, Project } from './types.js';

/** Who may change the communications plan. */
const EDITORS = ['coordinator', 'decider'] as const;

/** A group by id (case-insensitive). */
export function findGroup(project: Project, id: string): CommsGroup | undefined {
  const key = id.toLowerCase();
  return project.comms.find((g) => g.id === key);
}

function withGroup(project: Project, userId: string, id: string, edit: (g: CommsGroup) => boolean, action: string, after: unknown): Change {
  const denied = requireRole(project, userId, ...EDITORS);
  if (denied) return denied;
  const next = draft(project);
  const group = findGroup(next, id);
  if (!group) return refuse('comms.group-unknown', { group: id, groups: project.comms.map((g) => g.id).join(', ') });
  if (!edit(group)) return unchanged(project);
  return accept(next, { action, target: group.id, after });
}

/** Adds a target group of the project's own (`comms group add <id> <name>`). */
export function addGroup(project: Project, userId: string, id: string, name: string | undefined): Change {
  const denied = requireRole(project, userId, ...EDITORS);
  if (denied) return denied;
  const key = id.toLowerCase();
  if (findGroup(project, key)) return unchanged(project);
  const next = draft(project);
  const group: CommsGroup = { id: key, ...(name ? { name } : {}), channels: [], languages: [...project.languages], texts: {} };
  next.comms.push(group);
  return accept(next, { action: 'comms.group-add', target: key, after: { name } });
}

/** Adds a channel (Slack, Teams or console conversation) to a group. */
export function addChannel(project: Project, userId: string, id: string, channel: ChannelRef): Change {
  return withGroup(
    project,
    userId,
    id,
    (g) => {
      if (g.channels.some((c) => c.platform === channel.platform && c.id === channel.id)) return false;
      g.channels.push(channel);
      return true;
    },
    'comms.channel',
    channel,
  );
}

/** Takes a channel off a group (`comms remove channel <group> <channel>`); the removal, with the channel, is audited. */
export function removeChannel(project: Project, userId: string, id: string, channel: ChannelRef): Change {
  const denied = requireRole(project, userId, ...EDITORS);
  if (denied) return denied;
  const group = findGroup(project, id);
  if (!group) return refuse('comms.group-unknown', { group: id, groups: project.comms.map((g) => g.id).join(', ') });
  const at = group.channels.findIndex((c) => c.platform === channel.platform && c.id === channel.id);
  if (at < 0) {
    const channels = group.channels.map((c) => `${c.platform}:${c.id}`);
    return refuse('comms.channel-unknown', { group: group.id, channel: `${channel.platform}:${channel.id}`, channels });
  }
  const next = draft(project);
  findGroup(next, id)!.channels.splice(at, 1);
  return accept(next, { action: 'comms.channel-remove', target: group.id, before: channel });
}

/**
 * Removes a target group (`comms remove group <group>`), a standard one too: a group nobody is to be told would
 * otherwise keep the plan short of a channel. Its channels, languages and texts are kept in the audit event.
 */
export function removeGroup(project: Project, userId: string, id: string): Change {
  const denied = requireRole(project, userId, ...EDITORS);
  if (denied) return denied;
  const group = findGroup(project, id);
  if (!group) return refuse('comms.group-unknown', { group: id, groups: project.comms.map((g) => g.id).join(', ') });
  const next = draft(project);
  next.comms = next.comms.filter((g) => g.id !== group.id);
  return accept(next, { action: 'comms.group-remove', target: group.id, before: group });
}

/** Sets the languages a group is told in. */
export function setGroupLangs(project: Project, userId: string, id: string, langs: Lang[]): Change {
  return withGroup(
    project,
    userId,
    id,
    (g) => {
      if (JSON.stringify(g.languages) === JSON.stringify(langs)) return false;
      g.languages = [...langs];
      return true;
    },
    'comms.langs',
    { languages: langs },
  );
}

/** Writes a group's own text for one announcement in one language; it replaces the catalogue's default. */
export function setText(project: Project, userId: string, id: string, kind: Announcement, lang: Lang, text: string): Change {
  return withGroup(
    project,
    userId,
    id,
    (g) => {
      if (g.texts[kind]?.[lang] === text) return false;
      g.texts[kind] = { ...(g.texts[kind] ?? {}), [lang]: text };
      return true;
    },
    'comms.text',
    { kind, lang, text },
  );
}

/** Writes a group's texts for one announcement in several languages at once (the form of `comms preview`). */
export function setTexts(project: Project, userId: string, id: string, kind: Announcement, texts: Partial<Record<Lang, string>>): Change {
  const given = Object.entries(texts).filter((e): e is [Lang, string] => typeof e[1] === 'string' && e[1].trim().length > 0);
  return withGroup(
    project,
    userId,
    id,
    (g) => {
      const changed = given.filter(([lang, text]) => g.texts[kind]?.[lang] !== text);
      if (changed.length === 0) return false;
      g.texts[kind] = { ...(g.texts[kind] ?? {}), ...Object.fromEntries(changed) };
      return true;
    },
    'comms.text',
    { kind, texts: Object.fromEntries(given) },
  );
}

/** The announcement a recorded decision sends: its outcome's, as `comms preview` shows it (a postponement its own text). */
export function announcementOf(decision: Decision): Announcement {
  return decision.outcome;
}

/** Groups that nobody would be told: no channel at all (readiness lists them). */
export function groupsWithoutChannel(project: Project): string[] {
  return project.comms.filter((g) => g.channels.length === 0).map((g) => g.id);
}

/** One message of a broadcast: a group's channel in one of its languages. */
export interface Recipient {
  group: CommsGroup;
  channel: ChannelRef;
  lang: Lang;
}

/** Every channel and language of every group, in plan order. */
export function recipients(project: Project): Recipient[] {
  return project.comms.flatMap((group) => group.channels.flatMap((channel) => group.languages.map((lang) => ({ group, channel, lang }))));
}

/**
 * The key of one announcement message: once per occasion (a decision's id, a move of the go-live date,
 * the go-live day), group, channel and language, ever.
 */
export function announcementKey(occasion: string, r: Recipient): string {
  return `ann|${occasion}|${r.group.id}|${r.channel.platform}:${r.channel.id}|${r.lang}`;
}

/** The delivery batch of one announcement occasion. */
export function announcementBatch(projectId: string, occasion: string): string {
  return `ann|${projectId}|${occasion}`;
}

/** The occasion of the go-live-day announcement: one per go-live date. */
export function goLiveDayOccasion(date: string): string {
  return `golive-day-${date}`;
}

/**
 * Whether the go-live-day announcement is due on a date: only when "go" is the decision in force and the
 * date is its go-live day. The fingerprint changes when the decision or the date does, so a job planned
 * for a superseded decision never sends.
 */
export function goLiveDayDue(project: Project, date: string): { decisionId: string; fingerprint: string } | undefined {
  const last = project.decisions.at(-1);
  if (!last || last.outcome !== 'go' || project.goLive !== date) return undefined;
  return { decisionId: last.id, fingerprint: JSON.stringify({ decision: last.id, goLive: project.goLive }) };
}

/** Whether moving the go-live date must be announced: people have been told a date by a go or a postponement. */
export function moveIsAnnounced(project: Project): boolean {
  const last = project.decisions.at(-1);
  return last !== undefined && last.outcome !== 'nogo';
}

/** Fills `{project}`, `{date}`, `{review}` and `{reasons}` in a text. */
export function fillText(text: string, values: Record<string, string>): string {
  return text.replace(/\{(project|date|review|reasons)\}/g, (all, k: string) => values[k] ?? all);
}
