// Bulk import and export of the directory over the relay's admin HTTP API, with spreadsheets
// written by LibreOffice (not by our code), CSV in UTF-8 (with and without BOM) and GBK.
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpPaths, MAX_IMPORT_BYTES, type ImportJob, type SessionGrant } from '../../shared/protocol';
import { connectStore, type Store } from '../../server/store/database';
import { newId } from '../../shared/lib/ids';
import { convertCsv, toGbk } from '../support/libreoffice';
import { createEnterprise, openClient, startTestRelay, type TestRelay } from '../support/relay';

const ENTERPRISE = '测试科技有限公司';
const HEADER = '姓名*,账号*,别名,职务,部门*,性别,手机,座机,邮箱,地址,直属上级,状态';

interface Person {
  name: string;
  account: string;
  alias?: string;
  title?: string;
  departments: string;
  gender?: string;
  mobile?: string;
  phone?: string;
  email?: string;
  address?: string;
  manager?: string;
  status?: string;
}

const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
function csv(people: Person[], header = HEADER): string {
  const rows = people.map((p) =>
    [
      p.name,
      p.account,
      p.alias ?? '',
      p.title ?? '',
      p.departments,
      p.gender ?? '',
      p.mobile ?? '',
      p.phone ?? '',
      p.email ?? '',
      p.address ?? '',
      p.manager ?? '',
      p.status ?? '',
    ]
      .map(quote)
      .join(','),
  );
  return `${[header, ...rows].join('\n')}\n`;
}

const BASE: Person[] = [
  { name: '王五', account: 'wangwu', departments: '研发中心', mobile: '13700137000', gender: '男', title: '总监' },
  {
    name: '张三',
    account: 'zhangsan',
    alias: 'Tom',
    title: '前端工程师',
    departments: `${ENTERPRISE}/研发中心/前端组;市场部`,
    gender: '男',
    mobile: '13800138000',
    phone: '010-12345678',
    email: 'zhangsan@example.com',
    address: '北京市海淀区',
    manager: 'wangwu',
    status: '在职',
  },
  {
    name: '李四',
    account: 'lisi',
    departments: '市场部/华北区',
    gender: '女',
    mobile: '+8613900139000',
    manager: 'zhangsan',
  },
  { name: '曾小贤', account: 'zengxx', departments: '研发中心/后端组', email: 'zeng@example.com', status: '禁用' },
];

let relay: TestRelay;
let admin: SessionGrant;
let store: Store;

async function fresh() {
  relay = await startTestRelay();
  admin = await createEnterprise(relay.url, { enterpriseName: ENTERPRISE });
  store = connectStore({
    databaseUrl: relay.shared.databaseUrl,
    dataDir: relay.shared.dataDir,
  });
}

afterEach(async () => {
  await store?.close();
  await relay?.close();
});

const auth = (grant: SessionGrant) => ({ authorization: `Bearer ${grant.token}` });

async function upload(
  body: Buffer,
  query: { mode: string; createDepartments?: boolean; fileName?: string },
  grant = admin,
): Promise<{ status: number; body: ImportJob & { error: { code: string; message: string } } }> {
  const params = new URLSearchParams({
    mode: query.mode,
    createDepartments: query.createDepartments ? '1' : '0',
    fileName: query.fileName ?? 'members.xlsx',
  });
  const res = await fetch(`${relay.url}${HttpPaths.imports}?${params}`, {
    method: 'POST',
    headers: { ...auth(grant), 'content-type': 'application/octet-stream' },
    body: new Uint8Array(body),
  });
  return { status: res.status, body: (await res.json()) as never };
}

async function job(id: string, grant = admin): Promise<ImportJob> {
  const res = await fetch(`${relay.url}${HttpPaths.importJob(id)}`, { headers: auth(grant) });
  expect(res.status).toBe(200);
  return (await res.json()) as ImportJob;
}

