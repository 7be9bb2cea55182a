/**
 * The fake Slack Web API (test/slack/fake-slack-api.ts) in a process of its own, so that answering the bot's
 * calls does not load the process being measured, as the real Slack would not. Knows the benchmark's people.
 * Prints `READY {"apiUrl": …}`; stops on SIGTERM.
 *
 *   tsx bench/support/fake-slack-process.ts <bot-token>
 */
import { FakeSlackApi } from '../../test/slack/fake-slack-api.js';
import { addPeople } from './slack-clicks.js';

const token = process.argv[2];
if (!token) throw new Error('usage: fake-slack-process.ts <bot-token>');
const fake = new FakeSlackApi(token);
await fake.start();
addPeople(fake);
// The calls are not needed here: forget them so a long run does not grow the fake's memory.
setInterval(() => void fake.calls.splice(0), 1_000).unref();
process.once('SIGTERM', () => void fake.stop().finally(() => process.exit(0)));
process.stdout.write(`READY ${JSON.stringify({ apiUrl: fake.apiUrl })}\n`);
