import type { WorkingDayCalendar } from '../domain/calendar.js';
import type { PlannedReminder, PlannedTrainingAlert } from '../domain/reminders.js';
import { trainingSlot } from '../domain/trainings.js';
import type { Lang, Project, Training } from '../domain/types.js';
import type { Card } from '../../messages/card.js';
import { catalog, Format } from '../../messages/i18n.js';
import type { ChatTarget } from '../ports/chat.js';
import type { ProjectStore } from '../ports/store.js';
import { digestCard, taskReminderCard } from '../views/reminder-cards.js';
import { staffQuestionCard } from '../views/staff-cards.js';
import { trainingAlertCard, trainingNoticeCard, type TrainingNoticeKind } from '../views/training-cards.js';
import type { View } from '../views/texts.js';
import type { OutboundMessage } from '../ports/jobs.js';

/** What building proactive messages needs: people's languages and the calendar. */
export interface ProactiveDeps {
  store: ProjectStore;
  calendar: WorkingDayCalendar;
}

/**
 * Builds the messages the bot sends on its own (reminders, digests, training invitations and notices),
 * one per recipient in that person's language, each with the idempotency key the delivery engine uses.
 */
export class ProactiveMessages {
  constructor(private readonly deps: ProactiveDeps) {}

  /** A person's language: their own `lang` choice, else the project's first language. */
  async langOf(project: Project, userId: string): Promise<Lang> {
    return (await this.deps.store.userLang(project.tenant, userId)) ?? project.languages[0] ?? 'fi';
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
      const lang = project.languages[0] ?? 'fi';
      return [{ key: `${baseKey}|channel`, target: ProactiveMessages.channel(project), card: digestCard(view(lang), project, calendar, reminder.date, lang) }];
    }
    if (reminder.kind === 'staff-login') {
      return Promise.all(reminder.to.map(async (person) => ({ key: `${baseKey}|${person}`, target: ProactiveMessages.direct(project, person), card: staffQuestionCard(view(await this.langOf(project, person)), project) })));
    }
    if (reminder.kind === 'form-followup') {
      const sentOn = project.joiningForm.sentOn ?? reminder.date;
      return Promise.all(
        reminder.to.map(async (person) => {
          const v = view(await this.langOf(project, person));
          const days = String(calendar.workingDaysBetween(sentOn, reminder.date));
          const card: Card = { title: v.t.joiningForm.followTitle({ project: project.name }), blocks: [{ type: 'text', text: v.t.joiningForm.follow({ date: v.f.date(sentOn), days }) }] };
          return { key: `${baseKey}|${person}`, target: ProactiveMessages.direct(project, person), card };
        }),
      );
    }
    const task = project.tasks.find((t) => t.id === reminder.task);
    if (!task) return [];
    return Promise.all(
      reminder.to.map(async (person) => {
        const lang = await this.langOf(project, person);
        return { key: `${baseKey}|${person}`, target: ProactiveMessages.direct(project, person), card: taskReminderCard(view(lang), project, task, reminder, calendar, lang) };
      }),
    );
  }

  /** A training reminder (a working day or an hour before) to each person still expected there. */
  async trainingAlert(project: Project, alert: PlannedTrainingAlert, recipients: string[], baseKey: string): Promise<OutboundMessage[]> {
    const training = project.trainings.find((t) => t.id === alert.training);
    const slot = training && trainingSlot(project, training, this.deps.calendar);
    if (!training || !slot) return [];
    return Promise.all(
      recipients.map(async (person) => ({
        key: `${baseKey}|${person}`,
        target: ProactiveMessages.direct(project, person),
        card: trainingAlertCard(view(await this.langOf(project, person)), project, training, slot, alert.kind),
      })),
    );
  }

  /** An invitation, a notice of a new time or a cancellation to one person, under the given key. */
  async trainingNotice(project: Project, training: Training, kind: TrainingNoticeKind, person: string, key: string, at?: Date): Promise<OutboundMessage | undefined> {
    const slot = trainingSlot(project, training, this.deps.calendar) ?? (at ? { date: '', start: at, end: at } : undefined);
    if (!slot) return undefined;
    const card: Card = trainingNoticeCard(view(await this.langOf(project, person)), project, training, slot, kind);
    return { key, target: ProactiveMessages.direct(project, person), card };
  }
}

function view(lang: Lang): View {
  return { t: catalog(lang), f: new Format(lang) };
}
