import { afterEach, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/commands/button-actions.js';
import { documentBytes } from '../../src/domain/project-limits.js';
import { MAX_PROJECT_BYTES, NOTES_PER_TASK, TEXT_LIMITS, type TextKind } from '../../src/domain/text-limits.js';
import type { Project } from '../../src/domain/types.js';
import { botHarness, textOf, type BotHarness } from '../support/bot-harness.js';

/** A text of n characters (one word, so the grammar reads it as one). */
const long = (n: number) => 'x'.repeat(n);
const refusedText = (kind: string, length: number, limit: number) =>
  `The text is too long (${kind}: ${length.toLocaleString('en-GB')} characters, at most ${limit.toLocaleString('en-GB')}).`;

/**
 * Every free text a person can type or write in a form, with what must exist first: one over its limit is
 * refused with a sentence that names the limit, and nothing is recorded; one at its limit is recorded.
 */
const TYPED: Array<{ kind: TextKind; name: string; by?: string; line: (text: string) => string }> = [
  { kind: 'projectName', name: 'project name', line: (x) => `project name ${x}` },
  { kind: 'authority', name: 'authority’s name', line: (x) => `project authority ${x}` },
  { kind: 'itemName', name: 'item name', line: (x) => `item add - ${x}` },
  { kind: 'trainingName', name: 'training name', line: (x) => `training add ${x} 2031-03-04 13:00 90min all` },
  { kind: 'groupName', name: 'target group’s name', line: (x) => `comms group add g${x.length} ${x}` },
  { kind: 'note', name: 'note', line: (x) => `note process.review ${x}` },
  { kind: 'reason', name: 'reason', line: (x) => `block process.review ${x}` },
  { kind: 'answer', name: 'answer', by: 'anna', line: (x) => `remarks s1 ${x}` },
  { kind: 'acceptance', name: 'acceptance text', by: 'anna', line: (x) => `acceptance complete ${x}` },
  { kind: 'risk', name: 'risk', line: (x) => `risk add ${x}` },
  { kind: 'fallback', name: 'fallback plan', line: (x) => `risk add critical the portal is down fallback ${x}` },
  { kind: 'impact', name: 'impact description', line: (x) => `impact customers ${x}` },
  { kind: 'decisionReasons', name: 'reasons', line: (x) => `decide nogo 2031-03-04 ${x}` },
  { kind: 'justification', name: 'justification', line: (x) => `decide go 2031-03-04 override ${x}` },
  { kind: 'announcement', name: 'announcement text', line: (x) => `comms text customers go fi ${x}` },
  { kind: 'problem', name: 'problem description', by: 'olli', line: (x) => `staff problem ${x}` },
];

describe('free text has a limit, and a project document stays small', () => {
  let h: BotHarness;
  afterEach(async () => h?.cleanup());

  async function project(): Promise<string> {
    expect(textOf(await h.say('coord', `project new ${long(121)}`))).toContain(refusedText('project name', 121, 120));
    await h.say('coord', 'project new Demo');
    for (const line of ['role coord decider', 'signoff functional anna confirm', 'signoff acceptance anna', 'staff add olli']) {
      await h.say('coord', line);
    }
    return h.projectId();
  }

  it('refuses each typed text one character over its limit, naming the limit, and records it at the limit', async () => {
    h = await botHarness();
    const id = await project();
    expect(TYPED.map((r) => r.kind).sort()).toEqual(Object.keys(TEXT_LIMITS).sort());
    for (const row of TYPED) {
      const limit = TEXT_LIMITS[row.kind];
      const before = (await h.store.auditTrail('T1', id)).length;
      const over = textOf(await h.say(row.by ?? 'coord', row.line(long(limit + 1))));
      expect(over, row.kind).toContain(refusedText(row.name, limit + 1, limit));
      expect(over).toContain('Shorten it and send it again');
      expect((await h.store.auditTrail('T1', id)).length, row.kind).toBe(before);
      const at = textOf(await h.say(row.by ?? 'coord', row.line(long(limit))));
      expect(at, row.kind).not.toMatch(/too long|Not saved|Only the/);
      expect((await h.store.auditTrail('T1', id)).length, row.kind).toBe(before + 1);
    }
    // The limit is said in the reader's language and number format.
    expect(textOf(await h.say('coord', `note process.review ${long(2001)}`, { locale: 'fi-FI' }))).toContain(
      'Teksti on liian pitkä (muistiinpano: 2\u00a0001 merkkiä, enintään 2\u00a0000).',
    );
    expect(textOf(await h.say('coord', `note process.review ${long(2001)}`, { locale: 'sv-SE' }))).toContain(
      'Texten är för lång (anteckning: 2\u00a0001 tecken, högst 2\u00a0000).',
    );
  });

  it('refuses the same texts written in a form, whose inputs carry the same maxLength', async () => {
    h = await botHarness();
    const id = await project();
    const forms: Array<{ kind: TextKind; by: string; press: ReturnType<typeof encodeAction>; field: string; name: string }> = [
      {
        kind: 'answer',
        by: 'anna',
        press: encodeAction({ action: 'signoff.reject', project: id, signoff: 's1' }),
        field: 'reason',
        name: 'answer',
      },
      {
        kind: 'answer',
        by: 'anna',
        press: encodeAction({ action: 'signoff.remarks', project: id, signoff: 's1' }),
        field: 'text',
        name: 'answer',
      },
      {
        kind: 'problem',
        by: 'olli',
        press: encodeAction({ action: 'staff.problem', project: id }),
        field: 'text',
        name: 'problem description',
      },
      {
        kind: 'announcement',
        by: 'coord',
        press: encodeAction({ action: 'comms.texts', project: id, group: 'customers', kind: 'go' }),
        field: 'fi',
        name: 'announcement text',
      },
      {
        kind: 'decisionReasons',
        by: 'coord',
        press: encodeAction({ action: 'decision.nogo', project: id }),
        field: 'reasons',
        name: 'reasons',
      },
      {
        kind: 'justification',
        by: 'coord',
        press: encodeAction({ action: 'decision.go', project: id }),
        field: 'override',
        name: 'justification',
      },
    ];
    for (const f of forms) {
      const limit = TEXT_LIMITS[f.kind];
      const fields = { [f.field]: long(limit + 1), date: '2031-03-04', nextReview: '2031-03-04' };
      expect(textOf(await h.click(f.by, f.press.action, f.press.value, { fields })), f.press.action).toContain(
        refusedText(f.name, limit + 1, limit),
      );
    }
    // The forms' inputs stop at the same limits in Slack's modals and Teams' cards.
    const request = (await h.say('coord', 'signoff technical anna')).cards;
    const inputs = request.flatMap((c) => c.buttons ?? []).flatMap((b) => b.form?.inputs ?? []);
    expect(inputs.filter((i) => i.multiline).map((i) => i.maxLength)).toContain(TEXT_LIMITS.answer);
    const preview = (await h.say('coord', 'comms preview go')).cards[0]!;
    expect(preview.buttons?.[0]?.form?.inputs.every((i) => i.maxLength === TEXT_LIMITS.announcement)).toBe(true);
    const decide = (await h.say('coord', 'decide')).cards[0]!;
    const decideInputs = decide.buttons!.flatMap((b) => b.form?.inputs ?? []);
    expect(decideInputs.find((i) => i.id === 'reasons')?.maxLength).toBe(TEXT_LIMITS.decisionReasons);
    expect(decideInputs.find((i) => i.id === 'override')?.maxLength).toBe(TEXT_LIMITS.justification);
  });

  it(`keeps a task's ${NOTES_PER_TASK} newest notes, says so, and keeps every note in the audit trail`, async () => {
    h = await botHarness();
    const id = await project();
    let reply = '';
    for (let i = 1; i <= NOTES_PER_TASK + 1; i++) reply = textOf(await h.say('coord', `note process.review note ${i}`));
    expect(reply).toContain(`The task keeps its ${NOTES_PER_TASK} newest notes; older ones stay in the audit trail (\`export audit\`).`);
    const task = (await h.store.load('T1', id))!.project.tasks.find((t) => t.id === 'process.review')!;
    expect(task.notes.map((n) => n.text)).toEqual(Array.from({ length: NOTES_PER_TASK }, (_, i) => `note ${i + 2}`));
    expect((await h.store.auditTrail('T1', id)).filter((e) => e.action === 'task.note')).toHaveLength(NOTES_PER_TASK + 1);
  });

  it('loads a project stored before the limits (a 1 MB note, 85 notes of 40 KB) cut to them, and its next change stores it small', async () => {
    h = await botHarness();
    const id = await project();
    const loaded = (await h.store.load('T1', id))!;
    const big = structuredClone<Project>(loaded.project);
    const task = big.tasks.find((t) => t.id === 'process.review')!;
    task.notes = Array.from({ length: 85 }, (_, i) => ({ at: '2026-11-20T10:00:00Z', by: 'coord', text: `${i}`.padEnd(40_000, 'y') }));
    big.tasks.find((t) => t.id === 'process.instructions')!.notes = [{ at: '2026-11-20T10:00:00Z', by: 'coord', text: long(1_000_000) }];
    expect(await h.store.commit(loaded, big, { at: '2026-11-20T10:00:00Z', actor: 'coord', platform: 'console', action: 'legacy' })).toBe(
      'ok',
    );
    expect(documentBytes(big)).toBeGreaterThan(4_000_000);

    const read = (await h.store.load('T1', id))!.project;
    const notes = read.tasks.find((t) => t.id === 'process.review')!.notes;
    expect(notes).toHaveLength(NOTES_PER_TASK);
    expect(notes[0]!.text.startsWith('65')).toBe(true); // the newest 20 of 85
    expect(notes.every((n) => n.text.length === TEXT_LIMITS.note && n.text.endsWith('…'))).toBe(true);
    expect(read.tasks.find((t) => t.id === 'process.instructions')!.notes[0]!.text).toHaveLength(TEXT_LIMITS.note);

    expect(textOf(await h.say('coord', 'done process.instructions'))).not.toMatch(/Not saved|too long/);
    const after = (await h.store.load('T1', id))!.project;
    expect(documentBytes(after)).toBeLessThan(MAX_PROJECT_BYTES);
  });

  it(`refuses a text that would take a project past ${MAX_PROJECT_BYTES / 1024} KB, yet a full project can still be worked on`, async () => {
    h = await botHarness();
    const id = await project();
    const loaded = (await h.store.load('T1', id))!;
    const full = structuredClone<Project>(loaded.project);
    // Within every limit, one text at a time: 270 risks of 1,000 characters.
    full.risks = Array.from({ length: 270 }, (_, i) => ({ id: `r${i + 100}`, text: long(TEXT_LIMITS.risk), critical: false }));
    await h.store.commit(loaded, full, { at: '2026-11-20T10:00:00Z', actor: 'coord', platform: 'console', action: 'setup' });
    expect(documentBytes(full)).toBeGreaterThan(MAX_PROJECT_BYTES);

    const refused = textOf(await h.say('coord', `risk add ${long(TEXT_LIMITS.risk)}`));
    expect(refused).toMatch(
      /^Not saved: after this change the project’s record would take \d+ KB, more than the 256 KB a project may take\./,
    );
    expect(textOf(await h.say('coord', 'done process.instructions'))).not.toContain('Not saved');
    expect(textOf(await h.say('coord', 'golive 2031-03-04'))).not.toContain('Not saved');
  });
});
