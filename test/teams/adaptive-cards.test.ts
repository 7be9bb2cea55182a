import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src/commands/grammar.js';
import { alertRecipients, remindersFor, trainingAlerts } from '../../src/domain/reminders.js';
import { LANGS, type Lang } from '../../src/domain/types.js';
import type { Inbound } from '../../src/use-cases/context.js';
import { ProactiveMessages } from '../../src/use-cases/proactive-messages.js';
import type { Card } from '../../messages/card.js';
import { catalog } from '../../messages/i18n.js';
import { deliveryKeyOf, markDelivery } from '../../adapters/teams/delivery-marker.js';
import { mentionedIds, renderAdaptiveCard, renderAdaptiveCards, type AdaptiveCard } from '../../adapters/teams/render-adaptive-card.js';
import { cardBytes, TEAMS_MESSAGE_LIMIT_BYTES } from '../../adapters/teams/card-size.js';
import { TestClock } from '../support/bot-harness.js';
import { composeOnTestRedis } from '../support/composed.js';
import { freshRedis, type FreshRedis } from '../support/redis.js';
import { cardText, executeActions, fixture } from './teams-harness.js';

/** The official Adaptive Cards 1.5 schema (JSON Schema draft-06), compiled once. */
function adaptiveCardValidator() {
  const require = createRequire(import.meta.url);
  const draft06 = JSON.parse(readFileSync(require.resolve('ajv/dist/refs/json-schema-draft-06.json'), 'utf8'));
  // strict: false because the schema carries Microsoft's own annotations (version, features);
  // formats (uri, uri-reference, color) are not checked: no URL or colour is ever rendered.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addMetaSchema(draft06);
  const { id, ...schema } = fixture('adaptive-card-schema.json');
  expect(schema.$schema).toBe('http://json-schema.org/draft-06/schema#');
  // The published file names itself with draft-04's `id`; draft-06 (which it declares) spells it `$id`.
  expect(id).toBe('http://adaptivecards.io/schemas/adaptive-card.json');
  return ajv.compile({ $id: id, ...schema });
}

const validate = adaptiveCardValidator();

/**
 * A card valid against the official 1.5 schema, within Teams' message size, with no literal backticks. Teams'
 * own `msteams` property (its mention entities) is not part of the Adaptive Cards schema, whose root takes no
 * other properties: the card is validated without it, and `msteams` against Teams' documented shape, each
 * entity's `<at>…</at>` text appearing in the card's texts.
 */
function expectValid(card: AdaptiveCard, context: string): void {
  const { msteams, ...standard } = card;
  const ok = validate(standard);
  if (!ok)
    throw new Error(
      `${context}: invalid Adaptive Card\n${JSON.stringify(validate.errors?.slice(0, 8), null, 2)}\n${JSON.stringify(card).slice(0, 1500)}`,
    );
  expect(card.version).toBe('1.5');
  expect(cardBytes(card), `${context}: size`).toBeLessThanOrEqual(TEAMS_MESSAGE_LIMIT_BYTES);
  expect(cardText(card), `${context}: backticks`).not.toContain('`');
  if (msteams) {
    expect(Object.keys(msteams)).toEqual(['entities']);
    const texts = JSON.stringify(standard.body);
    for (const e of msteams.entities) {
      expect(e).toEqual({
        type: 'mention',
        text: expect.stringMatching(/^<at>[^<>]+<\/at>$/),
        mentioned: { id: expect.any(String), name: expect.any(String) },
      });
      expect(texts, `${context}: ${e.text} is in the card`).toContain(e.text);
    }
  }
}

/**
 * Drives a real Bot through every command (and every button its cards carry) in one language and
 * collects every card it answers with: the cards the Teams adapter renders.
 */
