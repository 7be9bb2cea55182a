import type { WorkingDayCalendar } from '../domain/calendar.js';
import type { PlannedReminder, PlannedTrainingAlert } from '../domain/reminders.js';
import { trainingSlot } from '../domain/trainings.js';
import type { Lang, Project, Training } from '../domain/types.js';
import type { Card } from '../../messages/card.js';
import { catalog, Format, pickLang } from '../../messages/i18n.js';
import type { ChatRegistry, ChatTarget } from '../ports/chat.js';
import type { ProjectStore } from '../ports/store.js';
import { digestCard, taskReminderCard } from '../views/reminder-cards.js';
import { staffQuestionCard } from '../views/staff-cards.js';
import { trainingAlertCard, trainingNoticeCard, type TrainingNoticeKind } from '../views/training-cards.js';
import type { View } from '../views/texts.js';
import type { OutboundMessage } from '../ports/jobs.js';

/** What building proactive messages needs: people's languages (their choice, else their platform's setting) and the calendar. */
export interface ProactiveDeps {
  store: ProjectStore;
  calendar: WorkingDayCalendar;
  /** The platforms' chat ports, asked for a person's locale when they chose no language. */
  chats?: ChatRegistry;
}

/**
 * The language a person reads what the bot sends them unasked: their own `lang` choice, else their
 * platform's language setting (Slack's users.info locale, the Teams client's), else the project's first language.
 */
export async function recipientLang(deps: Pick<ProactiveDeps, 'store' | 'chats'>, project: Project, userId: string): Promise<Lang> {
  const chosen = await deps.store.userLang(project.tenant, userId);
  if (chosen) return chosen;
  const locale = await deps.chats
    ?.get(project.channel.platform)
    ?.localeOf?.(project.tenant, userId)
    .catch(() => undefined);
  return locale ? pickLang(undefined, locale) : ProactiveMessages.channelLang(project);
}

/**
 * Builds the messages the bot sends on its own (reminders, digests, training invitations and notices),
 * one per recipient in that person's language, each with the idempotency key the delivery engine uses.
 */
export class ProactiveMessages {
  constructor(private readonly deps: ProactiveDeps) {}

  /**
   * The language a person reads what the bot sends them unasked: their own `lang` choice, else their
   * platform's language setting (Slack's users.info locale, the Teams client's), else the project's first language.
   */
  langOf(project: Project, userId: string): Promise<Lang> {
    return recipientLang(this.deps, project, userId);
  }

  /** The language of messages to the project's channel: the project's first language. */
  static channelLang(project: Project): Lang {
    return project.languages[0] ?? 'fi';
  }

  /** A direct message to a person on the project's platform. */
  static direct(project: Project, userId: string): ChatTarget {
    return { tenant: project.tenant, platform: project.channel.platform, conversation: userId, user: true };
  }

  /** The project channel. */
  static channel(project: Project): ChatTarget {
    return { tenant: project.tenant, platform: project.channel.platform, conversation: project.channel.id };
  }

  /** The messages of one task reminder or digest; `baseKey` identifies the reminder, the recipient is appended. */
  async reminder(project: Project, reminder: PlannedReminder, baseKey: string): Promise<OutboundMessage[]> {
    const { calendar } = this.deps;
    if (reminder.to === 'channel') {
      const lang = ProactiveMessages.channelLang(project);
      return [
        {
          key: `${baseKey}|channel`,
          target: ProactiveMessages.channel(project),
          card: digestCard(view(lang), project, calendar, reminder.date, lang),
          lang,
        },
      ];
    }
    if (reminder.kind === 'staff-login') {
      return Promise.all(
        reminder.to.map(async (person) => {
          const lang = await this.langOf(project, person);
          return {
            key: `${baseKey}|${person}`,
            target: ProactiveMessages.direct(project, person),
            card: staffQuestionCard(view(lang), project),
            lang,
          };
        }),
      );
    }
    if (reminder.kind === 'form-followup') {
      const sentOn = project.joiningForm.sentOn ?? reminder.date;
      return Promise.all(
        reminder.to.map(async (person) => {
          const lang = await this.langOf(project, person);
          const v = view(lang);
          const days = String(calendar.workingDaysBetween(sentOn, reminder.date));
          const card: Card = {
            title: v.t.joiningForm.followTitle({ project: project.name }),
            blocks: [{ type: 'text', text: v.t.joiningForm.follow({ date: v.f.date(sentOn), days }) }],
          };
          return { key: `${baseKey}|${person}`, target: ProactiveMessages.direct(project, person), card, lang };
        }),
      );
    }
    const task = project.tasks.find((t) => t.id === reminder.task);
    if (!task) return [];
    return Promise.all(
      reminder.to.map(async (person) => {
        const lang = await this.langOf(project, person);
        return {
          key: `${baseKey}|${person}`,
          target: ProactiveMessages.direct(project, person),
          card: taskReminderCard(view(lang), project, task, reminder, calendar, lang),
          lang,
        };
      }),
    );
  }

  /** A training reminder (a working day or an hour before) to each person still expected there. */
  async trainingAlert(project: Project, alert: PlannedTrainingAlert, recipients: string[], baseKey: string): Promise<OutboundMessage[]> {
    const training = project.trainings.find((t) => t.id === alert.training);
    const slot = training && trainingSlot(project, training, this.deps.calendar);
    if (!training || !slot) return [];
    return Promise.all(
      recipients.map(async (person) => {
        const lang = await this.langOf(project, person);
        return {
          key: `${baseKey}|${person}`,
          target: ProactiveMessages.direct(project, person),
          card: trainingAlertCard(view(lang), project, training, slot, alert.kind),
          lang,
        };
      }),
    );
  }

  /** An invitation, a notice of a new time or a cancellation to one person, under the given key. */
  async trainingNotice(
    project: Project,
    training: Training,
    kind: TrainingNoticeKind,
    person: string,
    key: string,
    at?: Date,
  ): Promise<OutboundMessage | undefined> {
    const slot = trainingSlot(project, training, this.deps.calendar) ?? (at ? { date: '', start: at, end: at } : undefined);
    if (!slot) return undefined;
    const lang = await this.langOf(project, person);
    const card: Card = trainingNoticeCard(view(lang), project, training, slot, kind);
    return { key, target: ProactiveMessages.direct(project, person), card, lang };
  }
}

function view(lang: Lang): View {
  return { t: catalog(lang), f: new Format(lang) };
}
