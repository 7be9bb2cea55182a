import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A documented Slack fixture from test/fixtures/slack. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}`, import.meta.url), 'utf8')) as T;
}

/** Slack's request signature: `v0=` + HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`). */
export function sign(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** How to deliver one request: as Slack does, or deliberately wrong. */
export interface SendOptions {
  /** Seconds since the epoch used in the signature; defaults to now. */
  timestamp?: number;
  /** Changes the body after signing it. */
  tamper?: (body: string) => string;
  /** Signs with another secret. */
  secret?: string;
  /** A redelivery: `X-Slack-Retry-Num` and `X-Slack-Retry-Reason`. */
  retry?: number;
}

/** The answer to one request, with how long it took to arrive. */
export interface Sent {
  status: number;
  text: string;
  ms: number;
}

/** Sends signed requests to the adapter's `/slack/events` exactly as Slack does. */
export class SlackSender {
  constructor(
    readonly url: string,
    private readonly secret: string,
  ) {}

  private async post(body: string, contentType: string, o: SendOptions = {}): Promise<Sent> {
    const ts = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const signature = sign(o.secret ?? this.secret, ts, body);
    const sent = o.tamper ? o.tamper(body) : body;
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': ts,
      'x-slack-signature': signature,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    };
    if (o.retry) {
      headers['x-slack-retry-num'] = String(o.retry);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    const started = performance.now();
    const res = await fetch(this.url, { method: 'POST', headers, body: sent });
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - started };
  }

  /** A slash command: form-encoded fields. */
  command(fields: Record<string, string>, o?: SendOptions): Promise<Sent> {
    return this.post(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', o);
  }

  /** An interaction (block_actions, view_submission): `payload=<url-encoded JSON>`. */
  interaction(payload: unknown, o?: SendOptions): Promise<Sent> {
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', o);
  }

  /** An Events API delivery: a JSON envelope. */
  event(envelope: unknown, o?: SendOptions): Promise<Sent> {
    return this.post(JSON.stringify(envelope), 'application/json', o);
  }
}
