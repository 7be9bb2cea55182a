/** Swedish: the sentences of the rules that keep wrong things out (issue 14): confirmations, removals, lists, warnings, the status at a glance. */

import type { Catalog } from './en.js';
import type { RuleRefusals } from './en-rules.js';

type P = Record<string, string>;

/** Spread into the Swedish catalogue; typed so a missing sentence fails the build. */
export const svRules: Pick<Catalog, 'rules'> = {
  rules: {
    notWorkingDay: (p: P) =>
      `Obs! ${p.date} är inte en arbetsdag (en helg eller en helgdag). Påminnelser och utbildningar räknas i arbetsdagar; ändra datumet om det inte var meningen.`,
    decisionRepeat: (p: P) =>
      `Det beslutet är redan registrerat: ${p.outcome}${p.date ? `, ${p.date}` : ''} (${p.id}), fattat av ${p.by} ${p.at}. Det är beslutet som gäller; inget ändrades.`,
    rolesRevoked: (p: P) => `Inte längre godkännare, eftersom begäran som namngav dem ersattes: ${p.people}.`,
    rejectedBy: (p: P) => `underkänt av ${p.person}${p.text ? `: ”${p.text}”` : ''}`,
    riskTitle: (p: P) => `Risker: ${p.name}`,
    riskNone: 'Inga risker har registrerats ännu. Registrera en med `risk ny [kritisk] <risk> reservplan <reservplan>`.',
    riskRemoved: (p: P) => `Risken ${p.id} har tagits bort.`,
    riskHint: 'Ta bort en med `risk radera <id>`; en risk som saknar reservplan registreras på nytt med planen.',
    notesTitle: (p: P) => `Anteckningar: ${p.task}`,
    noteDetail: (p: P) => `${p.number} · ${p.by} · ${p.at}`,
    notesNone: (p: P) => `${p.task} har inga anteckningar.`,
    notesHint: (p: P) => `Ta bort en med \`anteckning radera ${p.task} <nummer>\`.`,
    noteRemoved: (p: P) => `Anteckning ${p.number} har tagits bort från ${p.task}.`,
    itemRemoved: (p: P) => `Punkten ${p.task} har tagits bort från checklistan.`,
    channelRemoved: (p: P) => `${p.group} informeras inte längre i ${p.channel}.`,
    groupRemoved: (p: P) => `Målgruppen ${p.group} har tagits bort från kommunikationsplanen.`,
    status: {
      blocked: 'Blockerade',
      blockedLine: (p: P) => `${p.task}: ${p.reason}`,
      decision: 'Gällande beslut',
      decisionValue: (p: P) => `${p.outcome}${p.date ? `, ${p.date}` : ''} (${p.by})`,
      noDecision: 'inget ännu',
      waiting: 'Godkännanden som väntar',
      waitingLine: (p: P) => `${p.kind}: väntar på ${p.people}`,
      staff: 'Personal som kan logga in',
      staffValue: (p: P) => `${p.ready} av ${p.total}`,
      noStaff: 'ingen tillfrågad ännu',
      training: 'Nästa utbildning',
      trainingValue: (p: P) => `${p.name}, ${p.start}`,
      noTraining: 'ingen planerad',
      unassigned: 'Utan ansvarig',
      unassignedValue: (p: P) => `${p.count}: ${p.tasks}`,
      noneUnassigned: 'alla uppgifter har en ansvarig',
    },
    helpMore: 'Listor, borttagningar och bekräftelser:',
    usage: {
      tasks: 'uppgifter blockerade|utanansvarig',
      note: 'anteckning lista <uppgift> | anteckning radera <uppgift> <nummer>',
      item: 'punkt radera <uppgift>',
      risk: 'risk [lista] | risk radera <riskens id>',
      comms: 'kommunikation lista | kommunikation radera kanal <grupp> <kanal> | kommunikation radera grupp <grupp>',
      signoff: 'begär … bekräfta',
      assign: 'tilldela … bekräfta',
    },
    describe: {
      tasks: 'visa de blockerade uppgifterna eller dem som ingen är ansvarig för',
      note: 'visa en uppgifts anteckningar eller ta bort en som skrevs av misstag',
      item: 'ta bort en av projektets egna punkter',
      risk: 'visa riskerna eller ta bort en (registrera den igen med dess reservplan)',
      comms: 'visa planen; ta bort en kanal från en grupp eller ta bort en grupp som inte ska informeras',
      signoff:
        'namnge någon som är ny i projektet eller ersätt en godkänd begäran: boten ber dig skriva kommandot igen med bekräfta i slutet',
      assign: 'ge en uppgift till någon som är ny i projektet: boten ber dig skriva kommandot igen med bekräfta i slutet',
    },
    blockedTitle: 'Blockerade uppgifter',
    unassignedTitle: 'Uppgifter utan ansvarig',
  },
};

