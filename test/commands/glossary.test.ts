import { describe, expect, it } from 'vitest';
import { COMMAND_ALIASES, COMMAND_NAMES, commandOf, type CommandName } from '../../src/commands/command-types.js';
import type { Lang } from '../../src/domain/types.js';
import { catalog, Format } from '../../messages/i18n.js';
import { commsPlanCard, decideButtons, failureText } from '../../src/views/comms-cards.js';
import { helpCard, readinessCard } from '../../src/views/cards.js';
import { newProject } from '../../src/domain/project.js';

// The words docs/glossary.md rejects: none of them may appear in a Finnish or Swedish sentence.
const REJECTED: Record<'fi' | 'sv', Array<[RegExp, string]>> = {
  fi: [
    [/\bhank(e|kee|keen|keessa|keesta)\b/i, 'hanke (projekti)'],
    [/koordinaattor/i, 'koordinaattori (käyttöönottovastaava)'],
    [/päätöksentekij/i, 'päätöksentekijä (päättäjä)'],
    [/määräpäiv/i, 'määräpäivä (eräpäivä)'],
    [/\bno-?go\b/i, 'no-go (kielteinen päätös)'],
    [/\bgo\b/i, 'go (myönteinen päätös)'],
    [/Jaa kanavalla/, 'Jaa kanavalla (Näytä koko kanavalle)'],
    [/\bohitus:/i, 'ohitus:'],
    [/\b(customers|staff|others)\b/, 'an English group id'],
    [/\b\d{1,2}:\d{2}\b/, 'a time with a colon (klo 9.00)'],
    [/\bklo 0\d\./, 'a time with a leading zero (klo 9.00)'],
  ],
  sv: [
    [/koordinator/i, 'koordinator (införandeansvarig)'],
    [/samordnare/i, 'samordnare (införandeansvarig)'],
    [/ibruktagand/i, 'ibruktagande (införande)'],
    [/\bno-?go\b/i, 'no-go (negativt beslut)'],
    [/\bgo\b/i, 'go (positivt beslut)'],
    [/Dela i kanalen/, 'Dela i kanalen (Visa för hela kanalen)'],
    [/åsidosätt/i, 'åsidosättande'],
    [/\bavslå/i, 'avslå (underkänna)'],
    [/\b(customers|staff|others)\b/, 'an English group id'],
    [/\b\d{1,2}:\d{2}\b/, 'a time with a colon (kl. 9.00)'],
    [/\bkl\. 0\d\./, 'a time with a leading zero (kl. 9.00)'],
  ],
};

// Placeholders come back as ‹name›, so a sentence is read with every branch its parameters choose.
const params = (extra: Record<string, string>) =>
  new Proxy(extra, { get: (t, k) => (typeof k === 'string' ? (t[k] ?? `‹${k}›`) : undefined) });

/** Every sentence of a catalogue with where it is, functions called with each outcome they branch on. */
function sentences(node: unknown, path = ''): Array<[string, string]> {
  if (typeof node === 'string') return [[path, node]];
  if (typeof node === 'function') {
    const f = node as (p: Record<string, string>) => string;
    // A sentence that branches on the outcome is read in each branch; the outcome itself is never printed raw.
    const outcomes = f.toString().includes('p.outcome ===') ? ['go', 'nogo', 'postpone'] : ['‹outcome›'];
    return outcomes.map((outcome) => [path, f(params({ outcome, who: '', count: '1' }))] as [string, string]);
  }
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => sentences(v, path ? `${path}.${k}` : k));
  return [];
}

/** The words a command line's code spans start with (`päätä ei …`), to see whose command words they are. */
const codeSpans = (text: string): string[] => [...text.matchAll(/`(?:\/lv |@‹bot› )?([^`\s]+)[^`]*`/g)].map((m) => m[1]!);

const words = (lang: Lang, name: CommandName): readonly string[] => (lang === 'en' ? [name] : (COMMAND_ALIASES[lang][name] ?? []));

/** A fresh project for the cards these tests read. */
const luvat = () =>
  newProject('p1', { tenant: 't', userId: 'u1', platform: 'console' }, { platform: 'console', id: 'c' }, 'Luvat', '2026-11-23T10:00:00Z');

