/** Bolt's HTTP receiver, answering at once a signed payload that none of lv-bot's listeners acknowledges. */
import { ExpressReceiver, type ExpressReceiverOptions } from '@slack/bolt';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../src/ports/logger.js';
import { FORM_CALLBACK } from './forms.js';

/** How far a request's timestamp may be from the server's clock, either way (Slack's SDKs refuse beyond it). */
export const MAX_CLOCK_SKEW_S = 5 * 60;

/**
 * Refuses with 401 a request whose `X-Slack-Request-Timestamp` is more than five minutes in the future. Bolt refuses
 * old ones itself but takes any future one, so a signed request captured now could be replayed for as long as the
 * timestamp its sender chose; Slack's own SDKs (python-slack-sdk, java-slack-sdk) refuse both directions.
 */
export function refuseFutureTimestamps(log: Logger, now: () => number = Date.now) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const ts = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(ts) && ts > Math.floor(now() / 1000) + MAX_CLOCK_SKEW_S) {
      log.warn({}, 'slack request refused: its timestamp is more than five minutes in the future');
      res.writeHead(401);
      res.end();
      return;
    }
    next();
  };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Whether a verified, parsed body can reach a listener that acknowledges it (listeners.ts), read in Bolt's own order
 * (getTypeAndConversation: the first of these fields present decides which listeners see it). Bolt acknowledges
 * events itself. A body this lets through that no listener acknowledges after all is answered once Bolt is done.
 */
export function reachesListener(body: unknown, command: string): boolean {
  if (!isObject(body)) return false;
  if (body.event !== undefined) return !(isObject(body.event) && body.event.type === 'function_executed');
  if (body.command !== undefined) return body.command === command;
  if (body.name !== undefined || body.type === 'block_suggestion') return false;
  if (body.actions !== undefined || body.type === 'dialog_submission') return body.type === 'block_actions';
  if (body.type === 'view_submission') return isObject(body.view) && body.view.callback_id === FORM_CALLBACK;
  return false;
}

/**
 * An ExpressReceiver (signature check and parsing stay Bolt's) that never leaves a signed request waiting for Bolt's
 * three seconds and its 404. A body no listener takes is answered before Bolt sees it, so it holds no timer, however
 * deeply its JSON is nested; one that reached the listeners but none acknowledged is answered as soon as Bolt is
 * done with it. The answer is 400 when the body is no Slack payload at all (not a JSON object, no `type`), else an
 * empty 200, the acknowledgement Slack expects for an interaction lv-bot takes no part in. Nothing is changed.
 */
export class PromptReceiver extends ExpressReceiver {
  private readonly command: string;
  private readonly log: Logger;

  constructor(options: Omit<ExpressReceiverOptions, 'unhandledRequestHandler'> & { command: string; log: Logger }) {
    const { command, log, ...bolt } = options;
    super({
      ...bolt,
      // Bolt's own timer: after an answer given here it has nothing to say; before one, a listener never acknowledged.
      unhandledRequestHandler: ({ response }) => {
        if (response.headersSent) return;
        log.error({}, 'slack request not acknowledged by its listener in time: answered 404');
        response.writeHead(404);
        response.end();
      },
    });
    this.command = command;
    this.log = log;
  }

  override async requestHandler(req: Request, res: Response): Promise<void> {
    if (reachesListener(req.body, this.command)) await super.requestHandler(req, res);
    if (!res.headersSent) this.answer(req.body, res);
  }

  private answer(body: unknown, res: Response): void {
    const slackShaped = isObject(body) && typeof body.type === 'string';
    this.log.warn({ type: slackShaped ? String(body.type).slice(0, 40) : undefined }, 'slack payload no listener takes: answered at once');
    res.writeHead(slackShaped ? 200 : 400);
    res.end();
  }
}
