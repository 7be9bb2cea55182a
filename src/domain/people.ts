import { refuse, type Refusal } from './change.js';
import { own } from './dict.js';
import type { Project } from './types.js';

/**
 * How a command names people: who typed it, which of the names were platform mentions (a Slack or Teams
 * mention is a real account, never a typo), and whether the typist confirmed that new names are new people.
 */
export interface Naming {
  actor: string;
  mentioned?: ReadonlySet<string>;
  confirmed?: boolean;
}

/** Whether the project knows a person: they hold or held a role, or were asked whether they can log in. */
export function isKnown(project: Project, id: string): boolean {
  return Boolean(own(project.people, id) || own(project.staffLogin, id));
}

/** Edits (insertions, deletions, substitutions) between two short names, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The project's people whose id is close to a name typed (one or two letters off, or the start of it). */
export function lookalikes(project: Project, name: string): string[] {
  const typed = name.toLowerCase();
  const ids = [...new Set([...Object.keys(project.people), ...Object.keys(project.staffLogin)])];
  return ids
    .filter((id) => {
      const known = id.toLowerCase();
      return known !== typed && (known.startsWith(typed) || distance(known, typed) <= Math.min(2, Math.floor(known.length / 3)));
    })
    .sort()
    .slice(0, 3);
}

/**
 * Refuses names the project does not know, unless they were mentions or the typist confirmed them: a typo
 * would otherwise become a person with a role, who then gets invitations. The refusal names the close matches.
 */
export function checkNamed(project: Project, ids: readonly string[], naming: Naming): Refusal | undefined {
  if (naming.confirmed) return undefined;
  const unknown = [...new Set(ids)].filter((id) => id !== naming.actor && !naming.mentioned?.has(id) && !isKnown(project, id));
  if (unknown.length === 0) return undefined;
  const suggestions = [...new Set(unknown.flatMap((id) => lookalikes(project, id)))];
  return refuse('person.new', { people: unknown, suggestions });
}
