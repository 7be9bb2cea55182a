import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL, PEOPLE, slackHarness, TEAM, textsOf } from './harness.js';

describe('Slack events (app_mention) over HTTP', () => {
  let h: Awaited<ReturnType<typeof slackHarness>>;
  afterEach(async () => {
    await h.cleanup();
  });

  it('runs the text after the mention as a command and answers in the channel or privately', async () => {
    h = await slackHarness();
    await h.run('coord', 'project new Demo');
    const sent = await h.slack.event(h.mentionPayload('coord', 'start review'));
    expect(sent.status).toBe(200);
    await h.adapter.idle();
    // Starting a task is routine: the confirmation is the asker's alone.
    const said = h.fake.answered('chat.postEphemeral').at(-1);
    expect(said?.body).toMatchObject({ channel: CHANNEL, user: PEOPLE.coord.id });
    expect(textsOf(said?.body.blocks)).toContain('process.review');
    expect(h.fake.answered('chat.postMessage')).toHaveLength(1); // the project's creation

    await h.slack.event(h.mentionPayload('mallory', 'status'));
    const [, ephemeral] = await h.fake.waitForMethod('chat.postEphemeral', 2);
    expect(ephemeral?.body).toMatchObject({ channel: CHANNEL, user: PEOPLE.mallory.id });
    expect(textsOf(ephemeral?.body.blocks)).toContain('Status: Demo');
  });

  it('records an event redelivered with X-Slack-Retry-Num once, on the same or another replica', async () => {
    h = await slackHarness({ instances: 2 });
    await h.run('coord', 'project new Demo');
    const pid = await h.projectId();
    // A note is appended every time it is recorded, so only the event id can tell a redelivery apart.
    const note = h.mentionPayload('coord', 'note review "checked with the permit team"');
    await h.senders[0]!.event(note);
    await h.adapters[0]!.idle();
    await h.senders[0]!.event(note, { retry: 1 });
    await h.senders[1]!.event(note, { retry: 2 });
    await Promise.all(h.adapters.map((a) => a.idle()));
    const project = (await h.store.load(TEAM, pid))?.project;
    expect(project?.tasks.find((t) => t.id === 'process.review')?.notes).toHaveLength(1);
    const trail = await h.store.auditTrail(TEAM, pid);
    expect(trail.filter((e) => e.action === 'task.note')).toHaveLength(1);
    expect(trail.at(-1)?.idem).toBe(`slack:${note.event_id}`);

    // A different event with the same text is a new note.
    await h.senders[1]!.event(h.mentionPayload('coord', 'note review "checked with the permit team"'));
    await h.adapters[1]!.idle();
    expect((await h.store.load(TEAM, pid))?.project.tasks.find((t) => t.id === 'process.review')?.notes).toHaveLength(2);
  });
});
