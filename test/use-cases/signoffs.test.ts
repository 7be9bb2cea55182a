import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainHash, GENESIS } from '../../src/domain/audit-chain.js';
import { botHarness, textOf, type BotHarness } from '../support/bot-harness.js';
import { catalog } from '../../messages/i18n.js';

describe('sign-offs on a real Redis', () => {
  let h: BotHarness;
  let pid: string;
  beforeEach(async () => {
    h = await botHarness();
    await h.say('coord', 'project new Demo');
    const reply = await h.say('coord', 'signoff functional anna confirm');
    expect(reply.visibility).toBe('channel');
    pid = await h.projectId();
  });
  afterEach(async () => h.cleanup());

  it('records 20 concurrent identical approve clicks once, with one audit event', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, () => h.click('anna', 'signoff.approve', `${pid}|s1`)));
    const loaded = await h.store.load('T1', pid);
    expect(loaded?.project.signoffs[0]?.responses).toHaveLength(1);
    expect(loaded?.project.signoffs[0]?.responses[0]).toMatchObject({ by: 'anna', kind: 'approve' });
    const audit = await h.store.auditTrail('T1', pid);
    expect(audit.filter((e) => e.action === 'signoff.approve')).toHaveLength(1);
    // Every click is answered, and each answer shows the request as approved with no buttons left.
    for (const r of replies) {
      expect(textOf(r)).toMatch(/approved/);
      expect(r.cards.every((c) => !c.buttons?.length)).toBe(true);
    }
  });

  it('records a redelivered click (same idempotency key) once', async () => {
    await Promise.all(Array.from({ length: 5 }, () => h.click('anna', 'signoff.approve', `${pid}|s1`, { idemKey: 'slack:retry-1' })));
    const audit = await h.store.auditTrail('T1', pid);
    expect(audit.filter((e) => e.action.startsWith('signoff.'))).toHaveLength(2); // the request and one approval
  });

  it('refuses a sign-off by a non-approver, names who may approve, and changes nothing', async () => {
    const before = await h.store.auditTrail('T1', pid);
    const reply = await h.click('mallory', 'signoff.approve', `${pid}|s1`);
    expect(reply.visibility).toBe('private');
    expect(textOf(reply)).toContain('Only the named approvers may sign off functional testing (E2E): @anna.');
    const after = await h.store.auditTrail('T1', pid);
    expect(after).toHaveLength(before.length);
    expect((await h.store.load('T1', pid))?.project.signoffs[0]?.responses).toHaveLength(0);
  });

  it("refuses a reject without a reason, in the reader's language", async () => {
    const en = await h.click('anna', 'signoff.reject', `${pid}|s1`, { fields: { reason: '  ' } });
    expect(textOf(en)).toContain('A rejection of functional testing (E2E) needs a reason');
    const fi = await h.click('anna', 'signoff.reject', `${pid}|s1`, { fields: { reason: '' }, locale: 'fi-FI' });
    expect(textOf(fi)).not.toContain('needs a reason');
    expect(textOf(fi)).toMatch(/syy/i);
    await h.say('anna', 'lang sv');
    const sv = await h.click('anna', 'signoff.reject', `${pid}|s1`);
    expect(textOf(sv)).toMatch(/motivering|orsak|skäl/i);
    expect((await h.store.load('T1', pid))?.project.signoffs[0]?.responses).toHaveLength(0);
    const typed = await h.say('anna', 'reject s1');
    expect(textOf(typed)).toMatch(/motivering|orsak|skäl/i);
  });

  it('a reject with a reason closes the request; a new request can then be approved with remarks', async () => {
    const rejected = await h.click('anna', 'signoff.reject', `${pid}|s1`, { fields: { reason: 'Virtu login fails' } });
    expect(rejected.replaceOriginal).toBe(true);
    expect(textOf(rejected)).toContain('Virtu login fails');
    expect(textOf(rejected)).toContain('rejected');
    await h.say('coord', 'signoff functional anna');
    const approved = await h.say('anna', 'remarks functional "minor layout issue"');
    expect(textOf(approved)).toContain('approved with remarks');
    const p = (await h.store.load('T1', pid))?.project;
    expect(p?.tasks.find((t) => t.id === 'testing.functional')?.status).toBe('done');
  });

  it('keeps tenants apart: another tenant can neither see nor change the project', async () => {
    const click = await h.click('anna', 'signoff.approve', `${pid}|s1`, { tenant: 'T2' });
    expect(textOf(click)).toBe(catalog('en').refusal['action.elsewhere']);
    const status = await h.say('anna', 'status', { tenant: 'T2' });
    expect(textOf(status)).toContain('no adoption project');
    expect(await h.store.load('T2', pid)).toBeUndefined();
    expect((await h.store.load('T1', pid))?.project.signoffs[0]?.responses).toHaveLength(0);
  });

  it('chains every audit event to the one before it', async () => {
    await h.click('anna', 'signoff.approve', `${pid}|s1`);
    const trail = await h.store.auditTrail('T1', pid);
    expect(trail.map((e) => e.action)).toEqual(['project.create', 'signoff.request', 'signoff.approve']);
    let prev = GENESIS;
    for (const e of trail) {
      expect(e.prev).toBe(prev);
      prev = e.hash;
    }
    const raw = await h.redis.xrange(h.store.keys.audit('T1', pid), '-', '+');
    for (const [, fields] of raw) expect(chainHash(fields[1] as string)).toBe(fields[3]);
    expect(trail[2]).toMatchObject({
      actor: 'anna',
      platform: 'console',
      target: 's1',
      before: { state: 'open' },
      after: { state: 'approved' },
    });
  });
});
