import Holidays from 'date-holidays';
import HolidaysParser from 'date-holidays-parser';
import { describe, expect, it } from 'vitest';
import { FI_HOLIDAY_DATA } from '../../src/domain/holidays-fi.js';
// @ts-expect-error: a plain ES module script of the project's, without declarations.
import { finnishHolidayData } from '../../scripts/holidays-fi-pick.mjs';

describe("the calendar's Finnish holiday data (src/domain/holidays-fi.ts)", () => {
  it("is the Finnish part of the installed date-holidays' data: after an upgrade, run npm run holidays-data", async () => {
    expect(FI_HOLIDAY_DATA).toEqual(await finnishHolidayData());
  });

  it('gives the same Finnish holidays, names and types in fi, sv and en as the whole date-holidays library, 2000 to 2060', () => {
    const timezone = 'Europe/Helsinki';
    const full = new Holidays('FI', { timezone });
    const ours = new HolidaysParser(FI_HOLIDAY_DATA, 'FI', { timezone });
    let compared = 0;
    for (let year = 2000; year <= 2060; year++) {
      for (const lang of ['fi', 'sv', 'en']) {
        const expected = full.getHolidays(year, lang);
        expect(ours.getHolidays(year, lang), `${year} ${lang}`).toEqual(expected);
        compared += expected.length;
      }
    }
    expect(compared).toBeGreaterThan(61 * 3 * 15);
  });
});
