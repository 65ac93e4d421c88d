import type { Migration } from '../migrator';
import { migration0010 } from './0010-initial';
import { migration0020 } from './0020-audit';
import { migration0030 } from './0030-directory';
import { migration0040 } from './0040-messaging';
import { migration0050 } from './0050-search';
import { migration0060 } from './0060-conversation-snapshots';
import { migration0070 } from './0070-files';
import { migration0080 } from './0080-calendar';
import { migration0090 } from './0090-event-attachments';

/** Every migration, in order. Add the next one as 0030-<name>.ts and list it here. */
export const migrations: Migration[] = [
  migration0010,
  migration0020,
  migration0030,
  migration0040,
  migration0050,
  migration0060,
  migration0070,
  migration0080,
  migration0090,
];
