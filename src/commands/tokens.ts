import { isValid, parse } from 'date-fns';

/** Splits a command line into words, keeping "quoted phrases" (straight or typographic quotes) whole. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|”([^”]*)”|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(re)) {
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? '');
  }
  return out;
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

/** Normalises a person reference: Slack `<@U123|anna>` → `U123`, `@anna` → `anna`. */
export function personRef(token: string): string | undefined {
  const slack = /^<@([A-Za-z0-9._-]+)(?:\|[^>]*)?>$/.exec(token);
  if (slack) return slack[1];
  const plain = /^@?([\p{L}\p{N}._-]{1,64})$/u.exec(token);
  return plain ? plain[1] : undefined;
}

/** Whether a word is a task id or a fragment of one. */
export function isTaskRef(token: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{0,80}$/i.test(token);
}
