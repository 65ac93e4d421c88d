// Validation of every row against the field rules and the directory, and the plan of what an
// apply would write. Pure and in memory: nothing here touches the store.
import {
  AccountName,
  Email,
  Landline,
  MAX_DEPARTMENT_DEPTH,
  MemberFieldLimits,
  Mobile,
  type ImportIssue,
  type ImportIssueCode,
  type ImportMode,
  type ImportSummary,
  QixinError,
} from '../../shared/protocol';
import type { AdminScope } from '../domain/directory/scope';
import { withinSubtrees } from '../domain/directory/scope';
import { COLUMNS, GENDER_OF, STATUS_OF, columnOf, splitDepartments, type ColumnKey } from './columns';
import { mobileKey, type DirectoryImage, type MemberInfo } from './directory';
import type { ImportFile, RawRow } from './read';

export interface RowValues {
  name: string;
  account: string;
  alias: string;
  title: string;
  gender: MemberInfo['gender'] | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  address: string;
  manager: string | null;
  status: MemberInfo['status'] | null;
  /** Department keys (paths below the root), main one first. */
  departments: string[];
}

export interface PlannedRow {
  raw: RawRow;
  values: RowValues;
  issues: { code: ImportIssueCode; message: string }[];
}

/** A department the import creates; parents come before children. */
export interface NewDepartment {
  key: string;
  name: string;
  parentKey: string;
  depth: number;
}

export interface ImportPlan {
  header: string[];
  rows: PlannedRow[];
  creates: PlannedRow[];
  updates: { row: PlannedRow; member: MemberInfo }[];
  unchanged: number;
  /** Mode sync: existing members (ids) to disable. */
  disables: string[];
  newDepartments: NewDepartment[];
  summary: ImportSummary;
  /** Directory version the plan was made against. */
  version: number;
}

export interface PlanOptions {
  mode: ImportMode;
  createDepartments: boolean;
  scope: AdminScope;
  /** The importing admin (never disabled by a sync); null from the command line. */
  actorId: string | null;
  /** Lets the caller yield to the event loop between slices of work. */
  pause?(): Promise<void>;
}

const limits: Partial<Record<ColumnKey, number>> = {
  name: MemberFieldLimits.name,
  alias: MemberFieldLimits.alias,
  title: MemberFieldLimits.title,
  phone: MemberFieldLimits.phone,
  email: MemberFieldLimits.email,
  address: MemberFieldLimits.address,
  account: 64,
  manager: 64,
};

/** Maps the header row to column positions; throws when a required column is missing. */
export function mapHeader(header: string[]): Map<ColumnKey, number> {
  const map = new Map<ColumnKey, number>();
  header.forEach((h, i) => {
    const key = columnOf(h);
    if (key && !map.has(key)) map.set(key, i);
  });
  const missing = COLUMNS.filter((c) => c.required && !map.has(c.key)).map((c) => c.header);
  if (missing.length) {
    throw new QixinError('invalid', `表头缺少必填列：${missing.join('、')}（第 1 行应为表头，可下载模板对照）`);
  }
  return map;
}

/** Splits a path into levels, dropping a leading enterprise name; null when a level is empty. */
function pathLevels(path: string, rootName: string): string[] | null {
  const levels = path.split('/').map((s) => s.trim());
  if (levels.some((l) => l === '')) return null;
  if (levels[0] === rootName) levels.shift();
  return levels;
}

