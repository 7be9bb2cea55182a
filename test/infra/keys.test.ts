import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKeyPart, encodeKeyPart, RedisKeys } from '../../src/infra/redis/keys.js';

/** Any JavaScript string, lone surrogates included: what an id from outside could be. */
const codeUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 24 }).map((units) => String.fromCharCode(...units));
/** Strings over the characters an ambiguous encoding would confuse (escapes, hex digits, wide characters), so collisions are tried often. */
const tricky = fc.string({
  unit: fc.constantFrom('%', '2', '0', 'a', 'c', 'u', 'f', ' ', '€', 'ā', 'ÿ', '\u0100', '😀', '{', '}', ':'),
  maxLength: 12,
});
const anyId = fc.oneof(fc.string({ unit: 'binary' }), codeUnits, tricky);

describe('encodeKeyPart: ids in keys', () => {
  it('is one to one: equal encodings come from equal ids', () => {
    fc.assert(
      fc.property(anyId, anyId, (a, b) => encodeKeyPart(a) !== encodeKeyPart(b) || a === b),
      { numRuns: 5_000 },
    );
    // Random pairs rarely meet; many distinct ids over a few confusable characters at once do.
    const few = fc.string({ unit: fc.constantFrom('€', 'ā', ' ', 'a', 'c', '2', '0', '1', '%', 'u'), maxLength: 5 });
    fc.assert(
      fc.property(fc.uniqueArray(few, { minLength: 200, maxLength: 400 }), (ids) => {
        const byKey = new Map<string, string>();
        for (const id of ids) {
          const other = byKey.get(encodeKeyPart(id));
          if (other !== undefined && other !== id) return false;
          byKey.set(encodeKeyPart(id), id);
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });

  it('decodes back to the id, and decodes only what it encodes', () => {
    fc.assert(
      fc.property(anyId, (id) => decodeKeyPart(encodeKeyPart(id)) === id),
      { numRuns: 5_000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('%', 'u', '2', '0', 'a', 'c', 'A', '-', '{') }), (part) => {
        const id = decodeKeyPart(part);
        return id === undefined || encodeKeyPart(id) === part;
      }),
      { numRuns: 5_000 },
    );
  });

  it('leaves no brace, separator or other unsafe character in a key part', () => {
    fc.assert(fc.property(anyId, (id) => /^[A-Za-z0-9_.@%-]*$/.test(encodeKeyPart(id))));
  });

  it('keeps "€" and " ac" apart (both were %20ac)', () => {
    expect(encodeKeyPart('€')).toBe('%u20ac');
    expect(encodeKeyPart(' ac')).toBe('%20ac');
    expect(encodeKeyPart('€')).not.toBe(encodeKeyPart(' ac'));
    const keys = new RedisKeys('lv');
    expect(keys.project('T1', '€')).not.toBe(keys.project('T1', ' ac'));
  });

  it('writes the keys of ids below U+0100 as before, so stored data stays where it is', () => {
    // The encoding before it was one to one, for the characters whose form is unchanged.
    const before = (id: string) => id.replace(/[^A-Za-z0-9_.@-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), (id) => encodeKeyPart(id) === before(id)),
      { numRuns: 2_000 },
    );
    expect(encodeKeyPart('19:abc123@thread.tacv2')).toBe('19%3aabc123@thread.tacv2');
    expect(encodeKeyPart('C0123;x%y{z}')).toBe('C0123%3bx%25y%7bz%7d');
    expect(encodeKeyPart('3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toBe('3f2504e0-4f89-11d3-9a0c-0305e82c3301');
    expect(encodeKeyPart('åäö')).toBe('%e5%e4%f6');
  });

  it('escapes each half of a surrogate pair on its own', () => {
    expect(encodeKeyPart('😀')).toBe('%ud83d%ude00');
    expect(decodeKeyPart('%ud83d')).toBe('\ud83d');
  });
});
