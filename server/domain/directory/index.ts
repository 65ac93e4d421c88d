// The org directory as one service: reads filtered by what the caller may see (dir.*) and the
// admin console's writes (admin.*), each a directory write (write.ts) with its audit record.
import type {
  Activation,
  AdminGrant,
  Department,
  MemberFields,
  MemberPatch,
  User,
  VisibilityRule,
} from '../../../shared/protocol';
import { isUniqueViolation } from '../../store/errors';
import { uniqueViolationError } from '../taken';
import type { ChangeStream } from '../changes';
import type { DomainContext } from '../context';
import * as policy from '../policy';
import { readAudit, type AuditQuery } from './audit-log';
import { createDepartment, deleteDepartment, updateDepartment, type DepartmentChange } from './departments';
import { createMember, reissueActivation, updateMember } from './members';
import { departmentMembers, search, visibleUsers, type MembersPage } from './reads';
import { readRoles, setRole, type RoleChange } from './roles';
import { setRules } from './rules';
import { loadAdminScope } from './scope';
import { dirSyncPage, type DirCursor, type DirSyncPage } from './sync';
import { loadRules, loadViewer } from './viewer';
import { directoryWrite, type DirectoryTx } from './write';

export class Directory {
  constructor(
    private readonly ctx: DomainContext,
    private readonly changes: ChangeStream,
  ) {}

  // ------------------------------------------------------------ reads (dir.*)

  async sync(
    userId: string,
    kind: 'users' | 'departments',
    after: DirCursor | null,
    limit: number,
  ): Promise<DirSyncPage> {
    const viewer = await loadViewer(this.ctx.db, userId);
    return dirSyncPage(this.ctx.db, viewer, viewer.at, kind, after, limit);
  }

  async users(userId: string, ids: string[]): Promise<User[]> {
    return visibleUsers(this.ctx.db, await loadViewer(this.ctx.db, userId), ids);
  }

  async search(userId: string, query: string, limit: number): Promise<{ users: User[]; departments: Department[] }> {
    return search(this.ctx.db, await loadViewer(this.ctx.db, userId), query, limit);
  }

  async members(
    userId: string,
    departmentId: string,
    after: { pinyin: string; id: string } | null,
    limit: number,
  ): Promise<MembersPage> {
    const viewer = await loadViewer(this.ctx.db, userId);
    return departmentMembers(this.ctx.db, this.ctx.dialect, viewer, viewer.tree, departmentId, after, limit);
  }

  // ------------------------------------------------------------ administration (admin.*)

  async scope(userId: string): Promise<{ superAdmin: boolean; grant: AdminGrant | null }> {
    const scope = await loadAdminScope(this.ctx.db, userId);
    const grant =
      !scope.superAdmin && scope.departmentIds.length
        ? { userId, departmentIds: scope.departmentIds, rights: scope.rights }
        : null;
    return { superAdmin: scope.superAdmin, grant };
  }

  createDepartment(actorId: string, input: { parentId: string; name: string; order?: number }): Promise<Department> {
    return this.write(actorId, (w, scope) => createDepartment(w, actorId, scope, input));
  }

  updateDepartment(actorId: string, input: DepartmentChange): Promise<Department> {
    return this.write(actorId, (w, scope) => updateDepartment(w, actorId, scope, input));
  }

  deleteDepartment(actorId: string, id: string): Promise<void> {
    return this.write(actorId, (w, scope) => deleteDepartment(w, actorId, scope, id));
  }

  createMember(actorId: string, fields: MemberFields): Promise<{ user: User; activation: Activation }> {
    return this.write(actorId, (w, scope) => createMember(w, actorId, scope, fields));
  }

  /** Disabling a member (or marking them as departed) signs out all their devices at once. */
  async updateMember(actorId: string, id: string, patch: MemberPatch): Promise<User> {
    const { user, revokedDevices } = await this.write(actorId, (w, scope) =>
      updateMember(w, actorId, scope, id, patch),
    );
    this.ctx.fanout.kick(
      revokedDevices,
      user.status === 'left' ? 'this member has left the enterprise' : 'this account was disabled by an administrator',
    );
    return user;
  }

  async activation(actorId: string, userId: string): Promise<Activation> {
    return this.ctx.transaction(async (trx) =>
      reissueActivation(trx, this.ctx.now(), actorId, await loadAdminScope(trx, actorId), userId),
    );
  }

  async roles(actorId: string): Promise<{ superAdminIds: string[]; grants: AdminGrant[] }> {
    policy.assertSuperAdmin(await loadAdminScope(this.ctx.db, actorId), 'see administrator roles');
    return readRoles(this.ctx.db);
  }

  setRole(actorId: string, change: RoleChange): Promise<void> {
    return this.write(actorId, (w, scope) => setRole(w, actorId, scope, change));
  }

  async visibilityRules(actorId: string): Promise<VisibilityRule[]> {
    policy.assertSuperAdmin(await loadAdminScope(this.ctx.db, actorId), 'see who sees whom in the directory');
    return loadRules(this.ctx.db);
  }

  setVisibilityRules(actorId: string, rules: VisibilityRule[]): Promise<VisibilityRule[]> {
    return this.write(actorId, (w, scope) => setRules(w, actorId, scope, rules), { newEpoch: true });
  }

  async audit(actorId: string, query: AuditQuery) {
    const own = policy.auditActorFilter(await loadAdminScope(this.ctx.db, actorId), actorId);
    if (own !== null && query.actorId !== undefined && query.actorId !== own)
      return { records: [], nextBeforeId: null };
    return readAudit(this.ctx.db, own === null ? query : { ...query, actorId: own });
  }

  /**
   * One directory write for writers outside this module (the bulk import): takes the version,
   * runs `work`, appends the one `directory` change and publishes it after commit (write.ts).
   */
  commit<T>(work: (w: DirectoryTx) => Promise<T>, options: { newEpoch?: boolean } = {}): Promise<T> {
    return directoryWrite(this.ctx, this.changes, work, options);
  }

  /** One directory write with the actor's scope read inside it; unique-index races become conflicts. */
  private async write<T>(
    actorId: string,
    work: (w: DirectoryTx, scope: Awaited<ReturnType<typeof loadAdminScope>>) => Promise<T>,
    options: { newEpoch?: boolean } = {},
  ): Promise<T> {
    try {
      return await directoryWrite(
        this.ctx,
        this.changes,
        async (w) => work(w, await loadAdminScope(w.trx, actorId)),
        options,
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw uniqueViolationError(err);
      throw err;
    }
  }
}

export { directoryWrite, appendDirectoryChange, type DirectoryTx } from './write';
export { memberRowDefaults, memberDerivedColumns, newMemberRow } from './members';
