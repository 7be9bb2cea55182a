import { encodeAction } from '../commands/button-actions.js';
import { announcementKey, fillText, recipients, type Recipient } from '../domain/comms.js';
import { missingEvidence } from '../domain/readiness.js';
import { TEXT_LIMITS } from '../domain/text-limits.js';
import type { Announcement, ChannelRef, CommsGroup, Decision, Lang, Project } from '../domain/types.js';
import type { Block, Button, Card, Mark } from '../../messages/card.js';
import { catalog, channelMention, Format } from '../../messages/i18n.js';
import type { LedgerEntry } from '../ports/jobs.js';
import { peopleOf, type View } from './texts.js';

/** A group's display name in the reader's language: the standard groups are translated. */
export function groupName(v: View, g: CommsGroup): string {
  const std = v.t.comms.groups[g.id as keyof typeof v.t.comms.groups];
  return g.name ?? std ?? g.id;
}

/** A group as the plan lists it: a standard group by its name alone (its name is also what is typed), another with the id to type. */
export function groupLabel(v: View, g: CommsGroup): string {
  const name = groupName(v, g);
  return name === g.id || (g.name === undefined && g.id in v.t.comms.groups) ? name : `${name} (${g.id})`;
}

/** A channel as a `<#platform:id>` reference, which each renderer shows by name where it knows one. */
export function channelText(c: ChannelRef): string {
  return channelMention(c.platform, c.id);
}

/** Whether a group wrote its own text for an announcement in a language. */
export function isCustom(g: CommsGroup, kind: Announcement, lang: Lang): boolean {
  return Boolean(g.texts[kind]?.[lang]);
}

/** The text a group reads in one language: its own, else the catalogue's default; placeholders filled from the decision. */
export function announcementText(project: Project, g: CommsGroup, kind: Announcement, lang: Lang, decision?: Decision): string {
  const f = new Format(lang);
  const text = g.texts[kind]?.[lang] ?? catalog(lang).announce[kind];
  const date = decision?.date ?? project.goLive;
  return fillText(text, {
    project: project.name,
    ...(date ? { date: f.date(date) } : {}),
    ...(decision?.nextReview ? { review: f.date(decision.nextReview) } : {}),
    ...(decision?.reasons ? { reasons: decision.reasons } : {}),
  });
}

/** The card one recipient gets: a title and the text, in the recipient's language. */
export function announcementCard(project: Project, r: Recipient, kind: Announcement, decision?: Decision): Card {
  const t = catalog(r.lang);
  const title = t.comms.announcementTitle({ project: project.name, kind: t.comms.kinds[kind] });
  return { title, summary: title, blocks: [{ type: 'text', text: announcementText(project, r.group, kind, r.lang, decision) }] };
}

/** `comms`: the groups with their channels and languages. */
export function commsPlanCard(v: View, project: Project): Card {
  return {
    title: v.t.comms.planTitle({ name: project.name }),
    blocks: [
      {
        type: 'list',
        items: project.comms.map((g) => ({
          mark: g.channels.length ? 'ok' : 'missing',
          text: v.t.comms.groupLine({
            group: groupLabel(v, g),
            channels: g.channels.length ? g.channels.map(channelText).join(', ') : v.t.comms.noChannel,
            langs: v.f.list(g.languages.map((l) => v.t.langName[l])),
          }),
        })),
      },
      { type: 'context', text: v.t.usage.comms },
    ],
  };
}

/** `comms preview <kind>`: exactly what each group's channels get, per language. */
export function commsPreviewCard(v: View, project: Project, kind: Announcement): Card {
  const all = recipients(project);
  const blocks: Block[] = [];
  if (all.length === 0) blocks.push({ type: 'text', text: v.t.comms.nobody });
  for (const r of all) {
    blocks.push({
      type: 'context',
      text: v.t.comms.previewLine({
        group: groupName(v, r.group),
        channel: channelText(r.channel),
        lang: v.t.langName[r.lang],
        source: isCustom(r.group, kind, r.lang) ? v.t.comms.custom : v.t.comms.default,
      }),
    });
    blocks.push({ type: 'text', text: announcementText(project, r.group, kind, r.lang) });
  }
  return {
    title: v.t.comms.previewTitle({ kind: v.t.comms.kinds[kind] }),
    blocks,
    // One per group: behind "More", so a plan of many groups keeps the card's own buttons readable.
    buttons: project.comms.map((g) => ({ ...textsButton(v, project, g, kind), secondary: true })),
  };
}

/** A group's "write the texts" button: its form holds one input per language, starting from the text in force. */
export function textsButton(v: View, project: Project, g: CommsGroup, kind: Announcement): Button {
  const name = groupName(v, g);
  return {
    ...encodeAction({ action: 'comms.texts', project: project.id, group: g.id, kind }),
    label: v.t.comms.writeTexts({ group: name }),
    form: {
      title: v.t.comms.textsForm,
      submit: v.t.comms.save,
      inputs: g.languages.map((lang) => ({
        id: lang,
        label: v.t.comms.textsLabel({ group: name, kind: v.t.comms.kinds[kind], lang: v.t.langName[lang] }),
        required: true,
        multiline: true,
        maxLength: TEXT_LIMITS.announcement,
        initial: g.texts[kind]?.[lang] ?? catalog(lang).announce[kind],
      })),
    },
  };
}

