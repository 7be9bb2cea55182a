import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import type { Lang } from '../../src/domain/types.js';
import type { ConversationDirectory } from '../../src/ports/conversations.js';
import type { Logger } from '../../src/ports/logger.js';
import type { Card } from '../../messages/card.js';
import { catalog, pickLang } from '../../messages/i18n.js';
import { baseConversationId, conversationKind, localeOf, tenantOf } from './inbound.js';
import { withoutReplyTo } from './proactive.js';

/** Whether an activity is the bot's own arrival: added to a team or chat, or installed for a person. */
export function isArrival(activity: Partial<Activity>): boolean {
  if (activity.type === ActivityTypes.InstallationUpdate) return activity.action === 'add' || activity.action === 'add-upgrade';
  return activity.type === ActivityTypes.ConversationUpdate && (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
}

/** The welcome card in a language: what the bot does, and how to talk to it where it was added. */
export function welcomeCard(lang: Lang, personal: boolean, botName: string): Card {
  const t = catalog(lang).chat;
  const text = personal ? t.welcomePersonal : t.welcomeChannel({ bot: botName });
  return { title: t.welcomeTitle, summary: t.welcomeTitle, blocks: [{ type: 'text', text }] };
}

/**
 * Says hello once per installation where the bot arrives: a personal chat, a team (in the channel Teams
 * names), a group chat. Teams sends both a conversationUpdate and an installationUpdate for one install, so
 * the directory's claim decides which one speaks; removing the bot forgets it, and a new install is welcomed
 * again. The language is the activity's locale.
 */
export function welcomer(o: {
  refs: ConversationDirectory;
  log: Pick<Logger, 'info' | 'error'>;
  send(context: TurnContext, tenant: string, card: Card, lang: Lang): Promise<void>;
}) {
  return async function welcome(context: TurnContext): Promise<void> {
    const a = context.activity;
    const tenant = tenantOf(a);
    const id = a.conversation?.id;
    if (!tenant || !id || !isArrival(a)) return;
    const kind = conversationKind(a);
    o.log.info({ tenant, conversation: id, kind }, 'teams: bot added');
    if (!(await o.refs.claimWelcome(tenant, baseConversationId(id)))) return;
    const lang = pickLang(undefined, localeOf(a));
    const bot = a.recipient?.name?.trim() || 'lv';
    try {
      withoutReplyTo(context);
      await o.send(context, tenant, welcomeCard(lang, kind === 'personal', bot), lang);
    } catch (err) {
      o.log.error({ err, tenant, conversation: id }, 'teams: the welcome could not be sent');
    }
  };
}
