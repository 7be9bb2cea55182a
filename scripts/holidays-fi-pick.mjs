// The Finnish part of date-holidays' data: FI's rules and the names they refer to (by `_name`), nothing else.
/** What scripts/holidays-fi.mjs writes and test/domain/holidays-data.test.ts compares with the file. */
export async function finnishHolidayData() {
  const { data } = await import('date-holidays/data');
  const FI = data.holidays.FI;
  const used = new Set([...JSON.stringify(FI).matchAll(/"_name":"([^"]+)"/g)].map((m) => m[1]));
  const names = Object.fromEntries(Object.entries(data.names).filter(([k]) => used.has(k)));
  return { version: data.version, license: data.license, holidays: { FI }, names };
}
