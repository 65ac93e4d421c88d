// The drive's trash: trashing marks a whole subtree (trash_root on the item the user trashed);
// restoring brings back what that one act trashed, into the original folder or, when that folder is
// gone, the space's root, under a free name; purging deletes the subtree for good. Items trashed
// longer than `trashRetentionDays` cannot be restored and are purged by the retention job.
import { QixinError } from '../../shared/protocol';
import type { Reader, Tx } from '../domain/context';
import type { FileConfig } from '../files/file-config';
import { DAY_MS } from '../files/file-config';
import type { NodeRow } from './drive-rows';
import { freeName, loadNode, loadSpace, subtreeOf } from './drive-rows';

export const notInTrash = () => new QixinError('invalid', 'this item is not in the trash', 'not_in_trash');

/** Trashed at or before this moment: past restoring. */
export const trashCutoff = (config: FileConfig, now: number) => now - config.trashRetentionDays * DAY_MS;

/** Marks `node` and everything live below it as trashed by `userId`. */
export async function markTrashed(trx: Tx, node: NodeRow, userId: string, now: number): Promise<void> {
  const live = (await subtreeOf(trx, node.id)).filter((n) => n.trashed_at === null).map((n) => n.id);
  for (let i = 0; i < live.length; i += 500) {
    await trx
      .updateTable('drive_nodes')
      .set({ trashed_at: now, trashed_by: userId, trash_root: 0 })
      .where('id', 'in', live.slice(i, i + 500))
      .execute();
  }
  await trx.updateTable('drive_nodes').set({ trash_root: 1 }).where('id', '=', node.id).execute();
}

/** A trashed item the user may still restore or purge: one the user trashed as such, not expired. */
export function assertRestorable(node: NodeRow, config: FileConfig, now: number): void {
  if (node.trashed_at === null || node.trash_root !== 1) throw notInTrash();
  if (node.trashed_at <= trashCutoff(config, now))
    throw new QixinError('conflict', 'this item was in the trash too long and is gone', 'trash_expired');
}

/**
 * Brings back `node` and what was trashed with it (not items trashed on their own before), into its
 * folder if that is still there, else the space's root; returns the restored node.
 */
export async function restoreNode(trx: Tx, node: NodeRow, userId: string, now: number): Promise<NodeRow> {
  const subtree = await subtreeOf(trx, node.id);
  const back = new Set([node.id]);
  // Parents come first: a node returns when its parent does and it went with this same act.
  for (const n of subtree.slice(1)) {
    if (back.has(n.parent_id ?? '') && n.trash_root === 0 && n.trashed_at === node.trashed_at) back.add(n.id);
  }
  const parent = node.parent_id ? await loadNode(trx, node.parent_id) : undefined;
  const folderId =
    parent && parent.trashed_at === null && parent.space_id === node.space_id
      ? parent.id
      : (await loadSpace(trx, node.space_id)).root_id;
  const name = await freeName(trx, folderId, node.name, node.type);
  // Placed (and renamed) while still trashed: a live name must never clash, not even for a moment.
  await trx
    .updateTable('drive_nodes')
    .set({ parent_id: folderId, name, updated_by: userId, updated_at: now })
    .where('id', '=', node.id)
    .execute();
  const ids = [...back];
  for (let i = 0; i < ids.length; i += 500) {
    await trx
      .updateTable('drive_nodes')
      .set({ trashed_at: null, trashed_by: null, trash_root: 0 })
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  }
  return (await loadNode(trx, node.id))!;
}

/**
 * Deletes `nodeId` and everything below it, with their grants, stars and access history. Items
 * inside that were trashed on their own before keep their place in the trash: they move to the
 * space's root (still trashed), so restoring one later brings it back there.
 */
export async function deleteSubtree(trx: Tx, nodeId: string): Promise<number> {
  const subtree = await subtreeOf(trx, nodeId);
  const survivors = new Set<string>();
  const doomed: string[] = [];
  for (const n of subtree) {
    if (n.id !== nodeId && (survivors.has(n.parent_id ?? '') || n.trash_root === 1)) survivors.add(n.id);
    else doomed.push(n.id);
  }
  const tops = subtree.filter((n) => survivors.has(n.id) && !survivors.has(n.parent_id ?? '')).map((n) => n.id);
  if (tops.length > 0) {
    const { root_id } = await loadSpace(trx, subtree[0]!.space_id);
    await trx.updateTable('drive_nodes').set({ parent_id: root_id }).where('id', 'in', tops).execute();
  }
  for (let i = 0; i < doomed.length; i += 500) {
    const chunk = doomed.slice(i, i + 500);
    await trx.deleteFrom('drive_grants').where('node_id', 'in', chunk).execute();
    await trx.deleteFrom('drive_stars').where('node_id', 'in', chunk).execute();
    await trx.deleteFrom('drive_access').where('node_id', 'in', chunk).execute();
    await trx.deleteFrom('drive_nodes').where('id', 'in', chunk).execute();
  }
  return doomed.length;
}

/** Trash roots past their retention (oldest first). */
export async function expiredTrashRoots(db: Reader, config: FileConfig, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('drive_nodes')
    .select('id')
    .where('trash_root', '=', 1)
    .where('trashed_at', 'is not', null)
    .where('trashed_at', '<=', trashCutoff(config, now))
    .orderBy('trashed_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
