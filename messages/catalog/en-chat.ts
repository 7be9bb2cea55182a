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
    showFull: 'Show in full',
    close: 'Close',
    cutToFit: 'Long texts are shortened here to keep this one message: *Show in full* shows them whole.',
    notADate: (p: P) => `“${p.token}” is not a date I can read.`,
    homeIntro: (p: P) =>
      `Your tasks and the sign-offs waiting for you in every project of this workspace, and how each project stands. You can type commands to me in Messages too: \`tasks mine\`, \`status\`, \`help\`. Updated ${p.at}.`,
    homeNone:
      'You have no role, task or sign-off in any project of this workspace yet. In the project’s channel, `/lv help` lists the commands and `/lv project new <name>` starts a project.',
    homeTasks: 'Your open tasks',
    homeNoTasks: 'No open tasks of yours.',
    homeSignoffs: 'Waiting for your sign-off',
    homeInChannel: (p: P) => `The project’s channel: ${p.channel}`,
    severalProjects: (p: P) =>
      `You are in several projects (${p.projects}), so I cannot tell which one you mean here: type the command in that project’s channel.`,
    notInChannel: (p: P) =>
      `lv-bot is not in ${p.channel}, so its announcements cannot reach that channel. Invite it there: type \`/invite @lv-bot\` in that channel.`,
    reportFollows: 'I will say here how many of them were delivered.',
    reportTitle: (p: P) => `Announcement delivered: ${p.kind}`,
    reportAll: (p: P) => `All ${p.total} messages of the announcement were delivered.`,
    reportSome: (p: P) => `${p.sent} of ${p.total} messages of the announcement were delivered; ${p.failed} could not be:`,
    reportNext: '`comms status` shows every message; `comms retry` sends the failed ones again once the cause is fixed.',
    welcomeTitle: 'Hello, I am lv-bot',
    welcomePersonal:
      'I help your team through the implementation phase of the Luvat ja valvonta service: the checklist, test sign-offs, reminders and the go / no-go decision. Type `help` to see what I understand. I send you reminders and sign-off requests here.',
    welcomeChannel: (p: P) =>
      `I help this team through the implementation phase of the Luvat ja valvonta service: the checklist, test sign-offs, reminders and the go / no-go decision. In a channel or group chat I answer only when mentioned: \`@${p.bot} project new <name>\` starts a project here, \`@${p.bot} help\` lists the commands.`,
  },
};
