import { afterEach, describe, expect, it } from 'vitest';
import { buildModal, decodeButtonValue } from '../../adapters/slack/forms.js';
import { renderBlockKit } from '../../adapters/slack/render-block-kit.js';
import type { Card } from '../../messages/card.js';
import { catalog, Format } from '../../messages/i18n.js';
import type { Refusal } from '../../src/domain/change.js';
import type { Lang } from '../../src/domain/types.js';
import { TEXT_LIMITS } from '../../src/domain/text-limits.js';
import * as cardBuilders from '../../src/views/cards.js';
import { refusalText, sentence } from '../../src/views/texts.js';
import { botHarness, textOf } from '../support/bot-harness.js';
import { DOCUMENTED, messageViolations, modalViolations } from './block-kit-checker.js';
import { textsOf } from './harness.js';

/** Each card builder of src/views/cards.ts, and what below makes it with the longest realistic content. */
const COVERED: Record<string, string> = {
  helpCard: 'help',
  statusCard: 'status (long overdue list)',
  tasksCard: 'tasks, tasks mine, tasks overdue, tasks <group> (130 items with 200-character names)',
  signoffCard: 'signoff, remarks, reject (12 approvers, 11 answers of 2,000 characters, acceptance record)',
  readinessCard: 'readiness (30 recorded defects)',
  projectCard: 'project',
  peopleCard: 'people (13 people, several roles each)',
  signoffListCard: 'signoffs',
};

const WORDS =
  'Virtu-kirjautuminen epäonnistuu Lupapiste-lomakkeella kun virkailija avaa hakemuksen R&D <yksikön> tunnuksilla ja valtuutus puuttuu Suomi.fi-palveluvaltuutuksista'.split(
    ' ',
  );
/** Realistic prose of exactly `n` characters (Finnish words, with &, < and > that must be escaped). */
function prose(n: number, seed = 0): string {
  let out = '';
  for (let i = seed; out.length < n; i++) out += `${WORDS[i % WORDS.length]} `;
  return out.slice(0, n).trim().padEnd(n, 'x');
}

const people = Array.from({ length: 12 }, (_, i) => `U0LV${String(i + 1).padStart(6, '0')}`);
const coord = 'U0LVCOORD01';
const GROUPS = ['process', 'comms', 'support', 'guidance', 'joining', 'systems', 'testing', 'info-sessions', 'golive-plan', 'decision'];

