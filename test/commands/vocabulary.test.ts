import { describe, expect, it } from 'vitest';
import { COMMAND_ALIASES, COMMAND_NAMES, commandOf, TASK_VERBS, TRAINING_ANSWERS } from '../../src/commands/command-types.js';
import { parseCommand } from '../../src/commands/grammar.js';
import { LANGS } from '../../src/domain/types.js';
import { asciiKey, wordKey } from '../../src/commands/sub-words.js';
import { catalog, Format } from '../../messages/i18n.js';
import { helpCard } from '../../src/views/cards.js';

describe('the command vocabulary', () => {
  it('keys the catalogue by exactly the command words, in every language', () => {
    for (const lang of LANGS) {
      expect(Object.keys(catalog(lang).usage).sort(), `${lang}.usage`).toEqual([...COMMAND_NAMES].sort());
      expect(Object.keys(catalog(lang).describe).sort(), `${lang}.describe`).toEqual([...COMMAND_NAMES].sort());
    }
  });

  it('lists every command word in help, in the vocabulary order', () => {
    const t = catalog('en');
    const list = helpCard({ t, f: new Format('en') }).blocks.find((b) => b.type === 'list');
    expect(list?.type === 'list' && list.items.map((i) => i.text)).toEqual(COMMAND_NAMES.map((n) => `\`${t.usage[n]}\``));
  });

  it('reads a command word in any case, and nothing inherited from Object', () => {
    for (const name of COMMAND_NAMES) {
      expect(commandOf(name)).toBe(name);
      expect(commandOf(name.toUpperCase())).toBe(name);
    }
    for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty', '', 'statu', 'status.'])
      expect(commandOf(word), word).toBeUndefined();
  });

  it('gives each alias one command, parsed as its command word: single words that collide with no other command word nor alias', () => {
    const seen = new Map<string, string>(COMMAND_NAMES.map((n) => [n, n]));
    for (const fold of [wordKey, asciiKey]) {
      for (const lang of LANGS) {
        for (const [name, words] of Object.entries(COMMAND_ALIASES[lang])) {
          for (const word of words ?? []) {
            const key = fold(word);
            expect(seen.get(key) ?? name, `${lang} alias ${word} (${key}) of ${name}`).toBe(name);
            seen.set(key, name);
            expect(commandOf(key), key).toBe(name);
          }
        }
      }
    }
    for (const lang of LANGS) {
      for (const [name, words] of Object.entries(COMMAND_ALIASES[lang])) {
        for (const word of words ?? []) {
          const key = word.normalize('NFC').toLowerCase();
          expect(key, `${lang} ${name}`).toMatch(/^\S+$/);
          expect(commandOf(word)).toBe(name);
          for (const rest of ['', ' process.review', ' x y'])
            expect(parseCommand(`${word}${rest}`), `${word}${rest}`).toEqual(parseCommand(`${name}${rest}`));
        }
      }
    }
  });

  it('maps the task verbs and training answers the grammar and the buttons share', () => {
    for (const [verb, status] of Object.entries(TASK_VERBS)) {
      const line = verb === 'block' || verb === 'na' ? `${verb} process.review a reason` : `${verb} process.review`;
      expect(parseCommand(line)).toMatchObject({ ok: true, command: { name: 'set-status', status } });
    }
    for (const [word, answer] of Object.entries(TRAINING_ANSWERS))
      expect(parseCommand(`training ${word} t3`)).toEqual({ ok: true, command: { name: 'training-answer', ref: 't3', answer } });
  });
});