/** The refusals of the same rules, spread into the Swedish refusals. */
export const svRuleRefusals: RuleRefusals = {
  'person.new': (p: P) =>
    `Okänd i det här projektet: ${p.people}.${p.suggestions ? ` Menade du ${p.suggestions}?` : ''} Inget ändrades. Om det är nya personer i projektet, skriv kommandot igen med \`bekräfta\` i slutet: \`${p.command}\`.`,
  'signoff.remarks-required': (p: P) =>
    `Ett godkännande med anmärkningar (${p.kind}) kräver anmärkningarna, till exempel \`anmärkning ${p.signoff} bilagorna laddas långsamt\`. Godkänn utan anmärkningar: \`godkänn ${p.signoff}\`.`,
  'signoff.already-answered': (p: P) =>
    `Du har redan svarat på begäran om godkännande (${p.kind}, ${p.signoff}): ${p.response}, ${p.at}. Svaret gäller och ändras inte; begärans status: ${p.state}. Om något har ändrats kan den införandeansvariga göra en ny begäran.`,
  'signoff.replace-approved': (p: P) =>
    `Begäran om godkännande (${p.kind}, ${p.signoff}) är godkänd. En ny begäran ersätter den, och godkännandet räknas inte längre för beslutet. Inget ändrades. Om du ändå vill ersätta den, skriv kommandot igen med \`bekräfta\` i slutet: \`${p.command}\`.`,
  'date.past': (p: P) => `${p.date} har redan passerat. Ange dagens datum eller ett senare.`,
  'task.closed-by-signoff': (p: P) =>
    `Punkten ”${p.task}” stängs av sitt godkännande: den är klar när begäran (${p.kind}) har godkänts och öppnas igen när en ny begäran ersätter den, så den markeras inte för hand. Be om godkännande med \`begär ${p.kindId} <godkännare…>\`.`,
  'task.closed-by-decision': (p: P) =>
    `Punkten ”${p.task}” stängs av själva beslutet: den är klar när ett beslut om införande registreras (\`besluta ja\`) och öppnas igen när ett senare beslut ersätter det, så den markeras inte för hand.`,
  'role.last-coordinator': (p: P) =>
    `${p.person} är projektets enda införandeansvariga, och ett projekt behöver en. Ge först rollen till någon annan: \`roll <person> införandeansvarig\`.`,
  'training.ambiguous': (p: P) => `”${p.training}” passar in på flera utbildningar: ${p.candidates}. Skriv utbildningens id.`,
  'risk.unknown': (p: P) => `Det finns ingen risk ”${p.risk}”. Skriv \`risk lista\` för att se dem.`,
  'note.unknown': (p: P) =>
    `${p.task} har ingen anteckning ${p.number}. Skriv \`anteckning lista ${p.task}\` för att se dess anteckningar.`,
  'item.not-own': (p: P) =>
    `${p.task} hör till checklistan som varje projekt börjar med och tas därför inte bort. Om punkten inte gäller, markera den: \`obehövlig ${p.task} <orsak>\`.`,
  'item.has-items': (p: P) => `Under ${p.task} finns andra punkter: ${p.candidates}. Ta bort dem först.`,
  'comms.channel-unknown': (p: P) =>
    `${p.group} informeras inte i ${p.channel}. ${p.channels ? `Dess kanaler: ${p.channels}.` : 'Den har ingen kanal.'}`,
};
