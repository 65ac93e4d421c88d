// `npm run admin -- import|export|template` against the relay's own store, while it runs.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectStore, type Store } from '../../server/store/database';
import { convertCsv } from '../support/libreoffice';
import { createEnterprise, startTestRelay, tempDir, type TestRelay } from '../support/relay';

const run = promisify(execFile);
let relay: TestRelay;
let store: Store;
let dir: string;

beforeAll(async () => {
  relay = await startTestRelay();
  await createEnterprise(relay.url, { enterpriseName: '命令行公司' });
  store = connectStore({ databaseUrl: relay.shared.databaseUrl, dataDir: relay.shared.dataDir });
  dir = tempDir('qixin-admin-cli-');
});
afterAll(async () => {
  await store.close();
  await relay.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    DATA_DIR: relay.shared.dataDir,
    DATABASE_URL: relay.shared.databaseUrl ?? '',
    REDIS_URL: relay.shared.redisUrl ?? '',
    QIXIN_BUS_CHANNEL: relay.shared.busChannel ?? '',
    LOG_LEVEL: 'warn',
  };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'server/cli/admin.ts', ...args], {
      env,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

it('imports a LibreOffice .xlsx with --yes, writes the error report next to it, exports and the template', async () => {
  const { file } = await convertCsv({
    file: '姓名*,账号*,部门*,手机\n张三,zhangsan,研发中心/前端组,13800138000\n李四,lisi,研发中心,123\n',
  });
  const input = path.join(dir, '成员.xlsx');
  fs.copyFileSync(file!, input);

  const preview = await admin('import', input, '--mode', 'add');
  expect(preview.stdout).toContain('有效 0 行，有误 2 行');
  expect(preview.stdout).toContain('部门“研发中心/前端组”不存在');

  const done = await admin('import', input, '--mode', 'upsert', '--create-departments', '--yes');
  expect(done.code).toBe(0);
  expect(done.stdout).toContain('导入完成：新增 1 人');
  expect(done.stdout).toContain('第 3 行（lisi）：手机号“123”无效');
  const report = new ExcelJS.Workbook();
  await report.xlsx.readFile(path.join(dir, '成员.errors.xlsx'));
  expect(report.worksheets[0]!.rowCount).toBe(2);
  expect(report.worksheets[0]!.getCell('E2').text).toContain('手机号“123”无效');
  expect(fs.existsSync(path.join(dir, '成员.activations.xlsx'))).toBe(true);

  const audit = await store.db.selectFrom('audit_log').selectAll().where('action', '=', 'directory.imported').execute();
  expect(audit).toHaveLength(1);
  expect(audit[0]!.actor_id).toBeNull();
  expect(JSON.parse(audit[0]!.detail)).toMatchObject({ via: 'cli', mode: 'upsert', created: 1 });

  const out = path.join(dir, 'export.xlsx');
  expect((await admin('export', out)).code).toBe(0);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(out);
  const accounts: string[] = [];
  book.worksheets[0]!.eachRow((row, n) => n > 1 && accounts.push(row.getCell(2).text));
  expect(accounts.sort()).toEqual(['admin', 'zhangsan']);

  expect((await admin('template', path.join(dir, 't.xlsx'))).code).toBe(0);
  expect(fs.statSync(path.join(dir, 't.xlsx')).size).toBeGreaterThan(1000);
});

it('bad arguments print the usage and exit with 2', async () => {
  for (const args of [[], ['import', 'x.csv'], ['import', 'x.csv', '--mode', 'merge'], ['export'], ['frobnicate']]) {
    const res = await admin(...args);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('usage:');
  }
});
