import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { HELSINKI, WorkingDayCalendar, isIsoDate } from '../../src/domain/calendar.js';

const cal = new WorkingDayCalendar();

// Finnish public holidays plus the two office days off (Midsummer Eve, Christmas Eve), written out by hand.
// Easter 2026 is 5 April, Easter 2027 is 28 March; Midsummer Day is the Saturday in 20–26 June,
// All Saints' Day the Saturday in 31 Oct – 6 Nov.
const HOLIDAYS_2026 = [
  ['2026-01-01', 'Thu', 'uudenvuodenpäivä'],
  ['2026-01-06', 'Tue', 'loppiainen'],
  ['2026-04-03', 'Fri', 'pitkäperjantai'],
  ['2026-04-05', 'Sun', 'pääsiäispäivä'],
  ['2026-04-06', 'Mon', 'toinen pääsiäispäivä'],
  ['2026-05-01', 'Fri', 'vappu'],
  ['2026-05-14', 'Thu', 'helatorstai'],
  ['2026-05-24', 'Sun', 'helluntaipäivä'],
  ['2026-06-19', 'Fri', 'juhannusaatto'],
  ['2026-06-20', 'Sat', 'juhannuspäivä'],
  ['2026-10-31', 'Sat', 'pyhäinpäivä'],
  ['2026-12-06', 'Sun', 'itsenäisyyspäivä'],
  ['2026-12-24', 'Thu', 'jouluaatto'],
  ['2026-12-25', 'Fri', 'joulupäivä'],
  ['2026-12-26', 'Sat', 'tapaninpäivä'],
] as const;

const HOLIDAYS_2027 = [
  ['2027-01-01', 'Fri', 'uudenvuodenpäivä'],
  ['2027-01-06', 'Wed', 'loppiainen'],
  ['2027-03-26', 'Fri', 'pitkäperjantai'],
  ['2027-03-28', 'Sun', 'pääsiäispäivä'],
  ['2027-03-29', 'Mon', 'toinen pääsiäispäivä'],
  ['2027-05-01', 'Sat', 'vappu'],
  ['2027-05-06', 'Thu', 'helatorstai'],
  ['2027-05-16', 'Sun', 'helluntaipäivä'],
  ['2027-06-25', 'Fri', 'juhannusaatto'],
  ['2027-06-26', 'Sat', 'juhannuspäivä'],
  ['2027-11-06', 'Sat', 'pyhäinpäivä'],
  ['2027-12-06', 'Mon', 'itsenäisyyspäivä'],
  ['2027-12-24', 'Fri', 'jouluaatto'],
  ['2027-12-25', 'Sat', 'joulupäivä'],
  ['2027-12-26', 'Sun', 'tapaninpäivä'],
] as const;

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

describe.each([
  [2026, HOLIDAYS_2026, 252],
  [2027, HOLIDAYS_2027, 253],
] as const)('Finnish holidays of %i', (year, list, workingDays) => {
  const dates: string[] = list.map(([d]) => d);

  it('lists exactly the official days off, sorted, with Finnish names', () => {
    expect(cal.holidays(year).map((h) => h.date)).toEqual(dates);
    expect(cal.holidays(year).map((h) => h.name.fi)).toEqual(list.map(([, , fi]) => fi));
  });

  it('has the weekdays written in the list', () => {
    for (const [d, wd] of list) expect(WEEKDAYS[cal.weekday(d) - 1], d).toBe(wd);
  });

  it('makes every holiday a non-working day and holiday() finds it', () => {
    for (const d of dates) {
      expect(cal.isWorkingDay(d), d).toBe(false);
      expect(cal.holiday(d)?.date, d).toBe(d);
    }
  });

  it('keeps the weekdays around each holiday working unless they are holidays too', () => {
    for (const d of dates) {
      for (const near of [cal.addDays(d, -1), cal.addDays(d, 1)]) {
        if (cal.weekday(near) <= 5 && !dates.includes(near)) {
          expect(cal.isWorkingDay(near), near).toBe(true);
          expect(cal.holiday(near), near).toBeUndefined();
        }
      }
    }
  });

  it(`has ${workingDays} working days (261 weekdays less the weekday holidays)`, () => {
    expect(cal.workingDaysBetween(`${year - 1}-12-31`, `${year}-12-31`)).toBe(workingDays);
  });
});

