/** Finnish: the sentences of the rules that keep wrong things out (issue 14): confirmations, removals, lists, warnings, the status at a glance. */

import type { Catalog } from './en.js';
import type { RuleRefusals } from './en-rules.js';

type P = Record<string, string>;

/** Spread into the Finnish catalogue; typed so a missing sentence fails the build. */
export const fiRules: Pick<Catalog, 'rules'> = {
  rules: {
    notWorkingDay: (p: P) =>
      `Huomaa: ${p.date} ei ole työpäivä (viikonloppu tai arkipyhä). Muistutukset ja koulutukset lasketaan työpäivinä; vaihda päivämäärä, jos tätä ei tarkoitettu.`,
    decisionRepeat: (p: P) =>
      `Tämä päätös on jo kirjattu: ${p.outcome}${p.date ? `, ${p.date}` : ''} (${p.id}), päättäjä ${p.by}, ${p.at}. Se on voimassa oleva päätös; mikään ei muuttunut.`,
    rolesRevoked: (p: P) => `Seuraavat henkilöt eivät ole enää hyväksyjiä, koska heidät nimennyt pyyntö korvattiin: ${p.people}.`,
    rejectedBy: (p: P) => `${p.person} hylkäsi${p.text ? `: ”${p.text}”` : ''}`,
    riskTitle: (p: P) => `Riskit: ${p.name}`,
    riskNone:
      'Riskejä ei ole vielä kirjattu. Kirjaa riski komennolla `riski lisää [kriittinen] <riski> varasuunnitelma <varasuunnitelma>`.',
    riskRemoved: (p: P) => `Riski ${p.id} poistettu.`,
    riskHint:
      'Poista riski komennolla `riski poista <tunnus>`; riski, jolta puuttuu varasuunnitelma, kirjataan uudelleen suunnitelman kanssa.',
    notesTitle: (p: P) => `Muistiinpanot: ${p.task}`,
    noteDetail: (p: P) => `${p.number} · ${p.by} · ${p.at}`,
    notesNone: (p: P) => `Tehtävällä ${p.task} ei ole muistiinpanoja.`,
    notesHint: (p: P) => `Poista muistiinpano komennolla \`muistiinpano poista ${p.task} <numero>\`.`,
    noteRemoved: (p: P) => `Muistiinpano ${p.number} poistettu tehtävästä ${p.task}.`,
    itemRemoved: (p: P) => `Kohta ${p.task} poistettu tarkistuslistalta.`,
    channelRemoved: (p: P) => `Kohderyhmälle ${p.group} ei enää tiedoteta kanavalla ${p.channel}.`,
    groupRemoved: (p: P) => `Kohderyhmä ${p.group} poistettu viestintäsuunnitelmasta.`,
    status: {
      blocked: 'Estyneet',
      blockedLine: (p: P) => `${p.task}: ${p.reason}`,
      decision: 'Voimassa oleva päätös',
      decisionValue: (p: P) => `${p.outcome}${p.date ? `, ${p.date}` : ''} (${p.by})`,
      noDecision: 'ei vielä',
      waiting: 'Odottavat hyväksynnät',
      waitingLine: (p: P) => `${p.kind}: vastausta odotetaan henkilöiltä ${p.people}`,
      staff: 'Kirjautumisvalmiit virkailijat',
      staffValue: (p: P) => `${p.ready}/${p.total}`,
      noStaff: 'ketään ei ole vielä kysytty',
      training: 'Seuraava koulutus',
      trainingValue: (p: P) => `${p.name}, ${p.start}`,
      noTraining: 'ei suunniteltu',
      unassigned: 'Ilman vastuuhenkilöä',
      unassignedValue: (p: P) => `${p.count}: ${p.tasks}`,
      noneUnassigned: 'jokaisella tehtävällä on vastuuhenkilö',
    },
    helpMore: 'Luettelot, poistot ja vahvistukset:',
    usage: {
      tasks: 'tehtävät estyneet|vastuuhenkilöttä',
      note: 'muistiinpano luettelo <tehtävä> | muistiinpano poista <tehtävä> <numero>',
      item: 'kohta poista <tehtävä>',
      risk: 'riski [luettelo] | riski poista <riskin tunnus>',
      comms: 'viestintä luettelo | viestintä poista kanava <ryhmä> <kanava> | viestintä poista ryhmä <ryhmä>',
      signoff: 'pyydä … vahvista',
      assign: 'nimeä … vahvista',
    },
    describe: {
      tasks: 'näytä estyneet tehtävät tai tehtävät, joilla ei ole vastuuhenkilöä',
      note: 'näytä tehtävän muistiinpanot tai poista vahingossa kirjoitettu',
      item: 'poista projektin oma kohta',
      risk: 'näytä riskit tai poista riski (kirjaa se uudelleen varasuunnitelman kanssa)',
      comms: 'näytä suunnitelma; poista kohderyhmältä kanava tai poista kohderyhmä, jolle ei tiedoteta',
      signoff:
        'nimeä projektiin uusi henkilö tai korvaa hyväksytty pyyntö: botti pyytää kirjoittamaan komennon uudelleen ja lisäämään loppuun vahvista',
      assign: 'anna tehtävä projektiin uudelle henkilölle: botti pyytää kirjoittamaan komennon uudelleen ja lisäämään loppuun vahvista',
    },
    blockedTitle: 'Estyneet tehtävät',
    unassignedTitle: 'Tehtävät ilman vastuuhenkilöä',
  },
};

