/** Swedish: the sentences about how long a text may be and how large a project may grow. */

import type { Catalog } from './en.js';

type P = Record<string, string>;

/** Spread into the Swedish catalogue; typed so a missing sentence fails the build. */
export const svLimits: Pick<Catalog, 'limits'> = {
  limits: {
    what: {
      projectName: 'projektets namn',
      authority: 'myndighetens namn',
      itemName: 'punktens namn',
      trainingName: 'utbildningens namn',
      groupName: 'målgruppens namn',
      note: 'anteckning',
      reason: 'skäl',
      answer: 'svar',
      acceptance: 'text om acceptanstestet',
      risk: 'risk',
      fallback: 'reservplan',
      impact: 'beskrivning av konsekvenserna',
      decisionReasons: 'skäl',
      justification: 'motivering',
      announcement: 'meddelandets text',
      problem: 'beskrivning av problemet',
    },
    notesKept: (p: P) =>
      `Uppgiften behåller sina ${p.count} senaste anteckningar; äldre finns i ändringsloggen (\`exportera ändringslogg\`).`,
  },
};

/** The refusals of too long a text or too large a project, spread into the Swedish refusals. */
export const svLimitRefusals: Pick<Catalog['refusal'], 'text.too-long' | 'project.too-large'> = {
  'text.too-long': (p: P) =>
    `Texten är för lång (${p.what}: ${p.length} tecken, högst ${p.limit}). Korta den och skicka igen; lägg längre material i ett dokument och länka till det.`,
  'project.too-large': (p: P) =>
    `Inte sparat: efter ändringen skulle projektets uppgifter ta ${p.size} kB, mer än de ${p.limit} kB ett projekt får ta. Skriv en kortare text; lägg längre material i ett dokument och länka till det.`,
};
