import type { Writable } from 'node:stream';
import type { ChatPort, ChatTarget, SentMessage } from '../../src/ports/chat.js';
import type { Card } from '../../messages/card.js';
import { own } from '../../src/domain/dict.js';
import { renderText } from './render-text.js';

/** Prints what the bot sends on its own (reminders, invites, announcements) in the console, marked with its recipient. */
export class ConsoleChatPort implements ChatPort {
  readonly platform = 'console' as const;
  private sent = 0;
  constructor(private readonly output: Writable) {}

  async post(target: ChatTarget, card: Card): Promise<SentMessage> {
    const to = target.user ? `@${own(card.people, target.conversation) ?? target.conversation}` : `#${target.conversation}`;
    // Buttons of proactive cards are listed by label; type the matching command to act on them.
    this.output.write(`\n(to ${to})\n${renderText(card, () => 0).replace(/\[0\] /g, '[ ] ')}\n\n`);
    this.sent += 1;
    return { messageId: `console-${this.sent}` };
  }
}
