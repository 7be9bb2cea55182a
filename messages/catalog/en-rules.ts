/** English: the sentences of the rules that keep wrong things out (issue 14): confirmations, removals, lists, warnings, the status at a glance. */

import type { Catalog } from './en.js';

type P = Record<string, string>;

/** Spread into the English catalogue, whose shape the others must match. */
export const enRules = {
  rules: {
    notWorkingDay: (p: P) =>
      `Note: ${p.date} is not a working day (a weekend or a public holiday). Reminders and trainings count working days; change the date if that was not meant.`,
    decisionRepeat: (p: P) =>
      `That decision was already recorded: ${p.outcome}${p.date ? `, ${p.date}` : ''} (${p.id}), decided by ${p.by} on ${p.at}. It is the decision in force; nothing changed.`,
    rolesRevoked: (p: P) => `No longer approvers, since the request that named them was replaced: ${p.people}.`,
    rejectedBy: (p: P) => `rejected by ${p.person}${p.text ? `: “${p.text}”` : ''}`,
    riskTitle: (p: P) => `Risks: ${p.name}`,
    riskNone: 'No risks recorded yet. Record one with `risk add [critical] <risk> fallback <fallback plan>`.',
    riskRemoved: (p: P) => `Risk ${p.id} removed.`,
    riskHint: 'Remove one with `risk remove <id>`; a risk without its fallback plan is added again with the plan.',
    notesTitle: (p: P) => `Notes: ${p.task}`,
    noteDetail: (p: P) => `${p.number} · ${p.by} · ${p.at}`,
    notesNone: (p: P) => `${p.task} has no notes.`,
    notesHint: (p: P) => `Remove one with \`note remove ${p.task} <number>\`.`,
    noteRemoved: (p: P) => `Note ${p.number} removed from ${p.task}.`,
    itemRemoved: (p: P) => `Item ${p.task} removed from the checklist.`,
    channelRemoved: (p: P) => `${p.group} is no longer told in ${p.channel}.`,
    groupRemoved: (p: P) => `Target group ${p.group} removed from the communications plan.`,
    status: {
      blocked: 'Blocked',
      blockedLine: (p: P) => `${p.task}: ${p.reason}`,
      decision: 'Decision in force',
      decisionValue: (p: P) => `${p.outcome}${p.date ? `, ${p.date}` : ''} (${p.by})`,
      noDecision: 'none yet',
      waiting: 'Sign-offs waiting',
      waitingLine: (p: P) => `${p.kind}: waiting for ${p.people}`,
      staff: 'Staff ready to log in',
      staffValue: (p: P) => `${p.ready} of ${p.total}`,
      noStaff: 'nobody asked yet',
      training: 'Next training',
      trainingValue: (p: P) => `${p.name}, ${p.start}`,
      noTraining: 'none planned',
      unassigned: 'Without an owner',
      unassignedValue: (p: P) => `${p.count}: ${p.tasks}`,
      noneUnassigned: 'every task has an owner',
    },
    helpMore: 'Lists, removals and confirmations:',
    usage: {
      tasks: 'tasks blocked|unassigned',
      note: 'note list <task> | note remove <task> <number>',
      item: 'item remove <task>',
      risk: 'risk [list] | risk remove <risk id>',
      comms: 'comms list | comms remove channel <group> <channel> | comms remove group <group>',
      signoff: 'signoff … confirm',
      assign: 'assign … confirm',
    },
    describe: {
      tasks: 'list the blocked tasks, or those nobody owns',
      note: "list a task's notes, or remove one written by mistake",
      item: "remove one of the project's own items",
      risk: 'list the risks, or remove one (add it again with its fallback plan)',
      comms: 'list the plan; take a channel off a group, or remove a group nobody is to be told',
      signoff:
        'name someone new to the project, or replace an approved request: the bot asks you to type the command again with confirm at the end',
      assign: 'give a task to someone new to the project: the bot asks you to type the command again with confirm at the end',
    },
    blockedTitle: 'Blocked tasks',
    unassignedTitle: 'Tasks without an owner',
  },
};

/** The refusals of the same rules, spread into the English refusals; fi and sv give exactly these keys. */
export const enRuleRefusals = {
  'person.new': (p: P) =>
    `Not known in this project: ${p.people}.${p.suggestions ? ` Did you mean ${p.suggestions}?` : ''} Nothing was changed. If they are new to the project, type the command again with \`confirm\` at the end: \`${p.command}\`.`,
  'signoff.remarks-required': (p: P) =>
    `Approving ${p.kind} with remarks needs the remarks, for example \`remarks ${p.signoff} the attachments load slowly\`. To approve without remarks: \`approve ${p.signoff}\`.`,
  'signoff.already-answered': (p: P) =>
    `You already answered the sign-off request for ${p.kind} (${p.signoff}): ${p.response}, ${p.at}. That answer stands and is not changed; the request is ${p.state}. If something has changed, the coordinator can ask again with a new request.`,
  'signoff.replace-approved': (p: P) =>
    `The sign-off request for ${p.kind} (${p.signoff}) is approved. A new request replaces it, and that approval no longer counts for the decision. Nothing was changed. To replace it anyway, type the command again with \`confirm\` at the end: \`${p.command}\`.`,
  'date.past': (p: P) => `${p.date} is in the past. Give a date from today on.`,
  'task.closed-by-signoff': (p: P) =>
    `“${p.task}” is closed by its sign-off: it is done when the request for ${p.kind} is approved, and open again when a new request replaces it, so it is not marked by hand. Ask for the sign-off with \`signoff ${p.kindId} <approvers…>\`.`,
  'task.closed-by-decision': (p: P) =>
    `“${p.task}” is closed by the decision itself: it is done when a go decision is recorded (\`decide go\`), and open again when a later decision replaces it, so it is not marked by hand.`,
  'role.last-coordinator': (p: P) =>
    `${p.person} is the only coordinator, and a project needs one. Give the role to someone else first: \`role <person> coordinator\`.`,
  'training.ambiguous': (p: P) => `“${p.training}” matches several trainings: ${p.candidates}. Type the training's id.`,
  'risk.unknown': (p: P) => `There is no risk “${p.risk}”. Type \`risk list\` to see them.`,
  'note.unknown': (p: P) => `${p.task} has no note ${p.number}. Type \`note list ${p.task}\` to see its notes.`,
  'item.not-own': (p: P) =>
    `${p.task} is on the checklist every project starts from, so it is not removed. If it does not apply, mark it: \`na ${p.task} <reason>\`.`,
  'item.has-items': (p: P) => `${p.task} has items under it: ${p.candidates}. Remove those first.`,
  'comms.channel-unknown': (p: P) =>
    `${p.group} is not told in ${p.channel}. ${p.channels ? `Its channels are: ${p.channels}.` : 'It has no channel.'}`,
};

/** The rule refusals' keys, from the English ones, so the fi and sv catalogues name no list of their own. */
export type RuleRefusals = Pick<Catalog['refusal'], keyof typeof enRuleRefusals>;
