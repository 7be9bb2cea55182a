import Holidays from 'date-holidays-parser';
import { FI_HOLIDAY_DATA } from './holidays-fi.js';
import { tzOffset } from '@date-fns/tz';

/** Europe/Helsinki: every date and time the bot shows or schedules is in this zone. */
export const HELSINKI = 'Europe/Helsinki';

/** A plain calendar date 'YYYY-MM-DD', with no time or zone, so deadlines never drift across DST. */
export type IsoDate = string;

/** A day off in the Finnish calendar, named in the authority's three languages. */
export interface Holiday {
  date: IsoDate;
  name: { fi: string; sv: string; en: string };
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * date-holidays (3.37, data/countries/FI.yaml) types every statutory holiday 'public', but types
 * Midsummer Eve ('friday after 06-19') and Christmas Eve ('12-24') as 'bank': in law they are not
 * public holidays, yet collective agreements (the state's included) and universal practice close
 * Finnish offices on both, so the calendar treats them as days off. New Year's Eve ('12-31') is
 * also 'bank' but offices are open, so it stays a working day. The 'observance' days (Mother's
 * and Father's Day) are Sundays and are ignored. The rules are matched by the library's rule text;
 * the tests pin the resulting dates, so a change in the library's data fails them loudly.
 */
const OFFICE_DAYS_OFF = new Set(['friday after 06-19', '12-24']);

/** How many dates (or instants) each memo keeps before it starts over: a plan walks the same few weeks again and again. */
const MEMO_MAX = 50_000;
const dayNumbers = new Map<string, number>();
const isoDates = new Map<number, IsoDate>();

/** Days since 1970-01-01 for a valid IsoDate; anything else is a programming error. */
function dayNumber(date: IsoDate): number {
  const known = dayNumbers.get(date);
  if (known !== undefined) return known;
  if (!isIsoDate(date)) throw new RangeError(`Not an ISO calendar date (YYYY-MM-DD): ${String(date)}`);
  const days = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY_MS;
  if (dayNumbers.size >= MEMO_MAX) dayNumbers.clear();
  dayNumbers.set(date, days);
  return days;
}

function fromDayNumber(days: number): IsoDate {
  const known = isoDates.get(days);
  if (known !== undefined) return known;
  const date = new Date(days * DAY_MS).toISOString().slice(0, 10);
  if (isoDates.size >= MEMO_MAX) isoDates.clear();
  isoDates.set(days, date);
  return date;
}

function assertInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer, got ${n}`);
}

/** Zod-free guard for user and stored input: the exact shape and a date that exists (no 2026-02-30). */
export function isIsoDate(s: unknown): s is IsoDate {
  if (typeof s !== 'string' || !ISO_DATE.test(s)) return false;
  const year = +s.slice(0, 4);
  if (year < 1000) return false; // Date.UTC maps years 0..99 to 19xx; no deadline lives there
  const ms = Date.UTC(year, +s.slice(5, 7) - 1, +s.slice(8, 10));
  return new Date(ms).toISOString().slice(0, 10) === s;
}

/**
 * An instant as ISO 8601 in Helsinki wall-clock time with its offset (`2026-11-23T12:00:00+02:00`, `+03:00` in
 * summer): a filed export reads as the authority's own time and still names the exact instant.
 */
export function helsinkiIso(instant: string | Date): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) return String(instant);
  const minutes = tzOffset(HELSINKI, new Date(ms));
  const abs = Math.abs(minutes);
  const offset = `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${new Date(ms + minutes * 60_000).toISOString().slice(0, 19)}${offset}`;
}

/** Finnish working days and Helsinki wall-clock times: the one place deadlines and reminders are computed. */
export class WorkingDayCalendar {
  private readonly lib: Holidays;
  private readonly years = new Map<number, ReadonlyMap<IsoDate, Holiday>>();
  /** Whether each day (days since 1970-01-01) is a working day: planning a day walks the same few weeks for every task of every project. */
  private readonly working = new Map<number, boolean>();
  /** The instant of each wall-clock time asked for ('YYYY-MM-DD HH:mm' → ms): every task of a project is reminded at the same time. */
  private readonly instants = new Map<string, number>();

  constructor(readonly timeZone: string = HELSINKI) {
    new Intl.DateTimeFormat('en', { timeZone }); // throws RangeError for an unknown zone
    this.lib = new Holidays(FI_HOLIDAY_DATA, 'FI', { timezone: HELSINKI });
  }

  /** Monday to Friday and not a Finnish holiday (including Midsummer Eve and Christmas Eve). */
  isWorkingDay(date: IsoDate): boolean {
    return this.workingOn(dayNumber(date));
  }

  private workingOn(day: number): boolean {
    let working = this.working.get(day);
    if (working === undefined) {
      const date = fromDayNumber(day);
      working = this.weekday(date) <= 5 && this.holiday(date) === undefined;
      this.working.set(day, working);
    }
    return working;
  }

  /** The non-working holiday on that date, if any (weekday or not). */
  holiday(date: IsoDate): Holiday | undefined {
    dayNumber(date);
    return this.yearHolidays(+date.slice(0, 4)).get(date);
  }

  /** The year's non-working holidays, sorted by date. */
  holidays(year: number): Holiday[] {
    assertInteger(year, 'year');
    return [...this.yearHolidays(year).values()];
  }

  /** n working days forward (n > 0) or backward (n < 0); n = 0 gives onOrAfter(date). */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    assertInteger(n, 'n');
    if (n === 0) return this.onOrAfter(date);
    const step = Math.sign(n);
    let day = dayNumber(date);
    for (let left = Math.abs(n); left > 0;) {
      day += step;
      if (this.workingOn(day)) left--;
    }
    return fromDayNumber(day);
  }

  /** The first working day strictly after date. */
  nextWorkingDay(date: IsoDate): IsoDate {
    return this.addWorkingDays(date, 1);
  }

  /** The last working day strictly before date. */
  previousWorkingDay(date: IsoDate): IsoDate {
    return this.addWorkingDays(date, -1);
  }

  /** date itself if it is a working day, else the next working day. */
  onOrAfter(date: IsoDate): IsoDate {
    return this.isWorkingDay(date) ? date : this.nextWorkingDay(date);
  }

  /** date itself if it is a working day, else the previous working day. */
  onOrBefore(date: IsoDate): IsoDate {
    return this.isWorkingDay(date) ? date : this.previousWorkingDay(date);
  }

  /** Working days in (from, to]; negative (the count in (to, from]) when to is before from. */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const a = dayNumber(from);
    const b = dayNumber(to);
    if (b < a) return -this.workingDaysBetween(to, from);
    let count = 0;
    for (let day = a + 1; day <= b; day++) if (this.workingOn(day)) count++;
    return count;
  }

  /** The calendar date in the zone at that instant (flips at local midnight, not UTC midnight). */
  today(now: Date): IsoDate {
    const ms = now.getTime();
    if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
    return fromDayNumber(Math.floor((ms + this.offsetMs(ms)) / DAY_MS));
  }

  /**
   * The instant of wall-clock time 'HH:mm' on date in the zone. DST-safe: the zone's offset is
   * looked up for that very moment. Like Temporal's 'compatible' rule, a time skipped in spring
   * (03:30 on the last Sunday of March) moves forward by the gap (04:30 summer time), and a time
   * that occurs twice in autumn (03:30 on the last Sunday of October) is the first, summer-time one.
   */
  at(date: IsoDate, time: string): Date {
    const key = `${date} ${time}`;
    const known = this.instants.get(key);
    if (known !== undefined) return new Date(known);
    const m = HH_MM.exec(time);
    if (!m) throw new RangeError(`Not a wall-clock time (HH:mm): ${time}`);
    const wall = dayNumber(date) * DAY_MS + (+m[1]! * 60 + +m[2]!) * 60_000;
    // A zone never changes offset twice within a day, so the offsets a day either side are the only candidates.
    const before = this.offsetMs(wall - DAY_MS);
    const after = this.offsetMs(wall + DAY_MS);
    const exact = [wall - before, wall - after].filter((t) => wall - t === this.offsetMs(t));
    const ms = exact.length > 0 ? Math.min(...exact) : wall - before;
    if (this.instants.size >= MEMO_MAX) this.instants.clear();
    this.instants.set(key, ms);
    return new Date(ms);
  }

  /** Plain calendar arithmetic (no working-day logic), e.g. for "in 14 days". */
  addDays(date: IsoDate, n: number): IsoDate {
    assertInteger(n, 'n');
    return fromDayNumber(dayNumber(date) + n);
  }

  /** ISO weekday: 1 = Monday .. 7 = Sunday. */
  weekday(date: IsoDate): number {
    // 1970-01-01 (day 0) was a Thursday (ISO 4).
    return ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;
  }

  private offsetMs(ms: number): number {
    return tzOffset(this.timeZone, new Date(ms)) * 60_000;
  }

  /** The year's days off keyed by date, built once per year (three library calls: fi, sv, en). */
  private yearHolidays(year: number): ReadonlyMap<IsoDate, Holiday> {
    const cached = this.years.get(year);
    if (cached) return cached;
    const names = (lang: 'fi' | 'sv' | 'en'): Map<IsoDate, string> =>
      new Map(
        this.lib
          .getHolidays(year, lang)
          .filter((h) => h.type === 'public' || OFFICE_DAYS_OFF.has(h.rule))
          .map((h) => [h.date.slice(0, 10), h.name] as const),
      );
    const fi = names('fi');
    const sv = names('sv');
    const en = names('en');
    const days = new Map<IsoDate, Holiday>();
    for (const date of [...fi.keys()].sort()) {
      const name = fi.get(date)!;
      days.set(date, Object.freeze({ date, name: Object.freeze({ fi: name, sv: sv.get(date) ?? name, en: en.get(date) ?? name }) }));
    }
    this.years.set(year, days);
    return days;
  }
}
