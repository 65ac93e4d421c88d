import { v7 as uuidv7 } from 'uuid';

/** Time-sortable id (UUIDv7), generated where the thing is born. */
export function newId(): string {
  return uuidv7();
}
