import { describe, expect, it } from 'vitest';
import { COMMAND_ALIASES, COMMAND_NAMES, commandOf } from '../../src/commands/command-types.js';
import { parseCommand } from '../../src/commands/grammar.js';
import { asciiKey, SUB_WORDS, subWord, wordKey, type Slot, type Translations } from '../../src/commands/sub-words.js';

describe('Finnish and Swedish words in commands', () => {
  it('gives every command a Finnish and a Swedish word', () => {
    for (const name of COMMAND_NAMES) {
      expect(COMMAND_ALIASES.fi[name]?.length, `fi ${name}`).toBeGreaterThan(0);
      expect(COMMAND_ALIASES.sv[name]?.length, `sv ${name}`).toBeGreaterThan(0);
    }
  });

  it('reads each word of a slot into one English word only, with and without å, ä and ö', () => {
    for (const [slot, words] of Object.entries(SUB_WORDS) as Array<[Slot, Record<string, Translations>]>) {
      for (const fold of [wordKey, asciiKey]) {
        const seen = new Map<string, string>();
        for (const english of Object.keys(words)) seen.set(fold(english), english);
        for (const [english, t] of Object.entries(words)) {
          for (const w of [...t.fi, ...t.sv]) {
            expect(w, `${slot} ${w}`).toMatch(/^\S+$/);
            expect(seen.get(fold(w)) ?? english, `${slot}: ${w} (${fold(w)}) of ${english}`).toBe(english);
            seen.set(fold(w), english);
            expect(subWord(slot, w.toUpperCase())).toBe(english);
            expect(subWord(slot, asciiKey(w))).toBe(english);
          }
        }
      }
    }
  });

  it('finds nothing inherited from Object, in any slot or as a command', () => {
    for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(commandOf(word)).toBeUndefined();
      for (const slot of Object.keys(SUB_WORDS) as Slot[]) expect(subWord(slot, word), `${slot} ${word}`).toBeUndefined();
      expect(parseCommand(word)).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
      expect(parseCommand(`rooli anna ${word}`)).toMatchObject({ ok: false, error: { code: 'invalid', arg: 'role' } });
    }
  });

  // Each row: a line in English and the same command typed in Finnish and in Swedish.
  const same: Array<[string, string, string]> = [
    ['status', 'tila', 'status'],
    ['help decide', 'ohje päätä', 'hjälp besluta'],
    ['tasks overdue', 'tehtävät myöhässä', 'uppgifter försenade'],
    ['tasks unassigned', 'tehtävät vastuuhenkilöttä', 'uppgifter utanansvarig'],
    ['tasks mine', 'tehtavat omat', 'uppgifter mina'],
    ['done process.review', 'valmis process.review', 'klar process.review'],
    ['block process.review waiting for IT', 'estä process.review waiting for IT', 'blockera process.review waiting for IT'],
    ['role anna approver', 'rooli anna hyväksyjä', 'roll anna godkännare'],
    ['role anna coordinator', 'rooli anna koordinaattori', 'roll anna samordnare'],
    ['role anna owner', 'rooli anna vastuuhenkilö', 'roll anna ansvarig'],
    ['role anna decider', 'rooli anna päättäjä', 'roll anna beslutsfattare'],
    ['unrole anna staff', 'poistarooli anna virkailija', 'tabortroll anna tjänsteman'],
    ['approve s1', 'hyväksy s1', 'godkänn s1'],
    ['approve acceptance', 'hyvaksy hyvaksymistestaus', 'godkann godkannandetestning'],
    ['reject s1 it fails', 'hylkää s1 it fails', 'underkänn s1 it fails'],
    ['remarks s1 slow', 'huomautus s1 slow', 'anmärkning s1 slow'],
    [
      'risk add critical login fails fallback paper',
      'riski lisää kriittinen login fails fallback paper',
      'risk ny kritisk login fails fallback paper',
    ],
    ['risk list', 'riski luettelo', 'risk lista'],
    ['risk remove r2', 'riski poista r2', 'risk radera r2'],
    ['decide go 2027-03-01', 'päätä kyllä 2027-03-01', 'besluta ja 2027-03-01'],
    ['decide nogo 2027-03-01 not ready', 'päätä ei 2027-03-01 not ready', 'besluta nej 2027-03-01 not ready'],
    ['decide postpone 2027-03-01', 'päätä siirrä 2027-03-01', 'besluta skjut 2027-03-01'],
    ['decide go override we accept it', 'päätä kyllä ohitus we accept it', 'besluta ja undantag we accept it'],
    ['signoff functional anna bo need 1', 'pyydä toiminnallinen anna bo tarvitaan 1', 'begär funktionell anna bo krävs 1'],
    ['signoff technical anna confirm', 'pyydä tekninen anna vahvista', 'begär teknisk anna bekräfta'],
    ['assign process.review anna confirm', 'nimeä process.review anna vahvista', 'tilldela process.review anna bekräfta'],
    ['note list process.review', 'muistiinpano luettelo process.review', 'anteckning lista process.review'],
    ['note remove process.review 2', 'muistiinpano poista process.review 2', 'anteckning radera process.review 2'],
    ['item remove x.y', 'kohta poista x.y', 'punkt radera x.y'],
    ['item add process Own step', 'kohta lisää process Own step', 'punkt ny process Own step'],
    [
      'training add Intro -10wd 13:00 90min staff',
      'koulutus lisää Intro -10tp 13.00 90min virkailija',
      'utbildning ny Intro -10ad 13.00 90min tjänsteman',
    ],
    [
      'training add Intro -10wd 13:00 90min all',
      'koulutus lisää Intro -10tp 13.00 90min kaikki',
      'utbildning ny Intro -10ad 13.00 90min alla',
    ],
    ['training move t1 -8wd', 'koulutus siirrä t1 -8tp', 'utbildning flytta t1 -8ad'],
    ['training cancel t1', 'koulutus peru t1', 'utbildning ställin t1'],
    ['training attend t1', 'koulutus osallistun t1', 'utbildning deltar t1'],
    ['training decline t1', 'koulutus poissa t1', 'utbildning avböjer t1'],
    ['reminders off', 'muistutukset pois', 'påminnelser av'],
    ['reminders time 9:00', 'muistutukset aika 9.00', 'påminnelser tid 9.00'],
    ['reminders digest mon 9:00', 'muistutukset kooste ma 9.00', 'påminnelser sammandrag må 9.00'],
    ['export decision pdf', 'vie päätös pdf', 'exportera beslut pdf'],
    ['export audit csv', 'vie muutosloki csv', 'exportera ändringslogg csv'],
    ['comms status', 'viestintä tila', 'kommunikation status'],
    ['comms retry', 'viestintä uudelleen', 'kommunikation igen'],
    ['comms preview nogo', 'viestintä esikatselu ei', 'kommunikation förhandsvisning nej'],
    ['comms channel customers C123', 'viestintä kanava asiakkaat C123', 'kommunikation kanal kunder C123'],
    ['comms remove group staff', 'viestintä poista ryhmä henkilöstö', 'kommunikation radera grupp personal'],
    ['comms text others go sv Hello', 'viestintä teksti muut kyllä ruotsi Hello', 'kommunikation text övriga ja svenska Hello'],
    ['comms group add partners Partners', 'viestintä ryhmä lisää partners Partners', 'kommunikation grupp ny partners Partners'],
    ['project new Permits', 'projekti uusi Permits', 'projekt ny Permits'],
    ['project connection light', 'projekti liittymistapa kevyt', 'projekt anslutning lätt'],
    ['project languages fi sv', 'projekti kielet suomi ruotsi', 'projekt språk finska svenska'],
    ['lang sv', 'kieli ruotsi', 'språk svenska'],
    ['acceptance fix two defects', 'tulos korjattavaa two defects', 'resultat åtgärdas two defects'],
    ['impact customers less paper', 'vaikutukset asiakkaat less paper', 'konsekvenser kunderna less paper'],
    ['staff add here', 'henkilöstö lisää täällä', 'personal ny här'],
    ['staff yes', 'henkilöstö kyllä', 'personal ja'],
    ['staff problem no Virtu', 'henkilöstö ongelma no Virtu', 'personal problem no Virtu'],
    ['form sent 2027-03-01', 'lomake lähetetty 2027-03-01', 'blankett skickad 2027-03-01'],
    ['form confirmed', 'lomake vahvistettu', 'blankett bekräftad'],
    ['snooze process.review 3wd', 'lykkää process.review 3tp', 'uppskov process.review 3ad'],
  ];

  it.each(same)('reads %s in Finnish (%s) and Swedish (%s) as the same command', (en, fi, sv) => {
    const expected = parseCommand(en);
    expect(expected.ok, en).toBe(true);
    expect(parseCommand(fi)).toEqual(expected);
    expect(parseCommand(sv)).toEqual(expected);
  });

  it('still quotes a word that means nothing in the slot', () => {
    expect(parseCommand('päätä ehkä 2027-03-01')).toEqual({
      ok: false,
      error: { code: 'invalid', command: 'decide', arg: 'outcome', token: 'ehkä' },
    });
  });
});
