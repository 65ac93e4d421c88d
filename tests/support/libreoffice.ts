/**
 * Spreadsheets written by LibreOffice, not by our own code, for the import tests and the
 * benchmark: CSV text → .xlsx (or .xls) through `soffice --headless --convert-to`. soffice
 * takes seconds to start, so several files convert in one call and results are cached per run.
 *
 *   convertCsv({ name: csvText, … }, 'xlsx' | 'xls') → { name: path of the converted file }
 *   toGbk(text) → the text encoded as GBK (through the system's iconv)
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qixin-libreoffice-'));
const cache = new Map<string, string>();
// The cache lives as long as this process (a test file's run, a benchmark).
process.on('exit', () => fs.rmSync(cacheDir, { recursive: true, force: true }));

// CSV filter: comma-separated, double quotes, UTF-8 (76), from line 1.
const CSV_FILTER = 'CSV:44,34,76,1';
const TARGET = { xlsx: 'xlsx:Calc MS Excel 2007 XML', xls: 'xls:MS Excel 97' } as const;

export async function convertCsv(
  files: Record<string, string>,
  to: 'xlsx' | 'xls' = 'xlsx',
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const pending: { name: string; key: string; csv: string }[] = [];
  for (const [name, text] of Object.entries(files)) {
    const key = createHash('sha256').update(to).update(text).digest('hex').slice(0, 16);
    const hit = cache.get(key);
    if (hit) out[name] = hit;
    else pending.push({ name, key, csv: path.join(cacheDir, `${key}.csv`) });
    if (!hit) fs.writeFileSync(path.join(cacheDir, `${key}.csv`), text);
  }
  if (pending.length) {
    const outDir = path.join(cacheDir, to);
    // A private profile: a desktop LibreOffice (or another test run) must not share its lock.
    const profile = `file://${path.join(cacheDir, 'profile')}`;
    await run(
      'soffice',
      [
        `-env:UserInstallation=${profile}`,
        '--headless',
        '--infilter=' + CSV_FILTER,
        '--convert-to',
        TARGET[to],
        '--outdir',
        outDir,
        ...pending.map((p) => p.csv),
      ],
      { timeout: 180_000 },
    );
    for (const p of pending) {
      const file = path.join(outDir, `${p.key}.${to}`);
      if (!fs.existsSync(file)) throw new Error(`LibreOffice did not write ${file}`);
      cache.set(p.key, file);
      out[p.name] = file;
    }
  }
  return out;
}

/** The text as GBK bytes, as a Chinese Excel saves "CSV". */
export function toGbk(text: string): Buffer {
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: text, maxBuffer: 1 << 30 });
}