async function until(id: string, states: ImportJob['state'][], grant = admin): Promise<ImportJob> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const j = await job(id, grant);
    if (states.includes(j.state)) return j;
    if (Date.now() > deadline) throw new Error(`job stuck in ${j.state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function post(id: string, action: 'apply' | 'cancel', grant = admin) {
  const res = await fetch(`${relay.url}${HttpPaths.importJob(id)}/${action}`, { method: 'POST', headers: auth(grant) });
  return { status: res.status, body: (await res.json()) as ImportJob };
}

/** Uploads, waits for the preview, applies, waits for the end. */
async function runImport(body: Buffer, query: Parameters<typeof upload>[1]) {
  const up = await upload(body, query);
  expect(up.status).toBe(202);
  const preview = await until(up.body.id, ['ready', 'failed']);
  expect(preview.error).toBeNull();
  expect((await post(preview.id, 'apply')).status).toBe(200);
  const done = await until(preview.id, ['done', 'failed', 'cancelled']);
  expect(done.state).toBe('done');
  return { preview, done };
}

async function download(path: string, grant = admin): Promise<ExcelJS.Workbook> {
  const res = await fetch(`${relay.url}${path}`, { headers: auth(grant) });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('spreadsheetml');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  return book;
}

function sheetRows(sheet: ExcelJS.Worksheet): string[][] {
  const out: string[][] = [];
  sheet.eachRow((row) => {
    const values = row.values as unknown[];
    // Empty cells are holes in exceljs's sparse row arrays.
    out.push(Array.from(values.slice(1), (v) => (v === null || v === undefined ? '' : String(v))));
  });
  return out;
}

/** The directory as the export shows it: account → column → value. */
async function exported(): Promise<Map<string, Record<string, string>>> {
  const book = await download(HttpPaths.directoryExport);
  const [header, ...rows] = sheetRows(book.worksheets[0]!);
  const out = new Map<string, Record<string, string>>();
  for (const r of rows) {
    const rec: Record<string, string> = {};
    header!.forEach((h, i) => (rec[h.replace('*', '')] = r[i] ?? ''));
    out.set(rec['账号']!, rec);
  }
  return out;
}

const version = async () =>
  Number((await store.db.selectFrom('directory_state').select('version').executeTakeFirstOrThrow()).version);

async function xlsx(people: Person[]): Promise<Buffer> {
  const { file } = await convertCsv({ file: csv(people) });
  return fs.readFileSync(file!);
}

describe('import formats and modes', () => {
  beforeAll(async () => {
    // Warm LibreOffice once for the files of this suite (one soffice call converts them all).
    await convertCsv({ base: csv(BASE) });
  });

  it('imports a LibreOffice .xlsx in mode add, creating departments and inactive members with activation codes', async () => {
    await fresh();
    const before = await version();
    const { preview, done } = await runImport(await xlsx(BASE), { mode: 'add', createDepartments: true });
    expect(preview.summary).toMatchObject({ rows: 4, valid: 4, invalid: 0, toCreate: 4, departmentsToCreate: 5 });
    expect(done.result).toEqual({ created: 4, updated: 0, disabled: 0, departmentsCreated: 5 });
    // One directory version for the whole import.
    expect(await version()).toBe(before + 1);

    const people = await exported();
    expect(people.get('zhangsan')).toMatchObject({
      姓名: '张三',
      别名: 'Tom',
      部门: `${ENTERPRISE}/研发中心/前端组;${ENTERPRISE}/市场部`,
      性别: '男',
      手机: '13800138000', // LibreOffice stored it as a number
      座机: '010-12345678',
      直属上级: 'wangwu',
      状态: '在职',
    });
    expect(people.get('lisi')).toMatchObject({ 手机: '+8613900139000', 直属上级: 'zhangsan', 性别: '女' });
    expect(people.get('zengxx')).toMatchObject({ 状态: '禁用', 性别: '未知' });

    const rows = await store.db
      .selectFrom('users')
      .select(['account', 'activated', 'password_hash', 'pinyin', 'initials'])
      .where('account', '=', 'zengxx')
      .execute();
    expect(rows[0]).toMatchObject({ activated: 0, password_hash: '', pinyin: 'zengxiaoxian', initials: 'zxx' });

    const codes = sheetRows((await download(`${HttpPaths.importJob(done.id)}/activations.xlsx`)).worksheets[0]!);
    expect(codes[0]).toEqual(['账号', '姓名', '激活码', '有效期至']);
    expect(
      codes
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['lisi', 'wangwu', 'zengxx', 'zhangsan']);
    expect(codes[1]![2]).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const audit = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'directory.imported')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(admin.user.id);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ fileName: 'members.xlsx', mode: 'add', created: 4 });

    // Mode add again: every account now exists and is refused, nothing written.
    const again = await upload(await xlsx(BASE), { mode: 'add' });
    const refused = await until(again.body.id, ['ready']);
    expect(refused.summary).toMatchObject({ valid: 0, invalid: 4 });
    expect(refused.issues.every((i) => i.codes.includes('account_exists'))).toBe(true);
  });

  it('imports CSV in UTF-8, UTF-8 with BOM and GBK; upsert updates, sync disables the absent', async () => {
    await fresh();
    await runImport(Buffer.from(csv(BASE)), { mode: 'add', createDepartments: true, fileName: 'a.csv' });

    // Upsert from a BOM-prefixed UTF-8 CSV: 张三 gets a new title, a new member arrives.
    const edited = BASE.map((p) => (p.account === 'zhangsan' ? { ...p, title: '前端组长' } : p));
    const withNew = [
      ...edited,
      { name: '赵六', account: 'zhaoliu', departments: '研发中心/前端组', manager: 'zhangsan' },
    ];
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(withNew))]);
    const up = await runImport(bom, { mode: 'upsert', fileName: 'b.csv' });
    expect(up.preview.summary).toMatchObject({ toCreate: 1, toUpdate: 1, unchanged: 3 });
    expect(up.done.result).toMatchObject({ created: 1, updated: 1 });
    let people = await exported();
    expect(people.get('zhangsan')!['职务']).toBe('前端组长');
    expect(people.get('zhaoliu')).toMatchObject({ 姓名: '赵六', 直属上级: 'zhangsan' });

    // Sync from a GBK CSV without 李四 and 赵六: both are disabled, not deleted; their sessions end.
    const gbk = toGbk(csv(edited.filter((p) => p.account !== 'lisi')));
    const sync = await runImport(gbk, { mode: 'sync', fileName: 'c.csv' });
    expect(sync.preview.summary).toMatchObject({ toDisable: 2, toUpdate: 0 });
    expect(sync.done.result).toMatchObject({ disabled: 2, created: 0 });
    people = await exported();
    expect(people.get('lisi')!['状态']).toBe('禁用');
    expect(people.get('zhaoliu')!['状态']).toBe('禁用');
    expect(people.get('张三')).toBeUndefined();
    expect(people.get('zhangsan')!['状态']).toBe('在职');
    expect(people.get('admin')!['状态']).toBe('在职'); // the importing super admin is never disabled
  });

  it('refuses .xls with a clear message, and a truncated .xlsx fails with a clear error', async () => {
    await fresh();
    const { file: xls } = await convertCsv({ file: csv(BASE) }, 'xls');
    const old = await upload(fs.readFileSync(xls!), { mode: 'add', fileName: 'members.xlsx' });
    const failed = await until(old.body.id, ['failed']);
    expect(failed.error!.message).toContain('.xls');
    expect(failed.error!.message).toContain('另存为');

    const whole = await xlsx(BASE);
    const cut = await upload(whole.subarray(0, Math.floor(whole.length / 2)), { mode: 'add' });
    const broken = await until(cut.body.id, ['failed', 'ready']);
    expect(broken.state).toBe('failed');
    expect(broken.error!.message).toMatch(/损坏|不完整/);
  });
});

describe('validation, reports and safety', () => {
  it('a file with planted errors of every kind: the report names exactly the bad rows and why', async () => {
    await fresh();
    await runImport(await xlsx(BASE), { mode: 'add', createDepartments: true });
    const deep = Array.from({ length: 16 }, (_, i) => `第${i + 1}级`).join('/');
    const planted: Person[] = [
      { name: '赵六', account: 'zhaoliu', departments: '研发中心', mobile: '13600136000' }, // row 2 ok
      { name: '', account: 'noname', departments: '研发中心' }, // 3 required
      { name: '长职务', account: 'longtitle', departments: '研发中心', title: '职'.repeat(65) }, // 4 too_long
      { name: '坏账号', account: 'bad account!', departments: '研发中心' }, // 5 invalid_account
      { name: '坏手机', account: 'badmobile', departments: '研发中心', mobile: '12345' }, // 6 invalid_mobile
      { name: '坏邮箱', account: 'bademail', departments: '研发中心', email: 'not-an-email' }, // 7 invalid_email
      { name: '坏座机', account: 'badphone', departments: '研发中心', phone: 'abc' }, // 8 invalid_phone
      { name: '坏性别', account: 'badgender', departments: '研发中心', gender: '中' }, // 9 invalid_gender
      { name: '坏状态', account: 'badstatus', departments: '研发中心', status: '休假' }, // 10 invalid_status
      { name: '重复甲', account: 'dup', departments: '研发中心' }, // 11 duplicate_account_in_file
      { name: '重复乙', account: 'dup', departments: '市场部' }, // 12 duplicate_account_in_file
      { name: '同号甲', account: 'm1', departments: '研发中心', mobile: '13500135000' }, // 13 duplicate_mobile_in_file
      { name: '同号乙', account: 'm2', departments: '研发中心', mobile: '135 0013 5000' }, // 14 duplicate_mobile_in_file
      { name: '王五', account: 'wangwu', departments: '研发中心', mobile: '13700137000' }, // 15 account_exists
      { name: '抢号', account: 'taker', departments: '研发中心', mobile: '13800138000' }, // 16 mobile_taken
      { name: '无部门', account: 'nodept', departments: '不存在的部门' }, // 17 unknown_department
      { name: '太深', account: 'deep', departments: deep }, // 18 department_too_deep
      { name: '空层级', account: 'emptylevel', departments: '研发中心//前端组' }, // 19 invalid_department
      { name: '无上级', account: 'nomanager', departments: '研发中心', manager: 'nobody' }, // 20 unknown_manager
      { name: '孙七', account: 'sunqi', departments: '研发中心/前端组', manager: 'zhaoliu' }, // 21 ok
    ];
    const before = await version();
    const up = await upload(await xlsx(planted), { mode: 'add', createDepartments: false, fileName: 'planted.xlsx' });
    const preview = await until(up.body.id, ['ready']);
    expect(preview.summary).toMatchObject({ rows: 20, valid: 2, invalid: 18, toCreate: 2, departmentsToCreate: 0 });
    // Nothing is written before the apply.
    expect(await version()).toBe(before);
    const expected: Record<number, [string, string]> = {
      3: ['required', '姓名不能为空'],
      4: ['too_long', '职务超过 64 个字符'],
      5: ['invalid_account', '账号“bad account!”无效'],
      6: ['invalid_mobile', '手机号“12345”无效'],
      7: ['invalid_email', '邮箱“not-an-email”格式不正确'],
      8: ['invalid_phone', '座机“abc”格式不正确'],
      9: ['invalid_gender', '性别“中”无效'],
      10: ['invalid_status', '状态“休假”无效'],
      11: ['duplicate_account_in_file', '账号与第 12 行重复'],
      12: ['duplicate_account_in_file', '账号与第 11 行重复'],
      13: ['duplicate_mobile_in_file', '手机号与第 14 行重复'],
      14: ['duplicate_mobile_in_file', '手机号与第 13 行重复'],
      15: ['account_exists', '账号“wangwu”已存在'],
      16: ['mobile_taken', '手机号已被成员“zhangsan”使用'],
      17: ['unknown_department', '部门“不存在的部门”不存在'],
      18: ['department_too_deep', '超过 15 级'],
      19: ['invalid_department', '有空的层级'],
      20: ['unknown_manager', '直属上级“nobody”不在通讯录中'],
    };
    expect(preview.issues.map((i) => i.row)).toEqual(Object.keys(expected).map(Number));
    for (const issue of preview.issues) {
      const [code, text] = expected[issue.row]!;
      expect(issue.codes).toEqual([code]);
      expect(issue.message).toContain(text);
    }

    // The report: the original header plus 错误原因, then exactly the refused rows as they were.
    const report = sheetRows((await download(`${HttpPaths.importJob(preview.id)}/errors.xlsx`)).worksheets[0]!);
    expect(report[0]).toEqual([...HEADER.split(','), '错误原因']);
    const bad = planted.filter((_, i) => expected[i + 2]);
    expect(report.slice(1).map((r) => r[1])).toEqual(bad.map((p) => p.account));
    report.slice(1).forEach((r, i) => {
      const p = bad[i]!;
      expect(r.slice(0, 12)).toEqual([
        p.name,
        p.account,
        '',
        p.title ?? '',
        p.departments,
        p.gender ?? '',
        p.mobile ?? '',
        p.phone ?? '',
        p.email ?? '',
        '',
        p.manager ?? '',
        p.status ?? '',
      ]);
      expect(r[12]).toContain(expected[Object.keys(expected).map(Number)[i]!]![1]);
    });

    // The valid rows go in; the refused ones do not.
    expect((await post(preview.id, 'apply')).status).toBe(200);
    const done = await until(preview.id, ['done']);
    expect(done.result).toMatchObject({ created: 2, updated: 0 });
    const people = await exported();
    expect(people.get('sunqi')).toMatchObject({ 直属上级: 'zhaoliu', 部门: `${ENTERPRISE}/研发中心/前端组` });
    expect(people.has('noname') || people.has('dup') || people.has('taker')).toBe(false);
  });

  it('createDepartments off refuses rows in unknown departments; on creates the paths', async () => {
    await fresh();
    const people: Person[] = [
      { name: '甲', account: 'jia', departments: `${ENTERPRISE}/华东区/上海/浦东` },
      { name: '乙', account: 'yi', departments: '华东区/杭州' },
    ];
    const off = await upload(Buffer.from(csv(people)), { mode: 'add', fileName: 'p.csv' });
    const refused = await until(off.body.id, ['ready']);
    expect(refused.summary).toMatchObject({ valid: 0, invalid: 2, departmentsToCreate: 0 });
    expect(refused.issues.map((i) => i.codes)).toEqual([['unknown_department'], ['unknown_department']]);

    const on = await runImport(Buffer.from(csv(people)), { mode: 'add', createDepartments: true, fileName: 'p.csv' });
    expect(on.done.result).toMatchObject({ created: 2, departmentsCreated: 4 });
    const depts = await store.db
      .selectFrom('departments')
      .select(['name', 'depth'])
      .where('name', 'in', ['华东区', '上海', '浦东', '杭州'])
      .execute();
    expect(Object.fromEntries(depts.map((d) => [d.name, Number(d.depth)]))).toEqual({
      华东区: 1,
      上海: 2,
      浦东: 3,
      杭州: 2,
    });
  });

  it('moving members while visibility rules exist starts a new epoch: every client re-reads its directory', async () => {
    await fresh();
    await runImport(await xlsx(BASE), { mode: 'add', createDepartments: true });
    const epoch = async () =>
      Number((await store.db.selectFrom('directory_state').select('epoch').executeTakeFirstOrThrow()).epoch);
    const deptId = async (name: string) =>
      (await store.db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
    const client = await openClient(relay.url, admin);
    try {
      // No rule, no hidden department: a move is an ordinary change (rows are filtered one by one).
      const before = await epoch();
      const moved = BASE.map((p) => (p.account === 'lisi' ? { ...p, departments: '研发中心' } : p));
      await runImport(await xlsx(moved), { mode: 'upsert' });
      expect(await epoch()).toBe(before);

      // With a rule, what 李四 may see depends on her departments: clients must re-read.
      await client.request('admin.visibility.set', {
        rules: [
          {
            id: newId(),
            subjectDepartmentIds: [await deptId('市场部')],
            visibleDepartmentIds: [await deptId('市场部')],
          },
        ],
      });
      const ruled = await epoch();
      await runImport(await xlsx(BASE), { mode: 'upsert' });
      expect(await epoch()).toBe(ruled + 1);
      const change = await client.nextEvent(
        'change',
        (e) => e.change.kind === 'directory' && e.change.epoch === ruled + 1,
      );
      expect(change.change).toMatchObject({ kind: 'directory', epoch: ruled + 1 });
    } finally {
      client.close();
    }
  });

  it('export → import (upsert and sync) changes nothing; empty departments survive into another directory', async () => {
    await fresh();
    await runImport(await xlsx(BASE), { mode: 'add', createDepartments: true });
    const client = await openClient(relay.url, admin);
    await client.request('admin.dept.create', { parentId: admin.enterprise.id, name: '空部门' });
    await client.close();

    const res = await fetch(`${relay.url}${HttpPaths.directoryExport}`, { headers: auth(admin) });
    const exportFile = Buffer.from(await res.arrayBuffer());
    const before = await version();
    const count = (await exported()).size;
    for (const mode of ['upsert', 'sync'] as const) {
      const run = await runImport(exportFile, { mode, fileName: 'export.xlsx' });
      expect(run.preview.summary).toEqual({
        rows: count,
        valid: count,
        invalid: 0,
        toCreate: 0,
        toUpdate: 0,
        unchanged: count,
        toDisable: 0,
        departmentsToCreate: 0,
      });
      expect(run.done.result).toEqual({ created: 0, updated: 0, disabled: 0, departmentsCreated: 0 });
    }
    expect(await version()).toBe(before);

    // Into a new directory of the same enterprise: the empty department comes along.
    await store.close();
    await relay.close();
    await fresh();
    const copy = await runImport(exportFile, { mode: 'upsert', createDepartments: true, fileName: 'export.xlsx' });
    expect(copy.done.result).toMatchObject({ created: 4, departmentsCreated: 6 });
    const empty = await store.db
      .selectFrom('departments')
      .select('depth')
      .where('name', '=', '空部门')
      .executeTakeFirst();
    expect(empty).toMatchObject({ depth: 1 });
  });

  it('template: Chinese headers, an example row, drop-downs on 性别 and 状态, 手机 as text, an explanation sheet', async () => {
    await fresh();
    const book = await download(HttpPaths.importTemplate);
    const sheet = book.worksheets[0]!;
    const rows = sheetRows(sheet);
    expect(rows[0]).toEqual([
      '姓名*',
      '账号*',
      '别名',
      '职务',
      '部门*',
      '性别',
      '手机',
      '座机',
      '邮箱',
      '地址',
      '直属上级',
      '状态',
    ]);
    expect(rows[1]).toMatchObject({ 0: '张三', 1: 'zhangsan', 4: `${ENTERPRISE}/研发中心/前端组`, 6: '13800138000' });
    const validations = (sheet as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } })
      .dataValidations.model;
    expect(validations['F2']).toMatchObject({ type: 'list', formulae: ['"男,女,未知"'] });
    expect(validations['L500']).toMatchObject({ type: 'list', formulae: ['"在职,禁用,离职"'] });
    expect(sheet.getCell('G2').numFmt).toBe('@');
    const help = sheetRows(book.worksheets[1]!);
    expect(book.worksheets[1]!.name).toBe('填写说明');
    expect(help.slice(1, 13).map((r) => r[0])).toEqual(rows[0]!.map((h) => h.replace('*', '')));

    // The template itself imports (its example row) once the departments may be created.
    const res = await fetch(`${relay.url}${HttpPaths.importTemplate}`, { headers: auth(admin) });
    const run = await runImport(Buffer.from(await res.arrayBuffer()), { mode: 'add', createDepartments: true });
    expect(run.done.result).toMatchObject({ created: 1, departmentsCreated: 2 });
  });
});

/** Signs a member in through their activation code from an import's activations.xlsx. */
async function activate(jobId: string, account: string): Promise<SessionGrant> {
  const codes = sheetRows((await download(`${HttpPaths.importJob(jobId)}/activations.xlsx`)).worksheets[0]!);
  const code = codes.find((r) => r[0] === account)![2]!;
  const res = await fetch(`${relay.url}${HttpPaths.activate}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, password: 'member-password-1', deviceName: 'test' }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as SessionGrant;
}

