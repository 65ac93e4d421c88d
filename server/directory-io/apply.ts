// Writes an import plan: every valid row in ONE transaction, in multi-row statements, yielding
// to the event loop between chunks so the relay keeps answering. A cancel between chunks
// throws, and the transaction rolls back: nothing of the import stays.
import { CompiledQuery } from 'kysely';
import { newId } from '../../shared/lib/ids';
import type { ImportJob, ImportMode } from '../../shared/protocol';
import { audit } from '../domain/audit';
import type { ChangeStream } from '../domain/changes';
import type { Tx } from '../domain/context';
import { ACTIVATION_TTL_MS, hashActivationCode, newActivationCode } from '../domain/directory/activation';
import { memberDerivedColumns, memberRowDefaults } from '../domain/directory/members';
import { nextDirectoryVersion } from '../domain/directory/version';
import { appendDirectoryChange } from '../domain/directory/write';
import type { Fanout } from '../domain/fanout';
import type { Dialect } from '../store/migrator';
import type { UserRow } from '../store/schema';
import type { DirectoryImage } from './directory';
import type { ImportPlan, PlannedRow, RowValues } from './plan';

export interface ApplyContext {
  dialect: Dialect;
  transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T>;
  changes: ChangeStream;
  fanout: Fanout;
  now(): number;
}

export interface ApplyControl {
  fileName: string;
  mode: ImportMode;
  actorId: string | null;
  /** Extra audit detail ({via: 'cli'} from the command line). */
  via?: string;
  cancelled(): boolean;
  progress(done: number, total: number): void;
}

export interface Activation {
  account: string;
  name: string;
  code: string;
  expiresAt: number;
}

export interface ApplyOutcome {
  result: NonNullable<ImportJob['result']>;
  activations: Activation[];
  version: number;
}

export class ImportCancelled extends Error {
  constructor() {
    super('the import was cancelled');
  }
}

