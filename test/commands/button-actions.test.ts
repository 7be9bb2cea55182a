import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction, type ButtonAction, type ButtonActionId } from '../../src/commands/button-actions.js';
import { WorkingDayCalendar } from '../../src/domain/calendar.js';
import { newProject } from '../../src/domain/project.js';
import { ANNOUNCEMENTS, type Project, type Signoff, type Training } from '../../src/domain/types.js';
import type { Button } from '../../messages/card.js';
import { catalog, Format } from '../../messages/i18n.js';
import { signoffCard, statusCard } from '../../src/views/cards.js';
import { decideButtons, textsButton } from '../../src/views/comms-cards.js';
import { reminderButtons } from '../../src/views/reminder-cards.js';
import { staffQuestionCard } from '../../src/views/staff-cards.js';
import { attendanceButtons } from '../../src/views/training-cards.js';
import { paginate } from '../../src/views/paging.js';

const project = fc.stringMatching(/^p[0-9a-f]{4,32}$/);
/** A target as the wire allows it: a task slug, a sign-off, training or group id. */
const target = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,80}$/);
const span = fc.oneof(
  fc.constant('until' as const),
  fc.integer({ min: 1, max: 60 }).map((workingDays) => ({ workingDays })),
);

/** The button of one action id. */
type Of<A extends ButtonActionId> = ButtonAction & { action: A };
/** One arbitrary per kind of button: the mapped type makes a new kind without one a compile error. */
const arbitraries: { [A in ButtonActionId]: fc.Arbitrary<Of<A>> } = {
  'status.share': fc.record({ action: fc.constant('status.share'), project }),
  'signoff.approve': fc.record({ action: fc.constant('signoff.approve'), project, signoff: target }),
  'signoff.remarks': fc.record({ action: fc.constant('signoff.remarks'), project, signoff: target }),
  'signoff.reject': fc.record({ action: fc.constant('signoff.reject'), project, signoff: target }),
  'task.done': fc.record({ action: fc.constant('task.done'), project, task: target }),
  'task.start': fc.record({ action: fc.constant('task.start'), project, task: target }),
  'task.snooze': fc.record({ action: fc.constant('task.snooze'), project, task: target, span }),
  'decision.go': fc.record({ action: fc.constant('decision.go'), project }),
  'decision.nogo': fc.record({ action: fc.constant('decision.nogo'), project }),
  'decision.postpone': fc.record({ action: fc.constant('decision.postpone'), project }),
  'staff.yes': fc.record({ action: fc.constant('staff.yes'), project }),
  'staff.problem': fc.record({ action: fc.constant('staff.problem'), project }),
  'comms.texts': fc.record({ action: fc.constant('comms.texts'), project, group: target, kind: fc.constantFrom(...ANNOUNCEMENTS) }),
  'training.attend': fc.record({ action: fc.constant('training.attend'), project, training: target }),
  'training.decline': fc.record({ action: fc.constant('training.decline'), project, training: target }),
  'signoff.view': fc.record({ action: fc.constant('signoff.view'), project, signoff: target }),
  'view.page': fc.record({
    action: fc.constant('view.page'),
    project,
    view: fc.oneof(
      fc.constantFrom('tasks', 'tasks-mine', 'tasks-overdue', 'status', 'people', 'signoffs', 'staff', 'training', 'comms', 'comms-status'),
      fc.constantFrom(...ANNOUNCEMENTS).map((k) => `preview-${k}`),
      fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,60}$/).map((g) => `tasks.${g}`),
    ),
    page: fc.integer({ min: 1, max: 999 }),
  }),
};
const IDS = Object.keys(arbitraries) as ButtonActionId[];

const decodeButton = (b: Pick<Button, 'action' | 'value'>): ButtonAction | undefined => decodeAction(b.action, b.value);

