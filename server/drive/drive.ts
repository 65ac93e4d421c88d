// 微盘: the `drive.*` requests. Every read and write first computes the caller's level on the node
// (drive-access.ts) and asks policy.ts whether it suffices; an item the caller holds no level on does
// not exist for them (file_not_found). Writes run in one transaction and re-check there.
import { newId } from '../../shared/lib/ids';
import {
  QixinError,
  type DriveGrant,
  type DriveLevel,
  type DriveNode,
  type DriveSpace,
  type DriveUsage,
  type FileBody,
  type RequestResult,
} from '../../shared/protocol';
import type { DomainContext, Reader, Tx } from '../domain/context';
import * as policy from '../domain/policy';
import { loadConversation } from '../domain/views';
import { fileConfig, type FileConfig } from '../files/file-config';
import { isUniqueViolation } from '../store/errors';
import { accessTo, principalOf, subtreeLevels, type NodeAccess, type Principal } from './drive-access';
import { changeNoForward, grantsOn, replaceGrants } from './drive-grants';
import { accessPage, logAccess, type DriveAccessAction } from './drive-log';
import { assertQuota, usage } from './drive-quota';
import {
  blankNode,
  freeName,
  liveChildNamed,
  loadSpace,
  normalizeNode,
  nameTaken,
  nodeView,
  notFound,
  subtreeOf,
  type NodeRow,
} from './drive-rows';
import { createTeamSpace, personalSpace, spaceFor, visibleSpaces } from './drive-spaces';
import {
  assertRestorable,
  deleteSubtree,
  expiredTrashRoots,
  markTrashed,
  restoreNode,
  trashCutoff,
} from './drive-trash';

const { read, download, write, manage } = policy.DRIVE_NEEDS;

/** A preview of a type the app does not show in place (HTTP 415): download it instead. */
export class NotPreviewable extends QixinError {
  constructor() {
    super('invalid', 'this type of file cannot be previewed; download it instead');
  }
}
/** Lists assembled from several places (stars, recent, shared, trash) stop here. */
const LIST_MAX = 200;

export class Drive {
  readonly config: FileConfig;

  constructor(private readonly ctx: DomainContext) {
    this.config = ctx.files ?? fileConfig();
  }

  // ------------------------------------------------------------------ spaces

  async spaces(userId: string): Promise<{ spaces: DriveSpace[] }> {
    const personal = await personalSpace(this.ctx, userId);
    const who = await principalOf(this.ctx.db, userId);
    return { spaces: await visibleSpaces(this.ctx.db, this.config, who, personal) };
  }

  async createSpace(userId: string, name: string): Promise<{ space: DriveSpace }> {
    const who = await principalOf(this.ctx.db, userId);
    const space = await createTeamSpace(this.ctx, who, name);
    return { space: (await spaceFor(this.ctx.db, this.config, who, space))! };
  }

  async usage(userId: string): Promise<DriveUsage> {
    const personal = await personalSpace(this.ctx, userId);
    return usage(this.ctx.db, this.config, personal.id);
  }

  // ------------------------------------------------------------------ reading

  async list(userId: string, folderId: string): Promise<RequestResult<'drive.list'>> {
    const who = await principalOf(this.ctx.db, userId);
    const at = await this.live(this.ctx.db, who, folderId, read, 'open this folder');
    if (at.node.type !== 'folder') throw new QixinError('invalid', 'this is a file, not a folder');
    const children = await this.ctx.db
      .selectFrom('drive_nodes')
      .selectAll()
      .where('parent_id', '=', folderId)
      .where('trashed_at', 'is', null)
      .execute();
    const rows = children.map(normalizeNode);
    // Folders first, then by name in the reader's order (Chinese by its code points here; the client re-sorts).
    rows.sort((a, b) =>
      a.type === b.type ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.type === 'folder' ? -1 : 1,
    );
    const levels = await subtreeLevels(this.ctx.db, who, [at.node, ...rows], at.level);
    const path = at.chain.map((n, i) => ({ n, level: at.levels[i] ?? null })).filter((p) => p.level !== null);
    const views = await this.views(this.ctx.db, userId, [
      ...path.map((p) => ({ row: p.n, level: p.level! })),
      ...rows.map((row) => ({ row, level: levels.get(row.id)! })),
    ]);
    return { folder: views[path.length - 1]!, path: views.slice(0, path.length), children: views.slice(path.length) };
  }

