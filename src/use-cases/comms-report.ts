import type { Announcement, Project } from '../domain/types.js';
import type { Block, Card } from '../../messages/card.js';
import { catalog, channelMention, Format } from '../../messages/i18n.js';
import type { LedgerEntry, OutboundMessage } from '../ports/jobs.js';
import type { ProjectStore } from '../ports/store.js';
import { failureText } from '../views/comms-cards.js';
import { peopleOf } from '../views/texts.js';

/** The batch an announcement occasion is sent in (`ann|<project>|<occasion>`) and the batch its report is sent in. */
const ANNOUNCEMENT = /^ann\|(p[0-9a-f]+)\|(.+)$/;

/** The delivery batch (and key) of the report on one announcement batch: once per batch, ever. */
export function reportBatch(batch: string): string {
  return `report|${batch}`;
}

/** Which announcement an occasion sent: a decision's (by its id), a moved go-live date, or the go-live day. */
function kindOf(project: Project, occasion: string): Announcement | undefined {
  if (occasion.startsWith('moved-')) return 'moved';
  if (occasion.startsWith('golive-day-')) return 'golive-day';
  const d = project.decisions.find((x) => x.id === occasion);
  return d ? (d.outcome === 'postpone' ? 'moved' : d.outcome) : undefined;
}

/**
 * The report on an announcement once every one of its messages is delivered or has failed for good, for the
 * project's conversation in its language: how many arrived, and where and why each failure did not. The decision's
 * answer said only that the messages are on their way; this says what was delivered, read from the ledger.
 * Undefined while a message is still on its way, or for a batch that is not an announcement.
 */
export async function announcementReport(
  store: ProjectStore,
  tenant: string,
  batch: string,
  ledger: readonly LedgerEntry[],
): Promise<OutboundMessage | undefined> {
  const m = ANNOUNCEMENT.exec(batch);
  if (!m || ledger.length === 0 || ledger.some((e) => e.state !== 'sent' && e.state !== 'failed')) return undefined;
  const project = (await store.load(tenant, m[1]!))?.project;
  const kind = project && kindOf(project, m[2]!);
  if (!project || !kind) return undefined;
  const lang = project.languages[0] ?? 'fi';
  const v = { t: catalog(lang), f: new Format(lang) };
  const c = v.t.chat;
  const failed = ledger.filter((e) => e.state === 'failed');
  const counts = { total: v.f.number(ledger.length), sent: v.f.number(ledger.length - failed.length), failed: v.f.number(failed.length) };
  const blocks: Block[] = [{ type: 'text', text: failed.length === 0 ? c.reportAll(counts) : c.reportSome(counts) }];
  if (failed.length > 0) {
    blocks.push({
      type: 'list',
      items: failed.map((e) => ({
        mark: 'missing' as const,
        text: channelMention(e.target.platform, e.target.conversation),
        detail: failureText(v, e.reason ?? ''),
      })),
    });
    blocks.push({ type: 'context', text: c.reportNext });
  }
  const title = c.reportTitle({ kind: v.t.comms.kinds[kind] });
  const card: Card = { title, summary: failed.length === 0 ? title : c.reportSome(counts), blocks, people: peopleOf(project) };
  return {
    key: reportBatch(batch),
    target: { tenant, platform: project.channel.platform, conversation: project.channel.id },
    card,
    lang,
  };
}
