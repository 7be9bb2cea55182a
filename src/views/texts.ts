import { commandWord, type CommandName, type ParseError } from '../commands/command-types.js';
import { wordFor } from '../commands/sub-words.js';
import type { Refusal } from '../domain/change.js';
import { dict } from '../domain/dict.js';
import type { TextKind } from '../domain/text-limits.js';
import { ROLES, SIGNOFF_KINDS, type Project, type Role, type SignoffKind } from '../domain/types.js';
import type { Card } from '../../messages/card.js';
import type { Catalog } from '../../messages/catalog/en.js';
import { channelMention, mention, type Format } from '../../messages/i18n.js';

/** What every view needs: the reader's sentences and formats. */
export interface View {
  t: Catalog;
  f: Format;
}

/** Display names of the people a card mentions, so renderers can show `<@id>` their own way. */
export function peopleOf(project: Project | undefined): Record<string, string> {
  return dict(Object.values(project?.people ?? {}).map((p) => [p.id, p.name ?? p.id] as const));
}

/** A card with one sentence, for confirmations and refusals. */
export function sentence(text: string, project?: Project): Card {
  return { blocks: [{ type: 'text', text }], people: peopleOf(project) };
}

/** A parse error as a sentence that quotes the bad part and shows the usage. */
export function parseErrorText(v: View, e: ParseError): string {
  const { t } = v;
  const usage = e.command ? t.usage[e.command] : '';
  const arg = e.arg ? t.args[e.arg] : '';
  const token = (e.token ?? '').slice(0, 60);
  switch (e.code) {
    case 'empty':
      return t.parse.empty;
    case 'unknown-command':
      return t.parse.unknown({ token });
    case 'missing':
      return t.parse.missing({ arg, usage });
    case 'bad-date':
      return t.parse.badDate({ token, usage });
    case 'extra':
      return t.parse.extra({ token, usage });
    default: {
      const choices = e.arg === 'role' ? ` ${t.parse.choices({ choices: ROLES.map((r) => wordFor('role', r, v.f.lang)).join(', ') })}` : '';
      return t.parse.invalid({ token, arg, usage }) + choices;
    }
  }
}

/** `platform:id` as the channel reference every renderer shows by name. */
const channelRef = (c: string): string => {
  const i = c.indexOf(':');
  return i > 0 ? channelMention(c.slice(0, i), c.slice(i + 1)) : c;
};

const str = (x: unknown): string => (typeof x === 'number' ? String(x) : typeof x === 'string' ? x : '');

/** A refusal as a sentence in the reader's language, naming who may act instead. */
export function refusalText(v: View, r: Refusal): string {
  const { t, f } = v;
  const p = r.params ?? {};
  const roles = (Array.isArray(p.roles) ? p.roles : []) as Role[];
  // When more than one role may act, each person is named with the role they would act in.
  const whoRole = Array.isArray(p.whoRole) ? (p.whoRole as Role[]) : undefined;
  const named = (id: string, i: number) => (whoRole?.[i] ? `${mention(id)} (${t.roles[whoRole[i]]})` : mention(id));
  const who = Array.isArray(p.who) ? f.list(p.who.map(named)) : '';
  const role = str(p.role) as Role;
  const people = (x: unknown) => (Array.isArray(x) ? f.list(x.map((id) => mention(String(id)))) : '');
  const channels = (x: unknown) => (Array.isArray(x) ? x.map((c) => channelRef(String(c))).join(', ') : '');
  const kind = str(p.kind) as SignoffKind;
  // A standard communications group by its name in the reader's language, which is also a word they may type.
  const groupText = (g: string) => t.comms.groups[g as keyof Catalog['comms']['groups']] ?? g;
  // The command that gives the reason a status needs, typed as a command word so a renamed one is caught.
  const verb: CommandName = p.status === 'blocked' ? 'block' : 'na';
  const values: Record<string, string> = {
    task: str(p.task),
    project: str(p.project),
    signoff: str(p.signoff),
    training: str(p.training),
    group: groupText(str(p.group)),
    groups: str(p.groups)
      .split(', ')
      .map((g) => groupText(g))
      .join(', '),
    person: p.person ? mention(str(p.person)) : '',
    candidates: Array.isArray(p.candidates) ? p.candidates.join(', ') : '',
    status: p.status ? t.status[p.status as keyof Catalog['status']] : '',
    example: `${commandWord(verb, f.lang)} ${str(p.task)} …`,
    connection: p.connection ? t.connection[p.connection as keyof Catalog['connection']] : '',
    role: roles.length > 1 ? f.orList(roles.map((x) => t.roles[x] ?? x)) : (t.roles[role] ?? role),
    roleId: (ROLES as readonly string[]).includes(role) ? wordFor('role', role, f.lang) : role,
    who,
    kind: t.signoffKind[kind] ?? kind,
    state: p.state ? t.signoffState[p.state as keyof Catalog['signoffState']] : '',
    need: str(p.need),
    count: str(p.count),
    outcome: str(p.outcome),
    date: p.date ? f.date(str(p.date)) : '',
    what: p.what ? (t.limits.what[p.what as TextKind] ?? str(p.what)) : '',
    limit: typeof p.limit === 'number' ? f.number(p.limit) : '',
    length: typeof p.length === 'number' ? f.number(p.length) : '',
    size: typeof p.size === 'number' ? f.number(p.size) : '',
    kindId: (SIGNOFF_KINDS as readonly string[]).includes(str(p.kindId))
      ? wordFor('signoffKind', p.kindId as SignoffKind, f.lang)
      : str(p.kindId),
    response: p.response ? (t.signoff.response[p.response as keyof Catalog['signoff']['response']] ?? str(p.response)) : '',
    at: typeof p.at === 'string' ? f.dateTime(p.at) : '',
    people: people(p.people),
    suggestions: Array.isArray(p.suggestions) && p.suggestions.length > 0 ? f.orList(p.suggestions.map((id) => mention(id))) : '',
    command: str(p.command),
    channel: p.channel ? channelRef(str(p.channel)) : '',
    channels: channels(p.channels),
    risk: str(p.risk),
    number: str(p.number),
    missing: Array.isArray(p.missing)
      ? f.list(p.missing.map((m) => t.readinessCard.evidence[m as keyof Catalog['readinessCard']['evidence']] ?? m))
      : '',
  };
  const msg = t.refusal[r.code];
  return typeof msg === 'function' ? msg(values) : msg;
}
