/** Text helpers for Slack: mrkdwn escaping that keeps native mentions, plain-text mentions, and safe chunking. */
import { own } from '../../src/domain/dict.js';
import { CHANNEL_MENTION } from '../../messages/i18n.js';

const MENTION = /<[@#][A-Za-z0-9._-]+>/g;

const escapeRaw = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The neutral `<#platform:id>` channel references: a Slack channel becomes Slack's own `<#C123>`, any other stays as `platform:id` text. */
export function slackChannels(text: string): string {
  return text.replace(CHANNEL_MENTION, (_, platform: string, id: string) => (platform === 'slack' ? `<#${id}>` : `${platform}:${id}`));
}

/**
 * Which `<@id>` of a text stay Slack mentions (which notify the person in a message the channel sees) and the names the
 * others are shown by. A person without a known name stays a mention: a link beats an id nobody can read.
 */
export interface Mentions {
  real(id: string): boolean;
  name(id: string): string | undefined;
}

/**
 * Escapes `&`, `<` and `>` for mrkdwn, except `<#C123>` channel links and the `<@U123>` mentions `mentions` keeps
 * (every one without it); any other person is shown as `@name`.
 */
export function escapeMrkdwn(raw: string, mentions?: Mentions): string {
  const text = slackChannels(raw);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MENTION)) {
    const id = m[0].startsWith('<@') ? m[0].slice(2, -1) : undefined;
    const name = id !== undefined && mentions && !mentions.real(id) ? mentions.name(id) : undefined;
    out += escapeRaw(text.slice(last, m.index)) + (name !== undefined ? escapeRaw(`@${name}`) : m[0]);
    last = m.index + m[0].length;
  }
  return out + escapeRaw(text.slice(last));
}

/** For plain_text fields (headers, buttons, modal labels), where mentions do not render: `<@U123>` → `@name`. */
export function plainText(text: string, people: Record<string, string> = {}): string {
  return slackChannels(text)
    .replace(/<@([A-Za-z0-9._-]+)>/g, (_, id: string) => `@${own(people, id) ?? id}`)
    .replace(/<#([A-Za-z0-9._-]+)>/g, '#$1');
}

/** Shortens a plain text to at most `max` characters, ending with an ellipsis when it had to be shortened. */
export function clamp(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
  return `${text.slice(0, cut)}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Moves a cut point back so it splits neither an `&…;` entity, a `<@…>` mention nor a surrogate pair. */
function safeCut(s: string, cut: number): number {
  let c = cut;
  const amp = s.lastIndexOf('&', c - 1);
  if (amp >= 0 && c - amp <= 6 && !s.slice(amp, c).includes(';')) c = amp;
  const lt = s.lastIndexOf('<', c - 1);
  if (lt >= 0 && !s.slice(lt, c).includes('>') && c - lt <= 40) c = lt;
  if (c > 0 && isHighSurrogate(s.charCodeAt(c - 1))) c--;
  return c > 0 ? c : cut;
}

/**
 * Splits (already escaped) text into pieces of at most `max` characters, preferring line breaks, then spaces.
 * Nothing is dropped except the one separator at each split.
 */
export function chunk(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    let skip = 1;
    if (cut < max / 2) {
      cut = max;
      skip = 0;
    }
    const safe = safeCut(rest, cut);
    if (safe !== cut) skip = 0;
    out.push(rest.slice(0, safe));
    rest = rest.slice(safe + skip);
  }
  out.push(rest);
  return out.filter((p) => p.trim().length > 0);
}

/**
 * What a person typed after the slash command, back to plain text for the command grammar: Slack's escaped
 * `<@U123|anna>` becomes `<@U123>` (the grammar reads it as a person), `<#C123|general>` becomes `<#C123>` (a channel
 * keeps its id: `comms channel`, `staff add` need it, and Slack shows it as a link), links become their text,
 * and `&amp;`, `&lt;`, `&gt;` are unescaped.
 */
export function commandText(raw: string): string {
  return raw
    .replace(/<@([A-Za-z0-9]+)\|[^>]*>/g, '<@$1>')
    .replace(/<#([A-Za-z0-9]+)(?:\|[^>]*)?>/g, '<#$1>')
    .replace(/<!([a-z]+)(?:\^[^>|]*)?(?:\|[^>]*)?>/g, '@$1')
    .replace(/<((?:https?|mailto|tel):[^>|]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}
