import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { botHarness, consoleSession as session, type BotHarness } from '../support/bot-harness.js';

describe('console in Finnish and Swedish words', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await botHarness();
  });
  afterEach(async () => h.cleanup());

  it('answers `tila` with the status, `ohje` with Finnish command words, and tells what to type in Finnish', async () => {
    const out = await session(h, [
      'kieli suomi',
      'projekti uusi Demo',
      'tila',
      'ohje',
      'päätä ehkä',
      'rooli anna johtaja',
      'rooli anna hyvaksyja',
    ]);
    expect(out).toContain('Tilanne: Demo');
    expect(out).toContain('päätä kyllä [päivämäärä]');
    expect(out).toContain('tehtävät [omat|myöhässä|<ryhmä>]');
    expect(out).not.toMatch(/\bdecide (go|nogo)\b/);
    expect(out).toContain('Virheellinen päätös: ”ehkä”');
    expect(out).toContain('Valitse jokin näistä: käyttöönottovastaava, vastuuhenkilö, hyväksyjä, päättäjä, virkailija.');
    expect(out).toContain('@anna on nyt hyväksyjä.');
  });

  it('asks for the Finnish confirm word when a name is new to the project', async () => {
    const out = await session(h, ['kieli fi', 'projekti uusi Demo', 'nimeä process.review bertta']);
    expect(out).toContain('lisää loppuun `vahvista`');
    expect(out).toContain('nimeä process.review bertta vahvista');
    expect(out).not.toContain(' confirm');
  });

  it('reads Swedish words the same way, and `hjälp besluta` shows the decision in Swedish', async () => {
    const out = await session(h, [
      'språk svenska',
      'projekt ny Demo',
      'status',
      'hjälp besluta',
      'roll anna godkännare',
      'uppgifter försenade',
    ]);
    expect(out).toContain('Läge: Demo');
    expect(out).toContain('besluta ja [datum]');
    expect(out).toContain('@anna är nu godkännare.');
    expect(out).not.toContain('Jag känner inte till kommandot');
  });

  it('records a decision typed in Finnish with a button row without English', async () => {
    const out = await session(h, ['kieli fi', 'projekti uusi Demo', 'rooli coord päättäjä', 'päätä']);
    expect(out).toMatch(/\[1\] Käyttöön {2}\[2\] Ei vielä {2}\[3\] Siirrä/);
    expect(out).not.toMatch(/\bNo-go\b|\bGo\b/);
  });
});
