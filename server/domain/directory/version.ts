// The directory's version counter. Every write to users, departments, heads or grants takes
// the next version inside its transaction and stamps the rows it touched with it; clients pull
// `dir.sync` from the version they hold. Taking the version locks the one state row until
// commit, so versions become visible in order: a reader that saw rows of version N never later
// finds rows of a lower version it skipped.
import { sql } from 'kysely';
import type { Tx } from '../context';

export interface DirectoryVersion {
  version: number;
  epoch: number;
}

/** Takes the next version; `newEpoch` when who-sees-whom changed (clients re-read everything). */
export async function nextDirectoryVersion(trx: Tx, options: { newEpoch?: boolean } = {}): Promise<DirectoryVersion> {
  const row = await trx
    .updateTable('directory_state')
    .set({
      version: sql`version + 1`,
      ...(options.newEpoch ? { epoch: sql`epoch + 1` } : {}),
    })
    .where('singleton', '=', 1)
    .returning(['version', 'epoch'])
    .executeTakeFirstOrThrow();
  return { version: Number(row.version), epoch: Number(row.epoch) };
}

export async function currentDirectoryVersion(db: Pick<Tx, 'selectFrom'>): Promise<DirectoryVersion> {
  const row = await db.selectFrom('directory_state').select(['version', 'epoch']).executeTakeFirstOrThrow();
  return { version: Number(row.version), epoch: Number(row.epoch) };
}
