/** Polls a condition until it holds or the deadline passes; the one bounded wait the jobs tests use. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The queues a drain check reads (JobQueues has them). */
interface CountableQueues {
  planner: { getJobCounts(...types: string[]): Promise<Record<string, number>> };
  reminders: { getJobCounts(...types: string[]): Promise<Record<string, number>> };
  deliveries: { getJobCounts(...types: string[]): Promise<Record<string, number>> };
}

/** Waits until nothing is waiting, active or (planner, deliveries) delayed, several polls in a row. */
export async function waitForQuietQueues(queues: CountableQueues, polls = 3, timeoutMs = 20_000, everyMs = 20): Promise<void> {
  let quiet = 0;
  await waitFor(
    'the queues to drain',
    async () => {
      const counts = await Promise.all([
        queues.planner.getJobCounts('waiting', 'active', 'delayed'),
        queues.reminders.getJobCounts('waiting', 'active'),
        queues.deliveries.getJobCounts('waiting', 'active', 'delayed'),
      ]);
      quiet = counts.some((c) => Object.values(c).some((n) => n > 0)) ? 0 : quiet + 1;
      return quiet >= polls;
    },
    timeoutMs,
    everyMs,
  );
}
