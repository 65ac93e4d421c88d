// The import's own .xlsx reader (server/directory-io/xlsx.ts) against exceljs as the oracle:
// for every kind of .xlsx the tests produce — written by LibreOffice from CSV, and written by
// exceljs (our template, export, error report and activation codes) — both read the same cell
// values, row by row and sheet by sheet.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellText } from '../../server/directory-io/read';
import { openXlsx, unescapeXml } from '../../server/directory-io/xlsx';
import { HttpPaths, type ImportJob, type SessionGrant } from '../../shared/protocol';
import { directoryCsv } from '../bench/directory';
import { convertCsv } from '../support/libreoffice';
import { createEnterprise, startTestRelay, type TestRelay } from '../support/relay';

interface SheetRead {
  name: string;
  rows: { row: number; cells: string[] }[];
}

const trimEnd = (cells: string[]) => {
  let n = cells.length;
  while (n > 0 && cells[n - 1] === '') n--;
  return cells.slice(0, n);
};

// Spreadsheet dates are day numbers since 1899-12-30; exceljs turns date-formatted cells into
// Dates, our reader keeps the number (no column of ours is a date).
const EPOCH = Date.UTC(1899, 11, 30);
// The day number exceljs computes back from a Date may differ in the last digit from the one
// written (0.520833333333333 for 12:30), so dates compare as numbers, to a millisecond.
const DATE = 'date:';
const oracleValue = (v: unknown) => (v instanceof Date ? `${DATE}${(v.getTime() - EPOCH) / 86_400_000}` : cellText(v));
const sameDate = (ours: string, oracle: string) =>
  oracle.startsWith(DATE) && Math.abs(Number(ours) - Number(oracle.slice(DATE.length))) < 1 / 86_400_000;

async function byExcelJs(file: string): Promise<SheetRead[]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  return book.worksheets.map((sheet) => {
    const rows: SheetRead['rows'] = [];
    sheet.eachRow((row, number) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => (cells[col - 1] = oracleValue(cell.value)));
      const read = trimEnd(Array.from(cells, (c) => c ?? ''));
      if (read.length) rows.push({ row: number, cells: read });
    });
    return { name: sheet.name, rows };
  });
}

