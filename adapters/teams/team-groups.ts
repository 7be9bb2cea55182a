import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { ConversationDirectory } from '../../src/ports/conversations.js';
import type { Logger } from '../../src/ports/logger.js';
import { teamAadGroupIdOf } from './inbound.js';

/**
 * The Microsoft 365 group id of a channel's team, Graph's name for the team (findSent reads a channel's
 * messages under it). Only the activities of the bot's arrival (bot added, installation) name it, and on
 * one channel; every channel message names the team's id. So the pair is remembered per tenant whenever an
 * activity carries both, and a team still unknown is asked of the connector once per process
 * (GET /v3/teams/{id}, TeamsInfo.getTeamDetails); a channel stored earlier keeps the group id it has.
 */
export function teamGroups(o: { refs: ConversationDirectory; log: Pick<Logger, 'warn'> }) {
  /** `tenant|team id` of the teams the connector was asked about, whatever it answered. */
  const asked = new Set<string>();

  /** The group id of the team the activity's channel is in, learning it on the way; undefined when it cannot be known. */
  return async function teamGroupOf(
    context: TurnContext,
    tenant: string,
    teamId: string | undefined,
    storedGroup: string | undefined,
  ): Promise<string | undefined> {
    const named = teamAadGroupIdOf(context.activity);
    if (named) {
      if (teamId) await o.refs.saveTeamGroup(tenant, teamId, named);
      return named;
    }
    const known = (teamId ? await o.refs.teamGroup(tenant, teamId) : undefined) ?? storedGroup;
    if (known || !teamId || asked.has(`${tenant}|${teamId}`)) return known;
    asked.add(`${tenant}|${teamId}`);
    try {
      const group = (await TeamsInfo.getTeamDetails(context, teamId))?.aadGroupId;
      if (group) await o.refs.saveTeamGroup(tenant, teamId, group);
      return group || undefined;
    } catch (err) {
      o.log.warn(
        { err, tenant, team: teamId },
        'teams: the connector did not name a team’s Microsoft 365 group; a message whose answer was lost in its channels is sent again, so it may arrive twice',
      );
      return undefined;
    }
  };
}
