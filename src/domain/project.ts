import { accept, draft, refuse, unchanged, type Change } from './change.js';
import { templateTasks } from './checklist.js';
import { dict, own } from './dict.js';
import { grant, hasRole, requireRole } from './roles.js';
import {
  defaultCommsGroups,
  ReminderSettingsSchema,
  type Actor,
  type ChannelRef,
  type Connection,
  type Lang,
  type Login,
  type Project,
  type Role,
} from './types.js';

/** A new project from the template; its creator is its first coordinator. */
export function newProject(id: string, actor: Actor, channel: ChannelRef, name: string, at: string): Project {
  return {
    id,
    tenant: actor.tenant,
    name,
    connection: 'integration',
    login: 'suomifi',
    languages: ['fi', 'sv'],
    channel,
    people: grant(dict(), actor.userId, 'coordinator', actor.name),
    tasks: templateTasks(),
    signoffs: [],
    risks: [],
    impact: {},
    decisions: [],
    trainings: [],
    comms: defaultCommsGroups(),
    staffLogin: dict(),
    joiningForm: {},
    reminders: ReminderSettingsSchema.parse({}),
    seq: 0,
    createdAt: at,
    createdBy: actor.userId,
  };
}

/** The project settings a coordinator can change from chat. */
export type Setting =
  | { key: 'name'; value: string }
  | { key: 'authority'; value: string }
  | { key: 'connection'; value: Connection }
  | { key: 'login'; value: Login }
  | { key: 'languages'; value: Lang[] }
  | { key: 'goLive'; value: string };

/** Changes one setting (a go-live date from today on); coordinators only. */
export function configure(project: Project, userId: string, setting: Setting, today: string): Change {
  const denied = requireRole(project, userId, 'coordinator');
  if (denied) return denied;
  const current = project[setting.key];
  if (JSON.stringify(current) === JSON.stringify(setting.value)) return unchanged(project);
  if (setting.key === 'goLive' && setting.value < today) return refuse('date.past', { date: setting.value });
  const next = draft(project);
  (next as Record<string, unknown>)[setting.key] = setting.value;
  return accept(next, { action: `project.${setting.key}`, before: { [setting.key]: current }, after: { [setting.key]: setting.value } });
}

/** Gives or takes a role; coordinators only, and the last coordinator stays. */
export function setRole(project: Project, userId: string, person: string, role: Role, on: boolean, name?: string): Change {
  const denied = requireRole(project, userId, 'coordinator');
  if (denied) return denied;
  if (hasRole(project, person, role) === on) return unchanged(project);
  const next = draft(project);
  if (on) {
    next.people = grant(next.people, person, role, name);
  } else {
    const p = own(next.people, person);
    if (!p) return refuse('person.unknown', { person });
    const coordinators = Object.values(project.people).filter((x) => x.roles.includes('coordinator'));
    if (role === 'coordinator' && coordinators.length <= 1) return refuse('role.last-coordinator', { person });
    p.roles = p.roles.filter((r) => r !== role);
  }
  return accept(next, { action: on ? 'role.grant' : 'role.revoke', target: person, after: { role } });
}