describe('the Finnish and Swedish catalogues follow docs/glossary.md', () => {
  for (const lang of ['fi', 'sv'] as const) {
    it(`uses no word the glossary rejects in ${lang}`, () => {
      const found: string[] = [];
      for (const [path, text] of sentences(catalog(lang))) {
        if (path === 'locale') continue;
        for (const [re, why] of REJECTED[lang]) if (re.test(text)) found.push(`${path}: ${why}: ${text}`);
      }
      expect(found).toEqual([]);
    });

    it(`tells ${lang} readers to type their own command words`, () => {
      const found: string[] = [];
      for (const [path, text] of sentences(catalog(lang))) {
        for (const word of codeSpans(text)) {
          const name = commandOf(word);
          if (name && !words(lang, name).includes(word)) found.push(`${path}: ${word}`);
        }
      }
      expect(found).toEqual([]);
    });
  }

  it('starts every usage line, and each alternative in it, with the reader’s command word', () => {
    for (const lang of ['fi', 'sv', 'en'] as const) {
      const t = catalog(lang);
      const lines: Array<[CommandName, string]> = [
        ...COMMAND_NAMES.map((n) => [n, t.usage[n]] as [CommandName, string]),
        ...(Object.entries(t.rules.usage) as Array<[CommandName, string]>),
      ];
      for (const [name, line] of lines) {
        const first = line.split(' ')[0]!;
        expect(words(lang, name), `${lang} ${name}: ${line}`).toContain(first);
        for (const alt of line.split(/ \| |, /).slice(1)) {
          const head = alt.replace(/^\[/, '').split(' ')[0]!;
          const other = commandOf(head);
          if (other) expect(words(lang, other), `${lang} ${name}: ${alt}`).toContain(head);
        }
      }
    }
  });

  it('lists the commands in help with the reader’s command words', () => {
    for (const lang of ['fi', 'sv'] as const) {
      const list = helpCard({ t: catalog(lang), f: new Format(lang) }).blocks.find((b) => b.type === 'list');
      const firsts = list?.type === 'list' ? list.items.map((i) => i.text.replace(/^`/, '').split(/[ `]/)[0]) : [];
      expect(firsts).toEqual(COMMAND_NAMES.map((n) => COMMAND_ALIASES[lang][n]![0]));
    }
    const fi = helpCard({ t: catalog('fi'), f: new Format('fi') });
    expect(JSON.stringify(fi)).toContain('`päätä kyllä [päivämäärä]');
    expect(JSON.stringify(fi)).not.toContain('`decide');
  });

  it('labels the decision buttons without English, short enough for Teams', () => {
    for (const lang of ['fi', 'sv'] as const) {
      const labels = decideButtons({ t: catalog(lang), f: new Format(lang) }, luvat()).map((b) => b.label);
      expect(labels.length, lang).toBeGreaterThanOrEqual(3);
      for (const label of labels) {
        expect(label, lang).not.toMatch(/\bgo\b|no-?go/i);
        expect(label.length, label).toBeLessThanOrEqual(30);
      }
    }
    const t = catalog('fi');
    expect([t.decideCard.go, t.decideCard.nogo, t.outcome.nogo]).toEqual(['Käyttöön', 'Ei vielä', 'kielteinen']);
    expect([catalog('sv').decideCard.nogo, catalog('sv').outcome.nogo]).toEqual(['Inte än', 'negativt']);
  });

  it('writes each time one way per language: klo 9.00, kl. 9.00, 9:00', () => {
    const at = '2027-02-01T07:00:00Z';
    expect(new Format('fi').dateTime(at)).toBe('1.2.2027 klo 9.00');
    expect(new Format('sv').dateTime(at)).toBe('1.2.2027 kl. 9.00');
    expect(new Format('en').dateTime(at)).toBe('1 Feb 2027, 9:00');
    expect(['fi', 'sv', 'en'].map((l) => new Format(l as Lang).time('09:00'))).toEqual(['klo 9.00', 'kl. 9.00', '9:00']);
    expect(new Format('fi').time('13:30')).toBe('klo 13.30');
    // Midnight in summer time: still the same calendar day in Helsinki, no "24".
    expect(new Format('fi').dateTime('2027-06-30T21:30:00Z')).toBe('1.7.2027 klo 0.30');
  });

  it('shows the standard communications groups by their names and a missing platform as a sentence, never raw', () => {
    const names = { fi: ['asiakkaat', 'henkilöstö', 'muut sidosryhmät'], sv: ['kunder', 'personal', 'övriga intressenter'] };
    for (const lang of ['fi', 'sv'] as const) {
      const v = { t: catalog(lang), f: new Format(lang) };
      for (const card of [commsPlanCard(v, luvat()), readinessCard(v, luvat())]) {
        const text = JSON.stringify(card.blocks);
        expect(text, lang).not.toMatch(/\b(customers|staff|others)\b/);
        for (const name of names[lang]) expect(text, lang).toContain(name);
      }
      const why = failureText(v, 'no chat adapter for teams');
      expect(why, lang).not.toMatch(/no chat adapter/);
      expect(why, lang).toContain(lang === 'fi' ? 'Botti ei ole yhteydessä' : 'Boten är inte ansluten');
    }
  });
});
