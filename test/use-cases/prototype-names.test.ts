import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/infra/redis/redis-store.js';
import { ProjectSchema, type Project } from '../../src/domain/types.js';
import { catalog } from '../../messages/i18n.js';
import { botHarness, textOf, type BotHarness } from '../support/bot-harness.js';
import { PROTOTYPE_KEYS } from '../support/fuzz-json.js';
import { plainMentions } from '../../adapters/console/render-text.js';
import { plainText } from '../../adapters/slack/mrkdwn.js';
import { mentionedIds, mentionsAsNames } from '../../adapters/teams/render-adaptive-card.js';
import type { Card } from '../../messages/card.js';

/**
 * People are kept by name, and a name is whatever was typed: `__proto__`, `constructor` and the other members of
 * Object.prototype are names like any other. Each one gets a role, answers as an official, attends a training,
 * owns a task, approves a sign-off and decides, through Bot.handle on a real Redis, and every change is there when
 * the project is read back from Redis by a process that never saw it.
 */

const en = catalog('en');
let h: BotHarness;
let tenants = 0;

beforeAll(async () => {
  h = await botHarness();
});
afterAll(async () => {
  await h.cleanup();
});

/** The project as another process reads it: a store of its own, so nothing comes from this one's cache. */
async function readBack(tenant: string, pid: string): Promise<{ project: Project; doc: string }> {
  const elsewhere = new RedisStore(h.redis, h.store.keys.prefix);
  const loaded = await elsewhere.load(tenant, pid);
  if (!loaded) throw new Error('project not found');
  const doc = (await h.redis.hget(h.store.keys.project(tenant, pid), 'doc')) ?? '';
  return { project: loaded.project, doc };
}

const own = <V>(d: Record<string, V>, k: string): V | undefined => (Object.hasOwn(d, k) ? d[k] : undefined);

describe('a person named like a member of Object.prototype', () => {
  for (const name of PROTOTYPE_KEYS) {
    it(`${name}: every command with a person works, and is there when read back`, async () => {
      const tenant = `P${++tenants}`;
      const say = async (user: string, text: string) => {
        const reply = await h.say(user, text, { tenant });
        const said = textOf(reply);
        expect(said, `${user}: ${text}`).not.toContain(en.common.unknownError);
        expect(said, `${user}: ${text}`).not.toMatch(/\bfunction\b|\[object|native code/);
        return said;
      };
      await say('kaisa', 'project new Demo');
      const pid = await h.projectId(tenant);

      expect(await say('kaisa', `role ${name} decider`)).toBe(en.roleMsg.granted({ person: `@${name}`, role: en.roles.decider }));
      expect(await say('kaisa', `people`)).toContain(`@${name} (${en.roles.decider})`);
      expect(await say(name, 'decide postpone 2027-04-01')).toContain(en.outcome.postpone);
      expect(await say('kaisa', `unrole ${name} decider`)).toBe(en.roleMsg.revoked({ person: `@${name}`, role: en.roles.decider }));

      await say('kaisa', `assign process.review ${name}`);
      await say(name, 'done process.review');
      const press = async (action: string, value: string) => {
        const said = textOf(await h.click(name, action, value, { tenant }));
        expect(said, `${name} presses ${action}`).not.toContain(en.common.unknownError);
        expect(said, `${name} presses ${action}`).not.toContain(en.refusal['action.unknown']);
      };
      await say('kaisa', `signoff functional ${name}`);
      await press('signoff.approve', `${pid}|${(await readBack(tenant, pid)).project.signoffs[0]!.id}`);
      await say('kaisa', `staff add ${name}`);
      await press('staff.yes', `${pid}|staff`);
      await say('kaisa', 'training add Basics 2027-01-20 13:00 90min all');
      await say(name, `training attend ${(await readBack(tenant, pid)).project.trainings[0]!.id}`);
      await say(name, 'lang fi');
      expect(textOf(await h.say(name, 'status', { tenant }))).toContain(catalog('fi').statusCard.title({ name: 'Demo' }));

      const { project, doc } = await readBack(tenant, pid);
      // Stored as an ordinary key of the JSON, read back as an own entry of a map with no prototype behind it.
      expect(JSON.parse(doc).people).toHaveProperty([name]);
      expect(Object.getPrototypeOf(project.people)).toBeNull();
      expect(own(project.people, name)).toEqual({ id: name, roles: ['owner', 'approver', 'staff'] });
      expect(own(project.staffLogin, name)?.answer).toBe('yes');
      expect(own(project.trainings[0]!.attendance, name)).toBe('yes');
      expect(project.tasks.find((t) => t.id === 'process.review')).toMatchObject({ owner: name, status: 'done' });
      expect(project.signoffs[0]!.responses).toMatchObject([{ by: name, kind: 'approve' }]);
      expect(project.decisions).toMatchObject([{ by: name, outcome: 'postpone' }]);
      const audit = (await h.store.auditTrail(tenant, pid)).map((e) => `${e.action} ${e.actor}`);
      expect(audit).toEqual(expect.arrayContaining(['role.grant kaisa', 'role.revoke kaisa', `decision.postpone ${name}`]));
    });
  }

  it('a stored project whose maps have such keys is read with every key kept, not dropped', () => {
    const doc = JSON.parse(
      JSON.stringify({
        id: 'p0a1b2c3d4e',
        tenant: 'T',
        name: 'Demo',
        connection: 'integration',
        login: 'suomifi',
        languages: ['fi'],
        channel: { platform: 'console', id: 'C1' },
        people: Object.fromEntries(PROTOTYPE_KEYS.map((k) => [k, { id: k, roles: ['staff'] }])),
        tasks: [],
        staffLogin: Object.fromEntries(PROTOTYPE_KEYS.map((k) => [k, { askedAt: '2026-11-23T10:00:00Z' }])),
        createdAt: '2026-11-23T10:00:00Z',
        createdBy: 'kaisa',
      }),
    ) as unknown;
    const p = ProjectSchema.parse(doc);
    expect(Object.keys(p.people)).toEqual([...PROTOTYPE_KEYS]);
    expect(Object.keys(p.staffLogin)).toEqual([...PROTOTYPE_KEYS]);
    expect(JSON.parse(JSON.stringify(p)).people).toEqual((doc as { people: unknown }).people);
  });

  it('every renderer shows such a name, from a card as a delivery job carries it (JSON), never a member of Object.prototype', () => {
    for (const name of PROTOTYPE_KEYS) {
      const card = JSON.parse(
        JSON.stringify({ blocks: [{ type: 'text', text: `<@${name}> <@anna>` }], people: { anna: 'Anna A' } }),
      ) as Card;
      expect(plainMentions(`<@${name}> <@anna>`, card.people)).toBe(`@${name} @Anna A`);
      expect(plainText(`<@${name}> <@anna>`, card.people)).toBe(`@${name} @Anna A`);
      expect(mentionsAsNames(`<@${name}> <@anna>`, card.people)).toBe(`${name} Anna A`);
      expect(mentionedIds([card])).toEqual([name]);
    }
  });
});