describe('library classification', () => {
  it('treats New Year’s Eve, Maundy Thursday and the day after Ascension as working days', () => {
    for (const d of ['2026-12-31', '2027-12-31', '2026-04-02', '2026-05-15', '2026-06-18']) {
      expect(cal.isWorkingDay(d), d).toBe(true);
    }
  });

  it('ignores observances (Mother’s Day, Father’s Day)', () => {
    expect(cal.holiday('2026-05-10')).toBeUndefined();
    expect(cal.holiday('2026-11-08')).toBeUndefined();
  });

  it('keeps Midsummer Eve (a Friday) and Christmas Eve off in every year 2026–2035', () => {
    for (let y = 2026; y <= 2035; y++) {
      const names = cal.holidays(y).map((h) => h.name.en);
      const eve = cal.holidays(y).find((h) => h.name.fi === 'juhannusaatto');
      expect(eve && cal.weekday(eve.date), String(y)).toBe(5);
      expect(cal.holiday(`${y}-12-24`)?.name.fi).toBe('jouluaatto');
      expect(names).toHaveLength(15);
    }
  });

  it('names holidays in Finnish, Swedish and English', () => {
    expect(cal.holiday('2026-06-19')?.name).toEqual({ fi: 'juhannusaatto', sv: 'midsommarafton', en: 'Midsummer Eve' });
    expect(cal.holiday('2026-12-24')?.name).toEqual({ fi: 'jouluaatto', sv: 'julafton', en: 'Christmas Eve' });
    expect(cal.holiday('2026-12-06')?.name.sv).toBe('självständighetsdagen');
  });
});

