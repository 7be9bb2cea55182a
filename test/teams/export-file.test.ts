import { afterEach, describe, expect, it } from 'vitest';
import { catalog } from '../../messages/i18n.js';
import { verifyAuditFile } from '../../src/infra/audit/audit-file.js';
import { FILE_CONSENT, FILE_INFO } from '../../adapters/teams/file-consent.js';
import { RIDO, TENANT, cardOf, cardText, fixture, teamsHarness, type TeamsHarness } from './teams-harness.js';

const en = catalog('en');
let h: TeamsHarness;

afterEach(async () => {
  await h?.cleanup();
});

/** Types an export in the channel; resolves with the consent card sent to the person's personal chat and the channel replies. */
async function exportInChannel(what: string) {
  const activity = h.channelMessage(what);
  expect((await h.post(activity)).status).toBe(200);
  const consent = await h.connector.waitFor(
    (c) => c.kind === 'send' && (c.body.attachments ?? []).some((x: any) => x.contentType === FILE_CONSENT),
  );
  const told = await h.connector.waitFor(
    (c) => c.kind === 'reply' && c.activityId === activity.id && cardText(cardOf(c.body)).includes('personal chat'),
  );
  const attachment = consent.body.attachments.find((x: any) => x.contentType === FILE_CONSENT);
  return { consent, attachment, told: cardText(cardOf(told.body)) };
}

/** The documented `fileConsent/invoke` Teams sends when the person answers the consent card in their personal chat. */
function consentInvoke(conversationId: string, action: 'accept' | 'decline', context: unknown, uploadInfo?: unknown) {
  const a = fixture('teams-message-personal.json');
  a.type = 'invoke';
  a.name = 'fileConsent/invoke';
  a.id = `f:consent-${Math.random().toString(36).slice(2)}`;
  a.serviceUrl = h.serviceUrl;
  a.from = { id: RIDO.id, name: RIDO.name, aadObjectId: RIDO.aadObjectId };
  a.conversation = { id: conversationId, conversationType: 'personal', tenantId: TENANT };
  a.channelData = { tenant: { id: TENANT } };
  delete a.text;
  a.value = { type: 'fileUpload', action, context, ...(uploadInfo ? { uploadInfo } : {}) };
  return a;
}

describe('exports in Teams: the file consent flow in the personal chat', () => {
  it('from a channel: the consent card goes to the personal chat; accepted, the bytes reach the upload URL and the file card is shown', async () => {
    h = await teamsHarness();
    await h.post(h.channelMessage('project new Demo City – lupa ✓'));
    await h.connector.waitFor((c) => c.kind === 'reply');
    const { consent, attachment, told } = await exportInChannel('export audit json');

    // The channel is told where the file went; the card went to a personal chat the bot opened with the asker.
    expect(told).toContain(en.exportDoc.sentPersonally({ file: attachment.name }));
    const created = h.connector.delivered('create-conversation');
    expect(created.map((c) => c.body.members[0].id)).toEqual([RIDO.id]);
    expect(consent.conversationId).toBe(created[0]!.createdId);
    expect(attachment.name).toMatch(/\.json$/);
    expect(attachment.content).toMatchObject({
      description: en.exportDoc.consent({ file: attachment.name }),
      acceptContext: expect.any(Object),
      declineContext: expect.any(Object),
    });

    // Accept: Teams made an upload session in OneDrive; the bot PUTs the file there and shows the file card.
    const session = h.connector.uploadSession(attachment.name);
    const res = await h.post(consentInvoke(consent.conversationId!, 'accept', attachment.content.acceptContext, session));
    expect(res.status).toBe(200);
    const bytes = h.connector.uploads.get(session.uniqueId)?.bytes;
    expect(bytes?.length).toBe(attachment.content.sizeInBytes);
    expect(verifyAuditFile(bytes!)).toMatchObject({ ok: true, count: 1 });
    expect(bytes!.toString('utf8')).toContain('Demo City – lupa ✓');
    const info = await h.connector.waitFor(
      (c) => c.conversationId === consent.conversationId && (c.body?.attachments ?? []).some((x: any) => x.contentType === FILE_INFO),
    );
    expect(info.body.attachments[0]).toEqual({
      contentType: FILE_INFO,
      contentUrl: session.contentUrl,
      name: session.name,
      content: { uniqueId: session.uniqueId, fileType: 'json' },
    });

    // A repeated accept does not upload again; it says the offer is gone.
    const again = await h.post(
      consentInvoke(consent.conversationId!, 'accept', attachment.content.acceptContext, h.connector.uploadSession(attachment.name)),
    );
    expect(again.status).toBe(200);
    const expired = await h.connector.waitFor(
      (c) =>
        c.conversationId === consent.conversationId &&
        c.body?.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive' &&
        cardText(cardOf(c.body)).includes(en.exportDoc.expired),
    );
    expect(expired).toBeTruthy();
    expect(h.connector.calls.filter((c) => c.kind === 'upload')).toHaveLength(1);
  });

  it('declined: nothing is uploaded and the person is told so; a channel the bot cannot reach a person from says what to do', async () => {
    h = await teamsHarness();
    await h.post(h.channelMessage('project new Demo'));
    await h.connector.waitFor((c) => c.kind === 'reply');
    const { consent, attachment } = await exportInChannel('export tasks csv');
    expect(attachment.name).toMatch(/\.csv$/);
    const res = await h.post(consentInvoke(consent.conversationId!, 'decline', attachment.content.declineContext));
    expect(res.status).toBe(200);
    const declined = await h.connector.waitFor(
      (c) =>
        c.conversationId === consent.conversationId &&
        c.kind !== 'create-conversation' &&
        c.body?.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive',
    );
    expect(cardText(cardOf(declined.body))).toContain(en.exportDoc.declined({ file: attachment.name }));
    expect(h.connector.calls.filter((c) => c.kind === 'upload')).toHaveLength(0);

    // Opening the personal chat fails (the app is not installed for the person): the reply says what to do.
    h.connector.fail({ status: 403, times: 5, match: (c) => c.kind === 'send' || c.kind === 'create-conversation' });
    const activity = h.channelMessage('export decision md');
    await h.post(activity);
    const reply = await h.connector.waitFor(
      (c) => c.kind === 'reply' && c.activityId === activity.id && cardText(cardOf(c.body)).includes('only in a personal chat'),
    );
    expect(cardText(cardOf(reply.body))).toContain('Open a chat with the bot and type the export command there');
  });
});
