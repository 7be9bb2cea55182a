// Per-function entry points: the package's index loads all of date-fns (a sixth of a second, 18 MiB at start).
import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';

/** Splits a command line into words, keeping "quoted phrases" (straight or typographic quotes) whole. */
export function tokenize(line: string): string[] {
  return tokenizeAt(line).words;
}

/**
 * The words of a line and where each starts in it, so a free text at the end of a command (a note, a reason,
 * an announcement) is read from the line as it was typed: its quotes and spacing kept, not the words re-joined.
 */
export function tokenizeAt(line: string): { words: string[]; starts: number[] } {
  const words: string[] = [];
  const starts: number[] = [];
  const re = /"([^"]*)"|“([^”]*)”|”([^”]*)”|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(re)) {
    words.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? '');
    starts.push(m.index);
  }
  return { words, starts };
}

/** Reads a date typed as 2027-02-01 or 1.2.2027 into ISO form, or undefined if it is no real date. */
export function parseDate(text: string): string | undefined {
  const t = text.trim();
  const formats: Array<[RegExp, string]> = [
    [/^\d{4}-\d{1,2}-\d{1,2}$/, 'yyyy-M-d'],
    [/^\d{1,2}\.\d{1,2}\.\d{4}$/, 'd.M.yyyy'],
  ];
  for (const [re, fmt] of formats) {
    if (!re.test(t)) continue;
    const d = parse(t, fmt, new Date(2000, 0, 1));
    if (!isValid(d) || d.getFullYear() < 2000 || d.getFullYear() > 2100) return undefined;
    const mm = String(d.getMonth() + 1).padStart(2, '0');
    const dd = String(d.getDate()).padStart(2, '0');
    return `${d.getFullYear()}-${mm}-${dd}`;
  }
  return undefined;
}

/** Whether a word looks like a date someone meant to type (so a bad one is reported as a date). */
export function looksLikeDate(text: string): boolean {
  return /^\d{1,4}[-.]\d{1,2}[-.]\d{0,4}$/.test(text.trim());
}

/** Normalises a person reference: Slack `<@U123|anna>` → `U123`, `@anna` → `anna`; none longer than 64 characters (README "Limits on free text"). */
export function personRef(token: string): string | undefined {
  return mentionRef(token) ?? /^@?([\p{L}\p{N}._-]{1,64})$/u.exec(token)?.[1];
}

/** The user id of a platform mention (`<@U123|anna>`, Teams' `<@aad-id>`): a real account, never a typo. */
export function mentionRef(token: string): string | undefined {
  return /^<@([A-Za-z0-9._:-]{1,64})(?:\|[^>]{0,200})?>$/.exec(token)?.[1];
}

/** Whether a word is a task id or a fragment of one. */
export function isTaskRef(token: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{0,80}$/i.test(token);
}

/** `3wd` (also Finnish `3tp`, Swedish `3ad`): a number of working days, signed (`-10wd`) where signed is allowed. */
export function parseWorkingDays(text: string, signed: boolean): number | undefined {
  const m = /^([+\-\u2212]?)(\d{1,3})(wd|tp|ad)$/i.exec(text.trim());
  if (!m || (!signed && m[1])) return undefined;
  const n = Number(m[2]);
  return m[1] === '-' || m[1] === '\u2212' ? -n : n;
}

/** A snooze of `1wd` to `60wd`, the same whether typed or on a reminder's button. */
export function parseSnoozeDays(text: string): number | undefined {
  const days = parseWorkingDays(text, false);
  return days !== undefined && days >= 1 && days <= 60 ? days : undefined;
}

/** A wall-clock time `13:00`, `9:30` or the Finnish `13.00`, as `HH:mm`. */
export function parseTime(text: string): string | undefined {
  const m = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/.exec(text.trim());
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : undefined;
}

/** A duration `90min`, `2h` or `1h30` in minutes (5 minutes to 10 hours). */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  const min = /^(\d{1,3})(?:min|m)$/.exec(t);
  const hours = /^(\d{1,2})h(?:(\d{1,2})(?:min|m)?)?$/.exec(t);
  const total = min ? Number(min[1]) : hours ? Number(hours[1]) * 60 + Number(hours[2] ?? 0) : undefined;
  return total !== undefined && total >= 5 && total <= 600 ? total : undefined;
}

// A Map, not an object literal: a typed word such as `constructor` must not find Object.prototype.
const WEEKDAYS = new Map<string, number>([
  ['mon', 1],
  ['tue', 2],
  ['wed', 3],
  ['thu', 4],
  ['fri', 5],
  ['ma', 1],
  ['ti', 2],
  ['ke', 3],
  ['to', 4],
  ['pe', 5], // maanantai … perjantai
  ['må', 1],
  ['on', 3],
  ['fr', 5], // måndag, onsdag, fredag (ti and to are the same in Swedish)
]);

/** A working weekday as a name (`mon`, `ma`, `må`) or a number 1–5, as the ISO weekday. */
export function parseWeekday(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^[1-5]$/.test(t)) return Number(t);
  return WEEKDAYS.get(t) ?? WEEKDAYS.get(t.slice(0, 3));
}