describe('working-day arithmetic', () => {
  it('skips weekends', () => {
    expect(cal.addWorkingDays('2026-01-09', 1)).toBe('2026-01-12'); // Fri -> Mon
    expect(cal.addWorkingDays('2026-01-12', -1)).toBe('2026-01-09');
    expect(cal.addWorkingDays('2026-01-10', 0)).toBe('2026-01-12'); // Sat, n = 0 -> onOrAfter
    expect(cal.addWorkingDays('2026-01-10', 1)).toBe('2026-01-12');
    expect(cal.addWorkingDays('2026-01-10', -1)).toBe('2026-01-09');
    expect(cal.addWorkingDays('2026-01-12', 0)).toBe('2026-01-12');
    expect(cal.addWorkingDays('2026-01-12', 5)).toBe('2026-01-19');
  });

  it('skips Easter (Good Friday to Easter Monday)', () => {
    expect(cal.addWorkingDays('2026-03-27', 4)).toBe('2026-04-02'); // the Friday a week before
    expect(cal.addWorkingDays('2026-03-27', 5)).toBe('2026-04-07');
    expect(cal.addWorkingDays('2026-04-02', 1)).toBe('2026-04-07');
    expect(cal.addWorkingDays('2026-04-07', -1)).toBe('2026-04-02');
    expect(cal.addWorkingDays('2027-03-19', 5)).toBe('2027-03-30');
  });

  it('skips Midsummer', () => {
    expect(cal.addWorkingDays('2026-06-18', 1)).toBe('2026-06-22');
    expect(cal.addWorkingDays('2027-06-24', 1)).toBe('2027-06-28');
    expect(cal.addWorkingDays('2026-06-22', -1)).toBe('2026-06-18');
  });

  it('skips Christmas week across New Year and Epiphany', () => {
    expect(cal.addWorkingDays('2026-12-23', 1)).toBe('2026-12-28');
    expect(cal.addWorkingDays('2026-12-23', 4)).toBe('2026-12-31');
    expect(cal.addWorkingDays('2026-12-23', 5)).toBe('2027-01-04');
    expect(cal.addWorkingDays('2026-12-23', 7)).toBe('2027-01-07');
    expect(cal.addWorkingDays('2027-01-07', -7)).toBe('2026-12-23');
    expect(cal.addWorkingDays('2027-12-23', 1)).toBe('2027-12-27');
  });

  it('finds next, previous, on-or-after and on-or-before working days', () => {
    expect(cal.nextWorkingDay('2026-12-23')).toBe('2026-12-28');
    expect(cal.nextWorkingDay('2026-12-28')).toBe('2026-12-29');
    expect(cal.previousWorkingDay('2026-04-07')).toBe('2026-04-02');
    expect(cal.previousWorkingDay('2026-04-02')).toBe('2026-04-01');
    expect(cal.onOrAfter('2026-04-03')).toBe('2026-04-07');
    expect(cal.onOrAfter('2026-04-02')).toBe('2026-04-02');
    expect(cal.onOrBefore('2026-04-06')).toBe('2026-04-02');
    expect(cal.onOrBefore('2026-04-07')).toBe('2026-04-07');
  });

  it('counts working days in (from, to], negative backwards, in agreement with addWorkingDays', () => {
    expect(cal.workingDaysBetween('2026-12-23', '2027-01-07')).toBe(7);
    expect(cal.workingDaysBetween('2027-01-07', '2026-12-23')).toBe(-7);
    expect(cal.workingDaysBetween('2026-04-02', '2026-04-06')).toBe(0);
    expect(cal.workingDaysBetween('2026-04-02', '2026-04-02')).toBe(0);
    expect(cal.workingDaysBetween('2026-01-10', '2026-01-12')).toBe(1);
    for (const [d, n] of [
      ['2026-03-27', 5],
      ['2026-06-18', 1],
      ['2026-12-23', 5],
      ['2026-12-31', -20],
    ] as const) {
      expect(cal.workingDaysBetween(d, cal.addWorkingDays(d, n))).toBe(n);
    }
  });

  it('does plain calendar arithmetic and ISO weekdays', () => {
    expect(cal.addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(cal.addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(cal.addDays('2026-03-29', 1)).toBe('2026-03-30'); // DST day is still one calendar day
    expect(cal.weekday('2026-01-04')).toBe(7);
    expect(cal.weekday('2026-01-05')).toBe(1);
    expect(cal.weekday('1969-12-29')).toBe(1);
  });

  it('property: addWorkingDays lands on a working day n working days away', () => {
    const start = Date.UTC(2026, 0, 1);
    const days = (Date.UTC(2030, 11, 31) - start) / 86_400_000;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: days }), fc.integer({ min: -40, max: 40 }), (offset, n) => {
        const d = cal.addDays('2026-01-01', offset);
        const result = cal.addWorkingDays(d, n);
        expect(cal.isWorkingDay(result)).toBe(true);
        if (cal.isWorkingDay(d)) expect(cal.workingDaysBetween(d, result)).toBe(n);
      }),
      { numRuns: 500 },
    );
  });
});

