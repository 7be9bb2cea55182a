import { refuse, type Refusal } from './change.js';
import { dictOf, own, put, type Dict } from './dict.js';
import type { Person, Project, Role } from './types.js';

/** The people holding a role, for refusals that say who may act instead. */
export function holders(project: Project, role: Role): string[] {
  return Object.values(project.people)
    .filter((p) => p.roles.includes(role))
    .map((p) => p.id);
}

/** Whether a person holds a role in the project. */
export function hasRole(project: Project, userId: string, role: Role): boolean {
  return own(project.people, userId)?.roles.includes(role) ?? false;
}

/**
 * The refusal of someone without the role: it names every role that may act and who holds them, each person with
 * the role they would act in when more than one role may (so a coordinator is never listed as "the task owner").
 */
export function roleRefusal(roles: readonly Role[], people: ReadonlyArray<readonly [string, Role]>): Refusal {
  const who: string[] = [];
  const whoRole: string[] = [];
  for (const [id, role] of people) {
    if (who.includes(id)) continue;
    who.push(id);
    whoRole.push(role);
  }
  return refuse('role.required', { role: roles[0] ?? 'coordinator', roles: [...roles], who, ...(roles.length > 1 ? { whoRole } : {}) });
}

/** Refuses unless the user holds one of the roles; the refusal names who does. */
export function requireRole(project: Project, userId: string, ...roles: Role[]): Refusal | undefined {
  if (roles.some((r) => hasRole(project, userId, r))) return undefined;
  return roleRefusal(
    roles,
    roles.flatMap((r) => holders(project, r).map((id) => [id, r] as const)),
  );
}

/** Adds a role to a person (creating the person), returning the updated people map. */
export function grant(people: Readonly<Dict<Person>>, id: string, role: Role, name?: string): Dict<Person> {
  const existing = own(people, id) ?? { id, roles: [] };
  const roles = existing.roles.includes(role) ? existing.roles : [...existing.roles, role];
  const named = name && !existing.name ? { name } : {};
  const next = dictOf(people);
  put(next, id, { ...existing, ...named, roles });
  return next;
}