async function everyCard(lang: Lang, fresh: FreshRedis): Promise<Card[]> {
  const { app } = await composeOnTestRedis(
    {},
    { fresh, role: 'web', clock: new TestClock(new Date('2026-11-23T10:00:00Z')), adapters: [] },
  );
  const { bot, store, calendar } = app;
  const locale = { fi: 'fi-FI', sv: 'sv-SE', en: 'en-GB' }[lang];
  const tenant = `tenant-${lang}`;
  const channel = { platform: 'teams' as const, id: `19:cards-${lang}@thread.tacv2` };
  const cards: Card[] = [];
  let n = 0;
  const act = async (user: string, input: Inbound['input']) => {
    const reply = await bot.handle({
      actor: { tenant, userId: user, name: user.toUpperCase(), platform: 'teams', locale },
      channel,
      idemKey: `teams:cards-${++n}`,
      input,
    });
    cards.push(...reply.cards);
    return reply;
  };
  const say = (user: string, text: string) => act(user, { kind: 'text', text });

  await say('coord', 'help');
  await say('coord', 'status'); // no project yet: a refusal
  await say('coord', 'project new Demo City');
  await say('coord', 'project new Another'); // refused: the channel has one
  for (const line of [
    'project',
    'status',
    'tasks',
    'tasks mine',
    'tasks overdue',
    'tasks process',
    'people',
    'signoffs',
    'readiness',
    'golive 2027-05-03',
    'project connection integration',
    'project authority Demo City building control',
    'project login virtu',
    'project languages fi sv',
    'assign process.review anna 2026-11-30 confirm',
    'assign process.instructions <@ben> 1.12.2026',
    'assign comms.plan me',
    'role anna approver',
    'role ben approver',
    'role dora decider',
    'role eve staff',
    'unrole eve staff',
    'people',
    'status',
    'tasks overdue',
    'tasks mine',
    'block process.instructions waiting for the vendor',
    'na comms.capabilities not needed here',
    'note process.review "met on Monday"',
    'start process.review',
    'reopen process.review',
    'due process.review 2026-12-05',
    'done comms.plan',
    'item add comms Newsletter to staff',
    'signoff technical anna',
    'signoff functional anna ben need 1',
    'signoff acceptance anna ben',
    'signoffs',
    'acceptance complete Forms and login work',
    'acceptance fix Attachment preview',
    'acceptance effect None for customers',
    'risk add critical Service outage fallback paper forms for a week',
    'risk add Slow start',
    'impact organisation Two trainings',
    'impact customers New guidance pages',
    'readiness',
    'tasks',
    'status',
    'lang xx',
    'frobnicate',
    'golive 31.2.2027',
    'done',
    'assign process.review',
    'decide maybe',
  ]) {
    await say('coord', line);
  }
  await say('stranger', 'done process.review'); // refused: no role
  await say('anna', 'done process.review');
  await say('anna', 'approve technical');
  await say('ben', 'remarks functional "Looks fine, one typo on the form"');
  await say('anna', 'reject acceptance'); // refused: no reason
  await say('anna', 'reject acceptance Login fails for Virtu users');
  await say('anna', 'approve acceptance'); // already answered
  await say('coord', 'signoff acceptance anna ben');
  await say('ben', 'approve acceptance');
  await say('dora', 'decide go'); // refused: material missing
  await say('dora', 'decide go override "The board accepts the open items"');
  await say('dora', 'decide nogo 2027-01-10 "Integration not ready"');
  await say('dora', 'decide postpone 2027-06-01');
  await say('coord', 'readiness');
  await say('coord', 'signoffs');
  for (const line of [
    'training add "Case handling" -10wd 13:00 90min all',
    'training add Login 2027-04-20 09:00 60min approver',
    'training',
    'training move 1 -8wd 10:00',
    'reminders',
    'reminders time 08:30',
    'snooze process.review 3wd',
    `project languages ${lang}`,
  ]) {
    await say('coord', line);
  }
  for (const name of COMMAND_NAMES) {
    await say('coord', `help ${name}`);
    await say('coord', name);
  }
  await say('coord', 'lang sv');
  await say('coord', `lang ${lang}`);
  // What the bot sends on its own: reminders, escalations, the digest, training invitations and alerts.
  const project = (await store.load(tenant, (await store.projectIds(tenant))[0]!))!.project;
  const proactive = new ProactiveMessages({ store, calendar });
  for (let day = 0; day < 90; day++) {
    const date = new Date(Date.UTC(2026, 10, 23 + day)).toISOString().slice(0, 10);
    for (const r of remindersFor(project, date, calendar))
      for (const m of await proactive.reminder(project, r, `r${day}`)) cards.push(m.card);
  }
  for (const a of trainingAlerts(project, calendar))
    for (const m of await proactive.trainingAlert(project, a, alertRecipients(project, a.training), 'a')) cards.push(m.card);
  for (const training of project.trainings) {
    for (const kind of ['invite', 'moved', 'cancelled'] as const) {
      const m = await proactive.trainingNotice(project, training, kind, 'anna', 'n');
      if (m) cards.push(m.card);
    }
  }
  // Press every button the cards so far carry, as an approver and as someone without a role, with and without text.
  const pressed = new Set<string>();
  for (const card of [...cards]) {
    for (const b of card.buttons ?? []) {
      const key = `${b.action}|${b.value}`;
      if (pressed.has(key)) continue;
      pressed.add(key);
      const fields = Object.fromEntries((b.form?.inputs ?? []).map((i) => [i.id, '']));
      await act('stranger', { kind: 'action', action: b.action, value: b.value, fields });
      await act('ben', { kind: 'action', action: b.action, value: b.value, fields });
      await act('ben', {
        kind: 'action',
        action: b.action,
        value: b.value,
        fields: Object.fromEntries(Object.keys(fields).map((k) => [k, 'Checked on the test system'])),
      });
    }
  }
  await act('coord', { kind: 'action', action: 'no.such.action', value: 'p0000|x' });
  await app.stop();
  return cards;
}

