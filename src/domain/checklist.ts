import type { Connection, Lang, Project, Task, TaskStatus } from './types.js';

/** A template item: ids are the stable slugs people type (`done process.review`). */
export interface TemplateItem {
  id: string;
  names: Record<Lang, string>;
  /** Technical items apply only when the e-service connects by integration or robotics. */
  technical?: boolean;
}

const item = (id: string, fi: string, sv: string, en: string, technical = false): TemplateItem => ({
  id,
  names: { fi, sv, en },
  ...(technical ? { technical } : {}),
});

/** The implementation-phase checklist of the source pages, in their order and wording. */
export const CHECKLIST: readonly TemplateItem[] = [
  item(
    'process',
    'palveluprosessin muutoksiin liittyvät tehtävät',
    'uppgifter relaterade till förändringar i serviceprocessen',
    'service process changes',
  ),
  item(
    'process.review',
    'prosessin tarkastelu jokapäiväisten tehtävien tasolla ja tarvittavat muutokset prosessikuvaukseen',
    'granskning av processen med tanke på dagliga uppgifter och nödvändiga ändringar av processbeskrivningen',
    'review the process at the level of daily work and update the process description',
  ),
  item('process.instructions', 'ohjeistuksien päivittäminen', 'uppdatering av instruktionerna', 'update the instructions'),
  item(
    'process.system-changes',
    'tarvittavien järjestelmämuutoksien kirjaaminen',
    'registrering av nödvändiga systemändringar',
    'record the system changes needed',
  ),
  item('process.training-needs', 'koulutustarpeen kartoittaminen', 'kartläggning av utbildningsbehov', 'map the training needs'),
  item('comms', 'viestintä', 'kommunikation', 'communications'),
  item('comms.plan', 'viestintäsuunnitelma ja kohderyhmät', 'kommunikationsplan och målgrupper', 'communications plan and target groups'),
  item('comms.content', 'viestintäsisältöjen toteutus', 'kommunikationsinnehåll', 'communications content'),
  item(
    'comms.capabilities',
    'muiden tarvittavien viestintäkyvykkyyksien toteutus',
    'annan relevant kommunikationsförmåga',
    'other communications capabilities',
  ),
  item('support', 'tarvittavien tukipalveluiden järjestäminen', 'nödvändiga supporttjänster', 'arrange support services'),
  item('support.adoption', 'käyttöönottoon', 'för införande', 'for the adoption'),
  item('support.continuous', 'jatkuvaan palveluun', 'för löpande tjänster', 'for continuous service'),
  item(
    'guidance',
    'asiakkaiden ohjauksen valmistelut tulevaan muuttuneeseen palveluun',
    'förberedelser för kundhandledning när tjänsterna förändras',
    'prepare customer guidance for the changed service',
  ),
  item(
    'guidance.service-descriptions',
    'Suomi.fi-palvelutietovarannon palvelukuvaus tai palvelukuvaukset',
    'Suomi.fi-servicedatalagrets servicebeskrivningar',
    'service descriptions in the Suomi.fi service catalogue, in every language needed',
  ),
  item(
    'guidance.channels',
    'viranomaisen asiakasohjaus- ja informaatiopalvelut (mm. www-sivut)',
    'myndighetens kundhandledning och informationstjänster (bl.a. webbplatser)',
    "the authority's own guidance and information services (web pages)",
  ),
  item('joining', 'palveluun liittymisen tehtävät', 'uppgifter relaterade till anslutning till tjänsten', 'joining the service'),
  item(
    'joining.login-method',
    'viranomaiskohtaiseen kirjautumistapaan liittyvät toimet',
    'åtgärder relaterade till myndighetsspecifika inloggningsmetoder',
    "set up the authority's login method (Suomi.fi or Virtu)",
  ),
  item(
    'joining.staff-login',
    'henkilöstön kyvykkyys kirjautua ja käyttää palvelua',
    'personalens förmåga att logga in i och använda tjänsten',
    'every official can log in and use the service',
  ),
  item('joining.services', 'asiointien liittäminen palveluun', 'anslutning av ärenden till tjänsten', 'connect the e-services'),
  item(
    'joining.services.form-data',
    'asiointitiedot liittymislomakkeelle',
    'uppgifter om tjänster på anslutningsblanketten',
    "fill the joining form with the e-services' details",
  ),
  item(
    'joining.services.form-sent',
    'lomakkeen lähetys ja seuranta',
    'sändning och uppföljning av blanketten',
    'send the joining form and follow it up',
  ),
  item(
    'info-sessions',
    'suunnitella ja toteuttaa tarvittavat infotilaisuudet',
    'planering och ordnande av relevanta informationsmöten',
    'plan and hold info sessions',
  ),
  item(
    'systems',
    'tarvittavien järjestelmäkyvykkyyksien toteutus',
    'genomförande av relevant systemförmåga',
    'build the system capabilities',
  ),
  item(
    'systems.integration',
    'integraatio tai lomakerobotiikka viranomaisen asiointipalvelun ja Luvat ja valvonta -palvelun välille',
    'integration eller blankettrobotik mellan myndighetens e-tjänster och tjänsten Tillstånd och tillsyn',
    "integration or form robotics between the authority's e-service and the national service",
    true,
  ),
  item(
    'systems.other-changes',
    'muiden kirjattujen muutostarpeiden toteuttaminen',
    'genomförande av andra planerade ändringsbehov',
    'carry out the other recorded changes',
  ),
  item(
    'golive-plan',
    'Ota käyttöön -vaiheen toteutussuunnittelu ja suunnitelman laatiminen',
    'Plan för införandet',
    'plan the go-live phase (with fallback plans for the most critical functions)',
  ),
  item('testing', 'Uuden toiminnan vaatima testaus', 'Testning som ny verksamhet kräver', 'testing'),
  item('testing.technical', 'tekninen testaus', 'teknisk testning', 'technical testing', true),
  item('testing.functional', 'toiminnallinen testaus (E2E)', 'funktionell testning (E2E)', 'functional testing (end to end)'),
  item(
    'testing.acceptance',
    'Hyväksyminen ja puutteiden korjaukset ja kirjaukset',
    'Godkännande och åtgärdande av brister samt registreringar',
    'acceptance, with defects fixed or recorded',
  ),
  item(
    'decision',
    'Päätös Ota käyttöön -vaiheeseen siirtymisestä',
    'Beslut om att övergå till införandet',
    'decision to move to the go-live phase',
  ),
];