/** Runs a maximal implementation phase in one language and collects every card the bot answered with. */
async function maximalProject(
  lang: Lang,
): Promise<{ cards: Array<{ what: string; card: Card }>; taskIds: string[]; cleanup: () => Promise<void> }> {
  const tenant = `Tmax${lang}`;
  const h = await botHarness({ tenant });
  const cards: Array<{ what: string; card: Card }> = [];
  const t = catalog(lang);
  const say = async (user: string, text: string) => {
    const reply = await h.say(user, text);
    for (const card of reply.cards) cards.push({ what: `${user}: ${text.slice(0, 50)}`, card });
    expect(textOf(reply)).not.toContain(t.common.unknownError);
    return reply;
  };
  for (const u of [coord, ...people]) await h.say(u, `lang ${lang}`);
  await say(coord, `project new ${prose(TEXT_LIMITS.projectName, 1)}`);
  const pid = await h.projectId(tenant);
  await say(coord, `project authority ${prose(TEXT_LIMITS.authority, 2)}`);
  await say(coord, 'project connection integration');
  await say(coord, 'project login virtu');
  await say(coord, 'project languages fi sv en');
  await say(coord, 'golive 5.3.2027');
  for (const [i, p] of people.entries()) {
    for (const role of ['approver', 'owner', 'staff', ...(i < 3 ? ['decider', 'coordinator'] : [])]) await say(coord, `role ${p} ${role}`);
  }
  for (let i = 0; i < 100; i++) await say(coord, `item add ${GROUPS[i % GROUPS.length]} ${prose(200, i)}`);
  const taskIds = ((await h.store.load(tenant, pid))?.project.tasks ?? []).map((x) => x.id);
  // Due dates in the past are refused: the tasks are assigned in October, and are overdue by the time the cards are read.
  const today = h.clock.current;
  h.clock.current = new Date('2026-10-01T10:00:00Z');
  for (const [i, id] of taskIds.entries()) {
    const owner = people[i % people.length]!;
    await h.say(coord, `assign ${id} ${owner} 2026-11-${String(1 + (i % 20)).padStart(2, '0')}`);
    if (i % 5 === 0) await h.say(coord, `block ${id} ${prose(1500, i)}`);
    else if (i % 5 === 1) await h.say(coord, `na ${id} ${prose(1500, i)}`);
    else if (i % 5 === 2) await h.say(coord, `done ${id}`);
    else if (i % 5 === 3) await h.say(coord, `start ${id}`);
    if (i % 10 === 0) await h.say(coord, `note ${id} ${prose(1000, i)}`);
  }
  h.clock.current = today;
  await say(coord, `signoff technical ${people.join(' ')} need 3`);
  await say(coord, `signoff functional ${people.join(' ')}`);
  for (const [i, p] of people.slice(0, 11).entries()) await say(p, `remarks functional ${prose(2000, i)}`);
  await say(coord, `signoff acceptance ${people.join(' ')} need 1`);
  await say(coord, `acceptance complete ${prose(2000, 3)}`);
  for (let i = 0; i < 30; i++) await say(coord, `acceptance fix ${prose(300, i)}`);
  await say(coord, `acceptance effect ${prose(2000, 5)}`);
  await say(people[0]!, `reject acceptance ${prose(2000, 6)}`);
  const clicked = await h.click(people[11]!, 'signoff.reject', `${pid}|s2`, { fields: { reason: prose(2000, 7) } });
  clicked.cards.forEach((card) => cards.push({ what: 'click reject', card }));
  for (let i = 0; i < 15; i++) await say(coord, `risk add critical ${prose(300, i)} fallback ${prose(300, i + 1)}`);
  for (let i = 0; i < 3; i++) await say(coord, `risk add critical ${prose(300, i)}`);
  await say(coord, `impact organisation ${prose(2000, 8)}`);
  await say(coord, `impact customers ${prose(2000, 9)}`);
  await say(people[0]!, `decide go override ${prose(2000, 10)}`);
  for (const read of [
    'status',
    'tasks',
    'tasks overdue',
    'tasks process',
    'people',
    'signoffs',
    'readiness',
    'project',
    'help',
    `help signoff`,
    `frobnicate${'x'.repeat(200)}`,
  ])
    await say(coord, read);
  await say(people[0]!, 'tasks mine');

  // Every refusal and parse error is a one-sentence card; give each its longest parameters.
  const v = { t, f: new Format(lang) };
  const params = {
    task: prose(80),
    project: prose(200),
    signoff: 's1',
    person: people[0],
    candidates: taskIds,
    status: 'blocked',
    connection: 'light',
    role: 'approver',
    who: people,
    kind: 'functional',
    state: 'rejected',
    need: '12',
    count: '12',
    outcome: 'nogo',
    date: '2027-03-05',
    what: 'announcement',
    limit: 3000,
    length: 1_000_000,
    size: 320,
    missing: [
      'signoff.technical',
      'signoff.functional',
      'signoff.acceptance',
      'acceptance-record',
      'golive-plan',
      'golive-date',
      'risks',
      'impact-organisation',
      'impact-customers',
    ],
  };
  for (const code of Object.keys(t.refusal))
    cards.push({ what: `refusal ${code}`, card: sentence(refusalText(v, { code, params } as unknown as Refusal)) });
  // The full task list is paged inside one message: its Next buttons show the following pages in its place.
  let page = cards.find((c) => c.what === `${coord}: tasks`)?.card;
  for (let n = 2; page; n++) {
    const next = page.buttons?.find((b) => b.action === 'view.page' && b.label === t.chat.next);
    if (!next) break;
    const pressed = await h.click(coord, next.action, next.value);
    expect(pressed.replaceOriginal).toBe(true);
    page = pressed.cards[0];
    if (page) cards.push({ what: `${coord}: tasks, page ${n}`, card: page });
  }
  return { cards, taskIds, cleanup: h.cleanup };
}

