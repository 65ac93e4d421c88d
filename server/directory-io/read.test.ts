// The import's own .xlsx reader on the cell forms spreadsheet programs write: shared and inline
// strings, rich text, entities, numbers (exact digits), formulas' results, hyperlinks, booleans.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { readImportFile } from './read';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qixin-read-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function workbook(fill: (book: ExcelJS.Workbook) => void, sharedStrings: boolean): Promise<string> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.xlsx`);
  const book = new ExcelJS.Workbook();
  fill(book);
  if (sharedStrings) await book.xlsx.writeFile(file);
  else {
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
    for (const sheet of book.worksheets) {
      const out = writer.addWorksheet(sheet.name);
      for (let n = 1; n <= sheet.rowCount; n++) out.addRow(sheet.getRow(n).values as unknown[]).commit();
      out.commit();
    }
    await writer.commit();
  }
  return file;
}

describe('readImportFile (.xlsx)', () => {
  for (const shared of [true, false]) {
    it(`reads every cell form as the text a person sees (${shared ? 'shared' : 'inline'} strings)`, async () => {
      const file = await workbook((book) => {
        const s = book.addWorksheet('成员');
        s.addRow(['姓名*', '账号*', '部门*', '手机', '邮箱', '职务', '备注']);
        s.addRow([
          { richText: [{ text: '张' }, { font: { bold: true }, text: '三' }] },
          'a<b>&"c"',
          '总部/研发中心',
          13800138000,
          { text: 'zs@example.com', hyperlink: 'mailto:zs@example.com' },
          { formula: 'CONCAT("前端","工程师")', result: '前端工程师' },
          true,
        ]);
        s.addRow([]);
        s.addRow(['李四', 'lisi', '总部', 8613900139000, '', '', 1.5]);
        book.addWorksheet('部门').addRow(['部门路径']);
        book.getWorksheet('部门')!.addRow(['总部/空部门']);
      }, shared);
      const read = await readImportFile(file);
      expect(read.format).toBe('xlsx');
      expect(read.header).toEqual(['姓名*', '账号*', '部门*', '手机', '邮箱', '职务', '备注']);
      expect(read.rows).toEqual([
        {
          row: 2,
          cells: ['张三', 'a<b>&"c"', '总部/研发中心', '13800138000', 'zs@example.com', '前端工程师', 'TRUE'],
        },
        // The blank row 3 is skipped; row numbers stay those of the sheet.
        { row: 4, cells: ['李四', 'lisi', '总部', '8613900139000', '', '', '1.5'] },
      ]);
      expect(read.departmentPaths).toEqual(['总部/空部门']);
    });
  }

  it('refuses .xls, a truncated .xlsx and binary junk with readable messages', async () => {
    const xls = path.join(dir, 'old.xls');
    fs.writeFileSync(
      xls,
      Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]),
    );
    await expect(readImportFile(xls)).rejects.toThrow(/\.xls.*另存为/);

    const whole = await workbook((book) => book.addWorksheet('成员').addRow(['姓名*', '账号*', '部门*']), true);
    const cut = path.join(dir, 'cut.xlsx');
    fs.writeFileSync(cut, fs.readFileSync(whole).subarray(0, 300));
    await expect(readImportFile(cut)).rejects.toThrow(/损坏或不完整/);

    const junk = path.join(dir, 'junk.bin');
    fs.writeFileSync(junk, Buffer.from([1, 2, 0, 3, 4]));
    await expect(readImportFile(junk)).rejects.toThrow(/无法识别的文件格式/);
  });

  it('reads CSV in UTF-8 (with BOM) and GBK alike', async () => {
    const text = '姓名,账号,部门\n张三,zhangsan,"总部/研发中心"\n';
    const utf8 = path.join(dir, 'a.csv');
    fs.writeFileSync(utf8, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const gbk = path.join(dir, 'b.csv');
    // 张三 and the rest in GBK, written byte by byte so the test needs no encoder.
    const decoder = new TextDecoder('gbk');
    const bytes: number[] = [];
    for (const ch of text) {
      if (ch.charCodeAt(0) < 128) bytes.push(ch.charCodeAt(0));
      else {
        // Find the two-byte GBK code of the character by search (the test's own tiny encoder).
        let found = false;
        for (let hi = 0x81; hi <= 0xfe && !found; hi++) {
          for (let lo = 0x40; lo <= 0xfe && !found; lo++) {
            if (decoder.decode(new Uint8Array([hi, lo])) === ch) {
              bytes.push(hi, lo);
              found = true;
            }
          }
        }
      }
    }
    fs.writeFileSync(gbk, Buffer.from(bytes));
    for (const file of [utf8, gbk]) {
      const read = await readImportFile(file);
      expect(read.header).toEqual(['姓名', '账号', '部门']);
      expect(read.rows).toEqual([{ row: 2, cells: ['张三', 'zhangsan', '总部/研发中心'] }]);
    }
  });
});