describe('Adaptive Cards: every card the bot can send validates against the Adaptive Cards 1.5 schema', () => {
  const fresh = new Map<Lang, FreshRedis>();
  const collected = new Map<Lang, Card[]>();

  beforeAll(async () => {
    for (const lang of LANGS) {
      const f = freshRedis();
      fresh.set(lang, f);
      collected.set(lang, await everyCard(lang, f));
    }
  }, 60_000);

  afterAll(async () => {
    for (const f of fresh.values()) await f.cleanup();
  });

  it.each(LANGS.map((l) => [l]))('in %s', (lang) => {
    const cards = collected.get(lang)!;
    const t = catalog(lang);
    expect(cards.length).toBeGreaterThan(150);
    // Buttons of reminders and training invitations are among those rendered.
    const actions = new Set(cards.flatMap((c) => (c.buttons ?? []).map((b) => b.action)));
    for (const a of ['signoff.approve', 'signoff.remarks', 'signoff.reject', 'status.share', 'task.done', 'task.snooze', 'training.attend'])
      expect(actions).toContain(a);
    const texts: string[] = [];
    cards.forEach((card, i) => {
      const rendered = renderAdaptiveCard(card, { lang, names: { ben: 'Ben Approver' } });
      expectValid(rendered, `${lang} card #${i} (${card.title ?? card.blocks[0]?.type})`);
      // As the delivery engine posts it: with the delivery's key, still a valid card.
      expectValid(markDelivery(rendered, `ann|d${i}|g1|teams:19:x@thread.tacv2|${lang}`), `${lang} card #${i} marked`);
      texts.push(cardText(rendered));
    });
    // The cards include every view, in the reader's language.
    const all = texts.join('\n');
    for (const title of [
      t.help.title,
      t.statusCard.title({ name: 'Demo City' }),
      t.tasksCard.title({ name: 'Demo City' }),
      t.tasksCard.mine,
      t.tasksCard.overdue,
      t.roleMsg.peopleTitle,
      t.signoff.title({ kind: t.signoffKind.functional }),
      t.signoff.listTitle,
      t.readinessCard.title({ name: 'Demo City' }),
      t.project.title({ name: 'Demo City' }),
    ]) {
      expect(all).toContain(title);
    }
    // Forms: the reject reason is required, with the translated "cannot be empty" message.
    const signoffCard = cards.find((c) => c.buttons?.some((b) => b.action === 'signoff.reject'))!;
    // Its buttons are the approvers': others see the request without them, and its approvers get views of their own.
    expect(renderAdaptiveCard(signoffCard, { lang }).actions).toBeUndefined();
    const rendered = renderAdaptiveCard(signoffCard, { lang, viewer: signoffCard.audience![0]!, teamsIds: { anna: '29:anna' } });
    expect(rendered.refresh).toEqual({
      action: { type: 'Action.Execute', verb: 'signoff.view', data: { value: expect.stringMatching(/\|s\d+$/) } },
      userIds: ['29:anna'],
    });
    const reject = (rendered.actions ?? []).find((a) => a.type === 'Action.ShowCard' && a.title === t.signoff.reject) as any;
    const input = reject.card.body.find((e: any) => e.type === 'Input.Text');
    expect(input).toMatchObject({
      id: 'reason',
      isRequired: true,
      isMultiline: true,
      label: t.signoff.reasonLabel,
      errorMessage: t.common.required({ field: t.signoff.reasonLabel }),
      // Blanks are refused in the form itself, with the same message.
      regex: '^[\\s\\S]*\\S[\\s\\S]*$',
    });
    expect(reject.card.actions).toEqual([
      expect.objectContaining({
        type: 'Action.Execute',
        verb: 'signoff.reject',
        title: t.signoff.submit,
        data: { value: expect.stringMatching(/\|s\d+$/), inputs: { reason: 'reason' } },
      }),
    ]);
    expect(reject.card.version).toBeUndefined();
    // Several cards in one message (an update, an invoke response) validate too.
    expectValid(renderAdaptiveCards(cards.slice(0, 40), { lang }), `${lang} merged`);
  });
});

