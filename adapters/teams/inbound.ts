import type { Activity } from 'botbuilder';
import { dict, put } from '../../src/domain/dict.js';
import type { Actor, ChannelRef } from '../../src/domain/types.js';
import type { Inbound } from '../../src/use-cases/context.js';
import type { ExecuteData } from './render-adaptive-card.js';

/** Reading Teams activities: who, where, in which tenant and language, and what they typed or clicked. */

/** The Microsoft Entra tenant of an activity: channelData first, as Teams documents it. */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  if (typeof fromChannelData === 'string' && fromChannelData) return fromChannelData;
  const fromConversation = activity.conversation?.tenantId;
  return typeof fromConversation === 'string' && fromConversation ? fromConversation : undefined;
}

/** A conversation id without the `;messageid=…` of a channel thread: the channel a project is bound to. */
export function baseConversationId(id: string): string {
  const i = id.indexOf(';messageid=');
  return i >= 0 ? id.slice(0, i) : id;
}

/** The activity's entities that are objects: the list is JSON from outside, and may be anything else. */
function entitiesOf(activity: Partial<Activity>): NonNullable<Activity['entities']> {
  const list: unknown = activity.entities;
  return Array.isArray(list) ? list.filter((e): e is NonNullable<Activity['entities']>[number] => typeof e === 'object' && e !== null) : [];
}

/** The locale of the activity, or of its client (Teams puts it in both places, not always in both). */
export function localeOf(activity: Partial<Activity>): string | undefined {
  if (typeof activity.locale === 'string' && activity.locale) return activity.locale;
  const info = entitiesOf(activity).find((e) => e.type === 'clientInfo') as { locale?: unknown } | undefined;
  return typeof info?.locale === 'string' && info.locale ? info.locale : undefined;
}

/** The Microsoft 365 group id of a channel's team, as Teams sends it in some activities (bot added, installation), not in ordinary messages. */
export function teamAadGroupIdOf(activity: Partial<Activity>): string | undefined {
  const id = (activity.channelData as { team?: { aadGroupId?: unknown } } | undefined)?.team?.aadGroupId;
  return typeof id === 'string' && id ? id : undefined;
}

/** The team a channel activity comes from (`channelData.team.id`, the General channel's id), which every channel message names. */
export function teamIdOf(activity: Partial<Activity>): string | undefined {
  const id = (activity.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
  return typeof id === 'string' && id ? id : undefined;
}

/** personal, groupChat or channel. */
export function conversationKind(activity: Partial<Activity>): string {
  return activity.conversation?.conversationType ?? (activity.conversation?.isGroup ? 'groupChat' : 'personal');
}

/** Who acted: the tenant, their aadObjectId (else their Teams id), name and locale. */
export function actorOf(activity: Partial<Activity>, tenant: string): Actor {
  const from = activity.from;
  const locale = localeOf(activity);
  // The activity is JSON from outside: an id or name that is not a string is no id or name.
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
  const name = text(from?.name);
  return {
    tenant,
    userId: text(from?.aadObjectId) ?? text(from?.id) ?? 'unknown',
    ...(name ? { name } : {}),
    platform: 'teams',
    ...(locale ? { locale } : {}),
  };
}

export function channelOf(activity: Partial<Activity>): ChannelRef {
  return { platform: 'teams', id: baseConversationId(activity.conversation?.id ?? '') };
}

/** A mention in a message: the `<at>…</at>` text and whom it names. */
export interface MentionEntity {
  text: string;
  id: string;
  name?: string;
  aadObjectId?: string;
}

export function mentionsOf(activity: Partial<Activity>): MentionEntity[] {
  const out: MentionEntity[] = [];
  for (const e of entitiesOf(activity)) {
    if (e.type !== 'mention') continue;
    const m = e as { text?: unknown; mentioned?: { id?: unknown; name?: unknown; aadObjectId?: unknown } };
    const id = m.mentioned?.id;
    if (typeof id !== 'string' || !id) continue;
    const name = typeof m.mentioned?.name === 'string' ? m.mentioned.name : undefined;
    const text = typeof m.text === 'string' && m.text ? m.text : `<at>${name ?? ''}</at>`;
    const aad = typeof m.mentioned?.aadObjectId === 'string' && m.mentioned.aadObjectId ? m.mentioned.aadObjectId : undefined;
    out.push({ text, id, ...(name ? { name } : {}), ...(aad ? { aadObjectId: aad } : {}) });
  }
  return out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Teams may send HTML entities and non-breaking spaces even in plain text. */
function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, e: string) => ENTITIES[e] ?? _).replace(/\u00a0/g, ' ');
}

/**
 * The command a message carries: the bot's own mention removed (`@lv status` → `status`), every other
 * mention as `<@userId>` (the core grammar's person reference), HTML entities decoded, spaces squeezed.
 * `resolve` gives a mentioned person's aadObjectId from their Teams id.
 */
export async function commandText(activity: Partial<Activity>, resolve: (m: MentionEntity) => Promise<string>): Promise<string> {
  let text = activity.text ?? '';
  const botId = activity.recipient?.id;
  for (const m of mentionsOf(activity)) {
    const replacement = m.id === botId ? ' ' : ` <@${await resolve(m)}> `;
    text = text.split(m.text).join(replacement);
  }
  // A mention whose entity is missing (or a leftover <at> tag) is dropped rather than parsed as a word.
  text = text.replace(/<at>[^<]*<\/at>/g, ' ');
  return decodeEntities(text).replace(/\s+/g, ' ').trim();
}

/** The button's value and the form's fields from an `Action.Execute` invoke's data. */
export function actionInputOf(activity: Partial<Activity>): { action: string; value: string; fields: Record<string, string> } {
  const action = (activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
  const verb = typeof action?.verb === 'string' ? action.verb : '';
  const data = (action?.data && typeof action.data === 'object' ? action.data : {}) as Partial<ExecuteData> & Record<string, unknown>;
  const value = typeof data.value === 'string' ? data.value : '';
  // Input ids come from the card's data, which the client can forge: `__proto__` must stay a key like any other.
  const fields = dict<string>();
  const inputs = data.inputs && typeof data.inputs === 'object' ? data.inputs : {};
  for (const [renderedId, neutralId] of Object.entries(inputs)) {
    const typed = Object.hasOwn(data, renderedId) ? data[renderedId] : undefined;
    if (typeof neutralId === 'string') put(fields, neutralId, typeof typed === 'string' ? typed : '');
  }
  return { action: verb, value, fields };
}

/** The neutral inbound for a message or an Action.Execute invoke. */
export function inboundOf(activity: Partial<Activity>, tenant: string, input: Inbound['input']): Inbound {
  return {
    actor: actorOf(activity, tenant),
    channel: channelOf(activity),
    // Only what Teams says: a conversation whose type is missing is not taken for the person's own chat.
    direct: activity.conversation?.conversationType === 'personal',
    // Message ids are timestamps, unique only within a conversation, so the key carries both.
    ...(activity.id ? { idemKey: `teams:${baseConversationId(activity.conversation?.id ?? '')}:${activity.id}` } : {}),
    input,
  };
}
