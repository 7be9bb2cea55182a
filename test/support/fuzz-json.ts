import fc from 'fast-check';

/** The fixed seed of every fuzz run, so a failure reproduces (fast-check prints the counterexample and path). */
export const FUZZ_SEED = 20261123;

/**
 * Names that are members of Object.prototype (or, `__proto__`, its accessor): as a person, a form input or a key
 * of any map they must be ordinary names. Every generator that makes names or keys draws from these too.
 */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'prototype', 'valueOf'] as const;

type Path = Array<string | number>;

/** Every path into a JSON document (objects and arrays included), so a mutation can hit any level of it. */
export function pathsOf(doc: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(doc)) doc.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (doc && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) pathsOf(v, [...prefix, k], out);
  return out;
}

/** One edit of a document: a value replaced, a key removed, or a string or number turned into a near miss. */
export type Edit =
  { path: number; op: 'set'; value: unknown } | { path: number; op: 'delete' } | { path: number; op: 'tweak'; salt: string };

/** Values hostile to code that trusts a payload's shape: wrong types, huge, empty, prototype keys, control characters. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    null,
    '',
    ' ',
    0,
    -1,
    1e308,
    true,
    [],
    {},
    ...PROTOTYPE_KEYS,
    '\u0000',
    '\u202e',
    'x'.repeat(5000),
    '{"a":"',
    '<@U0>',
    'p0|x',
    '%',
    '\ud800',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.dictionary(fc.constantFrom(...PROTOTYPE_KEYS, 'a', 'v', 'id', 'type'), fc.jsonValue({ maxDepth: 1 }), {
    maxKeys: 3,
  }),
);

/** Up to `max` edits of a document with `count` paths. */
export function editsArb(max = 4): fc.Arbitrary<Edit[]> {
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ path: fc.nat(), op: fc.constant('set' as const), value: hostileValue }),
    fc.record({ path: fc.nat(), op: fc.constant('delete' as const) }),
    fc.record({ path: fc.nat(), op: fc.constant('tweak' as const), salt: fc.string({ maxLength: 6 }) }),
  );
  return fc.array(edit, { maxLength: max });
}

/** Applies edits to a deep copy of a document (paths are picked modulo the document's own paths). */
export function applyEdits<T>(doc: T, edits: Edit[]): T {
  let copy = structuredClone(doc) as unknown;
  for (const e of edits) {
    const paths = pathsOf(copy);
    const path = paths[e.path % paths.length]!;
    if (path.length === 0) {
      if (e.op === 'set') copy = e.value;
      continue;
    }
    let parent = copy as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const key = path.at(-1)!;
    if (e.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (e.op === 'set') {
      parent[key] = e.value;
    } else {
      const v = parent[key];
      if (typeof v === 'string')
        parent[key] = e.salt.length % 2 ? v + e.salt : v.slice(0, Math.max(0, v.length - 1 - e.salt.length)) + e.salt;
      else if (typeof v === 'number') parent[key] = v + e.salt.length - 3;
      else parent[key] = e.salt;
    }
  }
  return copy as T;
}

/** Words of the command language mixed with junk: lines that look like commands without being intended ones. */
export function commandLineArb(words: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc
      .array(
        fc.oneof(
          fc.constantFrom(...words),
          fc.constantFrom(...PROTOTYPE_KEYS, ...PROTOTYPE_KEYS.map((k) => `@${k}`)),
          fc.string({ maxLength: 8 }),
          fc.constantFrom(
            '<@UCOORD01|kaisa>',
            '<#C0PROJ01|x>',
            '<!channel>',
            '"',
            '“',
            '\n',
            '—',
            '2027-02-30',
            '31.2.2027',
            '-999wd',
            '25:61',
            '0min',
            's999999',
            't0',
            'me',
          ),
        ),
        { maxLength: 8 },
      )
      .map((w) => w.join(' ')),
  );
}
