// A person's effective level on drive nodes: the highest grant on the node or a folder above it, to
// them or to a department they belong to (a department's grant covers its sub-departments), and
// 可管理 for the owner of a personal space. Only active members hold any level. The rules applied to
// a level (what each action needs) are in server/domain/policy.ts.
import type { DriveLevel } from '../../shared/protocol';
import type { Reader } from '../domain/context';
import { loadTree } from '../domain/directory/tree';
import { driveMayHoldLevel, higherDriveLevel } from '../domain/policy';
import { chainOf, type NodeRow, type SpaceRow } from './drive-rows';

/** Who is asking: the user, whether they are active, and every department whose grants reach them. */
export interface Principal {
  userId: string;
  active: boolean;
  /** Their departments and every department above those. */
  departmentIds: string[];
  /** The id of their personal space, if made. */
  personalSpaceId: string | null;
}

export async function principalOf(db: Reader, userId: string): Promise<Principal> {
  const user = await db.selectFrom('users').select('status').where('id', '=', userId).executeTakeFirst();
  const active = driveMayHoldLevel(user);
  if (!active) return { userId, active, departmentIds: [], personalSpaceId: null };
  const rows = await db.selectFrom('user_departments').select('department_id').where('user_id', '=', userId).execute();
  const tree = await loadTree(db);
  const departmentIds = new Set<string>();
  for (const r of rows) for (const id of tree.ancestry(r.department_id)) departmentIds.add(id);
  const space = await db.selectFrom('drive_spaces').select('id').where('owner_id', '=', userId).executeTakeFirst();
  return { userId, active, departmentIds: [...departmentIds], personalSpaceId: space?.id ?? null };
}

/** The highest level each of `nodeIds` carries through its own grants to `who` (not inherited). */
export async function ownGrantLevels(
  db: Reader,
  who: Principal,
  nodeIds: readonly string[],
): Promise<Map<string, DriveLevel>> {
  const out = new Map<string, DriveLevel>();
  if (!who.active || nodeIds.length === 0) return out;
  for (let i = 0; i < nodeIds.length; i += 400) {
    const rows = await db
      .selectFrom('drive_grants')
      .select(['node_id', 'level'])
      .where('node_id', 'in', nodeIds.slice(i, i + 400))
      .where((eb) =>
        eb.or([
          eb.and([eb('principal_type', '=', 'user'), eb('principal_id', '=', who.userId)]),
          ...(who.departmentIds.length > 0
            ? [eb.and([eb('principal_type', '=', 'department'), eb('principal_id', 'in', who.departmentIds)])]
            : []),
        ]),
      )
      .execute();
    for (const r of rows) out.set(r.node_id, higherDriveLevel(out.get(r.node_id) ?? null, r.level)!);
  }
  return out;
}

/** What a personal space gives its owner before any grant. */
export function baseLevel(who: Principal, space: Pick<SpaceRow, 'kind' | 'owner_id'>): DriveLevel | null {
  return who.active && space.kind === 'personal' && space.owner_id === who.userId ? 'manage' : null;
}

/** Levels down a chain (root first): each node's level is its own grants' and everything above. */
export async function chainLevels(
  db: Reader,
  who: Principal,
  chain: readonly NodeRow[],
): Promise<(DriveLevel | null)[]> {
  if (chain.length === 0 || !who.active) return chain.map(() => null);
  const space = await db
    .selectFrom('drive_spaces')
    .select(['kind', 'owner_id'])
    .where('id', '=', chain[0]!.space_id)
    .executeTakeFirst();
  const own = await ownGrantLevels(
    db,
    who,
    chain.map((n) => n.id),
  );
  let level = space ? baseLevel(who, space) : null;
  return chain.map((n) => (level = higherDriveLevel(level, own.get(n.id) ?? null)));
}

/** A node, the folders above it (root first) and the caller's level there (null: none). */
export interface NodeAccess {
  node: NodeRow;
  chain: NodeRow[];
  level: DriveLevel | null;
  /** The level on each node of the chain. */
  levels: (DriveLevel | null)[];
}

export async function accessTo(db: Reader, who: Principal, nodeId: string): Promise<NodeAccess | null> {
  const chain = await chainOf(db, nodeId);
  const node = chain.at(-1);
  if (!node || node.id !== nodeId) return null;
  const levels = await chainLevels(db, who, chain);
  return { node, chain, level: levels.at(-1) ?? null, levels };
}

/** Levels of a folder's descendants: `rootLevel` on the top node, raised by grants further down. */
export async function subtreeLevels(
  db: Reader,
  who: Principal,
  subtree: readonly NodeRow[],
  rootLevel: DriveLevel | null,
): Promise<Map<string, DriveLevel | null>> {
  const own = await ownGrantLevels(
    db,
    who,
    subtree.map((n) => n.id),
  );
  const out = new Map<string, DriveLevel | null>();
  // Parents come before children in a subtree listing.
  for (const n of subtree) {
    const above = n === subtree[0] ? rootLevel : (out.get(n.parent_id ?? '') ?? rootLevel);
    out.set(n.id, n === subtree[0] ? rootLevel : higherDriveLevel(above, own.get(n.id) ?? null));
  }
  return out;
}