const TEMPLATE = new Map(CHECKLIST.map((t) => [t.id, t]));

/** The parent id of a slug (`joining.services.form-sent` → `joining.services`), if any. */
export function parentOf(id: string): string | undefined {
  const i = id.lastIndexOf('.');
  return i > 0 ? id.slice(0, i) : undefined;
}

/** Fresh tasks for a new project: every template item, all to do. */
export function templateTasks(): Task[] {
  return CHECKLIST.map((t) => {
    const parent = parentOf(t.id);
    return { id: t.id, ...(parent ? { parent } : {}), custom: false, status: 'todo' as const, notes: [] };
  });
}

/** Whether an item applies to a project with this connection method (technical only with integration or robotics). */
export function isApplicable(taskId: string, connection: Connection): boolean {
  const t = TEMPLATE.get(taskId);
  return !(t?.technical && connection === 'light');
}

/** The tasks the project actually tracks: applicable template items and its own items, in order. */
export function applicableTasks(project: Project): Task[] {
  return project.tasks.filter((t) => isApplicable(t.id, project.connection));
}

/** An item's name in a language: the source page's wording for template items, the project's own for added ones. */
export function taskName(task: Pick<Task, 'id' | 'names'>, lang: Lang): string {
  return task.names?.[lang] ?? TEMPLATE.get(task.id)?.names[lang] ?? task.id;
}

/** The direct children a task has among the applicable ones. */
export function childrenOf(tasks: readonly Task[], id: string): Task[] {
  return tasks.filter((t) => t.parent === id);
}

/** A task's effective status: a parent's is derived from its applicable children, so it can't drift. */
export function effectiveStatus(tasks: readonly Task[], task: Task): TaskStatus {
  const kids = childrenOf(tasks, task.id);
  if (kids.length === 0) return task.status;
  const statuses = kids.map((k) => effectiveStatus(tasks, k));
  if (statuses.every((s) => s === 'na')) return 'na';
  if (statuses.every((s) => s === 'done' || s === 'na')) return 'done';
  if (statuses.some((s) => s === 'blocked')) return 'blocked';
  if (statuses.some((s) => s !== 'todo' && s !== 'na')) return 'in_progress';
  return 'todo';
}

/** Leaf tasks are the units of work; progress counts only them. */
export function leafTasks(tasks: readonly Task[]): Task[] {
  return tasks.filter((t) => childrenOf(tasks, t.id).length === 0);
}

/** The top-level groups (items without a parent) in checklist order. */
export function groups(tasks: readonly Task[]): Task[] {
  return tasks.filter((t) => !t.parent);
}

/** The top-level group a task belongs to. */
export function groupOf(id: string): string {
  const i = id.indexOf('.');
  return i > 0 ? id.slice(0, i) : id;
}

/** Done and total leaf counts for a set of tasks; not-applicable items count as neither. */
export function progress(tasks: readonly Task[], within: readonly Task[] = tasks): { done: number; total: number } {
  const leaves = leafTasks(within)
    .map((t) => effectiveStatus(tasks, t))
    .filter((s) => s !== 'na');
  return { done: leaves.filter((s) => s === 'done').length, total: leaves.length };
}

/** Turns a free-text item name into an id slug under a parent. */
export function slugFor(parent: string | undefined, name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 32) || 'item';
  const stem = parent ? `${parent}.${base}` : base;
  let id = stem;
  for (let n = 2; taken.has(id); n++) id = `${stem}-${n}`;
  return id;
}
