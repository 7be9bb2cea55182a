import { describe, expect, it } from 'vitest';
import { dict } from '../../src/domain/dict.js';
import { newProject } from '../../src/domain/project.js';
import { limitRefusal, parseStoredProject } from '../../src/domain/project-limits.js';
import { TEXT_LIMITS } from '../../src/domain/text-limits.js';
import { ProjectSchema, type Project } from '../../src/domain/types.js';

/**
 * What the project schema does with a stored document, pinned where zod 4 (zod/v4) behaves differently from
 * zod 3: `.default()` no longer parses its value (so a missing map must still come back as a null-prototype
 * dict, and missing reminder settings still get each inner default), and `z.record` with enum keys is
 * exhaustive (so custom announcement texts for only some announcements and languages must still load).
 */
const actor = { tenant: 'T1', userId: 'U1', name: 'Anna', platform: 'console' as const };
const fresh = (): Project => newProject('p1', actor, { platform: 'console', id: 'c1' }, 'Pilot', '2031-01-02T08:00:00.000Z');

/** A stored document as JSON gives it back: plain objects, and the parts older versions did not store left out. */
function stored(drop: string[], change: (p: Record<string, unknown>) => void = () => {}): unknown {
  const raw = JSON.parse(JSON.stringify(fresh())) as Record<string, unknown>;
  for (const k of drop) delete raw[k];
  change(raw);
  return raw;
}

describe('the project schema (zod 4)', () => {
  it('fills missing person-keyed maps with null-prototype dicts, so a person called constructor is just a key', () => {
    const p = parseStoredProject(
      stored(['staffLogin'], (raw) => {
        raw.trainings = [
          {
            id: 't1',
            name: 'Basics',
            when: { kind: 'fixed', date: '2031-02-03' },
            time: '10:00',
            minutes: 60,
            audience: 'all',
            createdBy: 'U1',
            createdAt: '2031-01-02T08:00:00.000Z',
          },
        ];
      }),
    );
    expect(Object.getPrototypeOf(p.staffLogin)).toBeNull();
    expect(p.staffLogin.constructor).toBeUndefined();
    expect(Object.getPrototypeOf(p.trainings[0]!.attendance)).toBeNull();
    expect(p.trainings[0]!.attendance.constructor).toBeUndefined();
  });

  it('keeps a person named __proto__ and one named constructor', () => {
    const p = parseStoredProject(
      stored([], (raw) => {
        raw.people = JSON.parse('{"U1":{"id":"U1","roles":["coordinator"]},"__proto__":{"id":"__proto__","roles":["staff"]}}');
        Object.assign(raw.people as object, { constructor: { id: 'constructor', roles: ['owner'] } });
      }),
    );
    expect(Object.keys(p.people).sort()).toEqual(['U1', '__proto__', 'constructor']);
    expect(Object.getPrototypeOf(p.people)).toBeNull();
    expect(p.people['__proto__']!.roles).toEqual(['staff']);
  });

  it('gives a project stored before reminders existed every reminder default', () => {
    expect(parseStoredProject(stored(['reminders'])).reminders).toEqual({
      enabled: true,
      time: '09:00',
      dueSoonDays: 2,
      escalateAfter: 3,
      digestDay: 1,
      digestTime: '09:00',
    });
    expect(parseStoredProject(stored([], (raw) => (raw.reminders = { dueSoonDays: 0 }))).reminders.dueSoonDays).toBe(0);
  });

  it('loads custom announcement texts for only some announcements and languages', () => {
    const p = parseStoredProject(
      stored([], (raw) => {
        const groups = raw.comms as Array<Record<string, unknown>>;
        groups[0]!.texts = { go: { fi: 'Otamme palvelun käyttöön.' } };
      }),
    );
    expect(p.comms[0]!.texts).toEqual({ go: { fi: 'Otamme palvelun käyttöön.' } });
    expect(
      ProjectSchema.safeParse(stored([], (raw) => ((raw.comms as Array<Record<string, unknown>>)[0]!.texts = { later: {} }))).success,
    ).toBe(false);
  });

  it('names the text kind and the length of a too-long text, also one inside a person-keyed map', () => {
    const p = fresh();
    p.staffLogin = dict([
      ['U1', { askedAt: '2031-01-02T08:00:00.000Z', answer: 'problem' as const, text: 'x'.repeat(TEXT_LIMITS.problem + 1) }],
    ]);
    expect(limitRefusal(p)).toMatchObject({ params: { what: 'problem', limit: TEXT_LIMITS.problem, length: TEXT_LIMITS.problem + 1 } });
    const fitted = parseStoredProject(JSON.parse(JSON.stringify(p)));
    expect(fitted.staffLogin.U1!.text).toHaveLength(TEXT_LIMITS.problem);
    expect(fitted.staffLogin.U1!.text!.endsWith('…')).toBe(true);
  });
});