describe("every card the bot can send, rendered to Block Kit, stays within Slack's documented limits", () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it("uses Slack's documented numbers", () => {
    expect(DOCUMENTED).toMatchObject({
      messageBlocks: 50,
      sectionText: 3000,
      headerText: 150,
      buttonText: 75,
      actionId: 255,
      buttonValue: 2000,
      actionsElements: 25,
      sectionFields: 10,
      fieldText: 2000,
    });
  });

  it('covers every card builder in src/views/cards.ts', () => {
    const builders = Object.keys(cardBuilders).filter((k) => k.endsWith('Card'));
    const missing = builders.filter((b) => !(b in COVERED));
    // A new card builder needs its longest realistic content added to maximalProject() above.
    expect(missing).toEqual([]);
  });

  for (const lang of ['fi', 'sv', 'en'] as const) {
    it(`in ${lang}, with the longest realistic content`, { timeout: 120_000 }, async () => {
      const run = await maximalProject(lang);
      cleanup = run.cleanup;
      const problems: string[] = [];
      let shortened = 0;
      let modals = 0;
      for (const { what, card } of run.cards) {
        const r = renderBlockKit(card, lang);
        // A card that is kept current in place (a sign-off request) is always one message; a shortened one offers its full view.
        if (card.subject) {
          if (r.pages.length !== 1) problems.push(`${what}: a card with a subject in ${r.pages.length} messages`);
          if (JSON.stringify(r.pages).includes('\\"m\\":1')) shortened++;
        }
        r.pages.forEach((blocks, i) =>
          problems.push(...messageViolations({ blocks, text: r.text }).map((p) => `${what} (page ${i + 1}): ${p}`)),
        );
        for (const b of card.buttons ?? []) {
          if (!b.form) continue;
          modals++;
          const form = decodeButtonValue(
            renderBlockKit({ blocks: [], buttons: [b] }, lang)
              .pages[0]?.flatMap((x) => (x.type === 'actions' ? x.elements : []))
              .map((e) => ('value' in e ? e.value : undefined))[0],
          )?.f;
          // A form that starts from texts is made when pressed (test/slack/forms-by-reference.test.ts).
          if (!form) continue;
          const view = buildModal(form, {
            a: b.action,
            v: b.value,
            c: 'C0123456789',
            ts: '1795429513.000004',
            e: 1,
            r: 'https://hooks.slack.com/actions/T111/1234567890123/abcdefghijklmnopqrstuvwx',
            l: lang,
          });
          problems.push(...modalViolations(view as unknown as Record<string, unknown>).map((p) => `${what} modal: ${p}`));
        }
      }
      expect(problems).toEqual([]);
      expect(run.cards.length).toBeGreaterThan(200);
      expect(run.taskIds.length).toBeGreaterThanOrEqual(130);
      expect(shortened).toBeGreaterThan(0);
      expect(modals).toBeGreaterThan(0);

      // The full task list is paged, and every task is on one of its pages: nothing is cut off.
      const tasks = run.cards.filter((c) => /: tasks(, page \d+)?$/.test(c.what)).map((c) => renderBlockKit(c.card, lang));
      expect(tasks.length).toBeGreaterThan(1);
      const shown = tasks.flatMap((r) => r.pages.map((p) => textsOf(p))).join('\n');
      for (const id of run.taskIds) expect(shown).toContain(`${id}:`);
    });
  }
});