async function byOurReader(file: string): Promise<SheetRead[]> {
  const book = await openXlsx(file, cellText);
  try {
    const out: SheetRead[] = [];
    for (const sheet of book.sheets) {
      const rows: SheetRead['rows'] = [];
      for await (const { row, cells } of sheet.rows()) rows.push({ row, cells: trimEnd(cells) });
      out.push({ name: sheet.name, rows });
    }
    return out;
  } finally {
    await book.close();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qixin-xlsx-diff-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function expectSameReading(file: string): Promise<SheetRead[]> {
  const ours = await byOurReader(file);
  const oracle = await byExcelJs(file);
  // Where exceljs saw a date, our reader must have read its day number.
  const aligned = ours.map((sheet, s) => ({
    ...sheet,
    rows: sheet.rows.map((r, i) => ({
      ...r,
      cells: r.cells.map((c, j) => {
        const o = oracle[s]?.rows[i]?.cells[j];
        if (o === undefined) return c;
        if (sameDate(c, o)) return o;
        // exceljs's one known misreading: it unescapes a formula-string cell (t="str", which its
        // own streaming writer uses for every text) twice, so the text "&amp;" comes back as "&".
        if (c !== o && unescapeXml(c) === o) return o;
        return c;
      }),
    })),
  }));
  expect(aligned).toEqual(oracle);
  return ours;
}

const HEADER = '姓名*,账号*,别名,职务,部门*,性别,手机,座机,邮箱,地址,直属上级,状态';
// Cell forms LibreOffice writes from CSV: shared strings with entities, spaces and line breaks,
// integers beyond 2^31, decimals, negatives, exponents, percents, dates and times, booleans.
const ODD_CELLS = [
  HEADER,
  '张三,zhangsan,小张,"前端 & 后端 <工程师>",测试科技有限公司/研发中心,男,13800138000,010-62345678,zs@example.com,"北京市""海淀区""",,在职',
  '  李四  ,lisi,,"多行\n职务",测试科技有限公司,女,8613900139000,,,,zhangsan,离职',
  '王五,12345,,1.5,测试科技有限公司,,-42,3.14159265358979,1E+21,50%,2024-01-05,12:30',
  ',,,,,,,,,,,',
  "赵六,zhaoliu,,TRUE,测试科技有限公司,,0012,'0013,12345678901234567890,=1+2,2024/2/29 08:15,FALSE",
  '𠀋𠀌,rare,😀,Ω≈ç,测试科技有限公司/𠀋部,,,,a&b@example.com,&amp;,,',
].join('\n');

describe('the .xlsx reader reads what exceljs reads', () => {
  let relay: TestRelay;
  let admin: SessionGrant;
  const auth = () => ({ authorization: `Bearer ${admin.token}` });
  let files: Record<string, string>;

  beforeAll(async () => {
    relay = await startTestRelay();
    // The benchmark's directory hangs below its enterprise's name.
    admin = await createEnterprise(relay.url, { enterpriseName: '启信科技集团' });
    const big = directoryCsv({ members: 4000, departments: 120, bigDepartment: 400, pageRuns: 1 }).csv;
    files = await convertCsv({ odd: `${ODD_CELLS}\n`, big, empty: `${HEADER}\n` });
  }, 120_000);
  afterAll(() => relay?.close());

  async function download(urlPath: string, name: string): Promise<string> {
    const res = await fetch(`${relay.url}${urlPath}`, { headers: auth() });
    expect(res.status).toBe(200);
    const file = path.join(dir, name);
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return file;
  }

  async function runImport(file: string, apply: boolean): Promise<ImportJob> {
    const res = await fetch(`${relay.url}${HttpPaths.imports}?mode=upsert&createDepartments=1&fileName=x.xlsx`, {
      method: 'POST',
      headers: auth(),
      body: new Uint8Array(fs.readFileSync(file)),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as ImportJob;
    const until = async (states: ImportJob['state'][]) => {
      for (;;) {
        const job = (await (
          await fetch(`${relay.url}${HttpPaths.importJob(id)}`, { headers: auth() })
        ).json()) as ImportJob;
        if (states.includes(job.state)) return job;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const ready = await until(['ready', 'failed']);
    expect(ready.error).toBeNull();
    if (!apply) return ready;
    await fetch(`${relay.url}${HttpPaths.importJob(id)}/apply`, { method: 'POST', headers: auth() });
    const done = await until(['done', 'failed', 'cancelled']);
    expect(done.state).toBe('done');
    return done;
  }

  it('LibreOffice: odd cell forms (entities, line breaks, big and small numbers, dates, booleans, rare characters)', async () => {
    const [sheet] = await expectSameReading(files.odd!);
    // The reading is the one a person sees, not just the oracle's: spot-check a few cells.
    expect(sheet!.rows[0]!.cells).toEqual(HEADER.split(','));
    expect(sheet!.rows[1]!.cells.slice(0, 4)).toEqual(['张三', 'zhangsan', '小张', '前端 & 后端 <工程师>']);
    expect(sheet!.rows[1]!.cells[6]).toBe('13800138000');
    expect(sheet!.rows[2]!.cells[0]).toBe('李四');
    expect(sheet!.rows[2]!.cells[6]).toBe('8613900139000');
    // The blank CSV line is no row; the rows keep the sheet's numbers.
    expect(sheet!.rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 6, 7]);
    expect(sheet!.rows[5]!.cells.slice(0, 3)).toEqual(['𠀋𠀌', 'rare', '😀']);
  });

  it('LibreOffice: 4,000 members over several inflated chunks, and a header-only file', async () => {
    const [sheet] = await expectSameReading(files.big!);
    expect(sheet!.rows).toHaveLength(4001);
    expect(sheet!.rows[4000]!.cells[1]).toBe('u003999');
    const [empty] = await expectSameReading(files.empty!);
    expect(empty!.rows).toEqual([{ row: 1, cells: HEADER.split(',') }]);
  });

  it('exceljs: our template, export, error report and activation codes', async () => {
    const template = await download(HttpPaths.importTemplate, 'template.xlsx');
    const [templateSheet] = await expectSameReading(template);
    expect(templateSheet!.rows[0]!.cells[0]).toMatch(/^姓名/);

    const done = await runImport(files.big!, true);
    expect(done.result!.created).toBe(4000);
    const activations = await download(`${HttpPaths.importJob(done.id)}/activations.xlsx`, 'activations.xlsx');
    const [codes] = await expectSameReading(activations);
    expect(codes!.rows).toHaveLength(4001);

    const exported = await download(HttpPaths.directoryExport, 'export.xlsx');
    const sheets = await expectSameReading(exported);
    // The admin, the 4,000 imported and the header; the 120 departments and the header.
    expect(sheets.map((s) => s.rows.length)).toEqual([4002, 121]);

    const withErrors = await runImport(files.odd!, false);
    expect(withErrors.summary!.invalid).toBeGreaterThan(0);
    const report = await download(`${HttpPaths.importJob(withErrors.id)}/errors.xlsx`, 'errors.xlsx');
    const [reportSheet] = await expectSameReading(report);
    expect(reportSheet!.rows.length).toBeGreaterThan(1);
    // The original cell "&amp;" comes back as written (exceljs would read "&").
    const rare = reportSheet!.rows.find((r) => r.cells[1] === 'rare');
    expect(rare!.cells[9]).toBe('&amp;');
  });
});
