// What the core keeps about a transfer (the cache's `transfers` row) and the Transfer the renderer
// sees. The row holds more: where the bytes come from or go, the tus URL, the partial file.
import type { Transfer, TransferState } from '../../../shared/contract';
import type { ErrorBody } from '../../../shared/protocol';

export type TransferRow = {
  id: string;
  /** The signed-in user who started it: another user's transfers never run under this session. */
  userId: string;
  direction: 'upload' | 'download';
  state: TransferState;
  name: string;
  size: number;
  done: number;
  mime: string;
  /** Uploads: null until hashed. Downloads: what the finished bytes must hash to. */
  sha256: string | null;
  error: ErrorBody | null;
  conversationId: string | null;
  messageId: string | null;
  mediaId: string | null;
  nodeId: string | null;
  folderId: string | null;
  sourcePath: string | null;
  stagedId: string | null;
  uploadUrl: string | null;
  partialPath: string | null;
  localPath: string | null;
  instant: boolean;
  createdAt: number;
  updatedAt: number;
};

/** A new row: everything not given starts empty. */
export function newTransferRow(
  fields: Pick<TransferRow, 'id' | 'userId' | 'direction' | 'state' | 'name' | 'size' | 'mime'> & Partial<TransferRow>,
): TransferRow {
  const now = Date.now();
  return {
    done: 0,
    sha256: null,
    error: null,
    conversationId: null,
    messageId: null,
    mediaId: null,
    nodeId: null,
    folderId: null,
    sourcePath: null,
    stagedId: null,
    uploadUrl: null,
    partialPath: null,
    localPath: null,
    instant: false,
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
}

/** Still to do: resumed after a restart. */
export const UNFINISHED: readonly TransferState[] = ['hashing', 'queued', 'running'];

export function isFinished(state: TransferState): boolean {
  return state === 'done' || state === 'cancelled';
}

export function toTransfer(row: TransferRow, bytesPerSec = 0): Transfer {
  return {
    id: row.id,
    direction: row.direction,
    name: row.name,
    size: row.size,
    done: row.done,
    bytesPerSec: row.state === 'running' || row.state === 'hashing' ? bytesPerSec : 0,
    state: row.state,
    error: row.error,
    conversationId: row.conversationId,
    messageId: row.messageId,
    mediaId: row.mediaId,
    nodeId: row.nodeId,
    folderId: row.folderId,
    localPath: row.state === 'done' ? row.localPath : null,
    instant: row.instant,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