/** The refusals of the same rules, spread into the Finnish refusals. */
export const fiRuleRefusals: RuleRefusals = {
  'person.new': (p: P) =>
    `Projektissa ei tunneta: ${p.people}.${p.suggestions ? ` Tarkoititko ${p.suggestions}?` : ''} Mitään ei muutettu. Jos kyse on projektiin tulevasta uudesta henkilöstä, kirjoita komento uudelleen ja lisää loppuun \`vahvista\`: \`${p.command}\`.`,
  'signoff.remarks-required': (p: P) =>
    `Hyväksyntä huomautuksin (${p.kind}) edellyttää huomautukset, esimerkiksi \`huomautus ${p.signoff} liitteet latautuvat hitaasti\`. Hyväksy ilman huomautuksia: \`hyväksy ${p.signoff}\`.`,
  'signoff.already-answered': (p: P) =>
    `Olet jo vastannut tähän hyväksyntäpyyntöön (${p.kind}, ${p.signoff}): ${p.response}, ${p.at}. Vastaus on voimassa eikä sitä muuteta; pyynnön tila: ${p.state}. Jos jokin on muuttunut, käyttöönottovastaava voi tehdä uuden pyynnön.`,
  'signoff.replace-approved': (p: P) =>
    `Hyväksyntäpyyntö (${p.kind}, ${p.signoff}) on hyväksytty. Uusi pyyntö korvaa sen, eikä hyväksyntää enää lasketa päätöksen aineistoksi. Mitään ei muutettu. Jos haluat silti korvata sen, kirjoita komento uudelleen ja lisää loppuun \`vahvista\`: \`${p.command}\`.`,
  'date.past': (p: P) => `Päivämäärä ${p.date} on jo mennyt. Anna tämä päivä tai myöhempi päivämäärä.`,
  'task.closed-by-signoff': (p: P) =>
    `Kohdan ”${p.task}” sulkee sen hyväksyntä: kohta on valmis, kun hyväksyntäpyyntö (${p.kind}) on hyväksytty, ja avautuu uudelleen, kun uusi pyyntö korvaa sen, joten sitä ei merkitä käsin. Pyydä hyväksyntää komennolla \`pyydä ${p.kindId} <hyväksyjät…>\`.`,
  'task.closed-by-decision': (p: P) =>
    `Kohdan ”${p.task}” sulkee itse päätös: kohta on valmis, kun käyttöönottopäätös kirjataan (\`päätä kyllä\`), ja avautuu uudelleen, kun myöhempi päätös korvaa sen, joten sitä ei merkitä käsin.`,
  'role.last-coordinator': (p: P) =>
    `${p.person} on projektin ainoa käyttöönottovastaava, ja projektilla on oltava sellainen. Anna rooli ensin jollekulle toiselle: \`rooli <henkilö> käyttöönottovastaava\`.`,
  'training.ambiguous': (p: P) => `”${p.training}” vastaa useaa koulutusta: ${p.candidates}. Kirjoita koulutuksen tunnus.`,
  'risk.unknown': (p: P) => `Riskiä ”${p.risk}” ei ole. Kirjoita \`riski luettelo\`, niin näet riskit.`,
  'note.unknown': (p: P) =>
    `Tehtävällä ${p.task} ei ole muistiinpanoa ${p.number}. Kirjoita \`muistiinpano luettelo ${p.task}\`, niin näet sen muistiinpanot.`,
  'item.not-own': (p: P) =>
    `Kohta ${p.task} kuuluu tarkistuslistaan, jolla jokainen projekti alkaa, joten sitä ei poisteta. Jos se ei koske projektia, merkitse se: \`tarpeeton ${p.task} <syy>\`.`,
  'item.has-items': (p: P) => `Kohdan ${p.task} alla on muita kohtia: ${p.candidates}. Poista ne ensin.`,
  'comms.channel-unknown': (p: P) =>
    `Kohderyhmälle ${p.group} ei tiedoteta kanavalla ${p.channel}. ${p.channels ? `Sen kanavat: ${p.channels}.` : 'Sillä ei ole kanavaa.'}`,
};
