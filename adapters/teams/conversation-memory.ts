import { ActivityTypes, TeamsInfo, TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { ConversationDirectory } from '../../src/ports/conversations.js';
import type { Logger } from '../../src/ports/logger.js';
import { baseConversationId, conversationKind, localeOf, teamIdOf, tenantOf } from './inbound.js';
import { teamGroups } from './team-groups.js';

/** Activities people post into a conversation; in a channel or group chat the bot reads them only when mentioned. */
const POSTED = new Set<string>([
  ActivityTypes.Message,
  ActivityTypes.MessageUpdate,
  ActivityTypes.MessageDelete,
  ActivityTypes.MessageReaction,
]);

/** Whether a message mentions the bot itself (a mention entity naming the activity's recipient). */
export function mentionsBot(activity: Partial<Activity>): boolean {
  const botId = activity.recipient?.id;
  return (activity.entities ?? []).some(
    (e) => e.type === 'mention' && botId !== undefined && (e as { mentioned?: { id?: unknown } }).mentioned?.id === botId,
  );
}

/**
 * Whether the bot is meant by an activity. With the resource-specific permissions the app asks for
 * (`ChannelMessage.Read.Group`, `ChatMessage.Read.Chat`) Teams sends the bot every message of its channels
 * and group chats; there it acts only on messages that @mention it, and ignores the rest without a word or a
 * trace (not even the conversation is remembered). A reply in a thread the bot started is no exception: it
 * must mention the bot too. Personal chats, card actions and the bot's own arrival are always for the bot.
 */
export function addressedToBot(activity: Partial<Activity>): boolean {
  if (!POSTED.has(activity.type ?? '')) return true;
  const kind = conversationKind(activity);
  if (kind !== 'channel' && kind !== 'groupChat') return true;
  return mentionsBot(activity);
}

/** The name Teams gives a channel in this activity, if any (channel events, the bot's arrival in a team). */
function channelNameOf(activity: Partial<Activity>, baseId: string): string | undefined {
  const channel = (activity.channelData as { channel?: { id?: unknown; name?: unknown } } | undefined)?.channel;
  if (typeof channel?.name === 'string' && channel.name && (channel.id === undefined || channel.id === baseId)) return channel.name;
  const name = activity.conversation?.name;
  return typeof name === 'string' && name ? name : undefined;
}

/** Teams' name of a team's first channel, which the connector lists without a name. */
const GENERAL = 'General';

/**
 * What the bot remembers of each activity it is meant by: the conversation reference (so it can post there
 * after a restart), the team and its Microsoft 365 group, the channel's name (cards show names, not ids),
 * the tenant's service URL and the person. A conversation the bot was removed from is forgotten.
 */
export function conversationMemory(o: { refs: ConversationDirectory; log: Pick<Logger, 'info' | 'warn'> }) {
  const { refs, log } = o;
  const teamGroupOf = teamGroups({ refs, log });
  /** `tenant|team` of the teams whose channel list was asked for, whatever the answer. */
  const listed = new Set<string>();

  /** A channel's name: from the activity, as stored, else from the team's channel list (asked once per team and process). */
  async function channelName(context: TurnContext, tenant: string, baseId: string, teamId: string | undefined, stored?: string) {
    const named = channelNameOf(context.activity, baseId);
    if (named) return named;
    if (stored) return stored;
    if (baseId === teamId) return GENERAL;
    if (!teamId || listed.has(`${tenant}|${teamId}`)) return undefined;
    listed.add(`${tenant}|${teamId}`);
    try {
      const channels = await TeamsInfo.getTeamChannels(context, teamId);
      const found = channels.find((c) => c.id === baseId);
      return found ? found.name || GENERAL : undefined;
    } catch (err) {
      log.info({ err, tenant, team: teamId }, 'teams: could not list a team’s channels; cards show the channel’s id instead of its name');
      return undefined;
    }
  }

  return async function remember(context: TurnContext): Promise<void> {
    const a = context.activity;
    const tenant = tenantOf(a);
    const conversationId = a.conversation?.id;
    if (!tenant || !conversationId) return;
    const baseId = baseConversationId(conversationId);
    const botRemoved =
      (a.type === ActivityTypes.ConversationUpdate && (a.membersRemoved ?? []).some((m) => m.id === a.recipient?.id)) ||
      (a.type === ActivityTypes.InstallationUpdate && a.action === 'remove');
    if (botRemoved) {
      await refs.deleteConversation(tenant, baseId);
      log.info({ tenant, conversation: baseId }, 'teams: bot removed; conversation forgotten');
      return;
    }
    const reference = TurnContext.getConversationReference(a) as Partial<ConversationReference> & Record<string, unknown>;
    delete reference.activityId;
    reference.conversation = { ...(reference.conversation ?? {}), id: baseId } as ConversationReference['conversation'];
    const kind = conversationKind(a);
    const locale = localeOf(a);
    const now = new Date().toISOString();
    // An invoke may name no team: the channel keeps the team it was stored with.
    const stored = kind === 'channel' ? await refs.conversation(tenant, baseId) : undefined;
    const teamId = kind === 'channel' ? (teamIdOf(a) ?? stored?.teamId) : undefined;
    const teamAadGroupId = kind === 'channel' ? await teamGroupOf(context, tenant, teamId, stored?.teamAadGroupId) : undefined;
    const name = kind === 'channel' ? await channelName(context, tenant, baseId, teamId, stored?.name) : undefined;
    await refs.saveConversation(tenant, baseId, {
      reference,
      kind,
      ...(locale ? { locale } : {}),
      ...(teamAadGroupId ? { teamAadGroupId } : {}),
      ...(teamId ? { teamId } : {}),
      ...(name ? { name } : {}),
      updatedAt: now,
    });
    if (a.serviceUrl) await refs.saveTenant(tenant, { serviceUrl: a.serviceUrl, ...(a.recipient?.id ? { botId: a.recipient.id } : {}) });
    const aad = a.from?.aadObjectId;
    if (aad && a.type !== ActivityTypes.ConversationUpdate) {
      await refs.saveUser(tenant, aad, {
        ...(a.from?.id ? { platformId: a.from.id } : {}),
        ...(a.from?.name ? { name: a.from.name } : {}),
        ...(locale ? { locale } : {}),
        ...(kind === 'personal' ? { personalConversation: baseId } : {}),
        ...(a.serviceUrl ? { serviceUrl: a.serviceUrl } : {}),
        updatedAt: now,
      });
    }
  };
}
