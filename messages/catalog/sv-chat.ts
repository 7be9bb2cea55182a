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
    shortened: 'Meddelandet var för långt för att visas i sin helhet och har kortats. Be om mindre, till exempel `uppgifter försenade`.',
    showFull: 'Visa allt',
    close: 'Stäng',
    cutToFit: 'Långa texter visas förkortade här så att allt ryms i ett meddelande: *Visa allt* visar dem i sin helhet.',
    notADate: (p: P) => `Jag kan inte läsa ”${p.token}” som ett datum.`,
    homeIntro: (p: P) =>
      `Dina öppna uppgifter och de godkännanden som väntar på dig i alla projekt i den här arbetsytan, och läget i varje projekt. Du kan också skriva kommandon till mig under Meddelanden: \`uppgifter mina\`, \`status\`, \`hjälp\`. Uppdaterad ${p.at}.`,
    homeNone:
      'Du har ännu ingen roll, uppgift eller godkännande i något projekt i den här arbetsytan. I projektets kanal visar `/lv hjälp` kommandona och `/lv projekt ny <namn>` startar ett projekt.',
    homeTasks: 'Dina öppna uppgifter',
    homeNoTasks: 'Du har inga öppna uppgifter.',
    homeSignoffs: 'Väntar på ditt godkännande',
    homeInChannel: (p: P) => `Projektets kanal: ${p.channel}`,
    severalProjects: (p: P) =>
      `Du är med i flera projekt (${p.projects}), så jag vet inte vilket du menar: skriv kommandot i projektets egen kanal.`,
    notInChannel: (p: P) =>
      `lv-bot är inte med i ${p.channel}, så dess meddelanden når inte kanalen. Bjud in den genom att skriva \`/invite @lv-bot\` i kanalen.`,
    reportFollows: 'Jag berättar här hur många av dem som kom fram.',
    reportTitle: (p: P) => `Meddelandet levererat: ${p.kind}`,
    reportAll: (p: P) => `Alla ${p.total} meddelanden kom fram.`,
    reportSome: (p: P) => `${p.sent} av ${p.total} meddelanden kom fram; ${p.failed} kunde inte levereras:`,
    reportNext: '`kommunikation status` visar varje meddelande; `kommunikation igen` skickar de misslyckade igen när orsaken är åtgärdad.',
    welcomeTitle: 'Hej, jag är lv-bot',
    welcomePersonal:
      'Jag hjälper ert team genom införandefasen av tjänsten Tillstånd och tillsyn: checklistan, godkännanden av tester, påminnelser och beslutet om införande. Skriv `hjälp` så ser du vad jag förstår. Jag skickar dina påminnelser och begäranden om godkännande hit.',
    welcomeChannel: (p: P) =>
      `Jag hjälper det här teamet genom införandefasen av tjänsten Tillstånd och tillsyn: checklistan, godkännanden av tester, påminnelser och beslutet om införande. I en kanal eller gruppchatt svarar jag bara när jag nämns: \`@${p.bot} projekt ny <namn>\` startar ett projekt här, \`@${p.bot} hjälp\` visar kommandona.`,
  },
};
