/**
 * Every log line names the unit of work it belongs to: an HTTP request (its reqId, echoed as the
 * `x-request-id` response header), a queued job (its queue and jobId), or else the process (its runId).
 * The lines are captured from a real pino logger built the way app/main.ts builds it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { pino } from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { PermanentDeliveryError } from '../../src/ports/errors.js';
import { HttpServer } from '../../app/http-server.js';
import { logIdsMixin, RUN_ID, withLogIds } from '../../src/infra/log-context.js';
import { waitFor } from '../jobs/support/wait.js';
import { adapterFor, RecordingChatPort } from '../jobs/support/recording-chat.js';
import { composeOnTestRedis } from '../support/composed.js';
import { FakeSlackApi } from '../slack/fake-slack-api.js';
import { SlackSender } from '../slack/slack-requests.js';
import { freshRedis } from '../support/redis.js';

type Line = Record<string, unknown> & { msg?: string };

/** A pino logger like the composition root's, writing its JSON lines into an array. */
function capturedPino() {
  const lines: Line[] = [];
  const log = pino({ level: 'trace', mixin: logIdsMixin }, { write: (s: string) => void lines.push(JSON.parse(s) as Line) });
  return { log, lines };
}

describe('log ids', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('tags lines outside any request or job with the process run id only', () => {
    const { log, lines } = capturedPino();
    log.info('starting');
    withLogIds({ reqId: 'r1' }, () => log.info('inside'));
    expect(lines[0]).toMatchObject({ runId: RUN_ID, msg: 'starting' });
    expect(lines[0]).not.toHaveProperty('reqId');
    expect(lines[1]).toMatchObject({ runId: RUN_ID, reqId: 'r1' });
  });

  it('gives every line of a request its id, through body parsing, Bolt and the error handler, and answers it in x-request-id', async () => {
    const { log, lines } = capturedPino();
    const fresh = freshRedis();
    cleanups.push(() => fresh.cleanup());
    const fake = new FakeSlackApi('xoxb-log-ids');
    await fake.start();
    cleanups.push(() => fake.stop());
    // The Slack adapter as composed for `npm run web`, its routes on a server that also has two probe routes.
    const { app } = await composeOnTestRedis(
      {
        LV_ADAPTERS: 'slack',
        SLACK_BOT_TOKEN: 'xoxb-log-ids',
        SLACK_SIGNING_SECRET: 'ab12ab12ab12ab12ab12ab12ab12ab12',
        SLACK_API_URL: fake.apiUrl,
      },
      { fresh, role: 'web', log },
    );
    cleanups.push(() => app.stop());
    const slack = app.adapters.get('slack')!;
    await slack.start();
    const http = new HttpServer({}, log);
    http.app.use(slack.routes!);
    // A route that logs after its JSON body was read and after a Redis round trip, and one that fails.
    http.app.post('/probe', express.json(), async (req, res) => {
      await fresh.redis.ping();
      log.info({ got: req.body }, 'probe handled');
      res.json({ ok: true });
    });
    http.app.get('/boom', async () => {
      await fresh.redis.ping();
      throw new Error('boom');
    });
    http.finish(log);
    const base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
    cleanups.push(() => http.close());

    const given = await fetch(`${base}/probe?token=query-secret`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'proxy-req-42' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(given.headers.get('x-request-id')).toBe('proxy-req-42');
    expect(lines.find((l) => l.msg === 'probe handled')).toMatchObject({ reqId: 'proxy-req-42', runId: RUN_ID });
    // One access line per request, with its id, and the path without the query (which may hold a token).
    await waitFor('the access line', () => lines.find((l) => l.msg === 'request' && l.path === '/probe'), 5_000, 10);
    expect(lines.find((l) => l.msg === 'request' && l.path === '/probe')).toMatchObject({
      reqId: 'proxy-req-42',
      method: 'POST',
      status: 200,
    });
    expect(JSON.stringify(lines)).not.toContain('query-secret');

    // No id given (or one that is not a plain token): the server makes one and says which.
    const made = await fetch(`${base}/boom`, { headers: { 'x-request-id': 'bad id\twith tab' } });
    expect(made.status).toBe(500);
    const madeId = made.headers.get('x-request-id');
    expect(madeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.find((l) => l.msg === 'request failed')).toMatchObject({ reqId: madeId });
    await waitFor('the access line', () => lines.find((l) => l.msg === 'request' && l.path === '/boom'), 5_000, 10);
    expect(lines.find((l) => l.msg === 'request' && l.path === '/boom')).toMatchObject({ reqId: madeId, status: 500 });

    // Bolt reads the raw body itself and logs the refused signature through our logger.
    const forged = await new SlackSender(`${base}/slack/events`, 'ab12ab12ab12ab12ab12ab12ab12ab12').command(
      { command: '/lv', text: 'help' },
      { secret: 'cd34cd34cd34cd34cd34cd34cd34cd34' },
    );
    expect(forged.status).toBe(401);
    const refusal = lines.filter((l) => /verification/i.test(l.msg ?? ''));
    expect(refusal.length).toBeGreaterThan(0);
    for (const l of refusal) expect(l.reqId).toMatch(/^[0-9a-f-]{36}$/);

    const ids = new Set(lines.filter((l) => l.reqId).map((l) => l.reqId));
    expect(ids.size).toBe(3); // one id per request, never shared
    await slack.stop();
  });

  it('gives each console command its own id (npm start with piped input, at debug level)', async () => {
    const fresh = freshRedis();
    cleanups.push(() => fresh.cleanup());
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        REDIS_URL: inject('redisUrl'),
        LV_REDIS_PREFIX: fresh.prefix,
        LOG_LEVEL: 'debug',
        LV_DAILY_PLAN: 'off',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.resume();
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.end('project new Demo\nstatus\nhelp\n');
    expect(await closed).toBe(0);
    // The console's logs go to standard error, as JSON lines; each command's line has an id of its own.
    const lines = err
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Line);
    const commands = lines.filter((l) => l.msg === 'console command');
    expect(commands).toHaveLength(3);
    for (const l of commands) expect(l).toMatchObject({ reqId: expect.stringMatching(/^[0-9a-f-]{36}$/), runId: expect.any(String) });
    expect(new Set(commands.map((l) => l.reqId)).size).toBe(3);
    for (const l of lines) expect(l.reqId ?? l.jobId ?? l.runId, JSON.stringify(l)).toEqual(expect.any(String));
  }, 60_000);

  it('gives every line logged while a job runs its queue and job id', async () => {
    const { log, lines } = capturedPino();
    const fresh = freshRedis();
    cleanups.push(() => fresh.cleanup());
    const chat = new RecordingChatPort('slack', {
      failOnce: new Map([['announce|go|1', new PermanentDeliveryError('channel_not_found')]]),
    });
    const post = chat.post.bind(chat);
    chat.post = async (...args) => {
      log.info({ key: args[2]?.idempotencyKey }, 'posting');
      return post(...args);
    };
    const { app } = await composeOnTestRedis({}, { fresh, log, adapters: [adapterFor(chat)] });
    await app.start();
    cleanups.push(() => app.stop());
    const card = { blocks: [{ type: 'text' as const, text: 'hello' }] };
    await app.queues.send(
      'T1',
      'go',
      [0, 1].map((i) => ({
        key: `announce|go|${i}`,
        target: { tenant: 'T1', platform: 'slack' as const, conversation: `C${i}` },
        card,
        lang: 'en' as const,
      })),
    );
    // A refused delivery is logged by the worker's failed event, outside the processor: it names the job too.
    await waitFor('the failed delivery to be logged', () => lines.find((l) => l.msg === 'job failed'), 15_000, 20);

    const posting = lines.filter((l) => l.msg === 'posting');
    // At debug level each job says it started, with the same ids as what it logged itself.
    const started = lines.filter((l) => l.msg === 'job started');
    expect(new Set(started.map((l) => l.jobId))).toEqual(new Set(posting.map((l) => l.jobId)));
    expect(posting).toHaveLength(2);
    for (const l of posting) expect(l).toMatchObject({ queue: 'deliveries', jobId: expect.any(String), runId: RUN_ID });
    expect(new Set(posting.map((l) => l.jobId)).size).toBe(2);
    const failedJob = posting.find((l) => l.key === 'announce|go|1')!.jobId;
    expect(lines.find((l) => l.msg === 'job failed')).toMatchObject({ queue: 'deliveries', jobId: failedJob });
  });
});