export async function planImport(file: ImportFile, image: DirectoryImage, options: PlanOptions): Promise<ImportPlan> {
  const columns = mapHeader(file.header);
  const pause = options.pause ?? (async () => {});
  const { scope } = options;
  const parentOfDept = (id: string) => image.departments.get(id)?.parentId;
  const inScope = (deptId: string) => scope.superAdmin || withinSubtrees(deptId, scope.departmentIds, parentOfDept);
  /** Nearest existing department of a key (itself when it exists). */
  const nearestExisting = (key: string) => {
    for (let k = key; ; k = k.includes('/') ? k.slice(0, k.lastIndexOf('/')) : '') {
      const d = image.deptByKey.get(k);
      if (d) return d;
      if (k === '') return image.departments.get(image.rootId)!;
    }
  };
  const memberInScope = (m: MemberInfo) => scope.superAdmin || m.departmentIds.some(inScope);

  // Paths repeat row after row: each distinct cell text is checked once.
  type PathCheck = { key: string } | { code: ImportIssueCode; message: string };
  const pathChecks = new Map<string, PathCheck>();
  const checkPath = (path: string): PathCheck => {
    let hit = pathChecks.get(path);
    if (hit) return hit;
    const levels = pathLevels(path, image.rootName);
    if (!levels) hit = { code: 'invalid_department', message: `部门路径“${path}”有空的层级` };
    else if (levels.some((l) => l.length > 64)) {
      hit = { code: 'invalid_department', message: `部门路径“${path}”中有超过 64 个字符的部门名称` };
    } else if (levels.length > MAX_DEPARTMENT_DEPTH) {
      hit = { code: 'department_too_deep', message: `部门“${path}”超过 ${MAX_DEPARTMENT_DEPTH} 级` };
    } else {
      const key = levels.join('/');
      if (!image.deptByKey.has(key) && !options.createDepartments) {
        hit = { code: 'unknown_department', message: `部门“${path}”不存在（可勾选“自动创建不存在的部门”）` };
      } else if (!inScope(nearestExisting(key).id)) {
        hit = { code: 'outside_scope', message: `部门“${path}”不在你管理的范围内` };
      } else hit = { key };
    }
    pathChecks.set(path, hit);
    return hit;
  };
  const at = COLUMNS.map((c) => columns.get(c.key));
  const index = new Map(COLUMNS.map((c, i) => [c.key, i]));
  const col = (key: ColumnKey) => index.get(key)!;

  const rows: PlannedRow[] = [];
  const wantedDepartments = new Set<string>();
  for (const [i, raw] of file.rows.entries()) {
    if (i % 1000 === 999) await pause();
    const v = at.map((position) => (position === undefined ? '' : (raw.cells[position] ?? '').trim()));
    const issues: PlannedRow['issues'] = [];
    for (const [ci, c] of COLUMNS.entries()) {
      const text = v[ci]!;
      if (c.required && text === '') issues.push({ code: 'required', message: `${c.header}不能为空` });
      const max = limits[c.key];
      if (max && text.length > max) issues.push({ code: 'too_long', message: `${c.header}超过 ${max} 个字符` });
    }
    const values = rowValues(v, col, issues);
    const paths = splitDepartments(v[col('departments')]!);
    if (paths.length > MemberFieldLimits.departments) {
      issues.push({ code: 'too_long', message: `部门最多 ${MemberFieldLimits.departments} 个` });
    }
    for (const path of paths) {
      const check = checkPath(path);
      if ('code' in check) issues.push(check);
      else if (!values.departments.includes(check.key)) values.departments.push(check.key);
    }
    const existing = values.account ? image.members.get(values.account) : undefined;
    if (existing && options.mode === 'add') {
      issues.push({ code: 'account_exists', message: `账号“${values.account}”已存在（“仅新增”模式不修改已有成员）` });
    }
    if (existing && !memberInScope(existing)) {
      issues.push({ code: 'outside_scope', message: `成员“${values.account}”不在你管理的范围内` });
    }
    rows.push({ raw, values, issues });
  }

  // Duplicates inside the file: every row sharing an account (or a mobile) is refused, since
  // which of them is meant cannot be told.
  const firstRowOf = (key: (r: PlannedRow) => string | null) => {
    // Most keys occur once: only those seen again get a list.
    const first = new Map<string, PlannedRow>();
    const groups = new Map<string, PlannedRow[]>();
    for (const r of rows) {
      const k = key(r);
      if (!k) continue;
      const seen = first.get(k);
      if (seen === undefined) first.set(k, r);
      else {
        const list = groups.get(k);
        if (list) list.push(r);
        else groups.set(k, [seen, r]);
      }
    }
    return [...groups.values()];
  };
  for (const group of firstRowOf((r) => r.values.account || null)) {
    for (const r of group) {
      const others = group.filter((o) => o !== r).map((o) => o.raw.row);
      r.issues.push({ code: 'duplicate_account_in_file', message: `账号与第 ${others.join('、')} 行重复` });
    }
  }
  for (const group of firstRowOf((r) => (r.values.mobile ? mobileKey(r.values.mobile) : null))) {
    for (const r of group) {
      const others = group.filter((o) => o !== r).map((o) => o.raw.row);
      r.issues.push({ code: 'duplicate_mobile_in_file', message: `手机号与第 ${others.join('、')} 行重复` });
    }
  }
  await pause();
  // Another member's mobile, unless that member's own row moves them to a different number.
  const fileMobileOf = new Map<string, string | null>();
  for (const r of rows) if (r.values.account) fileMobileOf.set(r.values.account, r.values.mobile);
  for (const r of rows) {
    if (!r.values.mobile) continue;
    const owner = image.mobileOwner.get(mobileKey(r.values.mobile));
    if (!owner || owner === r.values.account) continue;
    const ownerNext = fileMobileOf.get(owner);
    if (ownerNext !== undefined && (ownerNext === null || mobileKey(ownerNext) !== mobileKey(r.values.mobile)))
      continue;
    r.issues.push({ code: 'mobile_taken', message: `手机号已被成员“${owner}”使用` });
  }
  await pause();
  // Managers: in the directory, or a row of this file that itself is accepted (to a fixed point).
  for (let changed = true; changed;) {
    changed = false;
    const accepted = new Set(rows.filter((r) => r.issues.length === 0).map((r) => r.values.account));
    for (const r of rows) {
      const m = r.values.manager;
      if (!m || r.issues.some((i) => i.code === 'unknown_manager')) continue;
      if (image.members.has(m) || accepted.has(m)) continue;
      r.issues.push({ code: 'unknown_manager', message: `直属上级“${m}”不在通讯录中，也不在本文件中` });
      changed = true;
    }
  }
  await pause();

  // What an apply writes.
  await pause();
  const valid = rows.filter((r) => r.issues.length === 0);
  const creates: PlannedRow[] = [];
  const updates: ImportPlan['updates'] = [];
  let unchanged = 0;
  const accountsInFile = new Set(rows.map((r) => r.values.account).filter(Boolean));
  for (const r of valid) {
    for (const k of r.values.departments) wantedDepartments.add(k);
    const m = image.members.get(r.values.account);
    if (!m) creates.push(r);
    else if (differs(r.values, m, image)) updates.push({ row: r, member: m });
    else unchanged++;
  }
  if (options.createDepartments) {
    for (const path of file.departmentPaths) {
      const levels = pathLevels(path, image.rootName);
      if (!levels || levels.length === 0 || levels.length > MAX_DEPARTMENT_DEPTH) continue;
      if (levels.some((l) => l.length > 64)) continue;
      const key = levels.join('/');
      if (inScope(nearestExisting(key).id)) wantedDepartments.add(key);
    }
  }
  const newDepartments = new Map<string, NewDepartment>();
  for (const key of wantedDepartments) {
    const levels = key.split('/');
    for (let depth = 1; depth <= levels.length; depth++) {
      const k = levels.slice(0, depth).join('/');
      if (image.deptByKey.has(k) || newDepartments.has(k)) continue;
      newDepartments.set(k, {
        key: k,
        name: levels[depth - 1]!,
        parentKey: levels.slice(0, depth - 1).join('/'),
        depth,
      });
    }
  }
  const disables: string[] = [];
  if (options.mode === 'sync') {
    for (const m of image.members.values()) {
      if (accountsInFile.has(m.account) || m.status !== 'active') continue;
      // Super admins and the importing admin are never locked out by a sync.
      if (m.role === 'admin' || m.id === options.actorId) continue;
      if (memberInScope(m)) disables.push(m.id);
    }
  }
  const summary: ImportSummary = {
    rows: rows.length,
    valid: valid.length,
    invalid: rows.length - valid.length,
    toCreate: creates.length,
    toUpdate: updates.length,
    unchanged,
    toDisable: disables.length,
    departmentsToCreate: newDepartments.size,
  };
  return {
    header: file.header,
    rows,
    creates,
    updates,
    unchanged,
    disables,
    newDepartments: [...newDepartments.values()].sort((a, b) => a.depth - b.depth),
    summary,
    version: image.version,
  };
}

