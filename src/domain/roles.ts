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

/** Refuses unless the user holds one of the roles; the refusal names who does. */
export function requireRole(project: Project, userId: string, ...roles: Role[]): Refusal | undefined {
  if (roles.some((r) => hasRole(project, userId, r))) return undefined;
  const who = [...new Set(roles.flatMap((r) => holders(project, r)))];
  return refuse('role.required', { role: roles[0] ?? 'coordinator', who });
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
