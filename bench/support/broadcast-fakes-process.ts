/**
 * The fake Slack Web API and fake Teams connector of benchmark 2, each behind its rate gate, in a process of
 * their own, so that answering and gating the bot's posts does not take the event loop from the delivery
 * workers being measured (the real platforms would not). Prints `READY {"slackApiUrl", "teamsServiceUrl",
 * "statsUrl"}`; `GET <statsUrl>` answers `{ slack, teams }` (Slack's PlatformStats per workspace team id, Teams' one); stops on SIGTERM.
 *
 *   tsx bench/support/broadcast-fakes-process.ts <slack-workspace-rps> <teams-app-rps>
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gatedSlackFake, gatedTeamsFake } from './broadcast-platforms.js';

const workspaceRps = Number(process.argv[2]);
const appRps = Number(process.argv[3]);
if (!(workspaceRps > 0) || !(appRps > 0)) throw new Error('usage: broadcast-fakes-process.ts <slack-workspace-rps> <teams-app-rps>');

const slack = await gatedSlackFake(workspaceRps);
const teams = await gatedTeamsFake(appRps);
const stats = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/bench-stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ slack: slack.stats(), teams: teams.stats() }));
    return;
  }
  res.writeHead(404);
  res.end();
});
stats.listen(0, '127.0.0.1');
await once(stats, 'listening');
const statsUrl = `http://127.0.0.1:${(stats.address() as AddressInfo).port}/bench-stats`;

process.once('SIGTERM', () => {
  stats.closeAllConnections();
  stats.close();
  void Promise.allSettled([slack.stop(), teams.stop()]).finally(() => process.exit(0));
});
process.stdout.write(`READY ${JSON.stringify({ slackApiUrl: slack.url, teamsServiceUrl: teams.url, statsUrl })}\n`);
