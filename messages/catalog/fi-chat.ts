/** Finnish: the sentences of the chat itself (pages of long lists, the welcome on install, shortened messages). */

import type { Catalog } from './en.js';

type P = Record<string, string>;

/** Spread into the Finnish catalogue; typed so a missing sentence fails the build. */
export const fiChat: Pick<Catalog, 'chat'> = {
  chat: {
    previous: '‹ Edellinen',
    next: 'Seuraava ›',
    andMore: (p: P) => `…ja ${p.count} muuta: kaikki näet komennolla \`${p.command}\`.`,
    invited: (p: P) => `Kutsutut: ${p.people}.`,
    othersToo: (p: P) => `${p.count} muuta`,
    shortened: 'Viesti oli liian pitkä näytettäväksi kokonaan, joten sitä lyhennettiin. Pyydä vähemmän, esimerkiksi `tehtävät myöhässä`.',
    showFull: 'Näytä kokonaan',
    close: 'Sulje',
    cutToFit: 'Pitkät tekstit näkyvät tässä lyhennettyinä, jotta kaikki mahtuu yhteen viestiin: *Näytä kokonaan* näyttää ne kokonaisina.',
    notADate: (p: P) => `En osaa lukea päivämäärää ”${p.token}”.`,
    homeIntro: (p: P) =>
      `Avoimet tehtäväsi ja sinulta odotetut hyväksynnät tämän työtilan kaikissa projekteissa sekä kunkin projektin tilanne. Voit kirjoittaa komentoja minulle myös Viestit-välilehdellä: \`tehtävät omat\`, \`tila\`, \`ohje\`. Päivitetty ${p.at}.`,
    homeNone:
      'Sinulla ei ole vielä roolia, tehtävää eikä hyväksyntää tämän työtilan projekteissa. Projektin kanavalla `/lv ohje` näyttää komennot ja `/lv projekti uusi <nimi>` aloittaa projektin.',
    homeTasks: 'Avoimet tehtäväsi',
    homeNoTasks: 'Sinulla ei ole avoimia tehtäviä.',
    homeSignoffs: 'Odottaa hyväksyntääsi',
    homeInChannel: (p: P) => `Projektin kanava: ${p.channel}`,
    severalProjects: (p: P) =>
      `Olet mukana useassa projektissa (${p.projects}), joten en tiedä, mitä niistä tarkoitat: kirjoita komento projektin omalla kanavalla.`,
    notInChannel: (p: P) =>
      `lv-bot ei ole kanavalla ${p.channel}, joten sen tiedotteet eivät tavoita kanavaa. Kutsu se kanavalle kirjoittamalla siellä \`/invite @lv-bot\`.`,
    reportFollows: 'Kerron tällä kanavalla, montako niistä saatiin perille.',
    reportTitle: (p: P) => `Tiedote toimitettu: ${p.kind}`,
    reportAll: (p: P) => `Tiedotteen kaikki ${p.total} viestiä saatiin perille.`,
    reportSome: (p: P) => `Tiedotteen viesteistä ${p.sent}/${p.total} saatiin perille; ${p.failed} jäi toimittamatta:`,
    reportNext: '`viestintä tila` näyttää jokaisen viestin; `viestintä uudelleen` lähettää epäonnistuneet uudelleen, kun syy on korjattu.',
    welcomeTitle: 'Hei, olen lv-bot',
    welcomePersonal:
      'Autan tiimiänne Luvat ja valvonta -palvelun käyttöönottovaiheessa: tarkistuslista, testien hyväksynnät, muistutukset ja päätös käyttöönotosta. Kirjoita `ohje`, niin näet, mitä ymmärrän. Lähetän sinulle muistutukset ja hyväksyntäpyynnöt tänne.',
    welcomeChannel: (p: P) =>
      `Autan tätä tiimiä Luvat ja valvonta -palvelun käyttöönottovaiheessa: tarkistuslista, testien hyväksynnät, muistutukset ja päätös käyttöönotosta. Kanavalla ja ryhmäkeskustelussa vastaan vain, kun minut mainitaan: \`@${p.bot} projekti uusi <nimi>\` aloittaa projektin tällä kanavalla, \`@${p.bot} ohje\` näyttää komennot.`,
  },
};
