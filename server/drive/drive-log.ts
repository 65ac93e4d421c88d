// The drive's access history (drive_access): who previewed, downloaded, uploaded, changed, shared,
// trashed or restored which item, and when. Managers page through it under a node, newest first.
import { sql } from 'kysely';
import { newId } from '../../shared/lib/ids';
import { FileLimits, type DriveAccessEntry } from '../../shared/protocol';
import type { Reader } from '../domain/context';
import type { DriveAccessRow } from '../store/schema';
import { MAX_DRIVE_DEPTH } from './drive-rows';

export type DriveAccessAction = DriveAccessRow['action'];

export async function logAccess(
  db: Reader,
  entry: { nodeId: string; spaceId: string; userId: string; action: DriveAccessAction; at: number },
): Promise<void> {
  await db
    .insertInto('drive_access')
    .values({
      id: newId(),
      node_id: entry.nodeId,
      space_id: entry.spaceId,
      user_id: entry.userId,
      action: entry.action,
      at: entry.at,
    })
    .execute();
}

interface EntryRow {
  id: string;
  node_id: string;
  name: string;
  user_id: string;
  action: DriveAccessAction;
  at: number | string;
}

/**
 * A page of the history of `nodeId` and everything below it, before `before`. Entries that share the
 * page's last millisecond all go on this page, so paging by time never skips one.
 */
export async function accessPage(
  db: Reader,
  nodeId: string,
  before: number | undefined,
): Promise<{ entries: DriveAccessEntry[]; hasMore: boolean }> {
  const size = FileLimits.accessLogPageSize;
  const page = (limit: number, at: { before?: number; exactly?: number }) =>
    sql<EntryRow>`
      with recursive down(id, depth) as (
        select id, 0 from drive_nodes where id = ${nodeId}
        union all
        select n.id, down.depth + 1 from drive_nodes n join down on n.parent_id = down.id
        where down.depth < ${MAX_DRIVE_DEPTH}
      )
      select a.id, a.node_id, n.name, a.user_id, a.action, a.at
      from drive_access a join down on a.node_id = down.id join drive_nodes n on n.id = a.node_id
      where ${at.exactly !== undefined ? sql`a.at = ${at.exactly}` : at.before !== undefined ? sql`a.at < ${at.before}` : sql`1 = 1`}
      order by a.at desc, a.id desc
      limit ${limit}`.execute(db);
  const { rows } = await page(size + 1, { before });
  let hasMore = rows.length > size;
  let kept = rows.slice(0, size);
  if (hasMore) {
    const last = Number(kept.at(-1)!.at);
    const same = await page(10_000, { exactly: last });
    kept = [...kept.filter((r) => Number(r.at) !== last), ...same.rows];
    hasMore = (await page(1, { before: last })).rows.length > 0;
  }
  return {
    entries: kept.map((r) => ({
      id: r.id,
      nodeId: r.node_id,
      nodeName: r.name,
      userId: r.user_id,
      action: r.action,
      at: Number(r.at),
    })),
    hasMore,
  };
}
