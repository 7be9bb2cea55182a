/** A Teams conversation's people, read page by page with the Bot Framework's paged member list. */
import { TeamsInfo, type TeamsChannelAccount, type TurnContext } from 'botbuilder';

/** Members asked for per page (Teams allows up to 500). */
const PAGE_SIZE = 500;

/**
 * Every member of the turn's conversation (a channel's team, a group chat), each passed to `seen` so the
 * adapter can remember how to message them; returns their user ids as actors carry them (the aadObjectId).
 */
export async function pagedMemberIds(ctx: TurnContext, seen: (m: TeamsChannelAccount) => Promise<void>): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await TeamsInfo.getPagedMembers(ctx, PAGE_SIZE, token);
    for (const m of page.members ?? []) {
      await seen(m);
      ids.push(m.aadObjectId ?? m.id);
    }
    token = page.continuationToken || undefined;
  } while (token);
  return ids;
}
