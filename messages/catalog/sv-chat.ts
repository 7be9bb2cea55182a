/** Swedish: the sentences of the chat itself (pages of long lists, the welcome on install, shortened messages). */

import type { Catalog } from './en.js';

type P = Record<string, string>;

/** Spread into the Swedish catalogue; typed so a missing sentence fails the build. */
export const svChat: Pick<Catalog, 'chat'> = {
  chat: {
    previous: '‹ Föregående',
    next: 'Nästa ›',
    andMore: (p: P) => `…och ${p.count} till: du ser alla med \`${p.command}\`.`,
    invited: (p: P) => `Inbjudna: ${p.people}.`,
    othersToo: (p: P) => `${p.count} andra`,
    shortened: 'Meddelandet var för långt för att visas i sin helhet och har kortats. Be om mindre, till exempel `tasks overdue`.',
    welcomeTitle: 'Hej, jag är lv-bot',
    welcomePersonal:
      'Jag hjälper ert team genom införandefasen av tjänsten Tillstånd och tillsyn: checklistan, godkännanden av tester, påminnelser och beslutet om införande. Skriv `help` så ser du vad jag förstår. Jag skickar dina påminnelser och begäranden om godkännande hit.',
    welcomeChannel: (p: P) =>
      `Jag hjälper det här teamet genom införandefasen av tjänsten Tillstånd och tillsyn: checklistan, godkännanden av tester, påminnelser och beslutet om införande. I en kanal eller gruppchatt svarar jag bara när jag nämns: \`@${p.bot} project new <namn>\` startar ett projekt här, \`@${p.bot} help\` visar kommandona.`,
  },
};
