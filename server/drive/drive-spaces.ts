// Drive spaces: one personal space per person (made on first use; its owner has 可管理 on all of
// it) and team spaces (any active member makes one and manages it through a grant on its root).
import { newId } from '../../shared/lib/ids';
import type { DriveSpace } from '../../shared/protocol';
import { audit } from '../domain/audit';
import type { DomainContext, Reader } from '../domain/context';
import { assertCanCreateTeamSpace } from '../domain/policy';
import type { FileConfig } from '../files/file-config';
import { isUniqueViolation } from '../store/errors';
import { ownGrantLevels, baseLevel, type Principal } from './drive-access';
import { loadNode, spaceView, type SpaceRow } from './drive-rows';
import { spaceUsedBytes } from './drive-quota';

/** The caller's personal space, made (with its root folder) the first time it is asked for. */
export async function personalSpace(ctx: DomainContext, userId: string): Promise<SpaceRow> {
  const existing = await ctx.db
    .selectFrom('drive_spaces')
    .selectAll()
    .where('owner_id', '=', userId)
    .executeTakeFirst();
  if (existing) return existing;
  const now = ctx.now();
  const space: SpaceRow = {
    id: newId(),
    kind: 'personal',
    // The client names it (我的文件 / My files) in the reader's language.
    name: '',
    owner_id: userId,
    root_id: newId(),
    created_by: userId,
    created_at: now,
  };
  try {
    await ctx.transaction(async (trx) => {
      await trx.insertInto('drive_spaces').values(space).execute();
      await trx
        .insertInto('drive_nodes')
        .values(rootNode(space, userId, now))
        .execute();
    });
    return space;
  } catch (err) {
    // Two devices asking at once: the other one made it.
    if (!isUniqueViolation(err)) throw err;
    return ctx.db.selectFrom('drive_spaces').selectAll().where('owner_id', '=', userId).executeTakeFirstOrThrow();
  }
}

/** A team space named `name`; its creator manages it through a grant on its root (audited). */
export async function createTeamSpace(ctx: DomainContext, who: Principal, name: string): Promise<SpaceRow> {
  assertCanCreateTeamSpace(who.active);
  const now = ctx.now();
  const space: SpaceRow = {
    id: newId(),
    kind: 'team',
    name,
    owner_id: null,
    root_id: newId(),
    created_by: who.userId,
    created_at: now,
  };
  await ctx.transaction(async (trx) => {
    await trx.insertInto('drive_spaces').values(space).execute();
    await trx
      .insertInto('drive_nodes')
      .values(rootNode(space, who.userId, now))
      .execute();
    await trx
      .insertInto('drive_grants')
      .values({
        node_id: space.root_id,
        principal_type: 'user',
        principal_id: who.userId,
        level: 'manage',
        granted_by: who.userId,
        granted_at: now,
      })
      .execute();
    await audit(trx, now, {
      actorId: who.userId,
      action: 'drive.space_created',
      targetId: space.id,
      detail: {
        name,
        rootId: space.root_id,
        grants: [{ principal: { type: 'user', id: who.userId }, level: 'manage' }],
      },
    });
  });
  return space;
}

function rootNode(space: SpaceRow, userId: string, now: number) {
  return {
    id: space.root_id,
    space_id: space.id,
    parent_id: null,
    type: 'folder' as const,
    name: space.name,
    size: 0,
    mime: null,
    sha256: null,
    created_by: userId,
    created_at: now,
    updated_by: userId,
    updated_at: now,
  };
}

/** The space as the caller sees it, or null when they hold no level on its root. */
export async function spaceFor(
  db: Reader,
  config: FileConfig,
  who: Principal,
  space: SpaceRow,
): Promise<DriveSpace | null> {
  const own = await ownGrantLevels(db, who, [space.root_id]);
  const level = baseLevel(who, space) ?? own.get(space.root_id) ?? null;
  if (level === null) return null;
  const quota = space.kind === 'personal' ? config.personalQuotaBytes : null;
  return spaceView(space, level, await spaceUsedBytes(db, space.id), quota);
}

/** The personal space and every team space whose root the caller holds a level on. */
export async function visibleSpaces(
  db: Reader,
  config: FileConfig,
  who: Principal,
  personal: SpaceRow,
): Promise<DriveSpace[]> {
  if (!who.active) return [];
  const granted = await db
    .selectFrom('drive_spaces')
    .innerJoin('drive_grants', 'drive_grants.node_id', 'drive_spaces.root_id')
    .selectAll('drive_spaces')
    .where('drive_spaces.kind', '=', 'team')
    .where((eb) =>
      eb.or([
        eb.and([eb('drive_grants.principal_type', '=', 'user'), eb('drive_grants.principal_id', '=', who.userId)]),
        ...(who.departmentIds.length > 0
          ? [
              eb.and([
                eb('drive_grants.principal_type', '=', 'department'),
                eb('drive_grants.principal_id', 'in', who.departmentIds),
              ]),
            ]
          : []),
      ]),
    )
    .distinct()
    .orderBy('drive_spaces.created_at')
    .execute();
  const out: DriveSpace[] = [];
  for (const space of [personal, ...granted]) {
    // A root is never trashed, but a corrupt row should not break the list.
    if (!(await loadNode(db, space.root_id))) continue;
    const view = await spaceFor(db, config, who, space);
    if (view) out.push(view);
  }
  return out;
}
