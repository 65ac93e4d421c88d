// Writes an import plan: every valid row in ONE transaction, in multi-row statements, yielding
// to the event loop between chunks so the relay keeps answering. A cancel between chunks
// throws, and the transaction rolls back: nothing of the import stays.
import { CompiledQuery, sql } from 'kysely';
import { newId } from '../../shared/lib/ids';
import type { ImportJob, ImportMode } from '../../shared/protocol';
import { audit } from '../domain/audit';
import type { ChangeStream } from '../domain/changes';
import type { Reader, Tx } from '../domain/context';
import { ACTIVATION_TTL_MS, hashActivationCode, newActivationCodes } from '../domain/directory/activation';
import { memberDerivedColumns, memberRowDefaults } from '../domain/directory/members';
import { nextDirectoryVersion } from '../domain/directory/version';
import { appendDirectoryChange, bumpDirectoryEpoch } from '../domain/directory/write';
import type { Fanout } from '../domain/fanout';
import { createLogger } from '../log';
import type { Dialect } from '../store/migrator';
import { PROFILE_COLUMNS, type DirectoryImage } from './directory';
import type { ImportPlan, PlannedRow, RowValues } from './plan';

const log = createLogger('relay.directory-io');

export interface ApplyContext {
  dialect: Dialect;
  transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T>;
  changes: ChangeStream;
  fanout: Fanout;
  now(): number;
  db: Reader;
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

// Rows per statement. SQLite binds every value (users have about 17 per row besides the
// constants), so 1,000 rows stay below its 32,766 bound parameters; PostgreSQL gets one array
// per column, so a statement carries a few parameters however many rows it writes.
const CHUNK = { sqlite: 1000, postgres: 5000 } as const;
// Updates are upserts on id: the insert half never happens (the ids exist), the conflict half
// sets the profile columns from the row.
const UPSERT_PROFILE = `on conflict (id) do update set ${[
  ...PROFILE_COLUMNS,
  'pinyin',
  'initials',
  'dir_version',
  'updated_at',
]
  .map((c) => `${c} = excluded.${c}`)
  .join(', ')}`;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

type Row = Record<string, unknown>;

/**
 * A multi-row INSERT compiled before the transaction opens, its SQL written here rather than
 * built by the query builder (building a statement of 20,000 values node by node costs more
 * than running it). Columns are the first row's keys; `constants` are columns with the same
 * value in every row, bound once (the directory version is only known inside the
 * transaction, so they are given to `run`); `suffix` adds an ON CONFLICT clause.
 */
interface BatchInsert {
  rows: number;
  run(trx: Tx, constants: Row): Promise<void>;
}

function batchInsert(
  dialect: Dialect,
  table: string,
  rows: readonly Row[],
  constantColumns: readonly string[],
  suffix = '',
): BatchInsert {
  const skip = new Set(constantColumns);
  const columns = Object.keys(rows[0]!).filter((c) => !skip.has(c));
  const params: unknown[] = [];
  const names: string[] = [];
  let source: string;
  if (dialect === 'postgres') {
    // One array per column, unnested by the server.
    const arrays: string[] = [];
    for (const c of columns) {
      const values = rows.map((r) => r[c]);
      const sample = values.find((x) => x !== null && x !== undefined);
      // A column that is null in every row keeps its default (null).
      if (sample === undefined) continue;
      params.push(values);
      names.push(c);
      arrays.push(`$${params.length}::${typeof sample === 'number' ? 'bigint' : 'text'}[]`);
    }
    source = `unnest(${arrays.join(',')})`;
  } else {
    names.push(...columns);
    const marks = `(${columns.map(() => '?').join(',')})`;
    const tuples: string[] = [];
    for (const row of rows) {
      for (const c of columns) params.push(row[c]);
      tuples.push(marks);
    }
    source = `(values ${tuples.join(',')})`;
  }
  return {
    rows: rows.length,
    async run(trx, constants) {
      const fixed = constantColumns.map((c) => constants[c]);
      // SQLite numbers its `?` in the order they are written: the constants come first.
      const values = dialect === 'sqlite' ? [...fixed, ...params] : [...params, ...fixed];
      const extra = fixed.map((v, i) =>
        dialect === 'sqlite' ? '?' : `$${params.length + i + 1}::${typeof v === 'number' ? 'bigint' : 'text'}`,
      );
      // `where true`: SQLite would read ON CONFLICT after a bare FROM as a join's ON.
      const text =
        `insert into ${table} (${[...names, ...constantColumns].join(',')}) ` +
        `select *${extra.map((e) => `, ${e}`).join('')} from ${source} as t where true ${suffix}`;
      await trx.executeQuery(CompiledQuery.raw(text, values));
    },
  };
}

/** A batch whose statement is compiled when `build` is called. */
interface LazyInsert {
  rows: number;
  build(): BatchInsert;
}

function batchInserts<T>(
  dialect: Dialect,
  table: string,
  items: readonly T[],
  toRow: (item: T) => Row,
  constantColumns: readonly string[],
  suffix = '',
  size: number = CHUNK[dialect],
): LazyInsert[] {
  return [...chunks(items, size)].map((chunk) => ({
    rows: chunk.length,
    build: () => batchInsert(dialect, table, chunk.map(toRow), constantColumns, suffix),
  }));
}

/**
 * Every row the import writes, worked out before its transaction opens: ids, departments,
 * memberships, activation codes. The statements of the member rows (pinyin of every name) and
 * the codes' hashes are compiled chunk by chunk, on PostgreSQL while the previous chunk is written.
 */
interface Prepared {
  departments: LazyInsert[];
  creates: LazyInsert[];
  updates: LazyInsert[];
  /** Members whose department list changes: their old memberships go first. */
  relinked: string[];
  links: LazyInsert[];
  codes: LazyInsert[];
  activations: Activation[];
  departmentsCreated: number;
}

// Columns with one value for the whole import, bound once per statement.
const VERSIONED = ['dir_version', 'updated_at'];
const CREATED_CONSTANTS = ['role', 'created_at', 'hidden', 'activated', 'password_hash', ...VERSIONED];
const DEPARTMENT_CONSTANTS = ['hidden', 'deleted', 'created_at', ...VERSIONED];

function prepare(dialect: Dialect, image: DirectoryImage, plan: ImportPlan, now: number): Prepared {
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
    return { id, parent_id: parentId, name: d.name, sort_order: order, depth: d.depth };
  });

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
    // dir_version and updated_at are constants of the statement (VERSIONED).
    ...memberDerivedColumns(v.name, 0, now),
  });
  const created = (r: PlannedRow): Row => ({
    id: idOf.get(r.values.account)!,
    account: r.values.account,
    gender: r.values.gender ?? 'unspecified',
    status: r.values.status ?? 'active',
    ...profile(r.values),
    // Not activated, no password: the member redeems the activation code issued below.
    ...memberRowDefaults(r.values.name, 0, now),
  });
  // Updates as upserts (UPSERT_PROFILE); the insert half's columns are placeholders.
  const updated = ({ row, member }: ImportPlan['updates'][number]): Row => ({
    id: member.id,
    account: member.account,
    gender: row.values.gender ?? member.gender,
    status: row.values.status ?? member.status,
    ...profile(row.values),
  });

  // Department memberships: replaced for updated members whose list changed, written for new ones.
  const relinked = plan.updates.filter(
    ({ row, member }) =>
      row.values.departments.length !== member.departmentIds.length ||
      row.values.departments.some((k, i) => deptIdOf.get(k) !== member.departmentIds[i]),
  );
  const links = [
    ...plan.creates.map((r) => ({ userId: idOf.get(r.values.account)!, keys: r.values.departments })),
    ...relinked.map((u) => ({ userId: u.member.id, keys: u.row.values.departments })),
  ].flatMap(({ userId, keys }) =>
    keys.map((k, position) => ({ user_id: userId, department_id: deptIdOf.get(k)!, position })),
  );

  // New members get a one-time activation code; only its hash is stored.
  const expiresAt = now + ACTIVATION_TTL_MS;
  const codes = newActivationCodes(plan.creates.length);
  const activations = plan.creates.map((r, i): Activation => ({
    account: r.values.account,
    name: r.values.name,
    code: codes[i]!,
    expiresAt,
  }));
  const code = (a: Activation): Row => ({ code_hash: hashActivationCode(a.code), user_id: idOf.get(a.account)! });
  const same = (row: Row) => row;

  return {
    departments: batchInserts(dialect, 'departments', deptRows, same, DEPARTMENT_CONSTANTS),
    creates: batchInserts(dialect, 'users', plan.creates, created, CREATED_CONSTANTS),
    updates: batchInserts(dialect, 'users', plan.updates, updated, CREATED_CONSTANTS, UPSERT_PROFILE),
    relinked: relinked.map((u) => u.member.id),
    links: batchInserts(dialect, 'user_departments', links, same, []),
    codes: batchInserts(dialect, 'activation_codes', activations, code, ['expires_at']),
    activations,
    departmentsCreated: deptRows.length,
  };
}

