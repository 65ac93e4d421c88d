// What the renderer hands over (paths, staged ids) as the list of files to upload: a folder is
// walked (its files, in name order, with the sub-folders they sit in), a staged file is looked up.
import fs from 'node:fs';
import path from 'node:path';
import type { FileSource } from '../../../shared/contract';
import { FileLimits, QixinError } from '../../../shared/protocol';
import type { Staging } from './staging';

/** A folder with more files than this is refused (one message or drive item per file). */
export const MAX_FILES = 5000;

export type LocalFile = {
  path: string;
  name: string;
  size: number;
  stagedId: string | null;
  /** Folders between the chosen folder (itself included) and the file; [] for a file chosen as is. */
  folders: string[];
};

/**
 * A name the relay accepts (FileName): no control characters, no surrounding spaces, at most 255
 * characters (the extension kept). Chinese and emoji stay as they are.
 */
export function uploadName(name: string): string {
  // eslint-disable-next-line no-control-regex
  let clean = name.replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim();
  if (clean === '' || clean === '.' || clean === '..') clean = 'file';
  const chars = [...clean];
  if (chars.length <= FileLimits.nameMaxChars) return clean;
  const ext = path.extname(clean);
  const keep = FileLimits.nameMaxChars - [...ext].length;
  return chars.slice(0, keep).join('').trimEnd() + ext;
}

export async function expandSources(sources: readonly FileSource[], staging: Staging): Promise<LocalFile[]> {
  const files: LocalFile[] = [];
  const add = (file: LocalFile) => {
    if (files.length >= MAX_FILES) {
      throw new QixinError('invalid', `more than ${MAX_FILES} files at once: send the folder in parts`);
    }
    files.push(file);
  };
  for (const source of sources) {
    if (source.type === 'staged') {
      const staged = await staging.get(source.stagedId);
      add({ path: staged.path, name: uploadName(staged.name), size: staged.size, stagedId: staged.id, folders: [] });
      continue;
    }
    const at = path.resolve(source.path);
    const info = await fs.promises.stat(at).catch(() => null);
    if (!info) throw new QixinError('not_found', `no such file: ${source.path}`);
    if (info.isDirectory()) await walk(at, [uploadName(path.basename(at))], add);
    else if (info.isFile())
      add({ path: at, name: uploadName(path.basename(at)), size: info.size, stagedId: null, folders: [] });
    else throw new QixinError('invalid', `not a file or folder: ${source.path}`);
  }
  return files;
}

async function walk(dir: string, folders: string[], add: (file: LocalFile) => void): Promise<void> {
  const entries = await fs.promises.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const at = path.join(dir, entry.name);
    // Links are left out: they may point anywhere, even back up the tree.
    if (entry.isDirectory()) await walk(at, [...folders, uploadName(entry.name)], add);
    else if (entry.isFile()) {
      const info = await fs.promises.stat(at);
      add({ path: at, name: uploadName(entry.name), size: info.size, stagedId: null, folders });
    }
  }
}
