import type { ChannelRef } from '../domain/types.js';
import type { Loaded, Prefetched, ProjectStore } from '../ports/store.js';

const sameChannel = (a: ChannelRef, b: ChannelRef): boolean => a.platform === b.platform && a.id === b.id;

/**
 * The store as one inbound sees it after its first reads were made together: the conversation's project is answered
 * from them, and the named project's first load too (once: a retry after a conflict, or a load after a commit, reads
 * Redis again, so an optimistic commit still checks against what is stored). Everything else is the store itself.
 */
export function prefetchedStore(store: ProjectStore, tenant: string, channel: ChannelRef, pre: Prefetched): ProjectStore {
  let named: { projectId: string; loaded: Loaded | undefined } | undefined = pre.named;
  const view = Object.create(store) as ProjectStore;
  view.projectIdFor = (t, c) => (t === tenant && sameChannel(c, channel) ? Promise.resolve(pre.bound) : store.projectIdFor(t, c));
  view.load = (t, projectId) => {
    if (named && t === tenant && projectId === named.projectId) {
      const { loaded } = named;
      named = undefined;
      return Promise.resolve(loaded);
    }
    return store.load(t, projectId);
  };
  return view;
}
