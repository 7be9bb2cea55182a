import type { Lang } from '../domain/types.js';

// The words a command takes after its command word (role names, filters, outcomes, sub-verbs), in Finnish and
// Swedish besides the English word the parser dispatches on. Data only: adding a word touches no parser. Each
// slot is one place in a command where a word is read, so the same word may mean different things in two
// slots (`tila` is `status` both as a command and after `viestintä`) but never two things in one slot
// (test/commands/sub-words.test.ts checks that, with the ASCII fallbacks `hyvaksyja`, `godkannare` too).

/** A word's Finnish and Swedish forms; the first of each is the one help and the catalogue show. */
export interface Translations {
  fi: readonly string[];
  sv: readonly string[];
}

const add: Translations = { fi: ['lisää'], sv: ['ny', 'lägg'] };
const list: Translations = { fi: ['luettelo', 'lista'], sv: ['lista'] };
const remove: Translations = { fi: ['poista'], sv: ['radera', 'tabort'] };
const show: Translations = { fi: ['näytä'], sv: ['visa'] };
const roles = {
  coordinator: { fi: ['käyttöönottovastaava', 'koordinaattori'], sv: ['införandeansvarig', 'samordnare', 'koordinator'] },
  owner: { fi: ['vastuuhenkilö', 'omistaja'], sv: ['ansvarig', 'uppgiftsansvarig'] },
  approver: { fi: ['hyväksyjä'], sv: ['godkännare'] },
  decider: { fi: ['päättäjä', 'päätöksentekijä'], sv: ['beslutsfattare'] },
  staff: { fi: ['virkailija', 'koulutettava'], sv: ['tjänsteman', 'deltagare'] },
} as const satisfies Record<string, Translations>;
const outcomes = {
  go: { fi: ['kyllä', 'myönteinen'], sv: ['ja', 'positivt'] },
  nogo: { fi: ['ei', 'kielteinen'], sv: ['nej', 'negativt'] },
  postpone: { fi: ['siirrä', 'siirto'], sv: ['skjut', 'uppskjutet'] },
} as const satisfies Record<string, Translations>;

/** Every slot's words by the English word the parser knows, so every language reads into the same command. */
export const SUB_WORDS = {
  role: roles,
  audience: { ...roles, all: { fi: ['kaikki'], sv: ['alla'] } },
  severity: { critical: { fi: ['kriittinen'], sv: ['kritisk'] } },
  filter: {
    all: { fi: ['kaikki'], sv: ['alla'] },
    mine: { fi: ['omat'], sv: ['mina'] },
    overdue: { fi: ['myöhässä'], sv: ['försenade'] },
    blocked: { fi: ['estyneet'], sv: ['blockerade'] },
    unassigned: { fi: ['vastuuhenkilöttä'], sv: ['utanansvarig', 'otilldelade'] },
  },
  outcome: outcomes,
  announcement: {
    ...outcomes,
    moved: { fi: ['muutos'], sv: ['ändring'] },
    'golive-day': { fi: ['käyttöönottopäivä'], sv: ['införandedagen'] },
  },
  confirm: { confirm: { fi: ['vahvista'], sv: ['bekräfta'] } },
  override: { override: { fi: ['ohitus'], sv: ['undantag'] } },
  need: { need: { fi: ['tarvitaan'], sv: ['krävs'] } },
  signoffKind: {
    technical: { fi: ['tekninen'], sv: ['teknisk'] },
    functional: { fi: ['toiminnallinen'], sv: ['funktionell'] },
    acceptance: { fi: ['hyväksymistestaus'], sv: ['godkännandetestning'] },
  },
  acceptanceField: {
    complete: { fi: ['valmista'], sv: ['klart'] },
    fix: { fi: ['korjattavaa'], sv: ['åtgärdas'] },
    effect: { fi: ['vaikutus'], sv: ['inverkan'] },
  },
  impactOn: {
    organisation: { fi: ['organisaatio'], sv: ['organisationen'] },
    customers: { fi: ['asiakkaat'], sv: ['kunderna'] },
  },
  lang: {
    fi: { fi: ['suomi'], sv: ['finska'] },
    sv: { fi: ['ruotsi'], sv: ['svenska'] },
    en: { fi: ['englanti'], sv: ['engelska'] },
  },
  project: {
    new: { fi: ['uusi'], sv: ['ny'] },
    name: { fi: ['nimi'], sv: ['namn'] },
    authority: { fi: ['viranomainen'], sv: ['myndighet'] },
    connection: { fi: ['liittymistapa'], sv: ['anslutning'] },
    login: { fi: ['kirjautuminen'], sv: ['inloggning'] },
    languages: { fi: ['kielet'], sv: ['språk'] },
  },
  connection: {
    integration: { fi: ['integraatio'], sv: ['integration'] },
    light: { fi: ['kevyt'], sv: ['lätt'] },
    robotics: { fi: ['robotiikka'], sv: ['robotik'] },
  },
  item: { add, remove },
  note: { list, remove },
  risk: { add, list, remove },
  training: {
    list,
    add,
    move: { fi: ['siirrä'], sv: ['flytta'] },
    cancel: { fi: ['peru'], sv: ['ställin', 'avboka'] },
    attend: { fi: ['osallistun'], sv: ['deltar'] },
    decline: { fi: ['poissa'], sv: ['avböjer'] },
  },
  reminders: {
    on: { fi: ['päälle'], sv: ['på'] },
    off: { fi: ['pois'], sv: ['av'] },
    duesoon: { fi: ['ennen'], sv: ['före'] },
    escalate: { fi: ['eskaloi'], sv: ['eskalera'] },
    time: { fi: ['aika'], sv: ['tid'] },
    digest: { fi: ['kooste'], sv: ['sammandrag'] },
  },
  staff: {
    show,
    add,
    yes: { fi: ['kyllä'], sv: ['ja'] },
    problem: { fi: ['ongelma'], sv: ['problem'] },
  },
  here: { here: { fi: ['täällä'], sv: ['här'] } },
  form: {
    sent: { fi: ['lähetetty'], sv: ['skickad'] },
    confirmed: { fi: ['vahvistettu'], sv: ['bekräftad'] },
  },
  exportKind: {
    decision: { fi: ['päätös'], sv: ['beslut'] },
    audit: { fi: ['muutosloki'], sv: ['ändringslogg'] },
    tasks: { fi: ['tehtävät'], sv: ['uppgifter'] },
  },
  comms: {
    show,
    list,
    group: { fi: ['ryhmä'], sv: ['grupp'] },
    channel: { fi: ['kanava'], sv: ['kanal'] },
    langs: { fi: ['kielet'], sv: ['språk'] },
    text: { fi: ['teksti'], sv: ['text'] },
    preview: { fi: ['esikatselu'], sv: ['förhandsvisning'] },
    status: { fi: ['tila'], sv: ['status'] },
    retry: { fi: ['uudelleen'], sv: ['igen'] },
    remove,
  },
  commsRemove: { channel: { fi: ['kanava'], sv: ['kanal'] }, group: { fi: ['ryhmä'], sv: ['grupp'] } },
  commsGroupAdd: { add },
  group: {
    customers: { fi: ['asiakkaat'], sv: ['kunder'] },
    staff: { fi: ['henkilöstö'], sv: ['personal'] },
    others: { fi: ['muut', 'sidosryhmät'], sv: ['övriga', 'intressenter'] },
  },
} as const satisfies Record<string, Record<string, Translations>>;