/** `n` members in a few departments, as CSV. */
function many(n: number, prefix = 'u'): Person[] {
  const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
  const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华';
  return Array.from({ length: n }, (_, i) => ({
    name: `${surnames[i % 20]}${given[(i * 7) % 20]}${given[(i * 3) % 20]}`,
    account: `${prefix}${i}`,
    departments: `大部门${i % 10}/小组${i % 7}`,
    mobile: `139${String(i).padStart(8, '0')}`,
    email: `${prefix}${i}@example.com`,
  }));
}

describe('who may import, limits, cancel and responsiveness', () => {
  it('a department admin imports only inside their subtree; a plain member gets 403', async () => {
    await fresh();
    const staff: Person[] = [
      ...BASE,
      { name: '研发管理员', account: 'rdadmin', departments: '研发中心' },
      { name: '普通成员', account: 'plain', departments: '市场部' },
    ];
    const { done } = await runImport(Buffer.from(csv(staff)), {
      mode: 'add',
      createDepartments: true,
      fileName: 's.csv',
    });
    const rdAdmin = await activate(done.id, 'rdadmin');
    const plain = await activate(done.id, 'plain');
    const rd = await store.db
      .selectFrom('departments')
      .select('id')
      .where('name', '=', '研发中心')
      .executeTakeFirstOrThrow();
    const client = await openClient(relay.url, admin);
    await client.request('admin.roles.set', {
      userId: rdAdmin.user.id,
      role: 'department',
      departmentIds: [rd.id],
      rights: ['directory'],
    });
    await client.close();

    for (const [method, path] of [
      ['GET', HttpPaths.importTemplate],
      ['GET', HttpPaths.directoryExport],
      ['POST', `${HttpPaths.imports}?mode=add`],
    ] as const) {
      const res = await fetch(`${relay.url}${path}`, {
        method,
        headers: auth(plain),
        body: method === 'POST' ? 'x' : undefined,
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    const anonymous = await fetch(`${relay.url}${HttpPaths.directoryExport}`);
    expect(anonymous.status).toBe(401);

    const rows: Person[] = [
      { name: '新人', account: 'newbie', departments: '研发中心/前端组' }, // inside
      { name: '市场新人', account: 'mkt', departments: '市场部' }, // outside
      { name: '新部门', account: 'newdept', departments: '市场部/新组' }, // would create outside
      { name: '李四', account: 'lisi', departments: '研发中心' }, // an existing member outside the subtree
    ];
    const up = await upload(
      Buffer.from(csv(rows)),
      { mode: 'upsert', createDepartments: true, fileName: 'rd.csv' },
      rdAdmin,
    );
    const preview = await until(up.body.id, ['ready'], rdAdmin);
    expect(preview.issues.map((i) => [i.row, i.codes])).toEqual([
      [3, ['outside_scope']],
      [4, ['outside_scope']],
      [5, ['outside_scope']],
    ]);
    // Another admin cannot see this job.
    const foreign = await fetch(`${relay.url}${HttpPaths.importJob(preview.id)}`, { headers: auth(admin) });
    expect(foreign.status).toBe(404);

    // A sync by the department admin disables only the absent members inside their subtree.
    const sync = await upload(Buffer.from(csv([staff[4]!, rows[0]!])), { mode: 'sync', fileName: 'rd.csv' }, rdAdmin);
    const syncPreview = await until(sync.body.id, ['ready'], rdAdmin);
    // 王五 and 张三; 曾小贤 is disabled already, the admin themself and 李四 (outside) stay.
    expect(syncPreview.summary).toMatchObject({ toCreate: 1, toDisable: 2, invalid: 0 });
    expect((await post(sync.body.id, 'apply', rdAdmin)).status).toBe(200);
    await until(sync.body.id, ['done'], rdAdmin);
    const people = await exported();
    expect(people.get('wangwu')!['状态']).toBe('禁用');
    expect(people.get('zhangsan')!['状态']).toBe('禁用'); // 研发中心/前端组 is inside
    expect(people.get('lisi')!['状态']).toBe('在职');
    expect(people.get('plain')!['状态']).toBe('在职');
    expect(people.get('rdadmin')!['状态']).toBe('在职');
    const exportedByRd = await download(HttpPaths.directoryExport, rdAdmin);
    const rdAccounts = sheetRows(exportedByRd.worksheets[0]!)
      .slice(1)
      .map((r) => r[1])
      .sort();
    expect(rdAccounts).toEqual(['newbie', 'rdadmin', 'wangwu', 'zengxx', 'zhangsan']);
  });

  it('refuses a body over the limit with 413, declared or streamed', async () => {
    await fresh();
    const declared = await upload(Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x61), { mode: 'add' });
    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe('too_large');

    const chunk = Buffer.alloc(1 << 20, 0x61);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_IMPORT_BYTES + chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${relay.url}${HttpPaths.imports}?mode=add`, {
      method: 'POST',
      headers: auth(admin),
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(fs.readdirSync(`${relay.shared.dataDir}/imports`)).toEqual([]);
  });

  it('cancel during the apply rolls everything back', async () => {
    await fresh();
    const before = {
      version: await version(),
      users: (await store.db.selectFrom('users').select('id').execute()).length,
      departments: (await store.db.selectFrom('departments').select('id').execute()).length,
    };
    const up = await upload(Buffer.from(csv(many(30_000))), {
      mode: 'add',
      createDepartments: true,
      fileName: 'big.csv',
    });
    const ready = await until(up.body.id, ['ready']);
    expect(ready.summary).toMatchObject({ toCreate: 30_000, departmentsToCreate: 80 });
    expect((await post(ready.id, 'apply')).status).toBe(200);
    // Wait until rows are being written, then cancel.
    for (;;) {
      const j = await job(ready.id);
      if (j.state === 'applying' && j.progress.done > 0) break;
      expect(j.state).toBe('applying');
    }
    const cancel = await post(ready.id, 'cancel');
    expect(cancel.status).toBe(200);
    const end = await until(ready.id, ['cancelled', 'done', 'failed']);
    expect(end.state).toBe('cancelled');
    expect(end.result).toBeNull();
    expect({
      version: await version(),
      users: (await store.db.selectFrom('users').select('id').execute()).length,
      departments: (await store.db.selectFrom('departments').select('id').execute()).length,
    }).toEqual(before);
    expect((await post(ready.id, 'apply')).status).toBe(409);
  });

  it('the relay keeps answering other clients while a big .xlsx validates', async () => {
    await fresh();
    const { big } = await convertCsv({ big: csv(many(30_000, 'v')) });
    const client = await openClient(relay.url, admin);
    const up = await upload(fs.readFileSync(big!), { mode: 'add', createDepartments: true, fileName: 'big.xlsx' });
    expect(up.status).toBe(202);
    const latencies: number[] = [];
    let state = (await job(up.body.id)).state;
    while (state === 'validating') {
      const t = performance.now();
      const found = await client.request('dir.search', { query: '管理员', limit: 10 });
      latencies.push(performance.now() - t);
      expect(found.users.map((u) => u.account)).toContain('admin');
      state = (await job(up.body.id)).state;
    }
    expect(state).toBe('ready');
    // Answered many times during the validation (which takes seconds), never stalled behind it;
    // the bound leaves room for a busy CI machine, a blocking validation would exceed it.
    expect(latencies.length).toBeGreaterThan(5);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    expect(latencies.sort((a, b) => a - b)[Math.floor(latencies.length / 2)]).toBeLessThan(200);
    await client.close();
  });
});
