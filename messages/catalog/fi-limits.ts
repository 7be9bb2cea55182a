/** Finnish: the sentences about how long a text may be and how large a project may grow. */

import type { Catalog } from './en.js';

type P = Record<string, string>;

/** Spread into the Finnish catalogue; typed so a missing sentence fails the build. */
export const fiLimits: Pick<Catalog, 'limits'> = {
  limits: {
    what: {
      projectName: 'projektin nimi',
      authority: 'viranomaisen nimi',
      itemName: 'kohdan nimi',
      trainingName: 'koulutuksen nimi',
      groupName: 'kohderyhmän nimi',
      note: 'muistiinpano',
      reason: 'syy',
      answer: 'vastaus',
      acceptance: 'hyväksymistestauksen kirjaus',
      risk: 'riski',
      fallback: 'varasuunnitelma',
      impact: 'vaikutusten kuvaus',
      decisionReasons: 'perustelut',
      justification: 'perustelu',
      announcement: 'tiedotteen teksti',
      problem: 'ongelman kuvaus',
    },
    notesKept: (p: P) => `Tehtävä säilyttää ${p.count} uusinta muistiinpanoa; vanhemmat löytyvät muutoslokista (\`vie muutosloki\`).`,
  },
};

/** The refusals of too long a text or too large a project, spread into the Finnish refusals. */
export const fiLimitRefusals: Pick<Catalog['refusal'], 'text.too-long' | 'project.too-large'> = {
  'text.too-long': (p: P) =>
    `Teksti on liian pitkä (${p.what}: ${p.length} merkkiä, enintään ${p.limit}). Lyhennä sitä ja lähetä uudelleen; laita pidempi aineisto asiakirjaan ja linkitä siihen.`,
  'project.too-large': (p: P) =>
    `Ei tallennettu: muutoksen jälkeen projektin tiedot veisivät ${p.size} kt, enemmän kuin projektille sallitut ${p.limit} kt. Kirjoita lyhyempi teksti; laita pidempi aineisto asiakirjaan ja linkitä siihen.`,
};