describe('renderAdaptiveCard', () => {
  const card: Card = {
    title: 'Sign-off for <@u1>',
    blocks: [
      { type: 'text', text: 'Asked by <@u1> of <@u2> and <@u3|Slack Label>' },
      { type: 'divider' },
      {
        type: 'fields',
        fields: [
          { label: 'Rule', value: '' },
          { label: 'Owner', value: '<@u2>' },
        ],
      },
      { type: 'progress', label: 'Progress', done: 0, total: 0 },
      { type: 'progress', label: 'Progress', done: 3, total: 3 },
      { type: 'list', items: [{ mark: 'done', text: 'a', detail: 'by <@u2>', indent: 1 }, { text: 'b' }] },
      { type: 'context', text: 'small print' },
      { type: 'divider' },
    ],
    buttons: [
      { action: 'signoff.approve', label: 'Approve', value: 'p1234|s1', style: 'primary' },
      {
        action: 'x.one',
        label: 'One',
        value: 'v',
        form: { title: 'One', submit: 'Send', inputs: [{ id: 'text', label: 'Text', required: false }] },
      },
      {
        action: 'x.two',
        label: 'Two',
        value: 'v',
        style: 'danger',
        form: {
          title: 'Two',
          submit: 'Send',
          inputs: [
            { id: 'text', label: 'Text', required: true },
            { id: 'value', label: 'Clash', required: false },
          ],
        },
      },
    ],
    people: { u1: 'Anna', u2: 'u2' },
  };

  it('shows mentions as names: the card’s own, else the adapter’s, else the label or the id', () => {
    const out = renderAdaptiveCard(card, { lang: 'en', names: { u2: 'Ben', u1: 'Not used' } });
    expectValid(out, 'sample');
    const text = cardText(out);
    expect(text).toContain('Sign-off for Anna');
    expect(text).toContain('Asked by Anna of Ben and Slack Label');
    expect(text).toContain('Owner: Ben');
    expect(text).not.toMatch(/<@/);
    expect(mentionedIds([card])).toEqual(['u2', 'u3']);
  });

  it('maps buttons to Action.Execute verbs, forms to ShowCards with unique input ids', () => {
    const out = renderAdaptiveCard(card, { lang: 'fi' });
    expect(out.actions?.[0]).toEqual({
      type: 'Action.Execute',
      title: 'Approve',
      verb: 'signoff.approve',
      data: { value: 'p1234|s1' },
      style: 'positive',
    });
    const actions = executeActions(out);
    expect(actions.map((a) => a.verb)).toEqual(['signoff.approve', 'x.one', 'x.two']);
    expect(actions[1]!.data.inputs).toEqual({ text: 'text' });
    expect(actions[2]!.data.inputs).toEqual({ text_2: 'text', value_2: 'value' });
    const two = out.actions?.[2] as any;
    expect(two.card.actions[0].style).toBe('destructive');
    expect(two.card.body[1]).toMatchObject({
      id: 'text_2',
      isRequired: true,
      errorMessage: catalog('fi').common.required({ field: 'Text' }),
    });
    expect(two.card.body[2].isRequired).toBeUndefined();
    const prefilled = renderAdaptiveCard(
      {
        blocks: [],
        buttons: [
          {
            action: 'comms.texts',
            label: 'Write',
            value: 'v',
            form: {
              title: 'Texts',
              submit: 'Save',
              inputs: [{ id: 'sv', label: 'Svenska', required: true, multiline: true, initial: 'Tjänsten tas i bruk 2.3.2027.' }],
            },
          },
        ],
      },
      { lang: 'sv' },
    );
    expectValid(prefilled, 'prefilled form');
    expect((prefilled.actions?.[0] as any).card.body[1]).toMatchObject({
      type: 'Input.Text',
      isMultiline: true,
      value: 'Tjänsten tas i bruk 2.3.2027.',
    });
  });

  it('puts a divider as a separator on the next element and draws progress as weighted columns', () => {
    const out = renderAdaptiveCard(card, { lang: 'en' });
    const factSet = out.body.find((e) => e.type === 'FactSet') as any;
    expect(factSet.separator).toBe(true);
    expect(factSet.facts[0]).toEqual({ title: 'Rule', value: '–' });
    const bars = out.body.filter((e) => e.type === 'ColumnSet') as any[];
    expect(bars).toHaveLength(1);
    expect(bars[0].columns).toEqual([expect.objectContaining({ width: 3, style: 'good' })]);
  });

  it('renders an empty card as a valid card', () => {
    expectValid(renderAdaptiveCard({ blocks: [] }, { lang: 'sv' }), 'empty');
  });
});

