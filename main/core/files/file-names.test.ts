import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freeName, localName, numbered, PARTIAL_SUFFIX, placeFinished } from './file-names';
import { uploadName } from './file-sources';

const dirs: string[] = [];
const temp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qixin-names-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('local file names', () => {
  it('numbers a name before its extension, as file managers do', () => {
    expect(numbered('季度报告 📊.xlsx', 0)).toBe('季度报告 📊.xlsx');
    expect(numbered('季度报告 📊.xlsx', 2)).toBe('季度报告 📊 (2).xlsx');
    expect(numbered('README', 1)).toBe('README (1)');
    expect(numbered('.env', 1)).toBe('.env (1)');
    expect(numbered('archive.tar.gz', 1)).toBe('archive.tar (1).gz');
  });

  it('makes a name safe for Windows too', () => {
    expect(localName('a:b*c?.txt')).toBe('a_b_c_.txt');
    expect(localName('报告. ')).toBe('报告');
    expect(localName('...')).toBe('file');
  });

  it('finds a free name and places a finished file there, never over another', async () => {
    const dir = temp();
    fs.writeFileSync(path.join(dir, '合同.pdf'), 'theirs');
    fs.writeFileSync(path.join(dir, '合同 (1).pdf'), 'theirs too');
    expect(await freeName(dir, '合同.pdf', PARTIAL_SUFFIX)).toBe(path.join(dir, '合同.pdf.qxdownload'));
    const partial = path.join(dir, '合同.pdf.qxdownload');
    fs.writeFileSync(partial, 'ours');
    const placed = await placeFinished(partial, dir, '合同.pdf');
    expect(placed).toBe(path.join(dir, '合同 (2).pdf'));
    expect(fs.readFileSync(placed, 'utf8')).toBe('ours');
    expect(fs.readFileSync(path.join(dir, '合同.pdf'), 'utf8')).toBe('theirs');
    expect(fs.existsSync(partial)).toBe(false);
  });
});

describe('upload names', () => {
  it('keeps Chinese and emoji, drops what the relay refuses, keeps the extension when cutting', () => {
    expect(uploadName('周报 🚀.md')).toBe('周报 🚀.md');
    expect(uploadName('  a\u0001b.txt ')).toBe('a_b.txt');
    expect(uploadName('..')).toBe('file');
    const long = uploadName(`${'长'.repeat(300)}.docx`);
    expect([...long]).toHaveLength(255);
    expect(long.endsWith('长.docx')).toBe(true);
  });
});
