// What the user picked or dropped onto the drive. In Electron the core reads paths itself (a
// folder is one path, walked by the core); in browser mode the page holds Files with their
// folders ('报告/附件/a.pdf'), walked here, because the drive keeps a folder's sub-folders.

/** A picked or dropped file; `relativePath` keeps its folder ('报告/附件/a.pdf'), '' for a lone file. */
export type PickedFile = { file: File; relativePath: string };

/** What a drop or a picker gave: files with their folders, and (Electron) the top-level items' paths. */
export type Picked = { files: PickedFile[]; paths: string[] };

/** The top folder's path on disk for a file of a picked folder (Electron: the core walks it). */
export function topFolderPath(filePath: string, relativePath: string): string | null {
  const parts = relativePath.split('/');
  if (parts.length < 2) return null;
  const separator = filePath.includes('\\') && !filePath.includes('/') ? '\\' : '/';
  const whole = parts.join(separator);
  if (!filePath.endsWith(separator + whole)) return null;
  return filePath.slice(0, filePath.length - whole.length) + parts[0];
}

/** An <input type=file> (multiple, or webkitdirectory) as picked files, or paths in Electron. */
export function fromInput(list: FileList, pathForFile: ((file: File) => string) | null): Picked {
  const files = [...list].map((file) => ({ file, relativePath: file.webkitRelativePath ?? '' }));
  if (!pathForFile) return { files, paths: [] };
  const paths = new Set<string>();
  for (const { file, relativePath } of files) {
    const path = pathForFile(file);
    const top = relativePath ? topFolderPath(path, relativePath) : null;
    if (top) paths.add(top);
    else if (path) paths.add(path);
  }
  return { files: [], paths: [...paths] };
}

/**
 * A drop: Electron gives each item's path (folders too); a browser gives entries to walk. The
 * items are read before the first await: a DataTransfer empties once the drop event is over.
 */
export async function fromDrop(data: DataTransfer, pathForFile: ((file: File) => string) | null): Promise<Picked> {
  if (pathForFile) {
    return { files: [], paths: [...data.files].map((file) => pathForFile(file)).filter(Boolean) };
  }
  const entries = [...data.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
  if (entries.length === 0) return { files: [...data.files].map((file) => ({ file, relativePath: '' })), paths: [] };
  const files: PickedFile[] = [];
  for (const entry of entries) await walk(entry, '', files);
  return { files, paths: [] };
}

async function walk(entry: FileSystemEntry, parent: string, out: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, relativePath: parent ? `${parent}/${entry.name}` : '' });
    return;
  }
  const folder = parent ? `${parent}/${entry.name}` : entry.name;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches (100 in Chromium) until it answers with none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, folder, out);
  }
}
