/**
 * Signed Slack button clicks for the latency and footprint benchmarks: a real project with a sign-off request
 * made through the bot's own slash command, then `block_actions` clicks on its approve button, each a
 * distinct delivery (own user, trigger_id and action_ts), signed as Slack signs (test/slack/slack-requests.ts).
 */
import { randomBytes } from 'node:crypto';
import { decodeButtonValue } from '../../adapters/slack/forms.js';
import type { FakeSlackApi, StoredMessage } from '../../test/slack/fake-slack-api.js';
import { fixture, sign, type SlackSender } from '../../test/slack/slack-requests.js';
import type { Built } from './paced-load.js';

/** The workspace and channel of the benchmark project. */
export const TEAM = 'T111';
/** The bot token the fake Slack API accepts. */
export const BOT_TOKEN = 'xoxb-111-222-lvbench';
export const CHANNEL = 'C0BENCH1';
export const COORDINATOR = { id: 'UCOORD01', name: 'kaisa', locale: 'en-GB' };
export const APPROVER = { id: 'UANNA001', name: 'anna', locale: 'fi-FI' };

/** The people who click: the approver and many others (who are refused), in all three languages. */
export function clickers(count = 60): Array<{ id: string; name: string; locale: string }> {
  const locales = ['fi-FI', 'sv-SE', 'en-GB'];
  return [
    APPROVER,
    ...Array.from({ length: count - 1 }, (_, i) => ({
      id: `UBENCH${String(i).padStart(3, '0')}`,
      name: `bench${i}`,
      locale: locales[i % 3]!,
    })),
  ];
}

/** Adds the coordinator and the clickers to a fake Slack workspace, so users.info knows their locales. */
export function addPeople(fake: FakeSlackApi): void {
  fake.addUser(COORDINATOR);
  for (const p of clickers()) fake.addUser(p);
}

/** `/lv <text>` as the coordinator, as Slack sends it; `responseUrl` is where the bot should answer. */
export function slash(sender: SlackSender, text: string, responseUrl: string): Promise<{ status: number }> {
  const doc = fixture<{ fields: Record<string, string> }>('slack-slash-command.json').fields;
  return sender.command({
    token: doc.token!,
    team_id: TEAM,
    team_domain: 'lv-bench',
    channel_id: CHANNEL,
    channel_name: 'kayttoonotto',
    user_id: COORDINATOR.id,
    user_name: COORDINATOR.name,
    command: '/lv',
    text,
    response_url: responseUrl,
    trigger_id: `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`,
    api_app_id: doc.api_app_id!,
  });
}

/** The bench channel's messages as the (fake) Slack Web API's conversations.history returns them, newest first. */
export async function channelHistory(apiUrl: string, token: string): Promise<StoredMessage[]> {
  const res = await fetch(`${apiUrl}conversations.history`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ channel: CHANNEL, limit: '100' }).toString(),
  });
  const body = (await res.json()) as { ok: boolean; messages?: Array<{ ts: string; text: string; blocks?: unknown[] }> };
  return (body.messages ?? []).map((m) => ({ channel: CHANNEL, ts: m.ts, text: m.text, blocks: m.blocks ?? [] }));
}

/** How to reach the bot and its (fake) Slack for the setup. */
export interface SetupOptions {
  sender: SlackSender;
  /** The fake Slack Web API base URL (…/api/) and its bot token. */
  apiUrl: string;
  token: string;
  /** Resolves once the bot has answered the last command (e.g. the adapter's idle()). */
  settle(): Promise<void>;
  timeoutMs?: number;
}

/** Creates the project and asks Anna for a sign-off through `/lv`; resolves with the posted request (the message with the buttons). */
export async function requestSignoff(o: SetupOptions): Promise<StoredMessage> {
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  const responseUrl = (n: number) => `${o.apiUrl.replace(/\/api\/$/, '')}/commands/${TEAM}/setup${n}/hooksetup${n}`;
  for (const [n, text] of ['project new Bench', `signoff functional <@${APPROVER.id}|${APPROVER.name}>`].entries()) {
    const res = await slash(o.sender, text, responseUrl(n));
    if (res.status !== 200) throw new Error(`/lv ${text} answered ${res.status}`);
    await o.settle();
  }
  while (Date.now() < deadline) {
    const found = (await channelHistory(o.apiUrl, o.token)).find((m) => buttonIn(m, 'signoff.approve'));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no sign-off request was posted in channel ${CHANNEL}`);
}

/** The approve button of a posted message, or undefined. */
function buttonIn(
  message: StoredMessage,
  action: string,
): { action_id: string; block_id: string; text: unknown; value: string } | undefined {
  for (const [i, block] of (
    message.blocks as Array<{ type: string; block_id?: string; elements?: Array<{ action_id: string; text: unknown; value: string }> }>
  ).entries()) {
    if (block.type !== 'actions') continue;
    const el = (block.elements ?? []).find((e) => decodeButtonValue(e.value)?.a === action);
    if (el) return { action_id: el.action_id, block_id: block.block_id ?? `b${i}Xq`, text: el.text, value: el.value };
  }
  return undefined;
}

/** Builds click number i on a message's approve button, signed with `secret`; `responseUrl` is where the bot answers. */
export function clickBuilder(message: StoredMessage, secret: string, responseUrl: () => string): (i: number) => Built {
  const doc = fixture<Record<string, unknown>>('slack-block-actions-message.json');
  const button = buttonIn(message, 'signoff.approve');
  if (!button) throw new Error('the message has no approve button');
  const people = clickers();
  const run = randomBytes(4).toString('hex');
  return (i) => {
    const p = people[i % people.length]!;
    const now = Date.now();
    const payload = {
      ...doc,
      user: { id: p.id, username: p.name, name: p.name, team_id: TEAM },
      container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
      trigger_id: `${now}.${i}.${run}${randomBytes(12).toString('hex')}`,
      team: { id: TEAM, domain: 'lv-bench' },
      channel: { id: message.channel, name: 'kayttoonotto' },
      message: { type: 'message', subtype: 'bot_message', text: message.text, ts: message.ts, bot_id: 'BBOT', blocks: message.blocks },
      response_url: responseUrl(),
      actions: [{ ...button, type: 'button', action_ts: `${(now / 1000).toFixed(6)}` }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const ts = String(Math.floor(now / 1000));
    return {
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': sign(secret, ts, body),
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      },
    };
  };
}
