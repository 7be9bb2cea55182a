import { describe, expect, it } from 'vitest';
import { buildModal, decodeButtonValue, readSubmission } from '../../adapters/slack/forms.js';
import { chunk, commandText, escapeMrkdwn } from '../../adapters/slack/mrkdwn.js';
import { renderBlockKit } from '../../adapters/slack/render-block-kit.js';
import type { Button, Card } from '../../messages/card.js';
import { catalog } from '../../messages/i18n.js';
import { messageViolations, modalViolations } from './block-kit-checker.js';
import { textsOf } from './harness.js';

const allWithin = (card: Card, lang: 'fi' | 'sv' | 'en' = 'en') => {
  const r = renderBlockKit(card, lang);
  for (const blocks of r.pages) expect(messageViolations({ blocks, text: r.text })).toEqual([]);
  return r;
};

describe('Block Kit renderer', () => {
  it('pages a long list across messages, each within limits, with "page n of m", cutting nothing', () => {
    const items = Array.from({ length: 500 }, (_, i) => ({
      mark: 'todo' as const,
      text: `custom.item-${i}: ${'pitkä nimi '.repeat(15)}`,
      detail: `owner <@U0${i}> · due 1.2.2027`,
    }));
    const card: Card = {
      title: 'Tasks: Demo',
      blocks: [{ type: 'list', items }],
      buttons: [{ action: 'status.share', label: 'Share', value: 'p123456' }],
    };
    const r = allWithin(card, 'fi');
    expect(r.pages.length).toBeGreaterThan(1);
    const all = r.pages.map((p) => textsOf(p)).join('\n');
    for (const item of items) expect(all).toContain(item.text.trim());
    r.pages.forEach((p, i) => {
      expect(p[0]).toMatchObject({ type: 'header', text: { text: 'Tasks: Demo' } });
      expect(textsOf(p)).toContain(catalog('fi').common.page({ page: String(i + 1), pages: String(r.pages.length) }));
    });
    // Buttons come once, on the last page.
    expect(r.pages.map((p) => p.filter((b) => b.type === 'actions').length)).toEqual([...Array(r.pages.length - 1).fill(0), 1]);
  });

  it('splits a text longer than a section into several sections without losing a word', () => {
    const words = Array.from({ length: 2500 }, (_, i) => `sana${i}`);
    const r = allWithin({ blocks: [{ type: 'text', text: words.join(' ') }] });
    const sections = r.pages.flat().filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(5);
    expect(textsOf(sections).split(/\s+/)).toEqual(words);
  });

  it('splits one enormous list line and one enormous field, never cutting them', () => {
    const reason = 'x'.repeat(7000);
    const r = allWithin({
      blocks: [
        { type: 'list', items: [{ mark: 'blocked', text: 'a', detail: reason }] },
        { type: 'fields', fields: [{ label: 'Label', value: 'q'.repeat(5000) }] },
      ],
    });
    const text = textsOf(r.pages);
    expect(text.replace(/[^x]/g, '')).toHaveLength(7000);
    expect(text.replace(/[^q]/g, '')).toHaveLength(5000);
  });

  it('keeps mentions native, escapes everything else, and shows names where Slack cannot render mentions', () => {
    const card: Card = {
      title: 'Sign-off by <@U123>',
      blocks: [{ type: 'text', text: '<@U123> & <!channel> said <b>' }],
      people: { U123: 'Anna' },
      notify: ['U123'],
    };
    const r = allWithin(card);
    expect(r.pages[0]?.[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'Sign-off by @Anna' } });
    expect(r.pages[0]?.[1]).toMatchObject({
      type: 'section',
      text: { type: 'mrkdwn', text: '<@U123> &amp; &lt;!channel&gt; said &lt;b&gt;' },
    });
  });

  it('mentions (and so notifies) only the people a card is meant to reach; the others by name, or by link when no name is known', () => {
    const card: Card = {
      blocks: [{ type: 'text', text: '<@UANNA> asks <@UBEN> and <@UCAROL> (<@UDAVE>) in <#slack:C1>' }],
      people: { UANNA: 'Anna', UBEN: 'Ben', UCAROL: 'UCAROL' },
      notify: ['UBEN'],
    };
    const shared = textsOf(allWithin(card).pages);
    expect(shared).toContain('@Anna asks <@UBEN> and <@UCAROL> (<@UDAVE>) in <#C1>');
    const named = textsOf(renderBlockKit(card, 'en', { names: { UCAROL: 'Carol C', UDAVE: 'Dave <D>' } }).pages);
    expect(named).toContain('@Anna asks <@UBEN> and @Carol C (@Dave &lt;D&gt;) in <#C1>');
    // A private answer notifies nobody, so everyone stays a link there.
    expect(textsOf(renderBlockKit(card, 'en', { mentions: 'all' }).pages)).toContain('<@UANNA> asks <@UBEN> and <@UCAROL>');
  });

  it('puts secondary buttons into an overflow menu (five options each, the action in each option value), beside the primary ones', () => {
    const buttons: Button[] = [
      { action: 'task.done', label: 'Done', value: 'p1234abcd|process.review', style: 'primary' },
      ...['1wd', '3wd', 'until', '5wd', '10wd', '20wd'].map((span) => ({
        action: 'task.snooze',
        label: `Snooze ${span}`,
        value: `p1234abcd|process.review|${span}`,
        secondary: true,
        ...(span === 'until'
          ? { form: { title: 'Snooze', submit: 'Snooze', inputs: [{ id: 'date', label: 'Until', required: true }] } }
          : {}),
      })),
    ];
    const r = allWithin({ blocks: [{ type: 'text', text: 'Overdue' }], buttons });
    const actions = r.pages[0]?.find((b) => b.type === 'actions') as unknown as { elements: Array<Record<string, unknown>> };
    expect(actions.elements.map((e) => e.type)).toEqual(['button', 'overflow', 'overflow']);
    const options = actions.elements.slice(1).flatMap((e) => e.options as Array<{ text: { text: string }; value: string }>);
    expect(options.map((o) => o.text.text)).toEqual(buttons.slice(1).map((b) => b.label));
    expect(options.map((o) => decodeButtonValue(o.value))).toEqual(
      buttons.slice(1).map((b) => ({ a: b.action, v: b.value, ...(b.form ? { r: 1 } : {}) })),
    );
    // Only secondary buttons and nothing else: still a menu. One secondary button alone: a button.
    const only = allWithin({ blocks: [], buttons: buttons.slice(1, 3) }).pages[0]?.find((b) => b.type === 'actions') as {
      elements: Array<{ type: string }>;
    };
    expect(only.elements.map((e) => e.type)).toEqual(['overflow']);
    const lone = allWithin({ blocks: [], buttons: buttons.slice(1, 2) }).pages[0]?.find((b) => b.type === 'actions') as {
      elements: Array<{ type: string }>;
    };
    expect(lone.elements.map((e) => e.type)).toEqual(['button']);
  });

  it('keeps a card with a subject one message: long lines shortened to 300 characters, with a control for the full view', () => {
    const remarks = Array.from({ length: 9 }, (_, i) => ({
      mark: 'done' as const,
      text: `<@U${i}>: approved with remarks – “${'huomio '.repeat(290)}”`,
    }));
    const card: Card = {
      title: 'Sign-off: functional testing (E2E)',
      blocks: [
        { type: 'text', text: 'Kaisa asks Anna to sign off.' },
        { type: 'list', items: remarks },
      ],
      buttons: [
        { action: 'signoff.approve', label: 'Approve', value: 'p1234abcd|s1', style: 'primary' },
        { action: 'signoff.reject', label: 'Reject', value: 'p1234abcd|s1', style: 'danger' },
      ],
      subject: { key: 'signoff|p1234abcd|s1', view: { action: 'signoff.view', value: 'p1234abcd|s1' } },
    };
    expect(renderBlockKit({ ...card, subject: undefined }, 'fi').pages.length).toBeGreaterThan(1);
    const r = allWithin(card, 'fi');
    expect(r.pages).toHaveLength(1);
    const text = textsOf(r.pages);
    expect(text).toContain(catalog('fi').chat.cutToFit);
    for (const line of text.split('\n').filter((l) => l.includes('huomio'))) expect(line.length).toBeLessThanOrEqual(320);
    const elements = (
      r.pages[0]?.find((b) => b.type === 'actions') as {
        elements: Array<{ type: string; value?: string; options?: Array<{ value: string; text: { text: string } }> }>;
      }
    ).elements;
    // Beside Approve and Reject, the full view is behind the overflow menu.
    expect(elements.map((e) => decodeButtonValue(e.value)?.a ?? e.type)).toEqual(['signoff.approve', 'signoff.reject', 'overflow']);
    expect(elements[2]?.options?.map((o) => [o.text.text, decodeButtonValue(o.value)])).toEqual([
      [catalog('fi').chat.showFull, { a: 'signoff.view', v: 'p1234abcd|s1', m: 1 }],
    ]);
    // Once closed (no buttons), it is a button of its own.
    const closed = allWithin({ ...card, buttons: [] }, 'fi');
    const lone = (closed.pages[0]?.find((b) => b.type === 'actions') as { elements: Array<{ type: string; value: string }> }).elements;
    expect(lone.map((e) => [e.type, decodeButtonValue(e.value)])).toEqual([['button', { a: 'signoff.view', v: 'p1234abcd|s1', m: 1 }]]);
    // Short remarks need no shortening, and no control.
    const short = allWithin({ ...card, blocks: [{ type: 'list', items: [{ text: 'ok' }] }] });
    expect(JSON.stringify(short.pages)).not.toContain('signoff.view');
  });

  it('puts a title longer than a header in full into the first section', () => {
    const title = `Status: ${'Kaupunki '.repeat(30)}`.trim();
    const r = allWithin({ title, blocks: [] });
    expect((r.pages[0]?.[0] as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(150);
    expect(textsOf(r.pages[0])).toContain(title);
  });

  it('turns marks into emoji and fields into sections of at most ten', () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({ label: `L${i}`, value: `v${i}` }));
    const r = allWithin({
      blocks: [
        {
          type: 'list',
          items: [
            { mark: 'done', text: 'ok' },
            { mark: 'blocked', text: 'no' },
          ],
        },
        { type: 'fields', fields },
        { type: 'progress', label: 'Progress', done: 3, total: 10 },
      ],
    });
    const text = textsOf(r.pages);
    expect(text).toContain(':white_check_mark: ok');
    expect(text).toContain(':no_entry: no');
    expect(text).toContain('3/10');
    expect(
      r.pages[0]?.filter((b) => b.type === 'section' && 'fields' in b && b.fields).map((b) => (b as { fields: unknown[] }).fields.length),
    ).toEqual([10, 10, 3]);
  });

  it('makes action ids unique within a message and keeps the real action and value in the value', () => {
    const buttons: Button[] = Array.from({ length: 30 }, (_, i) => ({
      action: 'task.done',
      label: `Done ${i} ${'x'.repeat(100)}`,
      value: `p1234abcd|task-${i}`,
    }));
    const r = allWithin({ blocks: [], buttons });
    const elements = r.pages
      .flat()
      .filter((b) => b.type === 'actions')
      .flatMap((b) => (b as { elements: Array<{ action_id: string; value: string }> }).elements);
    expect(elements).toHaveLength(30);
    expect(new Set(elements.map((e) => e.action_id)).size).toBe(30);
    elements.forEach((e, i) => expect(decodeButtonValue(e.value)).toEqual({ a: 'task.done', v: `p1234abcd|task-${i}` }));
  });

  it("carries a button's form in its value and builds a modal within the modal limits", () => {
    const form = {
      title: 'Reject functional testing (E2E)',
      submit: 'Send',
      inputs: [
        { id: 'reason', label: 'Reason for the rejection', placeholder: 'What failed?', required: true, multiline: true, maxLength: 2000 },
      ],
    };
    const r = allWithin({
      blocks: [],
      buttons: [{ action: 'signoff.reject', label: 'Reject', value: 'p1234abcd|s1', style: 'danger', form }],
    });
    const el = (r.pages[0]?.find((b) => b.type === 'actions') as { elements: Array<{ value: string; style: string }> }).elements[0]!;
    expect(el.style).toBe('danger');
    const decoded = decodeButtonValue(el.value);
    expect(decoded?.f).toEqual(form);
    const view = buildModal(decoded!.f!, { a: 'signoff.reject', v: 'p1234abcd|s1', c: 'C1', ts: '1.2', l: 'fi' });
    expect(modalViolations(view as unknown as Record<string, unknown>)).toEqual([]);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(readSubmission({ ...view, state: { values: { 'lv.in.reason': { value: { value: 'because' } } } } })).toEqual([
      { blockId: 'lv.in.reason', id: 'reason', label: 'Reason for the rejection', required: true, value: 'because' },
    ]);
  });

  it('shortens an enormous form so the button value still fits 2,000 characters', () => {
    const inputs = Array.from({ length: 10 }, (_, i) => ({
      id: `f${i}`,
      label: 'L'.repeat(1000),
      placeholder: 'P'.repeat(1000),
      required: true,
    }));
    const r = allWithin({
      blocks: [],
      buttons: [{ action: 'x', label: 'y', value: 'p1|a', form: { title: 'T'.repeat(500), submit: 'S'.repeat(100), inputs } }],
    });
    const el = (r.pages[0]?.find((b) => b.type === 'actions') as { elements: Array<{ value: string }> }).elements[0]!;
    expect(el.value.length).toBeLessThanOrEqual(2000);
    expect(decodeButtonValue(el.value)?.f?.inputs).toHaveLength(10);
  });

  it('never carries a form that starts from texts in the button: the value says to make it when pressed', () => {
    const fi = 'Demo: käyttöönotosta on päätetty.\nPalvelu otetaan käyttöön 2.3.2027.';
    const form = {
      title: 'Texts',
      submit: 'Save',
      inputs: [{ id: 'fi', label: 'Finnish', required: true, multiline: true, maxLength: 3000, initial: 'x'.repeat(2900) + fi }],
    };
    const r = allWithin({ blocks: [], buttons: [{ action: 'comms.texts', label: 'Write', value: 'p1|customers|go', form }] });
    const el = (r.pages[0]?.find((b) => b.type === 'actions') as { elements: Array<{ value: string }> }).elements[0]!;
    expect(decodeButtonValue(el.value)).toEqual({ a: 'comms.texts', v: 'p1|customers|go', r: 1 });
    // A modal built from the form made at the press starts from the whole text.
    const view = buildModal(form, { a: 'comms.texts', v: 'p1|customers|go', c: 'C1', l: 'fi' });
    expect(view.blocks.find((b) => b.type === 'input')).toMatchObject({
      element: { type: 'plain_text_input', multiline: true, initial_value: form.inputs[0]!.initial },
    });
    expect(modalViolations(view as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('renders an empty card as one valid message', () => {
    const r = allWithin({ blocks: [] });
    expect(r.pages).toHaveLength(1);
  });
});

describe('Slack text helpers', () => {
  it('chunks at line breaks and spaces, never inside an entity or a mention', () => {
    const text = escapeMrkdwn(`${'a'.repeat(2990)} <@U1234567> & more`);
    const parts = chunk(text, 3000);
    expect(parts.every((p) => p.length <= 3000)).toBe(true);
    expect(parts.join(' ')).toBe(text);
    const dense = escapeMrkdwn('&'.repeat(1000));
    expect(chunk(dense, 3000).every((p) => p.length <= 3000 && !/&(a|am|amp)?$/.test(p))).toBe(true);
  });

  it('reads slash command text as the grammar expects', () => {
    expect(commandText('signoff functional <@U123|anna> <@W456>')).toBe('signoff functional <@U123> <@W456>');
    expect(commandText('note review see <https://example.fi/a?b=1&amp;c=2|the page> in <#C1|general> &lt;3')).toBe(
      'note review see https://example.fi/a?b=1&c=2 in <#C1> <3',
    );
    expect(commandText('  status ')).toBe('status');
  });
});
