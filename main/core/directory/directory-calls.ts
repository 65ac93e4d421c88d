// The directory as the renderer reads it: answered from the cache (which holds only what the
// relay lets this user see), so lists and search work offline and in a few milliseconds.
import type { ContractService, EventSink } from '../../../shared/contract';
import type { LocalCache } from '../cache/local-cache';
import type { RelayLink } from '../relay/relay-link';
import type { DirectorySync } from '../sync/directory-sync';
import { createLogger } from '../log';

const log = createLogger('core.directory');

type DirectoryCallName =
  'directory.departments' | 'directory.members' | 'directory.search' | 'directory.users' | 'directory.addMember';

export type DirectoryCallDeps = {
  cache: LocalCache;
  link: RelayLink;
  directory: DirectorySync;
  emit: EventSink;
  /** Throws unless signed in. */
  requireSession(): void;
};

export function directoryCalls(deps: DirectoryCallDeps): Pick<ContractService, DirectoryCallName> {
  const { cache, link, directory } = deps;
  return {
    'directory.departments': async () => {
      deps.requireSession();
      return { departments: cache.read.departments() };
    },
    'directory.members': async ({ departmentId, offset, limit }) => {
      deps.requireSession();
      return cache.read.members(departmentId, offset, limit);
    },
    'directory.search': async ({ query, limit }) => {
      deps.requireSession();
      return cache.read.search(query, limit);
    },
    'directory.users': async ({ ids }) => {
      deps.requireSession();
      const unknown = cache.read.unknownUserIds(ids);
      if (unknown.length > 0 && link.online) {
        // Offline, the profiles held are the answer; the rest come once the relay is back.
        await directory.fetchUsers(unknown).catch((err: Error) => log.info({ err: err.message }, 'profiles by id'));
      }
      return { users: cache.read.usersByIds([...new Set(ids)]) };
    },
    'directory.addMember': async (args) => {
      deps.requireSession();
      await link.whenOnline();
      const { user } = await link.request('admin.addMember', args);
      cache.write.upsertUser(user);
      deps.emit('directory.changed', {});
      return { user };
    },
  };
}
