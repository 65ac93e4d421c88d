// How every directory write commits: one transaction that takes the next directory version,
// stamps the rows it touched with it, and appends ONE `directory` change for everyone, which
// is published after the commit. The import path (server/directory-io) uses the same helpers.
import type { Change } from '../../../shared/protocol';
import type { Addressed, ChangeStream } from '../changes';
import type { DomainContext, Tx } from '../context';
import { nextDirectoryVersion, type DirectoryVersion } from './version';

export interface DirectoryTx {
  trx: Tx;
  /** The version this write stamps on the rows it touches. */
  version: number;
  now: number;
  /** Who-sees-whom changed: clients drop their directory and read it again. */
  newEpoch(): void;
}

/** Appends the one `directory` change of a write; publish the result after commit. */
export function appendDirectoryChange(
  changes: ChangeStream,
  trx: Tx,
  at: DirectoryVersion,
): Promise<Addressed<Change>[]> {
  return changes.append(trx, [{ userId: null, change: { kind: 'directory', version: at.version, epoch: at.epoch } }]);
}

/** Bumps the epoch of the version already taken in this transaction. */
export async function bumpDirectoryEpoch(trx: Tx): Promise<DirectoryVersion> {
  const row = await trx
    .updateTable('directory_state')
    .set((eb) => ({ epoch: eb('epoch', '+', 1) }))
    .where('singleton', '=', 1)
    .returning(['version', 'epoch'])
    .executeTakeFirstOrThrow();
  return { version: Number(row.version), epoch: Number(row.epoch) };
}

/** Runs `work` as one directory write (see above) and publishes its change after commit. */
export async function directoryWrite<T>(
  ctx: DomainContext,
  changes: ChangeStream,
  work: (w: DirectoryTx) => Promise<T>,
  options: { newEpoch?: boolean } = {},
): Promise<T> {
  const { result, appended } = await ctx.transaction(async (trx) => {
    let at = await nextDirectoryVersion(trx, options);
    let epochWanted = false;
    const result = await work({
      trx,
      version: at.version,
      now: ctx.now(),
      newEpoch: () => {
        epochWanted = true;
      },
    });
    if (epochWanted && !options.newEpoch) at = await bumpDirectoryEpoch(trx);
    return { result, appended: await appendDirectoryChange(changes, trx, at) };
  });
  changes.publish(appended);
  return result;
}