const FAILURES: Record<string, 'gone' | 'notIn' | 'archived' | 'person' | 'install' | 'stalled' | 'platform'> = {
  // jobs/delivery-processor.ts: the channel is on a platform this bot is not connected to.
  'no chat adapter for': 'platform',
  channel_not_found: 'gone',
  ConversationNotFound: 'gone',
  not_in_channel: 'notIn',
  BotNotInConversationRoster: 'notIn',
  is_archived: 'archived',
  account_inactive: 'person',
  user_not_found: 'person',
  cannot_dm_bot: 'person',
  invalid_auth: 'install',
  missing_scope: 'install',
  token_revoked: 'install',
  'stalled more than': 'stalled',
};

/** Why a message failed, as a sentence that says what to do; an unknown reason is quoted as the platform gave it. */
export function failureText(v: View, reason: string): string {
  const known = Object.entries(FAILURES).find(([code]) => reason === code || reason.includes(code));
  return known ? v.t.comms.failure[known[1]] : v.t.comms.failure.other({ reason });
}

/** Why a message failed, and whether a post may already be there (so a coordinator knows `comms retry` will look first). */
function failedDetail(v: View, e: LedgerEntry): string {
  const posted = e.mayBePosted ? v.t.comms.posted.maybe : v.t.comms.posted.none;
  return e.reason ? `${failureText(v, e.reason)} ${posted}` : posted;
}

/** `comms status`: the ledger of the latest decision's announcement, per group, channel and language. */
export function commsStatusCard(v: View, project: Project, decision: Decision | undefined, ledger: LedgerEntry[]): Card {
  if (!decision) return { blocks: [{ type: 'text', text: v.t.comms.noDecision }] };
  const byKey = new Map(ledger.map((e) => [e.key, e]));
  const items = recipients(project).map((r) => {
    const e = byKey.get(announcementKey(decision.id, r));
    const state = e?.state ?? 'pending';
    const mark: Mark = state === 'sent' ? 'ok' : state === 'failed' ? 'missing' : 'in_progress';
    return {
      mark,
      text: v.t.comms.statusLine({
        group: groupName(v, r.group),
        channel: channelText(r.channel),
        lang: v.t.langName[r.lang],
        state: v.t.comms.state[state],
      }),
      ...(e && state === 'failed' ? { detail: failedDetail(v, e) } : {}),
    };
  });
  const count = (s: string) => String(ledger.filter((e) => e.state === s).length);
  return {
    title: v.t.comms.statusTitle({ decision: decision.id }),
    blocks: [
      { type: 'text', text: v.t.comms.summary({ sent: count('sent'), total: String(ledger.length), failed: count('failed') }) },
      { type: 'list', items },
    ],
  };
}

/** The decision buttons: go, no-go and postpone, each with its form. */
export function decideButtons(v: View, project: Project): Button[] {
  const d = v.t.decideCard;
  const date = (label: string, required: boolean) => ({ id: 'date', label, placeholder: d.datePlaceholder, required, maxLength: 20 });
  const override =
    missingEvidence(project).length > 0
      ? [{ id: 'override', label: d.override, required: false, multiline: true, maxLength: TEXT_LIMITS.justification }]
      : [];
  return [
    {
      ...encodeAction({ action: 'decision.go', project: project.id }),
      label: d.go,
      style: 'primary',
      form: { title: d.goForm, submit: d.submit, inputs: [date(d.date, !project.goLive), ...override] },
    },
    {
      ...encodeAction({ action: 'decision.nogo', project: project.id }),
      label: d.nogo,
      style: 'danger',
      form: {
        title: d.nogoForm,
        submit: d.submit,
        inputs: [
          { id: 'reasons', label: d.reasons, required: true, multiline: true, maxLength: TEXT_LIMITS.decisionReasons },
          { id: 'nextReview', label: d.nextReview, placeholder: d.datePlaceholder, required: true, maxLength: 20 },
        ],
      },
    },
    {
      ...encodeAction({ action: 'decision.postpone', project: project.id }),
      label: d.postpone,
      form: { title: d.postponeForm, submit: d.submit, inputs: [date(d.newDate, true)] },
    },
  ];
}

/** `decide`: the decision in force and the buttons to record a new one. */
export function decideCard(v: View, project: Project): Card {
  const d = v.t.decideCard;
  const current = project.decisions.at(-1);
  const blocks: Block[] = [{ type: 'text', text: d.intro }];
  if (current) blocks.push({ type: 'context', text: d.current({ outcome: v.t.outcome[current.outcome], at: v.f.dateTime(current.at) }) });
  return { title: d.title({ name: project.name }), blocks, buttons: decideButtons(v, project), people: peopleOf(project) };
}
