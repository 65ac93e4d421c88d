// 秒传: a file the relay already holds is committed without its bytes travelling again, once the
// client proves it has them. Step 1 answers `absent` (upload with tus) or a challenge: a nonce and
// random byte ranges. Step 2 carries, per range, hex sha256(nonce ‖ bytes[start..end]), checked
// against the stored blob. A challenge is the caller's, for one content, used once, for 60 s.
// Knowing a hash never yields the file: without the bytes, no answer to random ranges.
//
// Zero-byte files need no proof: the empty content is public knowledge (its sha256 is printed in
// every textbook), so a declaration of size 0 with that hash is committed at once.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import {
  FileLimits,
  QixinError,
  type ByteRange,
  type InstantAnswer,
  type InstantRequest,
  type UploadDeclaration,
} from '../../shared/protocol';
import type { Reader, Tx } from '../domain/context';
import type { BlobStore } from '../media/blob-store';
import type { FileCommits } from './file-commits';

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const CHALLENGE_MS = 60_000;

export interface InstantUploadDeps {
  db: Reader;
  transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T>;
  blobs: BlobStore;
  now(): number;
}

const proofFailed = () =>
  new QixinError('forbidden', 'the proof does not match the bytes, or its challenge expired', 'proof_failed');

export class InstantUploads {
  constructor(
    private readonly deps: InstantUploadDeps,
    private readonly commits: FileCommits,
  ) {}

  async answer(userId: string, request: InstantRequest): Promise<InstantAnswer> {
    const { declaration, proof } = request;
    // Asked again after a lost answer: the file is there already.
    const done = await this.commits.committedBy(userId, declaration.fileId);
    if (done && done.sha256 === declaration.sha256) return { status: 'stored', file: done };
    await this.commits.target(declaration).check(this.deps.db, userId, declaration);
    await this.commits.assertFresh(declaration);
    if (declaration.size === 0) return this.storeEmpty(userId, declaration);
    if ((await this.deps.blobs.sizeOf(declaration.sha256)) !== declaration.size) return { status: 'absent' };
    if (!proof) return this.challenge(userId, declaration);
    await this.verify(userId, declaration, proof);
    const file = await this.commits
      .commit(userId, declaration, { uploadId: null, file: null })
      .catch((err: unknown) => {
        // Collected between the proof and the commit: the client uploads after all.
        if (err instanceof QixinError && err.reason === 'file_not_found') return null;
        throw err;
      });
    return file ? { status: 'stored', file } : { status: 'absent' };
  }

  private async storeEmpty(userId: string, declaration: UploadDeclaration): Promise<InstantAnswer> {
    if (declaration.sha256 !== EMPTY_SHA256)
      throw new QixinError('invalid', 'an empty file has another sha256', 'file_hash_mismatch');
    const empty = await this.deps.blobs.writeTemp(Buffer.alloc(0));
    try {
      return {
        status: 'stored',
        file: await this.commits.commit(userId, declaration, { uploadId: null, file: empty }),
      };
    } finally {
      await fs.promises.rm(empty, { force: true });
    }
  }

  private async challenge(userId: string, declaration: UploadDeclaration): Promise<InstantAnswer> {
    const nonce = randomBytes(32).toString('hex');
    const ranges = proofRanges(declaration.size);
    const expiresAt = this.deps.now() + CHALLENGE_MS;
    await this.deps.transaction((trx) =>
      trx
        .insertInto('upload_challenges')
        .values({
          nonce,
          user_id: userId,
          sha256: declaration.sha256,
          ranges: JSON.stringify(ranges),
          expires_at: expiresAt,
        })
        .execute(),
    );
    return { status: 'challenge', nonce, ranges, expiresAt };
  }

  /** Uses up the challenge (whatever the outcome) and checks every range's hash against the blob. */
  private async verify(userId: string, declaration: UploadDeclaration, proof: NonNullable<InstantRequest['proof']>) {
    const challenge = await this.deps.transaction(async (trx) => {
      const row = await trx
        .selectFrom('upload_challenges')
        .selectAll()
        .where('nonce', '=', proof.nonce)
        .executeTakeFirst();
      if (!row) return null;
      const used = await trx.deleteFrom('upload_challenges').where('nonce', '=', proof.nonce).executeTakeFirst();
      return Number(used.numDeletedRows) === 1 ? row : null;
    });
    if (
      !challenge ||
      challenge.user_id !== userId ||
      challenge.sha256 !== declaration.sha256 ||
      Number(challenge.expires_at) < this.deps.now()
    )
      throw proofFailed();
    const ranges = JSON.parse(challenge.ranges) as ByteRange[];
    if (proof.hashes.length !== ranges.length) throw proofFailed();
    const expected = await this.rangeHashes(declaration.sha256, proof.nonce, ranges);
    const matches = expected.every((hash, i) =>
      timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(proof.hashes[i]!, 'hex')),
    );
    if (!matches) throw proofFailed();
  }

  private async rangeHashes(sha256: string, nonce: string, ranges: ByteRange[]): Promise<string[]> {
    const file = await fs.promises.open(this.deps.blobs.pathOf(sha256), 'r').catch(() => null);
    if (!file) throw proofFailed();
    try {
      const hashes: string[] = [];
      for (const { start, end } of ranges) {
        const bytes = Buffer.alloc(end - start + 1);
        const { bytesRead } = await file.read(bytes, 0, bytes.length, start);
        hashes.push(createHash('sha256').update(nonce).update(bytes.subarray(0, bytesRead)).digest('hex'));
      }
      return hashes;
    } finally {
      await file.close();
    }
  }
}

/** `FileLimits.proofRanges` random ranges of `proofRangeBytes` (inclusive ends), by start; the whole file when it is shorter. */
export function proofRanges(size: number): ByteRange[] {
  const length = FileLimits.proofRangeBytes;
  if (size <= length) return [{ start: 0, end: size - 1 }];
  const ranges: ByteRange[] = [];
  for (let i = 0; i < FileLimits.proofRanges; i++) {
    const start = randomInt(0, size - length + 1);
    ranges.push({ start, end: start + length - 1 });
  }
  return ranges.sort((a, b) => a.start - b.start);
}
