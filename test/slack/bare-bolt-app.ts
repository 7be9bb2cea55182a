/** A bare Bolt app (ExpressReceiver, one block_actions handler that only acks): the baseline the interaction-latency benchmark compares the bot against. */
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';

/** Starts the bare app on 127.0.0.1 with the same signature verification as the bot; resolves with its port and a stop. */
export async function startBareBoltApp(signingSecret: string, port = 0): Promise<{ port: number; stop: () => Promise<void> }> {
  const receiver = new ExpressReceiver({
    signingSecret,
    endpoints: '/slack/events',
    processBeforeResponse: false,
    signatureVerification: true,
    logLevel: LogLevel.ERROR,
  });
  // A fixed authorization: no auth.test call to Slack on the first click (the fake is not involved here).
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: 'xoxb-bare', botId: 'BBARE', botUserId: 'UBARE' }),
    logLevel: LogLevel.ERROR,
  });
  app.action({ type: 'block_actions' }, async ({ ack }) => {
    await ack();
  });
  const server = await receiver.start({ port, host: '127.0.0.1' });
  return { port: (server.address() as AddressInfo).port, stop: () => receiver.stop() };
}