  async get(userId: string, nodeId: string): Promise<{ node: DriveNode }> {
    const who = await principalOf(this.ctx.db, userId);
    const at = await this.reach(this.ctx.db, who, nodeId, read, 'see this item');
    return { node: await this.view(this.ctx.db, userId, at) };
  }

  async starred(userId: string): Promise<{ nodes: DriveNode[] }> {
    const rows = await this.ctx.db
      .selectFrom('drive_stars')
      .select('node_id')
      .where('user_id', '=', userId)
      .orderBy('starred_at', 'desc')
      .limit(LIST_MAX)
      .execute();
    return {
      nodes: await this.visible(
        userId,
        rows.map((r) => r.node_id),
      ),
    };
  }

  /** Files the caller previewed, downloaded, uploaded or changed, newest first, each once. */
  async recent(userId: string): Promise<{ nodes: DriveNode[] }> {
    const rows = await this.ctx.db
      .selectFrom('drive_access')
      .select(['node_id', 'at'])
      .where('user_id', '=', userId)
      .where('action', 'in', ['preview', 'download', 'upload', 'edit'])
      .orderBy('at', 'desc')
      .limit(LIST_MAX * 5)
      .execute();
    const ids = [...new Set(rows.map((r) => r.node_id))].slice(0, LIST_MAX);
    return { nodes: (await this.visible(userId, ids)).filter((n) => n.type === 'file') };
  }

