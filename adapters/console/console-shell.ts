import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Button, Reply } from '../../messages/card.js';
import { attachmentBytes } from '../../src/ports/chat.js';
import type { Inbound } from '../../src/use-cases/context.js';
import { renderText } from './render-text.js';

/** The part of the bot the console needs: one call per line or button press. */
export interface Handler {
  handle(inbound: Inbound): Promise<Reply>;
}

/** Who the console user is and where they type. */
export interface ConsoleOptions {
  tenant: string;
  user: string;
  locale?: string;
  input: Readable;
  output: Writable;
  /** True when a person types at a terminal: then it prompts; piped input runs line by line and ends at EOF. */
  interactive: boolean;
  /** Where exported files are written, relative to the current directory unless absolute; created when needed. Default `exports`. */
  exportDir?: string;
}

/**
 * A Hubot-style shell: type commands, see cards as text, press a button by typing its number.
 * `as <person> <command>` acts as someone else, to try the roles from one terminal.
 */
export class ConsoleShell {
  private readonly buttons = new Map<number, Button>();
  private nextNumber = 1;

  constructor(
    private readonly bot: Handler,
    private readonly opts: ConsoleOptions,
  ) {}

  /** Reads lines until end of input (or `quit`), handling them one at a time, in order. */
  async run(): Promise<void> {
    const rl = createInterface({
      input: this.opts.input,
      ...(this.opts.interactive ? { output: this.opts.output, prompt: 'lv> ' } : {}),
      terminal: this.opts.interactive,
    });
    const lines = rl[Symbol.asyncIterator]();
    const ask = async (question: string): Promise<string | undefined> => {
      this.opts.output.write(question);
      const next = await lines.next();
      if (!this.opts.interactive && !next.done) this.opts.output.write(`${next.value}\n`);
      return next.done ? undefined : next.value;
    };
    if (this.opts.interactive) rl.prompt();
    for (;;) {
      const next = await lines.next();
      if (next.done) break;
      const line = next.value.trim();
      if (line === 'quit' || line === 'exit') break;
      if (line !== '') {
        if (!this.opts.interactive) this.opts.output.write(`lv> ${line}\n`);
        await this.line(line, ask);
      }
      if (this.opts.interactive) rl.prompt();
    }
    rl.close();
  }

  private async line(raw: string, ask: (q: string) => Promise<string | undefined>): Promise<void> {
    let user = this.opts.user;
    let line = raw;
    const as = /^as\s+@?([\p{L}\p{N}._-]{1,64})\s+(.+)$/u.exec(raw);
    if (as) {
      user = as[1] as string;
      line = as[2] as string;
    }
    const base = {
      actor: {
        tenant: this.opts.tenant,
        userId: user,
        name: user,
        platform: 'console' as const,
        ...(this.opts.locale ? { locale: this.opts.locale } : {}),
      },
      channel: { platform: 'console' as const, id: 'console' },
    };
    const pressed = /^\d{1,6}$/.test(line) ? this.buttons.get(Number(line)) : undefined;
    if (pressed) {
      const fields: Record<string, string> = {};
      for (const input of pressed.form?.inputs ?? []) {
        // A prefilled input shows its text in brackets, the usual prompt default: an empty line keeps it.
        const shown = input.initial ? `${input.label} [${input.initial}]: ` : `${input.label}: `;
        const answer = await ask(shown);
        if (answer === undefined) return;
        fields[input.id] = answer === '' && input.initial ? input.initial : answer;
      }
      this.print(await this.bot.handle({ ...base, input: { kind: 'action', action: pressed.action, value: pressed.value, fields } }));
      return;
    }
    this.print(await this.bot.handle({ ...base, input: { kind: 'text', text: line } }));
  }

  private print(reply: Reply): void {
    const number = (b: Button) => {
      const n = this.nextNumber++;
      this.buttons.set(n, b);
      return n;
    };
    for (const card of reply.cards) this.opts.output.write(`${renderText(card, number)}\n\n`);
    if (reply.attachment) {
      const dir = resolve(this.opts.exportDir ?? 'exports');
      // Only the plain name is used, so a file never lands outside the export folder.
      const name = basename(reply.attachment.filename).replace(/[^\w.-]/g, '_') || 'export';
      mkdirSync(dir, { recursive: true });
      const path = resolve(dir, name);
      writeFileSync(path, attachmentBytes(reply.attachment));
      this.opts.output.write(`${path}\n\n`);
    }
  }
}
