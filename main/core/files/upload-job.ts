// One upload, start to finish: hash the file (streaming), 秒传 when the relay already holds the
// bytes (after proving possession), else tus 1.0 from wherever the relay's copy ends. The tus URL
// is kept in the transfer's row, so a restarted core carries on from the relay's offset.
import fs from 'node:fs';
import { Upload, type DetailedError } from 'tus-js-client';
import { newId } from '../../../shared/lib/ids';
import { QixinError, type UploadDeclaration, type UploadTarget } from '../../../shared/protocol';
import { failure, isTransient, localFailure, type FileRelay } from './file-relay';
import { proofHashes, sha256File } from './hashing';
import type { TransferRow } from './transfer-row';
import type { NodeHttpStack, ThrottledFileReader } from './tus-io';

/**
 * 16 MiB per PATCH. A PATCH that breaks off keeps what reached the relay (it writes as bytes
 * arrive), and at worst one chunk is sent again after a crash; at this size the pause between
 * chunks (one round trip) costs well under 1% on a LAN, and a 20 GB file takes 1,280 requests.
 */
export const CHUNK_BYTES = 16 * 1024 * 1024;
/** tus-js-client's own quick retries within a chunk; longer outages are the engine's (transfers.ts). */
const TUS_RETRY_DELAYS = [0, 1000, 3000];

export type JobReport = {
  /** Bytes hashed (state hashing), sent (uploads) or written (downloads) so far. */
  progress(done: number): void;
  /** Keeps fields in the row now (sha256, the tus URL, the state). */
  update(change: Partial<TransferRow>): TransferRow;
};

export type UploadDeps = {
  relay: FileRelay;
  reader: ThrottledFileReader;
  http: NodeHttpStack;
  /** The file got its sha256 or a new id: a chat message's body follows. */
  onFileChanged(row: TransferRow): void;
};

export function declarationOf(row: TransferRow): UploadDeclaration {
  const fileId = row.mediaId ?? row.nodeId;
  if (!fileId || !row.sha256) throw new Error(`transfer ${row.id} has no file id or hash`);
  const target: UploadTarget = row.conversationId
    ? { type: 'chat', conversationId: row.conversationId }
    : { type: 'drive', folderId: row.folderId! };
  return { fileId, name: row.name, size: row.size, mime: row.mime, sha256: row.sha256, target };
}

/** Runs the upload; resolves with the fields of the finished row. Rejects with a QixinError, or an AbortError. */
export async function runUpload(
  deps: UploadDeps,
  start: TransferRow,
  signal: AbortSignal,
  report: JobReport,
): Promise<Partial<TransferRow>> {
  let row = start;
  const file = row.sourcePath!;
  const info = await fs.promises.stat(file).catch((err: unknown) => {
    throw localFailure(err, row.name);
  });
  if (info.size !== row.size) throw new QixinError('conflict', `${row.name} changed since it was chosen`);

  if (!row.sha256) {
    row = report.update({ state: 'hashing', done: 0 });
    const { sha256 } = await sha256File(file, { signal, onBytes: (n) => report.progress(n) }).catch((err: unknown) => {
      throw signal.aborted ? err : localFailure(err, row.name);
    });
    row = report.update({ sha256, state: 'running', done: 0 });
    deps.onFileChanged(row);
  }
  const declaration = declarationOf(row);

  if (row.uploadUrl) {
    // Started before (a restart, a pause, a retry): perhaps every byte is in already.
    if (await deps.relay.committed(declaration.fileId)) return { done: row.size };
  }
  try {
    if (!row.uploadUrl && (await tryInstant(deps.relay, declaration, file))) return { done: row.size, instant: true };
    signal.throwIfAborted();
    await tusUpload(deps, row, declaration, signal, report);
  } catch (err) {
    if (!(err instanceof QixinError) || err.code !== 'conflict' || report.update({}).uploadUrl) throw err;
    // The relay holds an upload of this id whose URL never reached us (the answer to its creation
    // was lost): it expires there; this file starts again under a new id.
    const renewed = report.update(row.mediaId ? { mediaId: newId() } : { nodeId: newId() });
    deps.onFileChanged(renewed);
    throw new QixinError('unavailable', 'an earlier attempt of this upload is in the way; starting again');
  }
  // The last PATCH commits on the relay (sha256 checked); the lookup confirms it.
  for (let attempt = 0; attempt < 20; attempt++) {
    if (await deps.relay.committed(declaration.fileId)) return { done: row.size };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new QixinError('unavailable', 'the relay did not confirm the upload', 'upload_incomplete');
}

/** 秒传: true when the relay already held the bytes and took them as this file. */
async function tryInstant(relay: FileRelay, declaration: UploadDeclaration, file: string): Promise<boolean> {
  const first = await relay.instant({ declaration });
  if (first.status === 'stored') return true;
  if (first.status === 'absent') return false;
  const hashes = await proofHashes(file, first.nonce, first.ranges);
  const second = await relay.instant({ declaration, proof: { nonce: first.nonce, hashes } });
  if (second.status === 'stored') return true;
  return false;
}

function tusUpload(
  deps: UploadDeps,
  row: TransferRow,
  declaration: UploadDeclaration,
  signal: AbortSignal,
  report: JobReport,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const upload = new Upload({ path: row.sourcePath!, size: row.size } as never, {
      endpoint: deps.relay.uploadsEndpoint,
      uploadUrl: row.uploadUrl,
      metadata: {
        fileId: declaration.fileId,
        name: declaration.name,
        size: String(declaration.size),
        mime: declaration.mime,
        sha256: declaration.sha256,
        target: JSON.stringify(declaration.target),
      },
      chunkSize: CHUNK_BYTES,
      retryDelays: TUS_RETRY_DELAYS,
      fileReader: deps.reader,
      httpStack: deps.http,
      // The URL lives in the transfer's row, not in tus-js-client's storage.
      fingerprint: async () => null as never,
      storeFingerprintForResuming: false,
      onBeforeRequest: (req) => req.setHeader('Authorization', deps.relay.authorization()),
      onUploadUrlAvailable: () => {
        if (upload.url && upload.url !== row.uploadUrl) row = report.update({ uploadUrl: upload.url });
      },
      onProgress: (sent) => report.progress(sent),
      onShouldRetry: (err) => isTransient(tusFailure(err)) || [409, 423].includes(statusOf(err)),
      onSuccess: () => resolve(),
      onError: (err) => reject(tusFailure(err)),
    });
    signal.addEventListener(
      'abort',
      () => {
        void upload.abort(false);
        reject(signal.reason);
      },
      { once: true },
    );
    upload.start();
  });
}

function statusOf(err: Error | DetailedError): number {
  return 'originalResponse' in err && err.originalResponse ? err.originalResponse.getStatus() : 0;
}

/** The relay's refusal (its `{error}` body), or the network's failure as `unavailable`. */
function tusFailure(err: Error | DetailedError): QixinError {
  const res = 'originalResponse' in err ? err.originalResponse : null;
  if (res) return failure(res.getStatus(), res.getBody());
  if ('originalRequest' in err && err.originalRequest) {
    return new QixinError('unavailable', `the upload broke off (${err.message})`);
  }
  return localFailure(err, 'upload');
}

/** Ends the relay's copy of an unfinished upload (tus termination); best effort. */
export async function terminateUpload(deps: UploadDeps, uploadUrl: string): Promise<void> {
  await Upload.terminate(uploadUrl, {
    httpStack: deps.http,
    retryDelays: [],
    onBeforeRequest: (req) => req.setHeader('Authorization', deps.relay.authorization()),
  });
}