export async function applyPlan(
  ctx: ApplyContext,
  image: DirectoryImage,
  plan: ImportPlan,
  control: ApplyControl,
): Promise<ApplyOutcome> {
  const now = ctx.now();
  const prepared = prepare(ctx.dialect, image, plan, now);
  if (ctx.dialect === 'sqlite') {
    // SQLite runs a statement at once, holding the database's one write lock for the whole
    // transaction (chat messages wait): every statement is compiled before it opens.
    for (const list of [prepared.departments, prepared.creates, prepared.updates, prepared.links, prepared.codes]) {
      for (const lazy of list) {
        const batch = lazy.build();
        lazy.build = () => batch;
      }
    }
  }
  const total =
    plan.newDepartments.length + plan.creates.length * 3 + plan.updates.length * 2 + plan.disables.length * 2;
  let done = 0;
  const step = async (n: number) => {
    done += n;
    control.progress(Math.round(done), total);
    await yieldToLoop();
    if (control.cancelled()) throw new ImportCancelled();
  };
  await step(0);

  const writes = total > 0;
  const { outcome, appended, revokedDevices } = await ctx.transaction(async (trx) => {
    // An import that changes nothing takes no version: clients have nothing to pull.
    const { version, epoch } = writes ? await nextDirectoryVersion(trx) : { version: image.version, epoch: 0 };
    const constants: Row = {
      dir_version: version,
      updated_at: now,
      created_at: now,
      role: 'member',
      hidden: 0,
      deleted: 0,
      activated: 0,
      password_hash: '',
      expires_at: now + ACTIVATION_TTL_MS,
    };
    // Each statement is compiled while the previous one runs (on PostgreSQL the server works
    // meanwhile); statements still run in order on the transaction's one connection.
    const run = async (batches: LazyInsert[], weight = 1) => {
      let pending: Promise<void> | null = null;
      let pendingRows = 0;
      try {
        for (const lazy of batches) {
          const batch = lazy.build();
          if (pending) {
            await pending;
            await step(pendingRows * weight);
          }
          pending = batch.run(trx, constants);
          // Awaited on the next turn (or below); a failure then aborts the transaction.
          pending.catch(() => undefined);
          pendingRows = batch.rows;
        }
      } finally {
        if (pending) await pending.catch(() => undefined);
      }
      if (pending) {
        await pending;
        await step(pendingRows * weight);
      }
    };

    await run(prepared.departments);
    await run(prepared.creates);
    await run(prepared.updates);
    for (const chunk of chunks(prepared.relinked, CHUNK.sqlite)) {
      await trx.deleteFrom('user_departments').where('user_id', 'in', chunk).execute();
    }
    // Progress counts members here, not links (a member may have several, or none changed).
    const share = plan.creates.length + plan.updates.length;
    const before = done;
    await run(prepared.links, share / Math.max(1, countRows(prepared.links)));
    await step(before + share - done);

    // Mode sync: members absent from the file are disabled and signed out.
    const revokedDevices: string[] = [];
    for (const chunk of chunks(plan.disables, CHUNK.sqlite)) {
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

    await run(prepared.codes);

    const result = {
      created: plan.creates.length,
      updated: plan.updates.length,
      disabled: plan.disables.length,
      departmentsCreated: prepared.departmentsCreated,
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
    // A moved member's own view depends on their departments when hidden departments or
    // visibility rules exist: then every client re-reads the directory (a new epoch).
    let at = { version, epoch };
    if (prepared.relinked.length > 0 && (await viewsDependOnDepartments(trx))) at = await bumpDirectoryEpoch(trx);
    const appended = writes ? await appendDirectoryChange(ctx.changes, trx, at) : [];
    return { outcome: { result, activations: prepared.activations, version }, appended, revokedDevices };
  });
  ctx.changes.publish(appended);
  ctx.fanout.kick(revokedDevices, 'this account was disabled by an administrator');
  // Fresh statistics after a bulk write: with stale ones PostgreSQL's planner picks slow plans
  // for the directory's reads (a department's members) until autovacuum catches up.
  // Not awaited: the import is done; the statistics follow a moment later.
  if (ctx.dialect === 'postgres' && total > 1000) {
    sql`analyze users, user_departments, departments`
      .execute(ctx.db)
      .catch((err: unknown) => log.warn({ err }, 'analyze after an import failed'));
  }
  return outcome;
}

async function viewsDependOnDepartments(trx: Tx): Promise<boolean> {
  const hidden = await trx.selectFrom('departments').select('id').where('hidden', '=', 1).where('deleted', '=', 0);
  const rule = await trx.selectFrom('visibility_rules').select('id').executeTakeFirst();
  return !!rule || !!(await hidden.executeTakeFirst());
}

function countRows(batches: readonly LazyInsert[]): number {
  return batches.reduce((n, b) => n + b.rows, 0);
}