// Fast paths for the common forms, each a strict subset of what its schema accepts; anything
// else goes to the schema itself (50,000 rows, four schema checks a row add up).
const PLAIN_ACCOUNT = /^[A-Za-z0-9._@-]{2,64}$/;
const PLAIN_MOBILE = /^1[3-9][0-9]{9}$/;
const PLAIN_EMAIL = /^[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9][a-z0-9-]*\.)+[a-z]{2,}$/i;

/** The row's fields, checked one by one against the member field rules. */
function rowValues(v: string[], col: (key: ColumnKey) => number, issues: PlannedRow['issues']): RowValues {
  const add = (code: ImportIssueCode, message: string) => issues.push({ code, message });
  const account = v[col('account')]!;
  if (account && account.length <= 64 && !PLAIN_ACCOUNT.test(account) && !AccountName.safeParse(account).success) {
    add('invalid_account', `账号“${account}”无效：只能包含字母、数字和 . _ @ -，长度 2–64 个字符`);
  }
  const genderText = v[col('gender')]!;
  const gender = genderText ? (GENDER_OF[genderText.toLowerCase()] ?? null) : null;
  if (genderText && !gender) add('invalid_gender', `性别“${genderText}”无效：应为 男、女 或 未知`);
  const statusText = v[col('status')]!;
  const status = statusText ? (STATUS_OF[statusText.toLowerCase()] ?? null) : null;
  if (statusText && !status) add('invalid_status', `状态“${statusText}”无效：应为 在职、禁用 或 离职`);

  // People write mobiles with spaces or dashes; they are stored without.
  const mobileCell = v[col('mobile')]!;
  let mobile = mobileCell.replace(/[\s-]/g, '');
  // Spreadsheet programs turn +8613800138000 into the number 8613800138000: put the + back.
  if (/^[1-9][0-9]{7,14}$/.test(mobile) && !PLAIN_MOBILE.test(mobile) && !Mobile.safeParse(mobile).success) {
    mobile = `+${mobile}`;
  }
  if (mobile && !PLAIN_MOBILE.test(mobile) && !Mobile.safeParse(mobile).success) {
    add('invalid_mobile', `手机号“${mobileCell}”无效：应为 11 位中国大陆手机号（可带 +86）或 + 国家码的国际号码`);
  }
  const phone = v[col('phone')]!;
  if (phone && phone.length <= MemberFieldLimits.phone && !Landline.safeParse(phone).success) {
    add('invalid_phone', `座机“${phone}”格式不正确（如 010-12345678 或 010-12345678-123）`);
  }
  const email = v[col('email')]!;
  if (email && email.length <= MemberFieldLimits.email && !PLAIN_EMAIL.test(email) && !Email.safeParse(email).success) {
    add('invalid_email', `邮箱“${email}”格式不正确`);
  }
  return {
    name: v[col('name')]!,
    account,
    alias: v[col('alias')]!,
    title: v[col('title')]!,
    gender,
    mobile: mobile || null,
    phone: phone || null,
    email: email || null,
    address: v[col('address')]!,
    manager: v[col('manager')]! || null,
    status,
    departments: [],
  };
}