describe('time zone', () => {
  const iso = (d: Date) => d.toISOString();

  it('is Europe/Helsinki by default', () => {
    expect(cal.timeZone).toBe(HELSINKI);
    expect(() => new WorkingDayCalendar('Europe/Nowhere')).toThrow(RangeError);
  });

  it('at(): 09:00 is 07:00Z in winter and 06:00Z in summer, on both sides of both 2026 DST changes', () => {
    expect(iso(cal.at('2026-03-28', '09:00'))).toBe('2026-03-28T07:00:00.000Z');
    expect(iso(cal.at('2026-03-29', '09:00'))).toBe('2026-03-29T06:00:00.000Z');
    expect(iso(cal.at('2026-03-30', '09:00'))).toBe('2026-03-30T06:00:00.000Z');
    expect(iso(cal.at('2026-10-24', '09:00'))).toBe('2026-10-24T06:00:00.000Z');
    expect(iso(cal.at('2026-10-25', '09:00'))).toBe('2026-10-25T07:00:00.000Z');
    expect(iso(cal.at('2026-10-26', '09:00'))).toBe('2026-10-26T07:00:00.000Z');
    expect(iso(cal.at('2026-01-15', '00:00'))).toBe('2026-01-14T22:00:00.000Z');
    expect(iso(cal.at('2026-07-15', '23:59'))).toBe('2026-07-15T20:59:00.000Z');
  });

  it('at(): spring change 29 Mar 2026 (03:00 EET -> 04:00 EEST at 01:00Z)', () => {
    expect(iso(cal.at('2026-03-29', '00:00'))).toBe('2026-03-28T22:00:00.000Z');
    expect(iso(cal.at('2026-03-29', '02:59'))).toBe('2026-03-29T00:59:00.000Z');
    expect(iso(cal.at('2026-03-29', '03:30'))).toBe('2026-03-29T01:30:00.000Z'); // skipped: 04:30 EEST
    expect(iso(cal.at('2026-03-29', '04:00'))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(cal.at('2026-03-29', '23:59'))).toBe('2026-03-29T20:59:00.000Z');
  });

  it('at(): autumn change 25 Oct 2026 (04:00 EEST -> 03:00 EET at 01:00Z)', () => {
    expect(iso(cal.at('2026-10-25', '00:00'))).toBe('2026-10-24T21:00:00.000Z');
    expect(iso(cal.at('2026-10-25', '02:59'))).toBe('2026-10-24T23:59:00.000Z');
    expect(iso(cal.at('2026-10-25', '03:30'))).toBe('2026-10-25T00:30:00.000Z'); // twice: the first, EEST
    expect(iso(cal.at('2026-10-25', '04:00'))).toBe('2026-10-25T02:00:00.000Z');
    expect(iso(cal.at('2026-10-25', '23:59'))).toBe('2026-10-25T21:59:00.000Z');
  });

  it('at() and today() round-trip for every hour of the DST days', () => {
    for (const d of ['2026-03-29', '2026-10-25', '2026-06-19']) {
      for (let h = 0; h < 24; h++) expect(cal.today(cal.at(d, `${String(h).padStart(2, '0')}:15`))).toBe(d);
    }
  });

  it('today() flips at Helsinki midnight, not UTC midnight', () => {
    const today = (s: string) => cal.today(new Date(s));
    expect(today('2026-01-01T21:59:59.999Z')).toBe('2026-01-01');
    expect(today('2026-01-01T22:00:00.000Z')).toBe('2026-01-02');
    expect(today('2026-07-01T20:59:59.999Z')).toBe('2026-07-01');
    expect(today('2026-07-01T21:00:00.000Z')).toBe('2026-07-02');
    expect(today('2026-07-01T23:30:00.000Z')).toBe('2026-07-02'); // still 1 July in UTC
    expect(today('2026-03-28T21:59:59.999Z')).toBe('2026-03-28');
    expect(today('2026-03-28T22:00:00.000Z')).toBe('2026-03-29');
    expect(today('2026-10-24T20:59:59.999Z')).toBe('2026-10-24');
    expect(today('2026-10-24T21:00:00.000Z')).toBe('2026-10-25');
  });
});

describe('input validation', () => {
  it('isIsoDate accepts only real YYYY-MM-DD dates', () => {
    for (const s of ['2026-02-28', '2028-02-29', '2026-12-31']) expect(isIsoDate(s), s).toBe(true);
    for (const s of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-1-01', '2026-01-01T00:00', '', 20260101, null]) {
      expect(isIsoDate(s), String(s)).toBe(false);
    }
  });

  it('rejects bad dates, times and counts', () => {
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => cal.holiday('26-01-01')).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-01-01', 1.5)).toThrow(RangeError);
    expect(() => cal.at('2026-01-01', '9:00')).toThrow(RangeError);
    expect(() => cal.at('2026-01-01', '24:00')).toThrow(RangeError);
    expect(() => cal.today(new Date(Number.NaN))).toThrow(RangeError);
  });
});
