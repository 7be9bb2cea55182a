import { z } from 'zod';

// Maps keyed by what people type or platforms send (user ids, names, form input ids). On a plain object a key such
// as `constructor` or `hasOwnProperty` finds Object.prototype's member, and assigning `__proto__` changes the
// object's prototype instead of storing anything. These maps are null-prototype objects (still plain JSON when
// stored), read and written through `own` and `put`, so every such name is just a key.

/** A map keyed by people's names or ids: a null-prototype object, so `__proto__` or `constructor` is an ordinary key. */
export type Dict<V> = Record<string, V>;

/** A new map, optionally filled, with no prototype behind it. */
export function dict<V>(entries: Iterable<readonly [string, V]> = []): Dict<V> {
  const out = Object.create(null) as Dict<V>;
  for (const [k, v] of entries) put(out, k, v);
  return out;
}

/** The value stored under a key, never one inherited from Object.prototype (safe on a plain object read back from JSON). */
export function own<V>(d: Readonly<Record<string, V>> | undefined, key: string): V | undefined {
  return d !== undefined && Object.hasOwn(d, key) ? d[key] : undefined;
}

/** Stores a value under a key as an own property, even `__proto__` and even on a plain object. */
export function put<V>(d: Record<string, V>, key: string, value: NoInfer<V>): void {
  Object.defineProperty(d, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A copy of a map (a plain object's own entries included) as a null-prototype one. */
export function dictOf<V>(d: Readonly<Record<string, V>> | undefined): Dict<V> {
  return dict(d ? Object.entries(d) : []);
}

/**
 * A zod schema of a map keyed by names: every key is kept (zod's own `z.record` silently drops `__proto__`, so a
 * person of that name vanished on the next read) and the result is a null-prototype object.
 */
export function dictSchema<T extends z.ZodType>(value: T) {
  return z
    .custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), { error: 'Expected an object' })
    .transform((x, ctx) => {
      const out = dict<z.output<T>>();
      for (const [k, v] of Object.entries(x)) {
        const parsed = value.safeParse(v);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [k, ...issue.path] });
          return z.NEVER;
        }
        put(out, k, parsed.data);
      }
      return out;
    });
}
