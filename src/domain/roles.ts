import { refuse, type Refusal } from './change.js';
import type { Person, Project, Role } from './types.js';

/** The people holding a role, for refusals that say who may act instead. */
export function holders(project: Project, role: Role): string[] {
  return Object.values(project.people)
    .filter((p) => p.roles.includes(role))
    .map((p) => p.id);
}

/** Whether a person holds a role in the project. */
export function hasRole(project: Project, userId: string, role: Role): boolean {
  return project.people[userId]?.roles.includes(role) ?? false;
}

/** Refuses unless the user holds one of the roles; the refusal names who does. */
export function requireRole(project: Project, userId: string, ...roles: Role[]): Refusal | undefined {
  if (roles.some((r) => hasRole(project, userId, r))) return undefined;
  const who = [...new Set(roles.flatMap((r) => holders(project, r)))];
  return refuse('role.required', { role: roles[0] ?? 'coordinator', who });
}

/** Adds a role to a person (creating the person), returning the updated people map. */
export function grant(people: Record<string, Person>, id: string, role: Role, name?: string): Record<string, Person> {
  const existing = people[id] ?? { id, roles: [] };
  const roles = existing.roles.includes(role) ? existing.roles : [...existing.roles, role];
  const named = name && !existing.name ? { name } : {};
  return { ...people, [id]: { ...existing, ...named, roles } };
}
