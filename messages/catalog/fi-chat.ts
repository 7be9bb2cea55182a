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
    shortened: 'Viesti oli liian pitkä näytettäväksi kokonaan, joten sitä lyhennettiin. Pyydä vähemmän, esimerkiksi `tasks overdue`.',
    welcomeTitle: 'Hei, olen lv-bot',
    welcomePersonal:
      'Autan tiimiänne Luvat ja valvonta -palvelun käyttöönottovaiheessa: tarkistuslista, testien hyväksynnät, muistutukset ja päätös käyttöönotosta. Kirjoita `help`, niin näet, mitä ymmärrän. Lähetän sinulle muistutukset ja hyväksyntäpyynnöt tänne.',
    welcomeChannel: (p: P) =>
      `Autan tätä tiimiä Luvat ja valvonta -palvelun käyttöönottovaiheessa: tarkistuslista, testien hyväksynnät, muistutukset ja päätös käyttöönotosta. Kanavalla ja ryhmäkeskustelussa vastaan vain, kun minut mainitaan: \`@${p.bot} project new <nimi>\` aloittaa projektin tällä kanavalla, \`@${p.bot} help\` näyttää komennot.`,
  },
};