/** The manager's id as written: an existing member's, or null when the manager is new. */
function managerId(values: RowValues, image: DirectoryImage): string | null | undefined {
  if (!values.manager) return null;
  return image.members.get(values.manager)?.id;
}

/** True when writing the row would change the member. */
function differs(v: RowValues, m: MemberInfo, image: DirectoryImage): boolean {
  if (v.name !== m.name || v.alias !== m.alias || v.title !== m.title || v.address !== m.address) return true;
  if (v.mobile !== m.mobile || v.phone !== m.phone || v.email !== m.email) return true;
  if (v.gender !== null && v.gender !== m.gender) return true;
  if (v.status !== null && v.status !== m.status) return true;
  const manager = managerId(v, image);
  if (manager === undefined || manager !== m.manager_id) return true;
  if (v.departments.length !== m.departmentIds.length) return true;
  return v.departments.some((key, i) => image.deptByKey.get(key)?.id !== m.departmentIds[i]);
}

export function issuesOf(plan: Pick<ImportPlan, 'rows'>, limit = Infinity): ImportIssue[] {
  const out: ImportIssue[] = [];
  for (const r of plan.rows) {
    if (r.issues.length === 0) continue;
    if (out.length >= limit) break;
    out.push({
      row: r.raw.row,
      account: r.values.account || null,
      codes: [...new Set(r.issues.map((i) => i.code))],
      message: r.issues.map((i) => i.message).join('；'),
    });
  }
  return out;
}
