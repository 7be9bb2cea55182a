import type { DecisionInput } from '../domain/decision.js';
import type { Setting } from '../domain/project.js';
import type { SnoozeFor } from '../domain/snooze.js';
import type { TrainingAnswer, TrainingInput } from '../domain/trainings.js';
import {
  LANGS,
  type Announcement,
  type Lang,
  type Platform,
  type ReminderSettings,
  type ResponseKind,
  type Role,
  type SignoffKind,
  type TaskStatus,
  type TrainingWhen,
} from '../domain/types.js';
import { asciiKey, wordKey } from './sub-words.js';

// The command words, in the order `help` lists them. The parser dispatches on this list and the catalogue's
// `usage` and `describe` are keyed by it, so a word cannot be parsed without being documented, or the reverse.
/** Every command word, once: the parser, help and the catalogue keys all read this list. */
export const COMMAND_NAMES = [
  'help',
  'status',
  'tasks',
  'done',
  'start',
  'block',
  'na',
  'reopen',
  'assign',
  'due',
  'note',
  'golive',
  'project',
  'item',
  'role',
  'unrole',
  'people',
  'signoff',
  'signoffs',
  'approve',
  'remarks',
  'reject',
  'acceptance',
  'risk',
  'impact',
  'readiness',
  'decide',
  'lang',
  'snooze',
  'training',
  'reminders',
  'export',
  'comms',
  'staff',
  'form',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

// Every language's words are understood whatever the reader's language, as the risk's `fallback` word is.
/** Other words for a command per language (Finnish `tila` for `status`), as data so adding one touches no parser. */
export const COMMAND_ALIASES: Readonly<Record<Lang, Readonly<Partial<Record<CommandName, readonly string[]>>>>> = {
  fi: {
    help: ['ohje', 'apua'],
    status: ['tila', 'tilanne'],
    tasks: ['tehtävät'],
    done: ['valmis', 'tehty'],
    start: ['aloita'],
    block: ['estä'],
    na: ['tarpeeton'],
    reopen: ['avaa'],
    assign: ['nimeä'],
    due: ['eräpäivä'],
    note: ['muistiinpano'],
    golive: ['käyttöönotto'],
    project: ['projekti'],
    item: ['kohta'],
    role: ['rooli'],
    unrole: ['poistarooli'],
    people: ['henkilöt'],
    signoff: ['pyydä'],
    signoffs: ['hyväksynnät'],
    approve: ['hyväksy'],
    remarks: ['huomautus'],
    reject: ['hylkää'],
    acceptance: ['tulos'],
    risk: ['riski'],
    impact: ['vaikutukset'],
    readiness: ['valmius'],
    decide: ['päätä'],
    lang: ['kieli'],
    snooze: ['lykkää'],
    training: ['koulutus'],
    reminders: ['muistutukset'],
    export: ['vie'],
    comms: ['viestintä'],
    staff: ['henkilöstö'],
    form: ['lomake'],
  },
  sv: {
    help: ['hjälp'],
    status: ['status', 'läge'],
    tasks: ['uppgifter'],
    done: ['klar'],
    start: ['börja'],
    block: ['blockera'],
    na: ['obehövlig'],
    reopen: ['återöppna'],
    assign: ['tilldela'],
    due: ['tidsfrist'],
    note: ['anteckning'],
    golive: ['införande'],
    project: ['projekt'],
    item: ['punkt'],
    role: ['roll'],
    unrole: ['tabortroll'],
    people: ['personer'],
    signoff: ['begär'],
    signoffs: ['godkännanden'],
    approve: ['godkänn'],
    remarks: ['anmärkning'],
    reject: ['underkänn', 'avslå'],
    acceptance: ['resultat'],
    risk: ['risk'],
    impact: ['konsekvenser'],
    readiness: ['beredskap'],
    decide: ['besluta'],
    lang: ['språk'],
    snooze: ['uppskov'],
    training: ['utbildning'],
    reminders: ['påminnelser'],
    export: ['exportera'],
    comms: ['kommunikation'],
    staff: ['personal'],
    form: ['blankett'],
  },
  en: {},
};

// A Map, not an object: a typed word such as `constructor` must not find Object.prototype. The command
// words come first and an alias never replaces one (test/commands checks that no two words collide).
// Each alias is also read in ASCII (`hyvaksy`, `godkann`), for keyboards without å, ä and ö.
const COMMAND_BY_WORD = new Map<string, CommandName>(COMMAND_NAMES.map((n) => [n, n]));
for (const fold of [wordKey, asciiKey]) {
  for (const lang of LANGS) {
    for (const [name, words] of Object.entries(COMMAND_ALIASES[lang]) as Array<[CommandName, readonly string[]]>) {
      for (const word of words) if (!COMMAND_BY_WORD.has(fold(word))) COMMAND_BY_WORD.set(fold(word), name);
    }
  }
}

/** The command a typed word starts, in any case and any language's words, so every caller reads words alike. */
export function commandOf(word: string): CommandName | undefined {
  return COMMAND_BY_WORD.get(wordKey(word)) ?? COMMAND_BY_WORD.get(asciiKey(word));
}

/** The command word a reader of `lang` is shown (the first alias of their language, else the English word). */
export function commandWord(name: CommandName, lang: Lang): string {
  return COMMAND_ALIASES[lang][name]?.[0] ?? name;
}

/** The task verbs and the status each sets, the same for `done <task>` and the reminder's Done button. */
export const TASK_VERBS = { done: 'done', start: 'in_progress', block: 'blocked', na: 'na', reopen: 'todo' } as const satisfies Partial<
  Record<CommandName, TaskStatus>
>;

/** A training invitation's answers and what each records, the same typed (`training attend t3`) or pressed. */
export const TRAINING_ANSWERS = { attend: 'yes', decline: 'no' } as const satisfies Record<string, TrainingAnswer>;

/** The words `tasks` takes besides a group: all of them, mine, the overdue, the blocked and those without an owner. */
export const TASK_FILTERS = ['all', 'mine', 'overdue', 'blocked', 'unassigned'] as const;

/**
 * How a command that names people named them: `confirm` typed at its end (a name new to the project is meant,
 * or an approved request is to be replaced), and which names were platform mentions.
 */
export interface NamingWords {
  confirm?: true;
  mentions?: string[];
}

/** A parsed, validated command: the one shape every adapter hands to the use-cases. */
export type Command =
  | { name: 'help'; topic?: CommandName }
  | { name: 'status' }
  | { name: 'tasks'; filter: (typeof TASK_FILTERS)[number] | { group: string } }
  | { name: 'set-status'; status: TaskStatus; task: string; reason?: string }
  | ({ name: 'assign'; task: string; person: string; due?: string } & NamingWords)
  | { name: 'due'; task: string; date: string }
  | { name: 'note'; task: string; text: string }
  | { name: 'note-list'; task: string }
  | { name: 'note-remove'; task: string; number: number }
  | { name: 'item-remove'; task: string }
  | { name: 'risk-list' }
  | { name: 'risk-remove'; ref: string }
  | { name: 'project-new'; title: string }
  | { name: 'project-show' }
  | { name: 'project-set'; setting: Setting }
  | { name: 'item-add'; parent?: string; title: string }
  | { name: 'role'; person: string; role: Role; on: boolean }
  | { name: 'people' }
  | ({ name: 'signoff'; kind: SignoffKind; approvers: string[]; need: number | 'all' } & NamingWords)
  | { name: 'signoffs' }
  | { name: 'respond'; response: ResponseKind; ref: string; text?: string }
  | { name: 'acceptance'; field: 'complete' | 'fix' | 'effect'; text: string }
  | { name: 'risk'; text: string; fallback?: string; critical: boolean }
  | { name: 'impact'; on: 'organisation' | 'customers'; text: string }
  | { name: 'readiness' }
  | { name: 'decide'; input: DecisionInput }
  | { name: 'lang'; lang: Lang }
  | { name: 'snooze'; task: string; span: SnoozeFor }
  | { name: 'training-list' }
  | { name: 'training-add'; input: TrainingInput }
  | { name: 'training-move'; ref: string; when: TrainingWhen; time?: string }
  | { name: 'training-cancel'; ref: string }
  | { name: 'training-answer'; ref: string; answer: TrainingAnswer }
  | { name: 'reminders-show' }
  | { name: 'reminders-set'; patch: Partial<ReminderSettings> }
  | { name: 'export'; kind: ExportKind; format: ExportFormat }
  | { name: 'export'; kind: 'decision'; format: 'pdf' }
  | { name: 'comms'; op: CommsOp }
  | { name: 'decide-card' }
  | { name: 'form'; op: { op: 'sent'; date: string } | { op: 'confirmed' } }
  | {
      name: 'staff';
      op:
        | { op: 'show' }
        | { op: 'add'; people: string[] }
        | { op: 'add-members'; channel?: string }
        | { op: 'answer'; answer: 'yes' | 'problem'; text?: string };
    };

/** What `comms` does: show or change the communications plan, preview, show or retry the broadcast. */
export type CommsOp =
  | { op: 'show' }
  | { op: 'group-add'; group: string; title?: string }
  | { op: 'channel'; group: string; channel: string; platform?: Platform }
  | { op: 'channel-remove'; group: string; channel: string; platform?: Platform }
  | { op: 'group-remove'; group: string }
  | { op: 'langs'; group: string; langs: Lang[] }
  | { op: 'text'; group: string; kind: Announcement; lang: Lang; text: string }
  | { op: 'texts'; group: string; kind: Announcement; texts: Partial<Record<Lang, string>> }
  | { op: 'preview'; kind: Announcement }
  | { op: 'status' }
  | { op: 'retry' };

/** What `export` can produce, and in which formats. */
export const EXPORT_KINDS = ['decision', 'audit', 'tasks'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const EXPORT_FORMATS = ['md', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** The formats of `export decision`: the others, and a PDF of the decision record to file. */
export const DECISION_FORMATS = [...EXPORT_FORMATS, 'pdf'] as const;

/** Why a line was not understood: enough to quote the bad part and show the right usage. */
export interface ParseError {
  code: 'empty' | 'unknown-command' | 'missing' | 'invalid' | 'bad-date' | 'extra';
  command?: CommandName;
  /** The word that was wrong, quoted back to the user. */
  token?: string;
  /** Which argument was expected (a catalogue key such as `task`, `date`, `person`). */
  arg?: Arg;
}

/** Names of command arguments, translated in usage messages. */
export type Arg =
  | 'task'
  | 'person'
  | 'date'
  | 'reason'
  | 'text'
  | 'role'
  | 'kind'
  | 'lang'
  | 'filter'
  | 'name'
  | 'setting'
  | 'value'
  | 'number'
  | 'outcome'
  | 'field'
  | 'group'
  | 'signoff'
  | 'when'
  | 'time'
  | 'duration'
  | 'audience'
  | 'training'
  | 'span'
  | 'weekday';
