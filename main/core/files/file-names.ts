// Local file names for downloads: a partial file beside the final one, and a free name when the
// folder already holds one (名称 (1).ext, 名称 (2).ext …), as file managers do.
import fs from 'node:fs';
import path from 'node:path';

export const PARTIAL_SUFFIX = '.qxdownload';

/** `name` made safe for this computer's file system (the relay already refused / \ and NUL). */
export function localName(name: string): string {
  // Windows also refuses these; a name from another system may carry them.
  const cleaned = name.replace(/[<>:"|?*\\/]/g, '_').replace(/[. ]+$/, '');
  return cleaned === '' ? 'file' : cleaned;
}

/** `名称.ext` → `名称 (n).ext`; a leading dot (`.env`) is part of the name, not an extension. */
export function numbered(name: string, n: number): string {
  if (n === 0) return name;
  const ext = path.extname(name);
  const stem = ext && ext !== name ? name.slice(0, -ext.length) : name;
  return `${stem} (${n})${ext === name ? '' : ext}`;
}

async function exists(file: string): Promise<boolean> {
  return fs.promises.lstat(file).then(
    () => true,
    () => false,
  );
}

/** The first of `name`, `name (1)` … that `dir` does not hold, with `suffix` appended. */
export async function freeName(dir: string, name: string, suffix = ''): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = path.join(dir, numbered(name, n) + suffix);
    if (!(await exists(candidate))) return candidate;
  }
}

/**
 * Moves the finished partial file to a free name and returns it. A hard link claims the name
 * atomically (another program cannot take it in between); where links are not allowed (FAT, some
 * network drives) the rename after a check has to do.
 */
export async function placeFinished(partial: string, dir: string, name: string): Promise<string> {
  for (let n = 0; n < 10_000; n++) {
    const candidate = path.join(dir, numbered(name, n));
    try {
      await fs.promises.link(partial, candidate);
      await fs.promises.unlink(partial);
      return candidate;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (await exists(candidate)) continue;
      await fs.promises.rename(partial, candidate);
      return candidate;
    }
  }
  throw new Error(`no free name for ${name} in ${dir}`);
}
