import type { Logger } from '../src/ports/logger.js';
import type { Deliveries } from '../src/ports/jobs.js';
import type { ProjectStore } from '../src/ports/store.js';
import { announcementReport, reportBatch } from '../src/use-cases/comms-report.js';

/**
 * Reports each announcement to its project's conversation once all of its messages have ended, delivered or failed
 * for good, counted from the ledger: the decision's answer says the messages are on their way, this says which
 * arrived. Every worker may see the last message end; the report's key makes it one message, ever, per batch.
 */
export class AnnouncementReports {
  constructor(
    private readonly store: ProjectStore,
    private readonly deliveries: Pick<Deliveries, 'ledger' | 'send'>,
    private readonly log?: Logger,
    /** How many of the batch's messages have surely not ended (DeliveryLedger.open): while any, the ledger is not read. */
    private readonly open?: (tenant: string, batch: string) => Promise<number | undefined>,
  ) {}

  /** One message of `batch` has ended: once every one has, the report goes out. Never throws. */
  async settled(tenant: string, batch: string): Promise<void> {
    if (!batch.startsWith('ann|')) return;
    try {
      // Read after every message of a broadcast, the whole ledger made sending n messages cost n² entry reads.
      if (((await this.open?.(tenant, batch)) ?? 0) > 0) return;
      const report = await announcementReport(this.store, tenant, batch, await this.deliveries.ledger(tenant, batch));
      if (report) await this.deliveries.send(tenant, reportBatch(batch), [report]);
    } catch (e) {
      this.log?.warn({ err: e, batch }, 'the report on an announcement could not be queued');
    }
  }
}
