// Reading the drive's tree: one node, the chain of folders above it, a subtree, the free name in a
// folder. The walks up and down are recursive CTEs, written once for SQLite and PostgreSQL alike.
import { sql, type Selectable } from 'kysely';
import { QixinError, type DriveLevel, type DriveNode, type DriveSpace } from '../../shared/protocol';
import type { Reader } from '../domain/context';
import type { DriveNodeRow, DriveSpaceRow } from '../store/schema';

export type NodeRow = Selectable<DriveNodeRow>;
export type SpaceRow = Selectable<DriveSpaceRow>;

/** A tree is at most this deep; the walks stop there, also on a corrupt cycle. */
export const MAX_DRIVE_DEPTH = 64;

export const notFound = () => new QixinError('not_found', 'no such file or folder', 'file_not_found');

/** PostgreSQL returns bigint columns as strings; the rest of the code wants numbers. */
export function normalizeNode(row: NodeRow): NodeRow {
  return {
    ...row,
    size: Number(row.size),
    no_forward: Number(row.no_forward),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    trashed_at: row.trashed_at == null ? null : Number(row.trashed_at),
    trash_root: Number(row.trash_root),
  };
}

export function nodeView(row: NodeRow, level: DriveLevel, starred: boolean): DriveNode {
  return {
    id: row.id,
    spaceId: row.space_id,
    parentId: row.parent_id,
    type: row.type,
    name: row.name,
    size: Number(row.size),
    mime: row.mime,
    sha256: row.sha256,
    noForward: Number(row.no_forward) === 1,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    updatedBy: row.updated_by,
    updatedAt: Number(row.updated_at),
    trashedAt: row.trashed_at == null ? null : Number(row.trashed_at),
    level,
    starred,
  };
}

export function spaceView(row: SpaceRow, level: DriveLevel, usedBytes: number, quotaBytes: number | null): DriveSpace {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    ownerId: row.owner_id,
    rootId: row.root_id,
    usedBytes,
    quotaBytes,
    level,
  };
}

export async function loadNode(db: Reader, id: string): Promise<NodeRow | undefined> {
  const row = await db.selectFrom('drive_nodes').selectAll().where('id', '=', id).executeTakeFirst();
  return row && normalizeNode(row);
}

export async function loadNodes(db: Reader, ids: readonly string[]): Promise<NodeRow[]> {
  const out: NodeRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('drive_nodes')
      .selectAll()
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    out.push(...rows.map(normalizeNode));
  }
  return out;
}

export async function loadSpace(db: Reader, id: string): Promise<SpaceRow> {
  return db.selectFrom('drive_spaces').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The node and every folder above it, root first (empty when the node does not exist). */
export async function chainOf(db: Reader, id: string): Promise<NodeRow[]> {
  const { rows } = await sql<{ id: string; depth: number }>`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from drive_nodes where id = ${id}
      union all
      select n.id, n.parent_id, up.depth + 1 from drive_nodes n join up on n.id = up.parent_id
      where up.depth < ${MAX_DRIVE_DEPTH}
    )
    select id, depth from up`.execute(db);
  const nodes = new Map(
    (
      await loadNodes(
        db,
        rows.map((r) => r.id),
      )
    ).map((n) => [n.id, n]),
  );
  return rows
    .sort((a, b) => Number(b.depth) - Number(a.depth))
    .map((r) => nodes.get(r.id))
    .filter((n): n is NodeRow => n !== undefined);
}

/** The node and everything below it (trashed or not), parents before children. */
export async function subtreeOf(db: Reader, id: string): Promise<NodeRow[]> {
  const { rows } = await sql<{ id: string; depth: number }>`
    with recursive down(id, depth) as (
      select id, 0 from drive_nodes where id = ${id}
      union all
      select n.id, down.depth + 1 from drive_nodes n join down on n.parent_id = down.id
      where down.depth < ${MAX_DRIVE_DEPTH}
    )
    select id, depth from down`.execute(db);
  const depth = new Map(rows.map((r) => [r.id, Number(r.depth)]));
  const nodes = await loadNodes(db, [...depth.keys()]);
  return nodes.sort((a, b) => depth.get(a.id)! - depth.get(b.id)!);
}

/** The live (not trashed) child of `folderId` named `name`, if any. */
export async function liveChildNamed(db: Reader, folderId: string, name: string): Promise<NodeRow | undefined> {
  const row = await db
    .selectFrom('drive_nodes')
    .selectAll()
    .where('parent_id', '=', folderId)
    .where('name', '=', name)
    .where('trashed_at', 'is', null)
    .executeTakeFirst();
  return row && normalizeNode(row);
}

export const nameTaken = (name: string) =>
  new QixinError('conflict', `this folder already holds an item named "${name}"`, 'drive_name_taken');

/**
 * `name` if no live child of the folder has it, else the first free "名称 (1).ext", "名称 (2).ext" …
 * (for a folder, or a name without an extension, the number goes at the end).
 */
export async function freeName(db: Reader, folderId: string, name: string, type: 'file' | 'folder'): Promise<string> {
  const rows = await db
    .selectFrom('drive_nodes')
    .select('name')
    .where('parent_id', '=', folderId)
    .where('trashed_at', 'is', null)
    .execute();
  const taken = new Set(rows.map((r) => r.name));
  if (!taken.has(name)) return name;
  const dot = type === 'file' ? name.lastIndexOf('.') : -1;
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 1; ; n++) {
    const suffix = ` (${n})${ext}`;
    // A long name gives up characters of its stem, never its extension.
    const candidate = stem.slice(0, Math.max(1, 255 - suffix.length)) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}

/** A new live node's columns besides its id, type and name: empty, made and changed by `userId` now. */
export function blankNode(
  spaceId: string,
  parentId: string,
  userId: string,
  now: number,
): Omit<NodeRow, 'id' | 'type' | 'name'> {
  return {
    space_id: spaceId,
    parent_id: parentId,
    size: 0,
    mime: null,
    sha256: null,
    no_forward: 0,
    created_by: userId,
    created_at: now,
    updated_by: userId,
    updated_at: now,
    trashed_at: null,
    trashed_by: null,
    trash_root: 0,
  };
}
