/** English: the sentences about how long a text may be and how large a project may grow. */

type P = Record<string, string>;

/** Spread into the English catalogue, whose shape the others must match. */
export const enLimits = {
  limits: {
    what: {
      projectName: 'project name',
      authority: 'authority’s name',
      itemName: 'item name',
      trainingName: 'training name',
      groupName: 'target group’s name',
      note: 'note',
      reason: 'reason',
      answer: 'answer',
      acceptance: 'acceptance text',
      risk: 'risk',
      fallback: 'fallback plan',
      impact: 'impact description',
      decisionReasons: 'reasons',
      justification: 'justification',
      announcement: 'announcement text',
      problem: 'problem description',
    },
    notesKept: (p: P) => `The task keeps its ${p.count} newest notes; older ones stay in the audit trail (\`export audit\`).`,
  },
};

/** The refusals of too long a text or too large a project, spread into the English refusals. */
export const enLimitRefusals = {
  'text.too-long': (p: P) =>
    `The text is too long (${p.what}: ${p.length} characters, at most ${p.limit}). Shorten it and send it again; put longer material in a document and link to it.`,
  'project.too-large': (p: P) =>
    `Not saved: after this change the project’s record would take ${p.size} KB, more than the ${p.limit} KB a project may take. Write a shorter text; put longer material in a document and link to it.`,
};
