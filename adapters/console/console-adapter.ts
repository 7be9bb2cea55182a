import type { Readable, Writable } from 'node:stream';
import type { ChatAdapter } from '../../src/ports/chat-adapter.js';
import type { Bot } from '../../src/use-cases/bot.js';
import { ConsoleChatPort } from './console-chat-port.js';
import { ConsoleShell, type Handler } from './console-shell.js';

/** What the console needs: who types, where, and what runs each line (the bot, or the bot inside a log scope). */
export interface ConsoleAdapterOptions {
  bot: Pick<Bot, 'handle'>;
  tenant: string;
  user: string;
  locale?: string;
  input: Readable;
  output: Writable;
  /** A person at a terminal (prompts) or piped input (echoes each line, ends at the end of input). */
  interactive: boolean;
  /** Wraps each line's handling, so the composition root can give every command a log scope of its own. */
  around?: (run: () => ReturnType<Handler['handle']>) => ReturnType<Handler['handle']>;
  /** Where exports are written; `exports` by default. */
  exportDir?: string;
}

/** The console adapter: the ChatAdapter contract on a terminal; it ends by itself when its input ends. */
export interface ConsoleChatAdapter extends ChatAdapter {
  readonly platform: 'console';
  readonly ended: Promise<void>;
}

/** Builds the console adapter: a shell reading commands from `input`, printing cards and proactive messages to `output`. */
export function createConsoleAdapter(opts: ConsoleAdapterOptions): ConsoleChatAdapter {
  const around = opts.around ?? ((run) => run());
  const handler: Handler = { handle: (inbound) => around(() => opts.bot.handle(inbound)) };
  const shell = new ConsoleShell(handler, {
    tenant: opts.tenant,
    user: opts.user,
    ...(opts.locale ? { locale: opts.locale } : {}),
    input: opts.input,
    output: opts.output,
    interactive: opts.interactive,
    ...(opts.exportDir ? { exportDir: opts.exportDir } : {}),
  });
  let finish: () => void = () => undefined;
  let fail: (e: unknown) => void = () => undefined;
  const ended = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  let running: Promise<void> | undefined;
  return {
    platform: 'console',
    chat: new ConsoleChatPort(opts.output),
    ended,
    async start() {
      running ??= shell.run().then(finish, fail);
    },
    async stop() {
      // The shell stops at the end of its input; nothing else to close.
    },
    async idle() {
      await running;
    },
  };
}
