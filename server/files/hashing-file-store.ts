// The tus store of uploads under way (DATA_DIR/uploads, one file per upload, next to the blobs on
// the same file system) that hashes the bytes as they arrive, so a finished 2 GB upload is
// verified without being read again. The running sha256 of an upload lives in memory between its
// PATCHes; when a PATCH does not continue where the hash left off (the relay restarted, another
// relay node took a chunk, a write broke off) the bytes on disk up to the offset are hashed first.
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import { createLogger } from '../log';

const log = createLogger('relay.uploads');

interface RunningHash {
  hash: Hash;
  /** Bytes hashed so far: the upload's offset when they were written. */
  offset: number;
}

/** Uploads whose running hash is kept; beyond that the oldest is dropped and re-hashed from disk. */
const MAX_RUNNING = 10_000;

export class HashingFileStore extends FileStore {
  private readonly running = new Map<string, RunningHash>();

  /** `now`: the relay's clock, which stamps each write (idle uploads are found by it). */
  constructor(
    directory: string,
    private readonly now: () => number = Date.now,
  ) {
    super({ directory });
  }

  /** Where the bytes of upload `id` are (ids are the relay's own UUIDs). */
  pathOf(id: string): string {
    return path.join(this.directory, id);
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const state = await this.hashAt(id, offset);
    // While the write runs the state is out of the map: a write that breaks off leaves none behind.
    this.running.delete(id);
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        state.hash.update(chunk);
        state.offset += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(readable, hashing, fs.createWriteStream(this.pathOf(id), { flags: 'r+', start: offset }));
    } catch (err) {
      log.debug({ id, err: (err as Error).message }, 'upload write broke off');
      // tus answers a store failure as it is given; 500, the client resumes from HEAD.
      throw { status_code: 500, body: 'the relay could not store this chunk\n' };
    }
    this.keep(id, state);
    const at = new Date(this.now());
    await fs.promises.utimes(this.pathOf(id), at, at).catch(() => undefined);
    return state.offset;
  }

  /** The sha256 of the first `size` bytes of upload `id`: the running hash when it is there. */
  async digest(id: string, size: number): Promise<string> {
    const state = this.running.get(id);
    this.running.delete(id);
    return (state && state.offset === size ? state : await this.hashFromDisk(id, size)).hash.digest('hex');
  }

  override async remove(id: string): Promise<void> {
    this.running.delete(id);
    await super.remove(id);
  }

  /** Forgets an upload's running hash (its files went another way). */
  forget(id: string): void {
    this.running.delete(id);
  }

  private async hashAt(id: string, offset: number): Promise<RunningHash> {
    const state = this.running.get(id);
    if (state && state.offset === offset) return state;
    if (offset > 0) log.debug({ id, offset }, 'hashing the bytes received so far from disk');
    return this.hashFromDisk(id, offset);
  }

  private async hashFromDisk(id: string, length: number): Promise<RunningHash> {
    const hash = createHash('sha256');
    if (length > 0) {
      await pipeline(fs.createReadStream(this.pathOf(id), { start: 0, end: length - 1 }), async (source) => {
        for await (const chunk of source) hash.update(chunk as Buffer);
      });
    }
    return { hash, offset: length };
  }

  private keep(id: string, state: RunningHash): void {
    if (this.running.size >= MAX_RUNNING) {
      const oldest = this.running.keys().next().value;
      if (oldest !== undefined) this.running.delete(oldest);
    }
    this.running.set(id, state);
  }
}