  /**
   * 共享给我: the top-most live items granted to the caller or a department of theirs by someone else,
   * outside their personal space and other than space roots (those are in drive.spaces), newest first.
   */
  async sharedWithMe(userId: string): Promise<{ nodes: DriveNode[] }> {
    const who = await principalOf(this.ctx.db, userId);
    if (!who.active) return { nodes: [] };
    const rows = await this.ctx.db
      .selectFrom('drive_grants')
      .innerJoin('drive_nodes', 'drive_nodes.id', 'drive_grants.node_id')
      .select(['drive_grants.node_id', 'drive_grants.granted_at'])
      .where('drive_nodes.trashed_at', 'is', null)
      .where('drive_nodes.parent_id', 'is not', null)
      .where('drive_grants.granted_by', '!=', userId)
      .where((eb) =>
        eb.or([
          eb.and([eb('drive_grants.principal_type', '=', 'user'), eb('drive_grants.principal_id', '=', userId)]),
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
      .orderBy('drive_grants.granted_at', 'desc')
      .limit(LIST_MAX * 5)
      .execute();
    const granted = new Set(rows.map((r) => r.node_id));
    const out: NodeAccess[] = [];
    for (const id of granted) {
      if (out.length >= LIST_MAX) break;
      const at = await accessTo(this.ctx.db, who, id);
      if (!at || at.level === null || at.node.space_id === who.personalSpaceId) continue;
      // Top-most only: an item below another granted item (or below a level from elsewhere) is reached from there.
      if (at.chain.slice(0, -1).some((n, i) => granted.has(n.id) || (at.levels[i] ?? null) !== null)) continue;
      out.push(at);
    }
    return {
      nodes: await this.views(
        this.ctx.db,
        userId,
        out.map((a) => ({ row: a.node, level: a.level! })),
      ),
    };
  }

  async grants(userId: string, nodeId: string): Promise<{ grants: DriveGrant[] }> {
    const who = await principalOf(this.ctx.db, userId);
    await this.live(this.ctx.db, who, nodeId, manage, 'see who has access');
    return { grants: await grantsOn(this.ctx.db, nodeId) };
  }

  async accessLog(userId: string, nodeId: string, before?: number): Promise<RequestResult<'drive.accessLog'>> {
    const who = await principalOf(this.ctx.db, userId);
    await this.reach(this.ctx.db, who, nodeId, manage, 'read its access history');
    return accessPage(this.ctx.db, nodeId, before);
  }

  // ------------------------------------------------------------------ writing

  async createFolder(userId: string, parentId: string, name: string): Promise<{ node: DriveNode }> {
    return this.write(userId, async (trx, who, now) => {
      const parent = await this.folder(trx, who, parentId, 'create a folder here');
      if (await liveChildNamed(trx, parentId, name)) throw nameTaken(name);
      const row: NodeRow = {
        ...blankNode(parent.node.space_id, parentId, userId, now),
        id: newId(),
        type: 'folder',
        name,
      };
      await trx.insertInto('drive_nodes').values(row).execute();
      return { node: nodeView(row, parent.level!, false) };
    });
  }

  async rename(userId: string, nodeId: string, name: string): Promise<{ node: DriveNode }> {
    return this.write(userId, async (trx, who, now) => {
      const at = await this.live(trx, who, nodeId, write, 'rename it');
      policy.assertDriveNotRoot(at.node);
      if (at.node.name === name) return { node: await this.view(trx, userId, at) };
      if (await liveChildNamed(trx, at.node.parent_id!, name)) throw nameTaken(name);
      await trx
        .updateTable('drive_nodes')
        .set({ name, updated_by: userId, updated_at: now })
        .where('id', '=', nodeId)
        .execute();
      await this.log(trx, at.node, userId, 'edit', now);
      return {
        node: await this.view(trx, userId, { ...at, node: { ...at.node, name, updated_by: userId, updated_at: now } }),
      };
    });
  }

  /** Moves items into a folder (also of another space); names must be free there. */
  async move(userId: string, nodeIds: string[], folderId: string): Promise<{ nodes: DriveNode[] }> {
    return this.write(userId, async (trx, who, now) => {
      const target = await this.folder(trx, who, folderId, 'move items here');
      const moved: NodeAccess[] = [];
      for (const id of unique(nodeIds)) {
        const at = await this.live(trx, who, id, write, 'move it');
        policy.assertDriveNotRoot(at.node);
        policy.assertNoDriveCycle(at.node.id, target.chain);
        if (at.node.parent_id === folderId) {
          moved.push(at);
          continue;
        }
        if (await liveChildNamed(trx, folderId, at.node.name)) throw nameTaken(at.node.name);
        const subtree = await subtreeOf(trx, id);
        if (target.node.space_id !== at.node.space_id) {
          // The enterprise's total does not change; the target space's may.
          await assertQuota(trx, this.config, target.node.space_id, filesSize(subtree), { enterprise: false });
          await setSpace(trx, subtree, target.node.space_id);
        }
        await trx
          .updateTable('drive_nodes')
          .set({ parent_id: folderId, updated_by: userId, updated_at: now })
          .where('id', '=', id)
          .execute();
        await this.log(trx, at.node, userId, 'edit', now);
        moved.push((await accessTo(trx, who, id))!);
      }
      return {
        nodes: await this.views(
          trx,
          userId,
          moved.map((a) => ({ row: a.node, level: a.level! })),
        ),
      };
    });
  }

  /**
   * Copies items (folders with everything live inside) into a folder: 可下载 on what is copied
   * (禁止转发 files: managers only), 可编辑 on the target. The copies share the bytes; quota counts them.
   */
  async copy(userId: string, nodeIds: string[], folderId: string): Promise<{ nodes: DriveNode[] }> {
    return this.write(userId, async (trx, who, now) => {
      const target = await this.folder(trx, who, folderId, 'copy items here');
      const copies: NodeRow[] = [];
      for (const id of unique(nodeIds)) {
        const at = await this.live(trx, who, id, download, 'copy it');
        policy.assertDriveNotRoot(at.node);
        if (at.node.type === 'folder') policy.assertNoDriveCycle(at.node.id, target.chain);
        const subtree = (await subtreeOf(trx, id)).filter((n) => n.trashed_at === null);
        const levels = await subtreeLevels(trx, who, subtree, at.level);
        // Every file copied out is taken away: 禁止转发 holds for each one below the folder too.
        for (const n of subtree)
          if (n.type === 'file') policy.assertCanTakeDriveFile(n, levels.get(n.id) ?? null, 'copy it');
        await assertQuota(trx, this.config, target.node.space_id, filesSize(subtree));
        const name = await freeName(trx, folderId, at.node.name, at.node.type);
        copies.push(await copySubtree(trx, subtree, folderId, target.node.space_id, name, userId, now));
      }
      return {
        nodes: await this.views(
          trx,
          userId,
          copies.map((row) => ({ row, level: target.level! })),
        ),
      };
    });
  }

  async trash(userId: string, nodeIds: string[]): Promise<Record<string, never>> {
    return this.write(userId, async (trx, who, now) => {
      for (const id of unique(nodeIds)) {
        const at = await this.live(trx, who, id, write, 'move it to the trash');
        policy.assertDriveNotRoot(at.node);
        await markTrashed(trx, at.node, userId, now);
        await this.log(trx, at.node, userId, 'trash', now);
      }
      return {};
    });
  }

  /** What the caller trashed (and anything trashed in their personal space), still restorable, newest first. */
  async trashList(userId: string): Promise<{ nodes: DriveNode[] }> {
    const who = await principalOf(this.ctx.db, userId);
    const now = this.ctx.now();
    const rows = await this.ctx.db
      .selectFrom('drive_nodes')
      .select('id')
      .where('trash_root', '=', 1)
      .where('trashed_at', '>', trashCutoff(this.config, now))
      .where((eb) =>
        eb.or([
          eb('trashed_by', '=', userId),
          ...(who.personalSpaceId ? [eb('space_id', '=', who.personalSpaceId)] : []),
        ]),
      )
      .orderBy('trashed_at', 'desc')
      .limit(LIST_MAX)
      .execute();
    const out: { row: NodeRow; level: DriveLevel }[] = [];
    for (const { id } of rows) {
      const at = await accessTo(this.ctx.db, who, id);
      if (at && policy.driveLevelAtLeast(at.level, write)) out.push({ row: at.node, level: at.level! });
    }
    return { nodes: await this.views(this.ctx.db, userId, out) };
  }

  async restore(userId: string, nodeIds: string[]): Promise<{ nodes: DriveNode[] }> {
    return this.write(userId, async (trx, who, now) => {
      const restored: NodeRow[] = [];
      for (const id of unique(nodeIds)) {
        const at = await this.reach(trx, who, id, write, 'restore it');
        assertRestorable(at.node, this.config, now);
        const row = await restoreNode(trx, at.node, userId, now);
        await this.log(trx, row, userId, 'restore', now);
        restored.push(row);
      }
      const out: { row: NodeRow; level: DriveLevel }[] = [];
      for (const row of restored) out.push({ row, level: (await accessTo(trx, who, row.id))!.level! });
      return { nodes: await this.views(trx, userId, out) };
    });
  }

  async purge(userId: string, nodeIds: string[]): Promise<Record<string, never>> {
    return this.write(userId, async (trx, who, now) => {
      for (const id of unique(nodeIds)) {
        const at = await this.reach(trx, who, id, write, 'delete it');
        assertRestorable(at.node, this.config, now);
        await deleteSubtree(trx, id);
      }
      return {};
    });
  }

  /** The retention job: deletes what lay in the trash longer than `trashRetentionDays`. Returns how many trashed items went. */
  async purgeExpiredTrash(now: number): Promise<number> {
    let purged = 0;
    for (;;) {
      const ids = await expiredTrashRoots(this.ctx.db, this.config, now, 100);
      if (ids.length === 0) return purged;
      for (const id of ids) {
        await this.ctx.transaction((trx) => deleteSubtree(trx, id));
        purged++;
      }
    }
  }

  async star(userId: string, nodeId: string, starred: boolean): Promise<{ node: DriveNode }> {
    return this.write(userId, async (trx, who, now) => {
      const at = await this.live(trx, who, nodeId, read, 'star it');
      if (starred) {
        await trx
          .insertInto('drive_stars')
          .values({ user_id: userId, node_id: nodeId, starred_at: now })
          .onConflict((oc) => oc.columns(['user_id', 'node_id']).doNothing())
          .execute();
      } else {
        await trx.deleteFrom('drive_stars').where('user_id', '=', userId).where('node_id', '=', nodeId).execute();
      }
      return { node: nodeView(at.node, at.level!, starred) };
    });
  }

  async setGrants(userId: string, nodeId: string, grants: DriveGrant[]): Promise<{ grants: DriveGrant[] }> {
    return this.write(userId, async (trx, who, now) => {
      const at = await this.live(trx, who, nodeId, manage, 'change who has access');
      const space = await loadSpace(trx, at.node.space_id);
      const isTeamRoot = space.kind === 'team' && space.root_id === nodeId;
      return { grants: await replaceGrants(trx, at.node, isTeamRoot, grants, userId, now) };
    });
  }

  async setNoForward(userId: string, nodeId: string, noForward: boolean): Promise<{ node: DriveNode }> {
    return this.write(userId, async (trx, who, now) => {
      const at = await this.live(trx, who, nodeId, manage, 'change 禁止转发');
      policy.assertDriveNoForwardTarget(at.node);
      await changeNoForward(trx, at.node, noForward, userId, now);
      return { node: await this.view(trx, userId, (await accessTo(trx, who, nodeId))!) };
    });
  }

  /**
   * Saves a chat file into a drive folder: the caller reads the message, the file has not expired,
   * and they may edit the folder. The node references the same bytes, so it outlives the chat's retention.
   */
  async saveFromChat(
    userId: string,
    p: { conversationId: string; messageId: string; folderId: string; name?: string },
  ): Promise<{ node: DriveNode }> {
    return this.write(userId, async (trx, who, now) => {
      const media = await readableChatFile(trx, userId, p.conversationId, p.messageId, now);
      const target = await this.folder(trx, who, p.folderId, 'save files here');
      await assertQuota(trx, this.config, target.node.space_id, Number(media.size));
      const row: NodeRow = {
        ...blankNode(target.node.space_id, p.folderId, userId, now),
        id: newId(),
        type: 'file',
        name: await freeName(trx, p.folderId, p.name ?? media.name, 'file'),
        size: Number(media.size),
        mime: media.mime,
        sha256: media.sha256,
      };
      await trx.insertInto('drive_nodes').values(row).execute();
      await this.log(trx, row, userId, 'upload', now);
      return { node: nodeView(row, target.level!, false) };
    });
  }

  // ------------------------------------------------------------------ bytes (DriveHttpApi)

  /**
   * The file to stream for a preview (仅查看, a previewable type) or a download (可下载; 禁止转发:
   * managers only), logged in the access history when `log` says so (once per download, not per range).
   */
  async content(userId: string, nodeId: string, mode: 'preview' | 'download', log: boolean): Promise<NodeRow> {
    const who = await principalOf(this.ctx.db, userId);
    const at = await this.live(this.ctx.db, who, nodeId, read, 'open it');
    if (at.node.type !== 'file' || !at.node.sha256) throw notFound();
    if (mode === 'preview') {
      if (!policy.drivePreviewable(at.node.mime)) throw new NotPreviewable();
    } else {
      policy.assertCanTakeDriveFile(at.node, at.level, 'download it');
    }
    if (log) await this.ctx.transaction((trx) => this.log(trx, at.node, userId, mode, this.ctx.now()));
    return at.node;
  }

  // ------------------------------------------------------------------ helpers

  private async write<T>(userId: string, work: (trx: Tx, who: Principal, now: number) => Promise<T>): Promise<T> {
    try {
      return await this.ctx.transaction(async (trx) => work(trx, await principalOf(trx, userId), this.ctx.now()));
    } catch (err) {
      // Two writes racing for one name: the loser hears what the check would have said.
      if (isUniqueViolation(err))
        throw new QixinError('conflict', 'the folder already holds an item of that name', 'drive_name_taken');
      throw err;
    }
  }

  /** The node with the caller's level, which must reach `needed` (trashed ones included). */
  private async reach(
    db: Reader,
    who: Principal,
    nodeId: string,
    needed: DriveLevel,
    action: string,
  ): Promise<NodeAccess> {
    const at = await accessTo(db, who, nodeId);
    if (!at) throw notFound();
    policy.assertDriveLevel(at.level, needed, action);
    return at;
  }

  /** As reach, for an item that is not in the trash. */
  private async live(
    db: Reader,
    who: Principal,
    nodeId: string,
    needed: DriveLevel,
    action: string,
  ): Promise<NodeAccess> {
    const at = await this.reach(db, who, nodeId, needed, action);
    if (at.node.trashed_at !== null) throw notFound();
    return at;
  }

  /** A live folder the caller may edit. */
  private async folder(db: Reader, who: Principal, folderId: string, action: string): Promise<NodeAccess> {
    const at = await this.live(db, who, folderId, write, action);
    if (at.node.type !== 'folder') throw new QixinError('invalid', 'the target is a file, not a folder');
    return at;
  }

  private log(db: Reader, node: NodeRow, userId: string, action: DriveAccessAction, at: number) {
    return logAccess(db, { nodeId: node.id, spaceId: node.space_id, userId, action, at });
  }

  private async view(db: Reader, userId: string, at: NodeAccess): Promise<DriveNode> {
    return (await this.views(db, userId, [{ row: at.node, level: at.level! }]))[0]!;
  }

  /** Node views with the caller's stars. */
  private async views(db: Reader, userId: string, items: { row: NodeRow; level: DriveLevel }[]): Promise<DriveNode[]> {
    const stars = new Set<string>();
    const ids = items.map((i) => i.row.id);
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectFrom('drive_stars')
        .select('node_id')
        .where('user_id', '=', userId)
        .where('node_id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) stars.add(r.node_id);
    }
    return items.map((i) => nodeView(i.row, i.level, stars.has(i.row.id)));
  }

  /** Those of `ids` that are live and that the caller holds a level on, in the order given. */
  private async visible(userId: string, ids: string[]): Promise<DriveNode[]> {
    const who = await principalOf(this.ctx.db, userId);
    const out: { row: NodeRow; level: DriveLevel }[] = [];
    for (const id of ids) {
      const at = await accessTo(this.ctx.db, who, id);
      if (at && at.level !== null && at.node.trashed_at === null) out.push({ row: at.node, level: at.level });
    }
    return this.views(this.ctx.db, userId, out);
  }
}

const unique = (ids: string[]) => [...new Set(ids)];
const filesSize = (nodes: readonly NodeRow[]) => nodes.reduce((sum, n) => sum + (n.type === 'file' ? n.size : 0), 0);

async function setSpace(trx: Tx, nodes: readonly NodeRow[], spaceId: string): Promise<void> {
  const ids = nodes.map((n) => n.id);
  for (let i = 0; i < ids.length; i += 500) {
    await trx
      .updateTable('drive_nodes')
      .set({ space_id: spaceId })
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  }
}

/** Copies a live subtree (parents first) under `parentId`; returns the new top node. */
async function copySubtree(
  trx: Tx,
  subtree: readonly NodeRow[],
  parentId: string,
  spaceId: string,
  topName: string,
  userId: string,
  now: number,
): Promise<NodeRow> {
  const newIds = new Map<string, string>();
  const rows: NodeRow[] = [];
  for (const n of subtree) {
    const parent = n === subtree[0] ? parentId : newIds.get(n.parent_id ?? '');
    // A child of a trashed folder was filtered out with its parent.
    if (parent === undefined) continue;
    const id = newId();
    newIds.set(n.id, id);
    rows.push({
      ...blankNode(spaceId, parent, userId, now),
      id,
      type: n.type,
      name: n === subtree[0] ? topName : n.name,
      size: n.size,
      mime: n.mime,
      sha256: n.sha256,
      no_forward: n.no_forward,
    });
  }
  for (let i = 0; i < rows.length; i += 200)
    await trx
      .insertInto('drive_nodes')
      .values(rows.slice(i, i + 200))
      .execute();
  return rows[0]!;
}

/** The chat file a `file` message carries, if the caller can read the message and it has not expired. */
async function readableChatFile(trx: Tx, userId: string, conversationId: string, messageId: string, now: number) {
  const { conv, members } = await loadConversation(trx, conversationId);
  const cap = policy.readableUpTo(
    conv,
    members.find((m) => m.user_id === userId),
  );
  const message = await trx
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('id', '=', messageId)
    .executeTakeFirst();
  policy.assertReadableMessage(message, conversationId, cap);
  policy.assertCopyable(message);
  const body = message.kind === 'file' && message.body ? (JSON.parse(message.body) as FileBody) : null;
  if (!body?.mediaId) throw new QixinError('invalid', 'only a chat file can be saved to the drive', 'content_invalid');
  const media = await trx.selectFrom('media').selectAll().where('id', '=', body.mediaId).executeTakeFirst();
  if (!media) throw notFound();
  if (media.expires_at != null && Number(media.expires_at) <= now)
    throw new QixinError('conflict', 'this chat file has expired', 'file_expired');
  return { ...media, name: media.name ?? body.name };
}
