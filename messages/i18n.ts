import type { Lang } from '../src/domain/types.js';
import { en, type Catalog } from './catalog/en.js';
import { fi } from './catalog/fi.js';
import { sv } from './catalog/sv.js';

const CATALOGS: Record<Lang, Catalog> = { fi, sv, en };

/** The catalogue of one language: every sentence the bot says to that reader. */
export function catalog(lang: Lang): Catalog {
  return CATALOGS[lang];
}

/** The reader's language: their own choice, else their platform locale (Finnish, Swedish, else English). */
export function pickLang(choice: Lang | undefined, locale: string | undefined): Lang {
  if (choice) return choice;
  const l = (locale ?? '').toLowerCase();
  if (l.startsWith('fi')) return 'fi';
  if (l.startsWith('sv')) return 'sv';
  return 'en';
}

interface Formatters {
  date: Intl.DateTimeFormat;
  time: Intl.DateTimeFormat;
  list: Intl.ListFormat;
  orList: Intl.ListFormat;
  number: Intl.NumberFormat;
}

// Building Intl formatters costs far more than using them, and every request makes a Format: one set per language and zone.
const FORMATTERS = new Map<string, Formatters>();

function formattersFor(lang: Lang, timeZone: string): Formatters {
  const key = `${lang}|${timeZone}`;
  let f = FORMATTERS.get(key);
  if (!f) {
    const locale = CATALOGS[lang].locale;
    f = {
      date: new Intl.DateTimeFormat(locale, {
        day: 'numeric',
        month: lang === 'en' ? 'short' : 'numeric',
        year: 'numeric',
        timeZone: 'UTC',
      }),
      // Numeric parts only: Format.dateTime puts them together in the catalogue's own pattern.
      time: new Intl.DateTimeFormat('en-GB', {
        day: 'numeric',
        month: 'numeric',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone,
      }),
      list: new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }),
      orList: new Intl.ListFormat(locale, { style: 'long', type: 'disjunction' }),
      number: new Intl.NumberFormat(locale),
    };
    FORMATTERS.set(key, f);
  }
  return f;
}

/** Dates, times and lists formatted for the reader's locale. */
export class Format {
  private readonly dateFmt: Intl.DateTimeFormat;
  private readonly timeFmt: Intl.DateTimeFormat;
  private readonly listFmt: Intl.ListFormat;
  private readonly orListFmt: Intl.ListFormat;
  private readonly numberFmt: Intl.NumberFormat;
  constructor(
    readonly lang: Lang,
    timeZone = 'Europe/Helsinki',
  ) {
    const f = formattersFor(lang, timeZone);
    this.dateFmt = f.date;
    this.timeFmt = f.time;
    this.listFmt = f.list;
    this.orListFmt = f.orList;
    this.numberFmt = f.number;
  }
  /** An ISO calendar date (2027-02-01) as the reader writes it. */
  date(iso: string | undefined): string {
    if (!iso) return CATALOGS[this.lang].common.none;
    return this.dateFmt.format(new Date(`${iso}T00:00:00Z`));
  }
  /** An instant as a local date and time in Helsinki: `1.2.2027 klo 9.00`, `1.2.2027 kl. 9.00`, `1 Feb 2027, 9:00`. */
  dateTime(instant: string | Date): string {
    const parts = this.timeFmt.formatToParts(typeof instant === 'string' ? new Date(instant) : instant);
    const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? '';
    const day = `${part('year')}-${part('month').padStart(2, '0')}-${part('day').padStart(2, '0')}`;
    const hour = part('hour') === '24' ? '00' : part('hour');
    return CATALOGS[this.lang].common.dateTime({ date: this.date(day), time: this.time(`${hour}:${part('minute')}`) });
  }
  /** A wall-clock time `HH:mm` as the reader writes it, the one way every time is shown: `klo 9.00`, `kl. 9.00`, `9:00`. */
  time(hhmm: string): string {
    const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
    if (!m) return hhmm;
    return CATALOGS[this.lang].common.clock({ hour: String(Number(m[1])), minute: m[2]! });
  }
  /** "a, b and c" in the reader's language. */
  list(items: readonly string[]): string {
    return this.listFmt.format(items);
  }
  /** "a, b or c" in the reader's language. */
  orList(items: readonly string[]): string {
    return this.orListFmt.format(items);
  }
  /** A whole number in the reader's locale. */
  number(n: number): string {
    return this.numberFmt.format(n);
  }
}

/** A mention of a person, rendered by each platform in its own way. */
export function mention(id: string): string {
  return `<@${id}>`;
}

/** A channel on a platform, rendered by each platform in its own way (Slack a channel link, Teams the channel's name). */
export function channelMention(platform: string, id: string): string {
  return `<#${platform}:${id}>`;
}

/** `<#platform:id>` channel references in a text, matched the one way every renderer reads them. */
export const CHANNEL_MENTION = /<#([a-z]+):([^>\s]+)>/g;
