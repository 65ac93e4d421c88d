import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobStore } from './blob-store';

let root: string;
let store: BlobStore;

beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'qixin-blobs-'));
  store = new BlobStore(root);
  await store.open();
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const blobFiles = () =>
  fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.parentPath.endsWith('tmp'))
    .map((e) => e.name);

describe('BlobStore', () => {
  it('stores bytes under their sha256 and reads back the same bytes', async () => {
    const bytes = Buffer.from('一张图片的字节 '.repeat(5000));
    const stored = await store.put(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]));
    expect(stored).toEqual({ sha256: sha(bytes), size: bytes.length });
    expect(store.pathOf(stored.sha256)).toBe(path.join(root, stored.sha256.slice(0, 2), stored.sha256));
    expect(fs.readFileSync(store.pathOf(stored.sha256))).toEqual(bytes);
  });

  it('keeps one file for equal uploads, also when they arrive at once', async () => {
    const bytes = Buffer.from('same bytes twice');
    const results = await Promise.all([1, 2, 3].map(() => store.put(Readable.from([bytes]))));
    expect(new Set(results.map((r) => r.sha256)).size).toBe(1);
    expect(blobFiles()).toEqual([sha(bytes)]);
    expect(await store.pendingTempFiles()).toEqual([]);
  });

  it('removes the temp file when a check refuses the stream midway, and stores nothing', async () => {
    let seen = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _e, done) {
        seen += chunk.length;
        done(seen > 10 ? new Error('too many bytes') : null, chunk);
      },
    });
    await expect(store.put(Readable.from([Buffer.alloc(8), Buffer.alloc(8)]), [limit])).rejects.toThrow(
      'too many bytes',
    );
    expect(await store.pendingTempFiles()).toEqual([]);
    expect(blobFiles()).toEqual([]);
  });

  it('removes the temp file when the source breaks off (a client abort)', async () => {
    const source = new Readable({ read() {} });
    const put = store.put(source);
    source.push(Buffer.alloc(4096));
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.pendingTempFiles()).toHaveLength(1);
    source.destroy(new Error('aborted'));
    await expect(put).rejects.toThrow('aborted');
    expect(await store.pendingTempFiles()).toEqual([]);
    expect(blobFiles()).toEqual([]);
  });

  it('on open drops stale temp files a crash left, and keeps fresh ones another node is writing', async () => {
    const tmp = path.join(root, 'tmp');
    fs.writeFileSync(path.join(tmp, 'crashed'), 'x');
    fs.writeFileSync(path.join(tmp, 'writing'), 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(path.join(tmp, 'crashed'), twoHoursAgo, twoHoursAgo);
    await new BlobStore(root).open();
    expect(await store.pendingTempFiles()).toEqual(['writing']);
  });
});

describe('BlobStore holds and collection', () => {
  const bytes = Buffer.from('字节 held while a reference is committed');
  const hash = sha(bytes);
  const stored = () => fs.existsSync(store.pathOf(hash)) && fs.readFileSync(store.pathOf(hash)).equals(bytes);

  it('deletes an unreferenced blob, and puts back one that got referenced while it was moved aside', async () => {
    await store.put(Readable.from([bytes]));
    expect(await store.collect(hash, async () => true)).toBe(false);
    expect(stored()).toBe(true);
    expect(await store.collect(hash, async () => false)).toBe(true);
    expect(fs.existsSync(store.pathOf(hash))).toBe(false);
    expect(await store.collect(hash, async () => false)).toBe(false);
    expect(await store.pendingTempFiles()).toEqual([]);
  });

  it('a commit that loses the race to collection puts the bytes back from its hold', async () => {
    await store.put(Readable.from([bytes]));
    const hold = await store.hold(hash);
    // Collection decides while the commit's transaction is still open (no reference yet) …
    expect(await store.collect(hash, async () => false)).toBe(true);
    expect(fs.existsSync(store.pathOf(hash))).toBe(false);
    // … and the commit, once its reference is written, settles: the bytes are back.
    await hold!.settle();
    expect(stored()).toBe(true);
    expect(await store.pendingTempFiles()).toEqual([]);
  });

  it('takes a finished upload in by a link, keeps equal bytes once, and has nothing to hold for unknown content', async () => {
    const upload = path.join(root, 'upload-file');
    fs.writeFileSync(upload, bytes);
    const hold = await store.hold(hash, upload);
    fs.rmSync(upload);
    await hold!.settle();
    expect(stored()).toBe(true);
    const again = path.join(root, 'again');
    fs.writeFileSync(again, bytes);
    await (await store.hold(hash, again))!.release();
    fs.rmSync(again);
    expect(blobFiles()).toEqual([hash]);
    expect(await store.hold(sha(Buffer.from('never stored')))).toBeNull();
  });

  it('lists stored blobs with their size, not temp files', async () => {
    await store.put(Readable.from([bytes]));
    fs.writeFileSync(path.join(root, 'tmp', 'partial'), 'x');
    const listed = [];
    for await (const blob of store.list()) listed.push(blob);
    expect(listed).toEqual([{ sha256: hash, size: bytes.length, changedAt: expect.any(Number) }]);
  });

  it('on open puts back the bytes of a hold or a collection a crash cut short', async () => {
    await store.put(Readable.from([bytes]));
    const aside = path.join(root, 'tmp', `gc-${hash}-crashed`);
    fs.renameSync(store.pathOf(hash), aside);
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(aside, twoHoursAgo, twoHoursAgo);
    await new BlobStore(root).open();
    expect(stored()).toBe(true);
    expect(await store.pendingTempFiles()).toEqual([]);
  });
});
