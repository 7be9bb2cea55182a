import { isStoreUnavailable, StoreUnavailableError } from '../../ports/errors.js';

/** What ioredis and BullMQ say when Redis cannot be reached right now (refused, lost, timed out, failing over, loading its data). */
const UNAVAILABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection is closed|MaxRetriesPerRequest|Command timed out|Stream isn't writeable|enableOfflineQueue|CLUSTERDOWN|LOADING/i;

/** A Redis error that means "not reachable right now" as a StoreUnavailableError, any other error as it is: only infra reads Redis's error texts. */
export function toStoreError(e: unknown): unknown {
  if (isStoreUnavailable(e)) return e;
  const text = e instanceof Error ? `${e.name} ${e.message}` : String(e);
  return UNAVAILABLE.test(text) ? new StoreUnavailableError(e) : e;
}

/** Runs one public store or queue call, so its callers see a StoreUnavailableError (and answer "try again later") rather than a client's error text. */
export async function storeCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw toStoreError(e);
  }
}