describe('the delivery marker (a delivery’s key, where Microsoft Graph shows it again)', () => {
  const key = 'ann|d1|g1|teams:19:abc@thread.tacv2|fi';

  it('is the id of the first element, read back from the card JSON string Graph returns; the card looks the same', () => {
    const card = renderAdaptiveCard({ title: 'Go-live moved', blocks: [{ type: 'text', text: 'New date 2.3.2027' }] }, { lang: 'en' });
    const marked = markDelivery(card, key);
    expectValid(marked, 'marked');
    expect(cardText(marked)).toBe(cardText(card));
    expect(deliveryKeyOf(JSON.stringify(marked))).toBe(key);
    expect(deliveryKeyOf(marked)).toBe(key);
    expect(deliveryKeyOf(JSON.stringify(card))).toBeUndefined();
    expect(card.body[0]!.id).toBeUndefined(); // the rendered card itself is left as it was
  });

  it('wraps the body in a container when the first element has an id of its own', () => {
    const card = { ...renderAdaptiveCard({ blocks: [{ type: 'text', text: 'a' }] }, { lang: 'en' }) };
    card.body = [{ type: 'Input.Text', id: 'reason', label: 'Reason' }, ...card.body];
    const marked = markDelivery(card, key);
    expectValid(marked, 'wrapped');
    expect(marked.body).toEqual([{ type: 'Container', id: `lv-delivery:${key}`, items: card.body }]);
    expect(deliveryKeyOf(JSON.stringify(marked))).toBe(key);
  });

  it('reads nothing from cards without it or from text that is not a card', () => {
    for (const x of [
      '',
      'lv-delivery:x',
      '{"body":[{"id":"lv-delivery"}]}',
      null,
      42,
      { body: 'lv-delivery:x' },
      { body: [{ id: 'other' }] },
    ])
      expect(deliveryKeyOf(x)).toBeUndefined();
  });
});
