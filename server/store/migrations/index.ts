import type { Migration } from '../migrator';
import { migration0010 } from './0010-initial';

/** Every migration, in order. Add the next one as 0020-<name>.ts and list it here. */
export const migrations: Migration[] = [migration0010];
