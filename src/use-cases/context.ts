import type { WorkingDayCalendar } from '../domain/calendar.js';
import type { Actor, ChannelRef, Lang } from '../domain/types.js';
import type { Catalog } from '../../messages/catalog/en.js';
import type { Format } from '../../messages/i18n.js';
import type { ChatRegistry, MemberDirectory } from '../ports/chat.js';
import type { Clock } from '../ports/clock.js';
import type { Metrics } from '../ports/metrics.js';
import type { DocumentRenderer } from '../ports/documents.js';
import type { ProjectStore } from '../ports/store.js';
import type { Deliveries, Scheduler } from '../ports/jobs.js';

/** What the use-cases need from the outside world, wired once in the composition root. */
export interface Deps {
  store: ProjectStore;
  clock: Clock;
  calendar: WorkingDayCalendar;
  /** The jobs layer's re-planning hook; without it (console without workers) nothing is reminded. */
  scheduler?: Scheduler;
  /** The delivery engine, for use-cases that broadcast (announcements). */
  deliveries?: Deliveries;
  /** The platforms' chat ports, asked for a person's language setting when they chose none. */
  chats?: ChatRegistry;
  /** Counts for the operator (commands and clicks per platform and tenant). */
  metrics?: Metrics;
  /** Lays out documents to file (`export decision pdf`); without it the PDF export says it is not available. */
  documents?: DocumentRenderer;
}

/** A button press or form submission, as every adapter reports it. */
export interface ActionInput {
  kind: 'action';
  action: string;
  value: string;
  /** Text typed into the button's form (reason, remarks), by input id. */
  fields?: Record<string, string>;
}

/** One thing a person did in chat, in platform-neutral form. */
export interface Inbound {
  actor: Actor;
  channel: ChannelRef;
  /**
   * True when the conversation is the person's own one-to-one chat with the bot (a Slack DM, a Teams personal
   * chat), set by the adapter from what the platform says; reminders and invitations are pressed there.
   */
  direct?: boolean;
  /** Same for a redelivery of the same platform event, so it changes nothing twice. */
  idemKey?: string;
  input: { kind: 'text'; text: string } | ActionInput;
  /** The platform's member list, when the adapter can read one (`staff add here`). */
  members?: MemberDirectory;
  /**
   * The conversation is seen by many (a Slack channel): a card for everyone there is written in the project's
   * language, not the asker's (`channelCtx`). Unset, every card follows the reader, as in a console.
   */
  shared?: boolean;
  /** Routine confirmations answer the asker alone (`routine`): set by an adapter for commands typed in a channel. */
  quiet?: boolean;
}

/** Everything a handler needs for one inbound: who, where, in which language. */
export interface Ctx {
  deps: Deps;
  inbound: Inbound;
  lang: Lang;
  t: Catalog;
  f: Format;
  now: Date;
  /** The page a page button asked for; a read view then replaces the message it was on. */
  page?: number;
}
