// The spreadsheets the relay hands out: the template, the export, the error report and the
// new members' activation codes. Big ones stream row by row (exceljs's WorkbookWriter).
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import {
  COLUMNS,
  DEPARTMENT_SHEET,
  DEPARTMENT_SHEET_HEADER,
  GENDER_TEXT,
  STATUS_TEXT,
  templateHeader,
} from './columns';
import { fullPath, type DirectoryImage, type MemberInfo } from './directory';
import type { Activation } from './apply';
import type { ImportPlan } from './plan';

interface DataValidations {
  add(range: string, validation: ExcelJS.DataValidation): void;
}
const col = (key: (typeof COLUMNS)[number]['key']) => COLUMNS.findIndex((c) => c.key === key) + 1;
const letter = (n: number) => String.fromCharCode(64 + n);
const WIDTHS: Record<string, number> = { departments: 36, email: 26, address: 28, mobile: 16, phone: 16 };

/** exceljs is loaded on first use: it adds some 25 MB to a relay that may never write a spreadsheet. */
async function excel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

async function streamingBook(out: Writable) {
  const { stream } = await excel();
  // Without styles: they double the time of writing 50,000 rows.
  return new stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
}

/** The import template: Chinese headers, an example row, drop-downs, and a sheet explaining the columns. */
export async function writeTemplate(out: Writable, enterpriseName: string): Promise<void> {
  const book = new (await excel()).Workbook();
  const sheet = book.addWorksheet('成员');
  sheet.columns = COLUMNS.map((c) => ({ header: templateHeader(c), key: c.key, width: WIDTHS[c.key] ?? 14 }));
  sheet.getRow(1).font = { bold: true };
  // Typed as text so that Excel keeps 11-digit mobiles and leading zeros as written.
  for (const key of ['account', 'mobile', 'phone'] as const) sheet.getColumn(col(key)).numFmt = '@';
  sheet.addRow({
    name: '张三',
    account: 'zhangsan',
    alias: 'Tom',
    title: '前端工程师',
    departments: `${enterpriseName}/研发中心/前端组`,
    gender: '男',
    mobile: '13800138000',
    phone: '010-12345678',
    email: 'zhangsan@example.com',
    address: '北京市海淀区',
    manager: '',
    status: '在职',
  });
  const list = (range: string, values: string[], what: string) =>
    // exceljs implements worksheet data validations; its typings do not declare them.
    (sheet as unknown as { dataValidations: DataValidations }).dataValidations.add(range, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${values.join(',')}"`],
      showErrorMessage: true,
      errorTitle: what,
      error: `请从下拉列表中选择：${values.join('、')}`,
    });
  list(`${letter(col('gender'))}2:${letter(col('gender'))}50001`, Object.values(GENDER_TEXT), '性别');
  list(`${letter(col('status'))}2:${letter(col('status'))}50001`, Object.values(STATUS_TEXT), '状态');

  const help = book.addWorksheet('填写说明');
  help.columns = [
    { header: '列名', width: 12 },
    { header: '是否必填', width: 10 },
    { header: '说明', width: 90 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of COLUMNS) help.addRow([c.header, c.required ? '必填' : '选填', c.help]);
  help.addRow([]);
  help.addRow(['', '', '第 1 行为表头，请勿修改；从第 2 行起每行一名成员。示例行导入前请删除或改成真实成员。']);
  help.addRow([
    '',
    '',
    '以账号匹配已有成员：“新增并更新”会更新已有成员，“全量覆盖”还会停用文件中没有的成员（不会删除）。',
  ]);
  await book.xlsx.write(out);
}

/** Members the admin may administer, with the template's columns, and every department path. */
export async function writeExport(
  out: Writable,
  image: DirectoryImage,
  members: MemberInfo[],
  departmentIds: string[],
): Promise<void> {
  const book = await streamingBook(out);
  const sheet = book.addWorksheet('成员');
  sheet.columns = COLUMNS.map((c) => ({ header: templateHeader(c), key: c.key, width: WIDTHS[c.key] ?? 14 }));
  for (const m of members) {
    const manager = m.manager_id ? image.memberById.get(m.manager_id) : undefined;
    sheet
      .addRow([
        m.name,
        m.account,
        m.alias,
        m.title,
        m.departmentIds.map((id) => fullPath(image, id)).join(';'),
        GENDER_TEXT[m.gender],
        m.mobile ?? '',
        m.phone ?? '',
        m.email ?? '',
        m.address,
        manager?.account ?? '',
        STATUS_TEXT[m.status],
      ])
      .commit();
  }
  sheet.commit();
  const depts = book.addWorksheet(DEPARTMENT_SHEET);
  depts.columns = [{ header: DEPARTMENT_SHEET_HEADER, width: 60 }];
  for (const id of departmentIds) depts.addRow([fullPath(image, id)]).commit();
  depts.commit();
  await book.commit();
}

/** Only the refused rows, as they were in the file, plus a last column 错误原因. */
export async function writeErrorReport(out: Writable, plan: Pick<ImportPlan, 'header' | 'rows'>): Promise<void> {
  const book = await streamingBook(out);
  const sheet = book.addWorksheet('错误报告');
  const width = Math.max(plan.header.length, ...plan.rows.map((r) => r.raw.cells.length));
  const pad = (cells: string[]) => [...cells, ...Array<string>(width - cells.length).fill('')];
  sheet.addRow([...pad(plan.header), '错误原因']).commit();
  for (const r of plan.rows) {
    if (r.issues.length === 0) continue;
    sheet.addRow([...pad(r.raw.cells), r.issues.map((i) => i.message).join('；')]).commit();
  }
  sheet.commit();
  await book.commit();
}

/** Activation codes of the members an import created. */
export async function writeActivations(out: Writable, activations: Activation[]): Promise<void> {
  const book = await streamingBook(out);
  const sheet = book.addWorksheet('激活码');
  sheet.columns = [
    { header: '账号', width: 20 },
    { header: '姓名', width: 14 },
    { header: '激活码', width: 20 },
    { header: '有效期至', width: 20 },
  ];
  for (const a of activations) {
    sheet.addRow([a.account, a.name, a.code, formatTime(a.expiresAt)]).commit();
  }
  sheet.commit();
  await book.commit();
}

/** Beijing time, as the people who hand out the codes read it. */
function formatTime(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} (UTC+8)`;
}
