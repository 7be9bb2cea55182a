import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { Delivery } from '../../adapters/slack/deliver.js';
import { SlackPeople } from '../../adapters/slack/people.js';
import { catalog } from '../../messages/i18n.js';
import { verifyAuditFile } from '../../src/infra/audit/audit-file.js';
import { BOT_TOKEN, CHANNEL, captureLog, PEOPLE, slackHarness, TEAM, textsOf } from './harness.js';

type Harness = Awaited<ReturnType<typeof slackHarness>>;

describe('exports as Slack files (files.uploadV2 against the fake Web API)', () => {
  let h: Harness;
  afterEach(async () => h?.cleanup());

  it("`export audit json` uploads the file to the asker's direct messages, byte for byte, and it verifies", async () => {
    h = await slackHarness();
    await h.run('coord', 'project new Hämeenlinnan luvat – testi ✓');
    await h.run('coord', 'golive 2027-03-02');
    await h.run('coord', 'export audit json');

    expect(h.fake.files).toHaveLength(1);
    const [file] = h.fake.files;
    expect(file!.channel).toBe(`D${PEOPLE.coord.id.slice(1)}`); // the DM conversations.open gave, not the channel
    expect(file!.filename).toMatch(/\.json$/);
    const verdict = verifyAuditFile(file!.bytes);
    expect(verdict).toMatchObject({ ok: true, count: 2 });
    expect(file!.bytes.toString('utf8')).toContain('Hämeenlinnan luvat – testi ✓');
    // One changed byte is caught, so the bytes Slack holds are the export itself.
    const changed = Buffer.from(file!.bytes);
    changed[changed.length - 3] = changed[changed.length - 3]! ^ 1;
    expect(verifyAuditFile(changed).ok).toBe(false);

    // The three steps of the documented flow, in order; the asker also reads that the export is ready.
    const steps = h.fake.calls
      .filter((c) => c.method.startsWith('files.') || c.method === 'upload_url')
      .map((c) => `${c.method} ${c.status}`);
    expect(steps).toEqual(['files.getUploadURLExternal 200', 'upload_url 200', 'files.completeUploadExternal 200']);
    expect(h.fake.answered('files.getUploadURLExternal')[0]?.body).toMatchObject({
      filename: file!.filename,
      length: String(file!.bytes.length),
    });
    expect(
      h.fake
        .answered('response_url')
        .map((c) => textsOf(c.body.blocks))
        .join('\n'),
    ).toContain(catalog('en').exportDoc.ready({ file: file!.filename }));
    expect(h.log.errors).toEqual([]);
  });

  it("a channel reply's file goes to the channel (in the thread), and a refused upload is explained to the asker", async () => {
    h = await slackHarness();
    const client = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: h.fake.apiUrl, retryConfig: { retries: 0 } });
    const log = captureLog();
    const delivery = new Delivery(log, { attempts: 1, backoffMs: 0, timeoutMs: 5_000 }, new SlackPeople());
    const content = 'Tehtävä;Tila\r\nprosessi;valmis ✓\r\n';
    const reply = {
      visibility: 'channel' as const,
      cards: [{ blocks: [{ type: 'text' as const, text: 'Export ready: tasks.csv' }] }],
      attachment: { filename: 'tasks.csv', mediaType: 'text/csv', content },
    };
    const origin = { kind: 'mention' as const, tenant: TEAM, channel: CHANNEL, user: PEOPLE.anna.id, threadTs: '1763892000.000100' };

    await delivery.deliver(client, { ...reply, lang: 'fi' }, origin);
    expect(h.fake.files.map((f) => [f.channel, f.threadTs, f.filename, f.bytes.toString('utf8')])).toEqual([
      [CHANNEL, origin.threadTs, 'tasks.csv', content],
    ]);
    expect(h.fake.answered('conversations.open')).toHaveLength(0);

    h.fake.fail('files.completeUploadExternal', 'not_in_channel');
    await delivery.deliver(client, { ...reply, lang: 'fi' }, origin);
    expect(h.fake.files).toHaveLength(1);
    const told = h.fake.answered('chat.postEphemeral').at(-1);
    expect(told?.body).toMatchObject({ channel: CHANNEL, user: PEOPLE.anna.id });
    expect(textsOf(told?.body.blocks)).toContain(catalog('fi').exportDoc.uploadFailed({ file: 'tasks.csv' }));
  });
});
