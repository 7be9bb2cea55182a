import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express';

/** Checks on a request to /api/messages before teams-ai sees it: who may send one, and whether it is an activity at all. */

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/** Whether a socket address is the machine itself. */
export function isLoopback(address: string | undefined): boolean {
  return Boolean(address && LOOPBACK.test(address));
}

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-original-url', 'x-arr-log-id'];

/**
 * Without credentials nothing authenticates a request, so only the machine itself may send one. A
 * request relayed by a proxy or a tunnel also comes from loopback, so one carrying forwarding headers
 * is refused too.
 */
export function loopbackGuard(authenticated: boolean) {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction): void => {
    if (!authenticated) {
      const relayed = FORWARDING_HEADERS.some((h) => req.headers?.[h] !== undefined);
      if (relayed || !isLoopback(req.socket?.remoteAddress)) {
        res.status(403).json({
          error:
            'Teams credentials are not configured: only requests from this machine itself (not relayed by a proxy or tunnel) are served.',
        });
        return;
      }
    }
    next();
  };
}

/** Why a request body cannot be a Bot Framework activity, so bad input gets a 400 instead of a stack trace. */
export function activityProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not a JSON object';
  const a = body as Record<string, unknown>;
  if (typeof a.type !== 'string' || a.type === '') return 'type is missing';
  const str = (v: unknown) => typeof v === 'string' && v.length > 0;
  if (!str(a.serviceUrl)) return 'serviceUrl is missing';
  if (!str(a.channelId)) return 'channelId is missing';
  const conv = a.conversation as Record<string, unknown> | undefined;
  if (typeof conv !== 'object' || conv === null || !str(conv.id)) return 'conversation.id is missing';
  const from = a.from as Record<string, unknown> | undefined;
  if (typeof from !== 'object' || from === null || !str(from.id)) return 'from.id is missing';
  // teams-ai keys its turn state by the recipient: without one the turn throws and botbuilder answers 501.
  const recipient = a.recipient as Record<string, unknown> | undefined;
  if (typeof recipient !== 'object' || recipient === null || !str(recipient.id)) return 'recipient.id is missing';
  return undefined;
}

/** The part of an HTTP response botbuilder's `process` writes to; here, a note of what it wanted to answer. */
interface CapturedResponse {
  status(code: number): CapturedResponse;
  header(name: string, value: unknown): CapturedResponse;
  send(body?: unknown): CapturedResponse;
  end(): CapturedResponse;
}

/**
 * Runs botbuilder's `process` and writes its answer, except that every authentication failure is a bare 401: a
 * forged token (`alg: none`, an unknown key id, a bad signature) fails while botbuilder fetches Microsoft's signing
 * keys or checks the token, before the turn starts, and botbuilder answers 500 with the error's message for most of
 * those. Whatever fails before the turn runs was never authenticated; a failure inside the turn stays a 500.
 */
export async function processAuthenticated<C>(
  res: ExpressResponse,
  process: (response: CapturedResponse, logic: (context: C) => Promise<void>) => Promise<void>,
  logic: (context: C) => Promise<void>,
  log: { warn(obj: object, msg: string): void },
): Promise<void> {
  let turnStarted = false;
  const answer: { status: number; body?: unknown } = { status: 200 };
  const captured: CapturedResponse = {
    status(code) {
      answer.status = code;
      return captured;
    },
    header(name, value) {
      res.header(name, value as string);
      return captured;
    },
    send(body) {
      answer.body = body;
      return captured;
    },
    end() {
      return captured;
    },
  };
  await process(captured, async (context) => {
    turnStarted = true;
    await logic(context);
  });
  if (answer.status === 401 || (!turnStarted && answer.status >= 500)) {
    log.warn({ status: answer.status }, 'teams: request not authenticated, answered 401');
    res.status(401).end();
    return;
  }
  res.status(answer.status);
  if (answer.body !== undefined && answer.body !== null && answer.body !== '') res.send(answer.body);
  else res.end();
}
