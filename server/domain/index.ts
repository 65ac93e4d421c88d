import { Calendar } from '../calendar/calendar';
import { Drive } from '../drive/drive';
import { Accounts } from './accounts';
import { ChangeStream } from './changes';
import type { DomainContext } from './context';
import { Conversations } from './conversations';
import { Directory } from './directory';
import { Favorites } from './favorites';
import { Groups } from './groups';
import { MessageActions } from './message-actions';
import { Messages } from './messages';
import { MessageSearch } from './search';

/** The relay's domain services, wired to one store and one bus. */
export interface Domain {
  accounts: Accounts;
  conversations: Conversations;
  groups: Groups;
  messages: Messages;
  messageActions: MessageActions;
  favorites: Favorites;
  search: MessageSearch;
  directory: Directory;
  changes: ChangeStream;
  /** 微盘 (server/drive). */
  drive: Drive;
  /** 日程 (server/calendar). */
  calendar: Calendar;
}

export interface DomainOptions {
  /** The relay's public URL, once known (subscription URLs); default where it listens. */
  publicUrl?: () => string;
}

export function createDomain(ctx: DomainContext, options: DomainOptions = {}): Domain {
  const changes = new ChangeStream(ctx);
  const directory = new Directory(ctx, changes);
  return {
    accounts: new Accounts(ctx, changes),
    conversations: new Conversations(ctx, changes),
    groups: new Groups(ctx, changes),
    // A card names only someone the sender may see in the directory.
    messages: new Messages(ctx, changes, (viewerId, ids) => directory.users(viewerId, ids)),
    messageActions: new MessageActions(ctx, changes),
    favorites: new Favorites(ctx, changes),
    search: new MessageSearch(ctx),
    directory,
    changes,
    drive: new Drive(ctx),
    calendar: new Calendar(ctx, changes, { publicUrl: options.publicUrl ?? (() => 'http://127.0.0.1:8090') }),
  };
}

export type { DomainContext } from './context';
export { Fanout } from './fanout';
