// Reads an uploaded spreadsheet into rows of cell texts: .xlsx through our lean streaming
// reader (xlsx.ts), .csv (UTF-8 with or without BOM, or GBK) through csv-parse. The format is told by
// the file's first bytes, not its name; .xls (OLE) is refused with a clear message.
import fs from 'node:fs';
import { parse as parseCsv } from 'csv-parse';
import { QixinError } from '../../shared/protocol';
import { DEPARTMENT_SHEET_HEADER } from './columns';
import { openXlsx } from './xlsx';

export interface RawRow {
  /** Row number as a spreadsheet shows it (the header is row 1). */
  row: number;
  cells: string[];
}

export interface ImportFile {
  format: 'xlsx' | 'csv';
  header: string[];
  rows: RawRow[];
  /** Paths listed on an export's 部门 sheet (so empty departments survive export → import). */
  departmentPaths: string[];
}

export type FileFormat = 'xlsx' | 'csv';

const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

/** Tells the format from the magic bytes; throws a readable error for .xls and binary junk. */
export async function sniffFormat(file: string): Promise<FileFormat> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    if (bytesRead === 0) throw new QixinError('invalid', '文件是空的');
    if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
    if (bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
      // A password-protected .xlsx is also an OLE file, holding the encrypted zip in a stream
      // of this name (its directory entry, in UTF-16).
      if ((await fs.promises.readFile(file)).includes(ENCRYPTED_PACKAGE)) {
        throw new QixinError('invalid', '文件已加密（设置了打开密码），无法读取。请取消密码后重新保存为 .xlsx 再上传');
      }
      throw new QixinError(
        'invalid',
        '不支持旧版 Excel 97-2003 (.xls) 文件，请在 Excel 或 WPS 中“另存为” .xlsx 格式后再导入',
      );
    }
    if (bytes.includes(0)) throw new QixinError('invalid', '无法识别的文件格式：请上传 .xlsx 或 .csv 文件');
    return 'csv';
  } finally {
    await handle.close();
  }
}

/** Spreadsheet cell → the text a person sees (numbers as exact digits, rich text joined…). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') {
    // LibreOffice stores 13800138000 as a number; integers print exactly up to 2^53.
    if (Number.isInteger(value)) return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(v.richText))
      return v.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('result' in v) return cellText(v.result);
    if ('text' in v) return cellText(v.text);
    if ('error' in v) return '';
  }
  return String(value).trim();
}

const isBlank = (cells: string[]) => cells.every((c) => c === '');

export interface ReadOptions {
  onRows?(count: number): void;
  /** Stops reading early (the job was cancelled). */
  cancelled?(): boolean;
}

export async function readImportFile(file: string, options: ReadOptions = {}): Promise<ImportFile> {
  const format = await sniffFormat(file);
  try {
    return format === 'xlsx' ? await readXlsx(file, options) : await readCsv(file, options);
  } catch (err) {
    if (err instanceof QixinError) throw err;
    throw new QixinError(
      'invalid',
      format === 'xlsx'
        ? `文件已损坏或不完整，无法读取（${(err as Error).message}）。请重新保存为 .xlsx 后再上传`
        : `无法读取 CSV 文件（${(err as Error).message}）`,
    );
  }
}

async function readXlsx(file: string, options: ReadOptions): Promise<ImportFile> {
  const book = await openXlsx(file, cellText);
  try {
    if (book.sheets.length === 0) throw new QixinError('invalid', '文件中没有工作表');
    let header: string[] | null = null;
    const rows: RawRow[] = [];
    const departmentPaths: string[] = [];
    for (const [index, sheet] of book.sheets.entries()) {
      // The first sheet holds the members; a later one headed 部门路径 lists departments.
      let mode: 'members' | 'departments' | 'skip' | null = index === 0 ? 'members' : null;
      for await (const { row, cells } of sheet.rows()) {
        if (mode === null) {
          mode = cells[0]?.replace(/[*＊]$/, '') === DEPARTMENT_SHEET_HEADER ? 'departments' : 'skip';
          continue;
        }
        if (mode === 'skip') break;
        if (mode === 'departments') {
          if (cells[0]) departmentPaths.push(cells[0]);
          continue;
        }
        if (!header) {
          header = cells;
          continue;
        }
        rows.push({ row, cells });
        if (rows.length % 2000 === 0) {
          options.onRows?.(rows.length);
          if (options.cancelled?.()) throw new QixinError('invalid', 'cancelled');
        }
      }
    }
    return { format: 'xlsx', header: header ?? [], rows, departmentPaths };
  } finally {
    await book.close();
  }
}

async function readCsv(file: string, options: ReadOptions): Promise<ImportFile> {
  const parser = parseCsv({ relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  let decoder: TextDecoder | null = null;
  let encoding: 'utf-8' | 'gbk' = 'utf-8';
  const feed = (async () => {
    const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    try {
      for await (const chunk of input as AsyncIterable<Buffer>) {
        if (!decoder) {
          // The first MiB decides: strict UTF-8 (a BOM is dropped), else GBK (Excel's 中文 CSV).
          try {
            new TextDecoder('utf-8', { fatal: true }).decode(chunk, { stream: true });
          } catch {
            encoding = 'gbk';
          }
          decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
        }
        let text: string;
        try {
          text = decoder.decode(chunk, { stream: true });
        } catch {
          throw new QixinError('invalid', 'CSV 文件的编码无法识别：请保存为 UTF-8 或 GBK 编码');
        }
        if (!parser.write(text)) await new Promise((r) => parser.once('drain', r));
      }
      if (decoder) parser.write(decoder.decode());
      parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();

  let header: string[] | null = null;
  const rows: RawRow[] = [];
  // Row numbers as a spreadsheet program shows the file (blank lines count).
  let record = 0;
  for await (const fields of parser as AsyncIterable<string[]>) {
    record++;
    const cells = fields.map((f) => f.trim());
    if (isBlank(cells)) continue;
    if (!header) {
      header = cells;
      continue;
    }
    rows.push({ row: record, cells });
    if (rows.length % 2000 === 0) {
      options.onRows?.(rows.length);
      if (options.cancelled?.()) throw new QixinError('invalid', 'cancelled');
    }
  }
  await feed;
  return { format: 'csv', header: header ?? [], rows, departmentPaths: [] };
}