/** One place in a command where a word is read. */
export type Slot = keyof typeof SUB_WORDS;
/** The English words a slot reads into. */
export type SlotWord<S extends Slot> = keyof (typeof SUB_WORDS)[S] & string;

/** A typed word as the lookups key it: NFC, lower case. */
export function wordKey(word: string): string {
  return word.normalize('NFC').toLowerCase();
}

/** The same key with å, ä, ö as a, a, o, so `hyvaksy` typed on a keyboard without them still reads. */
export function asciiKey(word: string): string {
  return wordKey(word).replace(/[åä]/g, 'a').replace(/ö/g, 'o');
}

// Maps, not objects: a typed `constructor` or `__proto__` must find nothing. The exact key is tried before
// the ASCII one, and the English word before any translation.
const LOOKUP = new Map<Slot, Map<string, string>>();
for (const [slot, words] of Object.entries(SUB_WORDS) as Array<[Slot, Record<string, Translations>]>) {
  const exact = new Map<string, string>();
  const ascii = new Map<string, string>();
  for (const english of Object.keys(words)) exact.set(wordKey(english), english);
  for (const [english, t] of Object.entries(words)) {
    for (const w of [...t.fi, ...t.sv]) {
      if (!exact.has(wordKey(w))) exact.set(wordKey(w), english);
      if (!ascii.has(asciiKey(w))) ascii.set(asciiKey(w), english);
    }
  }
  for (const [k, v] of ascii) if (!exact.has(k)) exact.set(k, v);
  LOOKUP.set(slot, exact);
}

/** The English word a typed word means in a slot, in any language and case; undefined when it means none. */
export function subWord<S extends Slot>(slot: S, typed: string): SlotWord<S> | undefined {
  const words = LOOKUP.get(slot)!;
  return (words.get(wordKey(typed)) ?? words.get(asciiKey(typed))) as SlotWord<S> | undefined;
}

/** Every word of a slot that reads into `english`, English first: what the collision test checks. */
export function wordsOf<S extends Slot>(slot: S, english: SlotWord<S>): string[] {
  const t = (SUB_WORDS[slot] as Record<string, Translations>)[english]!;
  return [english, ...t.fi, ...t.sv];
}

/** The word a reader of `lang` is shown for `english` in a slot (the English word itself for English). */
export function wordFor<S extends Slot>(slot: S, english: SlotWord<S>, lang: Lang): string {
  if (lang === 'en') return english;
  return (SUB_WORDS[slot] as Record<string, Translations>)[english]![lang][0]!;
}
