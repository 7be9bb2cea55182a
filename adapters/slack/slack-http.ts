/**
 * The HTTP transport of the Slack Web API client and of response_url posts: undici's `request` on a keep-alive
 * pool instead of the global fetch. The WHATWG fetch (web streams, spec bookkeeping) was about a fifth of a
 * button click's CPU; `request` does the same POST for a fraction of it. Bodies that are not a string (the
 * multipart FormData of a file upload) still go through the global fetch.
 */
import { STATUS_CODES } from 'node:http';
import type { webApi } from '@slack/bolt';
import { Agent, request } from 'undici';

/** One keep-alive pool per Slack origin (slack.com, hooks.slack.com), shared by every client of the process. */
const pool = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 });

type Init = Parameters<webApi.FetchFunction>[1];

/** The response headers, as the fetch Headers' `get` and `entries` read them (names lower-case, repeats joined). */
function headersOf(raw: Record<string, string | string[] | undefined>): {
  get(name: string): string | null;
  entries(): IterableIterator<[string, string]>;
} {
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) map.set(k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v);
  return { get: (name) => map.get(name.toLowerCase()) ?? null, entries: () => map.entries() };
}

/** A fetch for the Slack WebClient's documented `fetch` option (and response_url posts): same contract, less CPU. */
export const slackFetch: webApi.FetchFunction = async (url, init?: Init) => {
  if (init?.body !== undefined && typeof init.body !== 'string') return globalThis.fetch(url, init);
  const res = await request(url, {
    method: (init?.method ?? 'GET') as 'GET',
    ...(init?.headers ? { headers: init.headers } : {}),
    ...(init?.body !== undefined ? { body: init.body } : {}),
    ...(init?.signal ? { signal: init.signal } : {}),
    dispatcher: pool,
  });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const status = res.statusCode;
  // fetch with `redirect: 'error'` (what the WebClient asks for) fails on a redirect instead of returning it.
  if (status >= 300 && status < 400 && init?.redirect === 'error') throw new TypeError(`fetch failed: unexpected redirect (${status})`);
  const text = () => bytes.toString('utf8');
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: STATUS_CODES[status] ?? '',
    url: String(url),
    headers: headersOf(res.headers),
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    json: async () => JSON.parse(text()) as unknown,
    text: async () => text(),
  };
};
