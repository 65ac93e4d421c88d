// Content-addressed blobs on local disk: `<root>/ab/abcdef…` named by the sha256 of their bytes.
// A body is streamed into a temp file while it is hashed and counted, then renamed into place,
// so a half-written or refused upload never appears under a hash name.
//
// Unreferenced blobs are collected (server/files/retention.ts) while references are being made, so
// taking a reference and collecting are ordered through the file system: a reference is committed
// while a hard link in tmp/ holds the bytes (`hold`), and collection moves a blob aside, checks the
// references once more and only then unlinks it (`collect`). Whoever loses the race puts the bytes back.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredBlob {
  sha256: string;
  size: number;
}

const SHA256 = /^[0-9a-f]{64}$/;
const STALE_TEMP_MS = 60 * 60 * 1000;
/** tmp/ names that hold a blob's bytes (`hold-<sha256>-…`, `gc-<sha256>-…`): put back if a crash left them. */
const HELD = /^(?:hold|gc)-([0-9a-f]{64})-/;

/** The bytes of one blob kept alive while a reference to them is committed (see `BlobStore.hold`). */
export interface BlobHold {
  /** After the commit: the bytes are under their hash again if collection took them meanwhile; the hold goes. */
  settle(): Promise<void>;
  /** The commit failed: the hold goes (bytes nobody references are collected later). */
  release(): Promise<void>;
}

export interface BlobEntry {
  sha256: string;
  size: number;
  /** Last write, link or touch (UTC millis): young blobs may be about to be referenced. */
  changedAt: number;
}

export class BlobStore {
  private readonly tempDir: string;

  constructor(readonly root: string) {
    this.tempDir = path.join(root, 'tmp');
  }

  /**
   * Creates the folders and drops temp files a crash left behind. Only stale ones: relay nodes
   * sharing the volume may be writing theirs right now (an upload in progress keeps its mtime fresh).
   */
  async open(now = Date.now()): Promise<void> {
    await fs.promises.mkdir(this.tempDir, { recursive: true });
    for (const name of await fs.promises.readdir(this.tempDir)) {
      const file = path.join(this.tempDir, name);
      const info = await fs.promises.stat(file).catch(() => null);
      if (!info || now - info.mtimeMs <= STALE_TEMP_MS) continue;
      // A hold or a collection cut short by a crash: the bytes go back under their hash, and the
      // next collection decides again whether anyone references them.
      const held = HELD.exec(name)?.[1];
      if (held) await this.linkInto(file, held);
      await fs.promises.rm(file, { force: true });
    }
  }

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  /**
   * Streams `source` through `checks` (each may fail the stream: a size limit, a type check) into
   * the store. On any failure, a client abort included, the temp file is removed and the error thrown.
   * Bytes already stored under the same hash are kept and the new copy dropped.
   */
  async put(source: Readable, checks: Transform[] = []): Promise<StoredBlob> {
    const temp = path.join(this.tempDir, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const digest = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline([source, ...checks, digest, fs.createWriteStream(temp, { flags: 'wx' })]);
    } catch (err) {
      await fs.promises.rm(temp, { force: true });
      throw err;
    }
    const sha256 = hash.digest('hex');
    const target = this.pathOf(sha256);
    try {
      if (await exists(target)) {
        await fs.promises.rm(temp, { force: true });
        // The caller is about to reference these bytes: young again, so collection leaves them be.
        await touch(target);
      } else {
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        // Two equal uploads racing here both rename the same bytes into place: either wins.
        await fs.promises.rename(temp, target);
      }
    } catch (err) {
      await fs.promises.rm(temp, { force: true });
      throw err;
    }
    return { sha256, size };
  }

  /** The size of the stored bytes of `sha256`, or null when the store does not hold them. */
  async sizeOf(sha256: string): Promise<number | null> {
    const info = await fs.promises.stat(this.pathOf(sha256)).catch(() => null);
    return info?.isFile() ? info.size : null;
  }

  /**
   * Keeps the bytes of `sha256` alive while a reference to them is committed. `from` is a verified
   * file on the same file system (a finished upload): it becomes the blob unless equal bytes are
   * stored already. Without `from` the stored blob is held; null when there is none.
   */
  async hold(sha256: string, from?: string): Promise<BlobHold | null> {
    const hold = path.join(this.tempDir, `hold-${sha256}-${randomUUID()}`);
    try {
      await fs.promises.link(from ?? this.pathOf(sha256), hold);
    } catch (err) {
      if (!from && (err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    if (from) {
      try {
        await this.linkInto(hold, sha256);
      } catch (err) {
        await fs.promises.rm(hold, { force: true });
        throw err;
      }
    }
    return {
      settle: async () => {
        await this.linkInto(hold, sha256);
        await fs.promises.rm(hold, { force: true });
      },
      release: () => fs.promises.rm(hold, { force: true }),
    };
  }

  /** Writes a small temp file (the empty file of a zero-byte 秒传) for `hold(sha256, from)`. */
  async writeTemp(bytes: Buffer): Promise<string> {
    const temp = path.join(this.tempDir, randomUUID());
    await fs.promises.writeFile(temp, bytes, { flag: 'wx' });
    return temp;
  }

  /** Every stored blob (not the temp files), folder by folder. */
  async *list(): AsyncGenerator<BlobEntry> {
    const folders = await fs.promises.readdir(this.root).catch(() => [] as string[]);
    for (const folder of folders.filter((name) => /^[0-9a-f]{2}$/.test(name)).sort()) {
      const names = await fs.promises.readdir(path.join(this.root, folder)).catch(() => [] as string[]);
      for (const name of names) {
        if (!SHA256.test(name) || !name.startsWith(folder)) continue;
        const info = await fs.promises.stat(path.join(this.root, folder, name)).catch(() => null);
        if (info?.isFile()) yield { sha256: name, size: info.size, changedAt: Math.max(info.mtimeMs, info.ctimeMs) };
      }
    }
  }

  /**
   * Deletes the blob unless `referenced()`, asked after the blob was moved aside, says someone took a
   * reference meanwhile (then it goes back). True when the bytes are gone.
   */
  async collect(sha256: string, referenced: () => Promise<boolean>): Promise<boolean> {
    const aside = path.join(this.tempDir, `gc-${sha256}-${randomUUID()}`);
    try {
      await fs.promises.rename(this.pathOf(sha256), aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    let keep = true;
    try {
      keep = await referenced();
    } finally {
      if (keep) await this.linkInto(aside, sha256);
      await fs.promises.rm(aside, { force: true });
    }
    return !keep;
  }

  /** Links `file` under the name of `sha256` unless that name exists (then both are the same bytes). */
  private async linkInto(file: string, sha256: string): Promise<void> {
    const target = this.pathOf(sha256);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    try {
      await fs.promises.link(file, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }

  /** Temp files of uploads under way (tests check that refused ones leave none). */
  async pendingTempFiles(): Promise<string[]> {
    return fs.promises.readdir(this.tempDir).catch(() => []);
  }
}

async function touch(file: string): Promise<void> {
  const now = new Date();
  await fs.promises.utimes(file, now, now).catch(() => undefined);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file);
    return true;
  } catch {
    return false;
  }
}
