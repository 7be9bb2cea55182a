import type { z } from 'zod';
import { refuse, type Refusal } from './change.js';
import { MAX_PROJECT_BYTES, PROJECT_GROWTH_SLACK_BYTES, PROJECT_HARD_MAX_BYTES, TEXT_LIMITS, type TextKind } from './text-limits.js';
import { ProjectSchema, TEXT_LIMIT_ISSUE, type Project } from './types.js';

const kindOf = (issue: z.core.$ZodIssue): TextKind | undefined => {
  if (issue.code !== 'too_big' || !issue.message.startsWith(TEXT_LIMIT_ISSUE)) return undefined;
  const kind = issue.message.slice(TEXT_LIMIT_ISSUE.length);
  return Object.hasOwn(TEXT_LIMITS, kind) ? (kind as TextKind) : undefined;
};

/** An issue's path as JSON keys; zod 4 types a path as PropertyKey[], and a symbol (never in a stored project) names no JSON value. */
const isJsonPath = (path: readonly PropertyKey[]): path is Array<string | number> => path.every((k) => typeof k !== 'symbol');

const valueAt = (root: unknown, path: ReadonlyArray<string | number>): unknown =>
  path.reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string | number, unknown>)[k] : undefined), root);

/** The size of a project as stored: the bytes of its JSON. */
export function documentBytes(project: Project): number {
  return Buffer.byteLength(JSON.stringify(project), 'utf8');
}

/**
 * Why a changed project may not be stored, checked on every change whatever command or form made it: a
 * free text over its limit (the schema's limits, so the store can never hold one), or a document that would
 * grow past MAX_PROJECT_BYTES by more than a status or a date adds, or past PROJECT_HARD_MAX_BYTES at all. A
 * change that does not grow a document (one stored before the budget existed may be larger) goes through.
 */
export function limitRefusal(next: Project, before?: Project): Refusal | undefined {
  const checked = ProjectSchema.safeParse(next);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const kind = kindOf(issue);
      if (!kind || !isJsonPath(issue.path)) continue;
      const value = valueAt(next, issue.path);
      if (typeof value === 'string') return refuse('text.too-long', { what: kind, limit: TEXT_LIMITS[kind], length: value.length });
    }
  }
  const bytes = documentBytes(next);
  if (bytes <= MAX_PROJECT_BYTES) return undefined;
  const grown = bytes - (before ? documentBytes(before) : 0);
  if (grown <= 0 || (grown <= PROJECT_GROWTH_SLACK_BYTES && bytes <= PROJECT_HARD_MAX_BYTES)) return undefined;
  return refuse('project.too-large', { size: Math.ceil(bytes / 1024), limit: MAX_PROJECT_BYTES / 1024 });
}

/**
 * A stored project as the domain reads it. One stored before the limits existed may hold a text over its
 * limit or more notes than a task keeps: such a text is cut to the limit (ending in "…") and a task keeps
 * its newest notes, so the project loads and its next change stores it within the limits; every text stays
 * whole in the audit trail, which recorded it when it was written.
 */
export function parseStoredProject(raw: unknown): Project {
  let checked = ProjectSchema.safeParse(raw);
  if (checked.success) return checked.data;
  const fitted = structuredClone(raw);
  // zod checks a list's length only once its items are valid, so a task with both too many notes and notes too
  // long is fitted in two rounds: the texts first, then the list (the deepest issue first within a round).
  for (let round = 0; !checked.success && round < 3; round++) {
    for (const issue of [...checked.error.issues].sort((a, b) => b.path.length - a.path.length)) {
      const path = issue.path;
      if (issue.code !== 'too_big' || typeof issue.maximum !== 'number' || path.length === 0 || !isJsonPath(path)) continue;
      const parent = valueAt(fitted, path.slice(0, -1)) as Record<string | number, unknown> | undefined;
      const key = path.at(-1)!;
      const value = parent?.[key];
      if (typeof value === 'string') parent![key] = `${value.slice(0, issue.maximum - 1)}…`;
      else if (Array.isArray(value)) parent![key] = value.slice(-issue.maximum);
    }
    checked = ProjectSchema.safeParse(fitted);
  }
  if (!checked.success) throw checked.error;
  return checked.data;
}
