// The .xlsx reader on hand-built zips: namespace-prefixed SpreadsheetML, zip bombs and lying
// sizes, zip64 and encrypted entries, and date cells. (Its agreement with exceljs on files
// written by LibreOffice and by exceljs is tests/integration/import-xlsx-reader.test.ts.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { readImportFile } from './read';
import { MAX_INFLATED_BYTES } from './xlsx';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qixin-xlsx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Part {
  name: string;
  data: Buffer | string;
  /** What the zip's directory claims (defaults to the truth). */
  size?: number;
  compressedSize?: number;
  flags?: number;
  /** Already deflated bytes (for big payloads made once). */
  deflated?: Buffer;
}

/** A zip as spreadsheet programs write it: local headers, data, central directory, end record. */
function zip(parts: Part[], options: { zip64Locator?: boolean } = {}): string {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const raw = typeof p.data === 'string' ? Buffer.from(p.data) : p.data;
    const data = p.deflated ?? zlib.deflateRawSync(raw);
    const name = Buffer.from(p.name);
    const size = p.size ?? (p.deflated ? 0 : raw.length);
    const compressed = p.compressedSize ?? data.length;
    const crc = p.deflated ? 0 : zlib.crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(p.flags ?? 0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(p.flags ?? 0, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(compressed, 20);
    entry.writeUInt32LE(size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    chunks.push(local, name, data);
    offset += 30 + name.length + data.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.xlsx`);
  fs.writeFileSync(file, Buffer.concat([...chunks, dirBytes, ...(options.zip64Locator ? [locator] : []), end]));
  return file;
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const rels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
const workbook = (p = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><${p}workbook xmlns${p ? `:${p.slice(0, -1)}` : ''}="${MAIN}" xmlns:r="${REL}"><${p}sheets><${p}sheet name="成员" sheetId="1" r:id="rId1"/></${p}sheets></${p}workbook>`;
const sheet = (rows: string, p = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><${p}worksheet xmlns${p ? `:${p.slice(0, -1)}` : ''}="${MAIN}"><${p}sheetData>${rows}</${p}sheetData><${p}rowBreaks count="1" manualBreakCount="1"><${p}brk id="2" max="16383" man="1"/></${p}rowBreaks></${p}worksheet>`;

function book(rows: string, extra: Part[] = [], sheetPart: Partial<Part> = {}, p = ''): string {
  return zip([
    { name: 'xl/workbook.xml', data: workbook(p) },
    { name: 'xl/_rels/workbook.xml.rels', data: rels },
    ...extra,
    { name: 'xl/worksheets/sheet1.xml', data: sheet(rows, p), ...sheetPart },
  ]);
}

const simpleRows = '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名*</t></is></c></row>';

describe('.xlsx reader', () => {
  it('reads namespace-prefixed SpreadsheetML (<x:row>, <x:c>, <x:v>, <x:si>, <x:is>)', async () => {
    const strings = `<?xml version="1.0" encoding="UTF-8"?><x:sst xmlns:x="${MAIN}" count="4" uniqueCount="4"><x:si><x:t>姓名*</x:t></x:si><x:si><x:t>账号*</x:t></x:si><x:si><x:r><x:t>张</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">三 </x:t></x:r><x:rPh sb="0" eb="1"><x:t>ZHANG</x:t></x:rPh></x:si><x:si><x:t>a&amp;b</x:t></x:si></x:sst>`;
    const rows =
      '<x:row r="1" spans="1:3"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>手机</x:t></x:is></x:c></x:row>' +
      '<x:row r="2"><x:c r="A2" t="s"><x:v>2</x:v></x:c><x:c r="B2" t="s"><x:v>3</x:v></x:c><x:c r="C2"><x:v>13800138000</x:v></x:c></x:row>' +
      '<x:row r="3"/>' +
      '<x:row r="4"><x:c r="A4" t="str"><x:f>CONCAT("李","四")</x:f><x:v>李四</x:v></x:c><x:c r="B4" t="inlineStr"><x:is><x:t>lisi</x:t></x:is></x:c><x:c r="C4" t="b"><x:v>1</x:v></x:c></x:row>';
    const file = book(rows, [{ name: 'xl/sharedStrings.xml', data: strings }], {}, 'x:');
    const read = await readImportFile(file);
    expect(read.header).toEqual(['姓名*', '账号*', '手机']);
    expect(read.rows).toEqual([
      { row: 2, cells: ['张三', 'a&b', '13800138000'] },
      { row: 4, cells: ['李四', 'lisi', 'TRUE'] },
    ]);
  });

  it('does not take <rowBreaks> for a row (default namespace)', async () => {
    const read = await readImportFile(
      book(`${simpleRows}<row r="2"><c r="A2" t="inlineStr"><is><t>王五</t></is></c></row>`),
    );
    expect(read.rows).toEqual([{ row: 2, cells: ['王五'] }]);
  });

  it('refuses a zip bomb (an entry inflating a thousand times) before inflating it', async () => {
    const zeros = Buffer.alloc(64 * 1024 * 1024, 0x20);
    const deflated = zlib.deflateRawSync(zeros, { level: 9 });
    const file = book(simpleRows, [], { deflated, size: zeros.length });
    await expect(readImportFile(file)).rejects.toThrow(/解压后过大.*已拒绝读取/);
  });

  it('refuses a file whose entries together would inflate beyond the limit', async () => {
    const big = {
      name: 'xl/media/a.bin',
      data: 'x',
      size: MAX_INFLATED_BYTES / 2 + 1,
      compressedSize: 4 * 1024 * 1024,
    };
    const file = book(simpleRows, [big, { ...big, name: 'xl/media/b.bin' }]);
    await expect(readImportFile(file)).rejects.toThrow(/解压后过大/);
  });

  it('stops inflating an entry that runs past the size the zip declared', async () => {
    const rows = Array.from(
      { length: 2000 },
      (_, i) => `<row r="${i + 2}"><c t="inlineStr"><is><t>成员${i}</t></is></c></row>`,
    );
    const file = book(simpleRows + rows.join(''), [], { size: 300 });
    await expect(readImportFile(file)).rejects.toThrow(/实际大小与 zip 目录不符/);
  });

  it('refuses zip64 and encrypted entries with a clear message', async () => {
    await expect(readImportFile(book(simpleRows, [], { size: 0xffffffff }))).rejects.toThrow(/不支持 zip64/);
    const locator = zip(
      [
        { name: 'xl/workbook.xml', data: workbook() },
        { name: 'xl/_rels/workbook.xml.rels', data: rels },
        { name: 'xl/worksheets/sheet1.xml', data: sheet(simpleRows) },
      ],
      { zip64Locator: true },
    );
    await expect(readImportFile(locator)).rejects.toThrow(/不支持 zip64/);
    await expect(readImportFile(book(simpleRows, [], { flags: 1 }))).rejects.toThrow(/文件已加密/);
  });

  it('tells a password-protected .xlsx (an OLE file holding an EncryptedPackage) from an .xls', async () => {
    const ole = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    Buffer.from('EncryptedPackage', 'utf16le').copy(ole, 1024);
    const encrypted = path.join(dir, 'encrypted.xlsx');
    fs.writeFileSync(encrypted, ole);
    await expect(readImportFile(encrypted)).rejects.toThrow(/文件已加密/);
    Buffer.alloc(32).copy(ole, 1024);
    const xls = path.join(dir, 'old.xls');
    fs.writeFileSync(xls, ole);
    await expect(readImportFile(xls)).rejects.toThrow(/不支持旧版 Excel 97-2003/);
  });

  it('reads a date cell as its day number (no column of ours is a date) without failing', async () => {
    const file = path.join(dir, 'dates.xlsx');
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet('成员');
    s.addRow(['姓名*', '账号*', '职务']);
    s.addRow(['张三', 'zhangsan', new Date(Date.UTC(2024, 0, 5))]);
    s.getCell('C2').numFmt = 'yyyy-mm-dd';
    s.addRow(['李四', 'lisi', new Date(Date.UTC(2024, 0, 5, 12, 30))]);
    await wb.xlsx.writeFile(file);
    const read = await readImportFile(file);
    expect(read.rows).toEqual([
      { row: 2, cells: ['张三', 'zhangsan', '45296'] },
      { row: 3, cells: ['李四', 'lisi', '45296.52083333333'] },
    ]);
  });
});
