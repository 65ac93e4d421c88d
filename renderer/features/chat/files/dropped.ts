// What a person drops or picks: plain files, and folders to walk. A drop's items can only be read
// during the drop event itself, so `readDrop` is synchronous and the walk happens afterwards.

/** A dropped folder: its entry to walk (browser mode) and its File, whose path Electron knows. */
export type DroppedFolder = { entry: FileSystemDirectoryEntry; file: File | null };
export type Dropped = { files: File[]; folders: DroppedFolder[] };

/** Splits a drop into files and folders, in the order they were dropped. Call it inside the drop handler. */
export function readDrop(data: DataTransfer): Dropped {
  const files: File[] = [];
  const folders: DroppedFolder[] = [];
  const items = [...data.items].filter((item) => item.kind === 'file');
  if (items.length === 0) return { files: [...data.files], folders };
  for (const item of items) {
    // Null for files made in the page (no file system behind them): they are plain files.
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    const file = item.getAsFile();
    if (entry?.isDirectory) folders.push({ entry: entry as FileSystemDirectoryEntry, file });
    else if (file) files.push(file);
  }
  return { files, folders };
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

/** Every file under a dropped folder, sub-folders included (readEntries answers in batches until empty). */
export async function walkFolder(folder: FileSystemDirectoryEntry): Promise<File[]> {
  const found: File[] = [];
  const pending: FileSystemDirectoryEntry[] = [folder];
  while (pending.length > 0) {
    const dir = pending.shift();
    if (!dir) break;
    const reader = dir.createReader();
    for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader)) {
      for (const entry of batch) {
        if (entry.isDirectory) pending.push(entry as FileSystemDirectoryEntry);
        else if (entry.isFile) found.push(await entryFile(entry as FileSystemFileEntry));
      }
    }
  }
  return found;
}
