import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Platform } from '../domain/types.js';
import type { ChatPort } from './chat.js';

/** A Connect-style request handler (an express Router is one): the routes an adapter serves on the shared HTTP server. */
export type HttpRoutes = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * The one contract every chat platform implements (console, Slack, Teams, and the next one): it turns the
 * platform's requests into the bot's commands, renders the bot's cards, and sends proactive messages. The
 * composition root mounts `routes`, calls `start` and `stop`, and hands `chat` to the delivery engine.
 */
export interface ChatAdapter {
  readonly platform: Platform;
  /** Proactive messages (reminders, invitations, announcements) for the delivery engine. */
  readonly chat: ChatPort;
  /** The HTTP routes the platform posts to (Slack's /slack/events, Teams' /api/messages); none for the console or Socket Mode. */
  readonly routes?: HttpRoutes;
  /** Connects or verifies credentials; after it the adapter serves requests. */
  start(): Promise<void>;
  /** Stops taking requests, then waits for the work already accepted to finish. */
  stop(): Promise<void>;
  /** Resolves once every accepted request has been fully handled (its replies and card updates sent). */
  idle(): Promise<void>;
  /** Resolves when the adapter ends by itself (the console at the end of its input); absent for servers. */
  readonly ended?: Promise<void>;
}