describe('button actions: one codec for every button', () => {
  for (const id of IDS) {
    it(`${id}: decoding what was encoded gives the action back`, () => {
      fc.assert(
        fc.property(arbitraries[id] as fc.Arbitrary<ButtonAction>, (a) => {
          const wire = encodeAction(a);
          expect(wire.action).toBe(id);
          expect(decodeAction(wire.action, wire.value)).toEqual(a);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('reads the buttons already posted in channels, in the wire format they were written in', () => {
    const P = 'p0a1b2c3d4e';
    const posted: Array<[string, string, ButtonAction]> = [
      ['status.share', P, { action: 'status.share', project: P }],
      ['signoff.approve', `${P}|s1`, { action: 'signoff.approve', project: P, signoff: 's1' }],
      ['signoff.remarks', `${P}|s12`, { action: 'signoff.remarks', project: P, signoff: 's12' }],
      ['signoff.reject', `${P}|s3`, { action: 'signoff.reject', project: P, signoff: 's3' }],
      ['task.done', `${P}|process.review`, { action: 'task.done', project: P, task: 'process.review' }],
      ['task.start', `${P}|tech.my-item-2`, { action: 'task.start', project: P, task: 'tech.my-item-2' }],
      ['task.snooze', `${P}|process.review|1wd`, { action: 'task.snooze', project: P, task: 'process.review', span: { workingDays: 1 } }],
      ['task.snooze', `${P}|process.review|3wd`, { action: 'task.snooze', project: P, task: 'process.review', span: { workingDays: 3 } }],
      ['task.snooze', `${P}|process.review|until`, { action: 'task.snooze', project: P, task: 'process.review', span: 'until' }],
      ['decision.go', `${P}|decide`, { action: 'decision.go', project: P }],
      ['decision.nogo', `${P}|decide`, { action: 'decision.nogo', project: P }],
      ['decision.postpone', `${P}|decide`, { action: 'decision.postpone', project: P }],
      ['staff.yes', `${P}|staff`, { action: 'staff.yes', project: P }],
      ['staff.problem', `${P}|staff`, { action: 'staff.problem', project: P }],
      ['comms.texts', `${P}|customers|golive-day`, { action: 'comms.texts', project: P, group: 'customers', kind: 'golive-day' }],
      ['comms.texts', `${P}|press|go`, { action: 'comms.texts', project: P, group: 'press', kind: 'go' }],
      ['training.attend', `${P}|t3`, { action: 'training.attend', project: P, training: 't3' }],
      ['training.decline', `${P}|t3`, { action: 'training.decline', project: P, training: 't3' }],
    ];
    for (const [action, value, decoded] of posted) {
      expect(decodeAction(action, value), `${action} ${value}`).toEqual(decoded);
      // …and today's views write exactly the same value.
      expect(encodeAction(decoded), `${action} ${value}`).toEqual({ action, value });
    }
    // Snooze spans a hand-made button may carry, as the old decoder read them: 1–60 working days, also tp and ad.
    expect(decodeAction('task.snooze', `${P}|x|60tp`)).toEqual({ action: 'task.snooze', project: P, task: 'x', span: { workingDays: 60 } });
    expect(decodeAction('task.snooze', `${P}|x|5ad`)).toEqual({ action: 'task.snooze', project: P, task: 'x', span: { workingDays: 5 } });
  });

  it('refuses malformed values and actions it does not know', () => {
    const P = 'p0a1b2c3d4e';
    const refused: Array<[string, string]> = [
      ['status.share', `${P}|status`],
      ['status.share', 'p123'],
      ['status.share', `${P}0123456789012345678901234`],
      ['status.share', 'P0A1B2'],
      ['task.done', P],
      ['task.done', `${P}|`],
      ['task.done', `${P}|Process.Review`],
      ['task.done', `${P}|-review`],
      ['task.done', `${P}|process review`],
      ['task.done', `${P}|${'a'.repeat(82)}`],
      ['task.done', `${P}|process.review\n`],
      ['task.done', ` ${P}|process.review`],
      ['task.done', `${P}|process.review|1wd`],
      ['task.done', `q0a1b2|process.review`],
      ['task.done', `p0a1b2g|process.review`],
      ['signoff.approve', `${P}|s1|x`],
      ['signoff.approve', `${P}|s1|`],
      ['task.snooze', `${P}|process.review`],
      ['task.snooze', `${P}|process.review|0wd`],
      ['task.snooze', `${P}|process.review|61wd`],
      ['task.snooze', `${P}|process.review|-1wd`],
      ['task.snooze', `${P}|process.review|tomorrow`],
      ['task.snooze', `${P}|process.review|1wd|x`],
      ['task.snooze', `${P}|process.review|${'1'.repeat(15)}wd`],
      ['decision.go', `${P}|staff`],
      ['decision.go', `${P}|decide|x`],
      ['staff.yes', `${P}|decide`],
      ['staff.problem', `${P}|staff|1wd`],
      ['comms.texts', `${P}|press`],
      ['comms.texts', `${P}|press|launch`],
      ['training.attend', `${P}|t3|yes`],
      ['task.delete', `${P}|process.review`],
      ['constructor', `${P}|process.review`],
      ['__proto__', `${P}|process.review`],
      ['', `${P}|process.review`],
      ['Task.Done', `${P}|process.review`],
    ];
    for (const [action, value] of refused) expect(decodeAction(action, value), `${action} ${JSON.stringify(value)}`).toBeUndefined();
  });

  it('refuses any value that is not in the wire format, whatever the action', () => {
    const wire = /^p[0-9a-f]{4,32}(?:\|[a-z0-9][a-z0-9.-]{0,80}(?:\|[a-z0-9-]{1,16})?)?$/;
    fc.assert(
      fc.property(fc.constantFrom(...IDS, 'other'), fc.string({ maxLength: 120 }), (action, value) => {
        fc.pre(!wire.test(value));
        expect(decodeAction(action, value)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('whatever it accepts it writes back the same way: decoding is strict and stable', () => {
    const part = fc.stringMatching(/^(?:\|[a-zA-Z0-9.|-]{0,20})?$/);
    fc.assert(
      fc.property(fc.constantFrom(...IDS), project, part, (action, p, rest) => {
        const decoded = decodeAction(action, `${p}${rest}`);
        if (!decoded) return;
        expect(decoded.action).toBe(action);
        expect(decoded.project).toBe(p);
        const again = encodeAction(decoded);
        expect(decodeAction(again.action, again.value)).toEqual(decoded);
      }),
      { numRuns: 2000 },
    );
  });

  it('every button the views make is one Bot.action reads back', () => {
    const v = { t: catalog('en'), f: new Format('en') };
    const p: Project = newProject(
      'p0a1b2c3d4e',
      { tenant: 'T1', userId: 'coord', platform: 'console' },
      { platform: 'console', id: 'C1' },
      'Demo',
      '2026-11-23T08:00:00Z',
    );
    const signoff: Signoff = {
      id: 's1',
      kind: 'technical',
      approvers: ['anna'],
      need: 'all',
      responses: [],
      requestedBy: 'coord',
      requestedAt: '2026-11-23T08:00:00.000Z',
    };
    p.signoffs.push(signoff);
    const training: Training = {
      id: 't1',
      name: 'Intro',
      when: { kind: 'fixed', date: '2027-01-20' },
      time: '13:00',
      minutes: 90,
      audience: 'all',
      attendance: {},
      cancelled: false,
      createdBy: 'coord',
      createdAt: '2026-11-23T08:00:00.000Z',
    };
    const task = p.tasks.find((t) => t.status === 'todo' && t.id.includes('.'))!;
    const buttons: Button[] = [
      ...(statusCard(v, p, new WorkingDayCalendar(), '2026-11-23', 'en').buttons ?? []),
      ...(signoffCard(v, p, signoff).buttons ?? []),
      ...decideButtons(v, p),
      ...p.comms.flatMap((g) => ANNOUNCEMENTS.map((kind) => textsButton(v, p, g, kind))),
      ...reminderButtons(v, p, task),
      ...(staffQuestionCard(v, p).buttons ?? []),
      ...attendanceButtons(v, p, training),
      // The view a platform asks for per reader, and the page buttons of a list too long for one message.
      { ...signoffCard(v, p, signoff).subject!.view, label: 'view' },
      ...(paginate(
        v,
        { blocks: [{ type: 'list', items: Array.from({ length: 100 }, (_, i) => ({ text: `item ${i}` })) }] },
        p.id,
        'tasks-overdue',
        2,
      ).buttons ?? []),
    ];
    const seen = new Set<string>();
    for (const b of buttons) {
      const decoded = decodeButton(b);
      expect(decoded, `${b.action} ${b.value}`).toBeDefined();
      expect(encodeAction(decoded!)).toEqual({ action: b.action, value: b.value });
      seen.add(b.action);
    }
    expect([...seen].sort()).toEqual([...IDS].sort());
  });
});
