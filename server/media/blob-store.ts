// Content-addressed blobs on local disk: `<root>/ab/abcdef…` named by the sha256 of their bytes.
// A body is streamed into a temp file while it is hashed and counted, then renamed into place,
// so a half-written or refused upload never appears under a hash name.
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
      if (info && now - info.mtimeMs > STALE_TEMP_MS) await fs.promises.rm(file, { force: true });
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

  /** Temp files of uploads under way (tests check that refused ones leave none). */
  async pendingTempFiles(): Promise<string[]> {
    return fs.promises.readdir(this.tempDir).catch(() => []);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file);
    return true;
  } catch {
    return false;
  }
}
