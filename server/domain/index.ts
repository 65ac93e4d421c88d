import { Accounts } from './accounts';
import { ChangeStream } from './changes';
import type { DomainContext } from './context';
import { Conversations } from './conversations';
import { Directory } from './directory';
import { Groups } from './groups';
import { Messages } from './messages';
import { MessageSearch } from './search';

/** The relay's domain services, wired to one store and one bus. */
export interface Domain {
  accounts: Accounts;
  conversations: Conversations;
  groups: Groups;
  messages: Messages;
  search: MessageSearch;
  directory: Directory;
  changes: ChangeStream;
}

export function createDomain(ctx: DomainContext): Domain {
  const changes = new ChangeStream(ctx);
  return {
    accounts: new Accounts(ctx, changes),
    conversations: new Conversations(ctx, changes),
    groups: new Groups(ctx, changes),
    messages: new Messages(ctx, changes),
    search: new MessageSearch(ctx),
    directory: new Directory(ctx, changes),
    changes,
  };
}

export type { DomainContext } from './context';
export { Fanout } from './fanout';
