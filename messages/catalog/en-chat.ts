/** English: the sentences of the chat itself (pages of long lists, the welcome on install, shortened messages). */

type P = Record<string, string>;

/** Spread into the English catalogue, whose shape the others must match. */
export const enChat = {
  chat: {
    previous: '‹ Previous',
    next: 'Next ›',
    andMore: (p: P) => `…and ${p.count} more: type \`${p.command}\` to see them all.`,
    invited: (p: P) => `Invited: ${p.people}.`,
    othersToo: (p: P) => `${p.count} others`,
    shortened: 'This message was too long to show in full and was shortened. Ask for less, for example `tasks overdue`.',
    welcomeTitle: 'Hello, I am lv-bot',
    welcomePersonal:
      'I help your team through the implementation phase of the Luvat ja valvonta service: the checklist, test sign-offs, reminders and the go / no-go decision. Type `help` to see what I understand. I send you reminders and sign-off requests here.',
    welcomeChannel: (p: P) =>
      `I help this team through the implementation phase of the Luvat ja valvonta service: the checklist, test sign-offs, reminders and the go / no-go decision. In a channel or group chat I answer only when mentioned: \`@${p.bot} project new <name>\` starts a project here, \`@${p.bot} help\` lists the commands.`,
  },
};