// Rows per statement: users have 21 columns, so 1,000 rows stay below SQLite's 32,766 bound
// parameters (and PostgreSQL's 65,535).
const CHUNK = 1000;
// Updates are upserts on id: the insert half never happens (the ids exist), the conflict half
// sets the profile columns from the row.
const UPSERT_PROFILE = `on conflict (id) do update set ${[
  'name',
  'alias',
  'title',
  'gender',
  'mobile',
  'phone',
  'email',
  'address',
  'manager_id',
  'status',
  'pinyin',
  'initials',
  'dir_version',
  'updated_at',
]
  .map((c) => `${c} = excluded.${c}`)
  .join(', ')}`;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function* chunks<T>(items: readonly T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * Writes chunk after chunk, building the next chunk's rows while the previous statement runs
 * (on PostgreSQL the server works meanwhile; SQLite runs each statement at once anyway).
 * Statements still run in order on the transaction's one connection.
 */
async function pipelined<T, R>(
  items: readonly T[],
  size: number,
  build: (chunk: T[]) => R[],
  write: (rows: R[]) => Promise<void>,
  step: (n: number) => Promise<void>,
): Promise<void> {
  let pending: Promise<void> | null = null;
  try {
    for (const chunk of chunks(items, size)) {
      const rows = build(chunk);
      if (pending) await pending;
      pending = write(rows);
      // Awaited on the next turn (or below); a failure then aborts the transaction.
      pending.catch(() => undefined);
      await step(chunk.length);
    }
  } finally {
    if (pending) await pending.catch(() => undefined);
  }
  if (pending) await pending;
}

/**
 * One multi-row INSERT, its SQL written here rather than built by the query builder: building
 * a statement of 20,000 values node by node costs more than running it. Columns are the first
 * row's keys; `suffix` adds an ON CONFLICT clause.
 */
async function insertMany(
  trx: Tx,
  dialect: Dialect,
  table: string,
  rows: readonly Record<string, unknown>[],
  suffix = '',
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const params: unknown[] = [];
  let text: string;
  if (dialect === 'postgres') {
    // One array per column, unnested by the server: one short statement however many rows.
    const selects: string[] = [];
    const names: string[] = [];
    for (const c of columns) {
      const values = rows.map((r) => r[c]);
      const sample = values.find((x) => x !== null && x !== undefined);
      // A column that is null in every row keeps its default (null).
      if (sample === undefined) continue;
      params.push(values);
      names.push(c);
      selects.push(`$${params.length}::${typeof sample === 'number' ? 'bigint' : 'text'}[]`);
    }
    text = `insert into ${table} (${names.join(',')}) select * from unnest(${selects.join(',')})`;
  } else {
    const tuples: string[] = [];
    const marks = `(${columns.map(() => '?').join(',')})`;
    for (const row of rows) {
      for (const c of columns) params.push(row[c]);
      tuples.push(marks);
    }
    text = `insert into ${table} (${columns.join(',')}) values ${tuples.join(',')}`;
  }
  if (suffix) text += ` ${suffix}`;
  await trx.executeQuery(CompiledQuery.raw(text, params));
}

export async function applyPlan(
  ctx: ApplyContext,
  image: DirectoryImage,
  plan: ImportPlan,
  control: ApplyControl,
): Promise<ApplyOutcome> {
  const total =
    plan.newDepartments.length + plan.creates.length * 3 + plan.updates.length * 2 + plan.disables.length * 2;
  let done = 0;
  const step = async (n: number) => {
    done += n;
    control.progress(done, total);
    await yieldToLoop();
    if (control.cancelled()) throw new ImportCancelled();
  };

  const writes = total > 0;
  const { outcome, appended, revokedDevices } = await ctx.transaction(async (trx) => {
    // An import that changes nothing takes no version: clients have nothing to pull.
    const { version, epoch } = writes ? await nextDirectoryVersion(trx) : { version: image.version, epoch: 0 };
    const now = ctx.now();

    // Departments, parents first (the plan is ordered by depth).
    const deptIdOf = new Map<string, string>();
    for (const [key, d] of image.deptByKey) deptIdOf.set(key, d.id);
    const nextOrder = new Map(image.lastOrder);
    const deptRows = plan.newDepartments.map((d) => {
      const id = newId();
      deptIdOf.set(d.key, id);
      const parentId = deptIdOf.get(d.parentKey)!;
      const order = (nextOrder.get(parentId) ?? 0) + 1;
      nextOrder.set(parentId, order);
      return {
        id,
        parent_id: parentId,
        name: d.name,
        sort_order: order,
        depth: d.depth,
        hidden: 0,
        deleted: 0,
        dir_version: version,
        created_at: now,
        updated_at: now,
      };
    });
    for (const chunk of chunks(deptRows)) {
      await insertMany(trx, ctx.dialect, 'departments', chunk);
      await step(chunk.length);
    }

    // Ids of new members first: a new member's manager may be another new member.
    const idOf = new Map<string, string>();
    for (const m of image.members.values()) idOf.set(m.account, m.id);
    for (const r of plan.creates) idOf.set(r.values.account, newId());
    const profile = (v: RowValues) => ({
      name: v.name,
      alias: v.alias,
      title: v.title,
      mobile: v.mobile,
      phone: v.phone,
      email: v.email,
      address: v.address,
      manager_id: v.manager ? idOf.get(v.manager)! : null,
      ...memberDerivedColumns(v.name, version, now),
    });

    const createdRow = (r: PlannedRow): UserRow => ({
      id: idOf.get(r.values.account)!,
      account: r.values.account,
      role: 'member',
      created_at: now,
      gender: r.values.gender ?? 'unspecified',
      status: r.values.status ?? 'active',
      hidden: 0,
      ...profile(r.values),
      // Not activated, no password: the member redeems the activation code issued below.
      ...memberRowDefaults(r.values.name, version, now),
    });
    const write = (table: string, suffix?: string) => (rows: object[]) =>
      insertMany(trx, ctx.dialect, table, rows as Record<string, unknown>[], suffix);
    await pipelined(plan.creates, CHUNK, (chunk) => chunk.map(createdRow), write('users'), step);

    // Updates as one upsert per chunk (UPSERT_PROFILE).
    const updatedRow = ({ row, member }: ImportPlan['updates'][number]): UserRow => ({
      id: member.id,
      account: member.account,
      role: member.role,
      password_hash: '',
      created_at: 0,
      gender: row.values.gender ?? member.gender,
      status: row.values.status ?? member.status,
      hidden: 0,
      activated: 0,
      ...profile(row.values),
    });
    await pipelined(plan.updates, CHUNK, (chunk) => chunk.map(updatedRow), write('users', UPSERT_PROFILE), step);

    // Department memberships: replaced for updated members whose list changed, written for new ones.
    const relinked = plan.updates.filter(
      ({ row, member }) =>
        row.values.departments.length !== member.departmentIds.length ||
        row.values.departments.some((k, i) => deptIdOf.get(k) !== member.departmentIds[i]),
    );
    for (const chunk of chunks(relinked)) {
      await trx
        .deleteFrom('user_departments')
        .where(
          'user_id',
          'in',
          chunk.map((u) => u.member.id),
        )
        .execute();
    }
    const links = [
      ...plan.creates.map((r) => ({ userId: idOf.get(r.values.account)!, keys: r.values.departments })),
      ...relinked.map((u) => ({ userId: u.member.id, keys: u.row.values.departments })),
    ].flatMap(({ userId, keys }) =>
      keys.map((k, position) => ({ user_id: userId, department_id: deptIdOf.get(k)!, position })),
    );
    await pipelined(
      links,
      5000,
      (chunk) => chunk,
      write('user_departments'),
      (n) => step(Math.min(n, plan.creates.length + plan.updates.length)),
    );

    // Mode sync: members absent from the file are disabled and signed out.
    const revokedDevices: string[] = [];
    for (const chunk of chunks(plan.disables)) {
      await trx
        .updateTable('users')
        .set({ status: 'disabled', dir_version: version, updated_at: now })
        .where('id', 'in', chunk)
        .execute();
      const devices = await trx
        .updateTable('devices')
        .set({ revoked_at: now })
        .where('user_id', 'in', chunk)
        .where('revoked_at', 'is', null)
        .returning('id')
        .execute();
      revokedDevices.push(...devices.map((d) => d.id));
      await step(chunk.length * 2);
    }

    // New members get a one-time activation code; only its hash is stored.
    const expiresAt = now + ACTIVATION_TTL_MS;
    const activations: Activation[] = [];
    const codeRows = (chunk: PlannedRow[]) =>
      chunk.map((r) => {
        const code = newActivationCode();
        activations.push({ account: r.values.account, name: r.values.name, code, expiresAt });
        return { code_hash: hashActivationCode(code), user_id: idOf.get(r.values.account)!, expires_at: expiresAt };
      });
    await pipelined(plan.creates, 5000, codeRows, write('activation_codes'), step);

    const result = {
      created: plan.creates.length,
      updated: plan.updates.length,
      disabled: plan.disables.length,
      departmentsCreated: deptRows.length,
    };
    await audit(trx, now, {
      actorId: control.actorId,
      action: 'directory.imported',
      targetId: null,
      detail: {
        fileName: control.fileName,
        mode: control.mode,
        ...result,
        invalid: plan.summary.invalid,
        unchanged: plan.unchanged,
        ...(control.via ? { via: control.via } : {}),
      },
    });
    if (control.cancelled()) throw new ImportCancelled();
    const appended = writes ? await appendDirectoryChange(ctx.changes, trx, { version, epoch }) : [];
    return { outcome: { result, activations, version }, appended, revokedDevices };
  });
  ctx.changes.publish(appended);
  ctx.fanout.kick(revokedDevices, 'this account was disabled by an administrator');
  return outcome;
}
