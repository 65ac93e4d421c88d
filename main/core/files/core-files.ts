// Files in the desktop core, put together: the relay's file endpoints, staging, the transfer
// engine with its upload speed limit, the file URLs, and the contract calls on top of them.
import type { ContractService, EventSink, FileSettings } from '../../../shared/contract';
import { QixinError, type RequestParams, type RequestResult, type RequestType } from '../../../shared/protocol';
import type { LocalCache } from '../cache/local-cache';
import { createLogger } from '../log';
import type { Outbox } from '../outbox/outbox';
import { downloadDir, fileCalls } from './file-calls';
import { FileRelay } from './file-relay';
import { DEFAULT_STAGE_LIMIT, FileRoutes, finishedFile, type FileRouteSource } from './file-routes';
import type { FileShell } from './file-shell';
import { Staging } from './staging';
import { UploadThrottle } from './throttle';
import { Transfers } from './transfers';
import { NodeHttpStack, ThrottledFileReader } from './tus-io';

const log = createLogger('core.files');

export type CoreFilesOptions = {
  dataDir: string;
  relayUrl: string;
  mode: 'electron' | 'browser';
  cache: LocalCache;
  outbox: Outbox;
  shell: FileShell | null;
  emit: EventSink;
  token(): string | null;
  settings(): FileSettings;
  requireSession(): { user: { id: string } };
  ask<T extends RequestType>(type: T, params: RequestParams<T>): Promise<RequestResult<T>>;
};

export class CoreFiles {
  readonly routes: FileRouteSource;
  readonly calls: Pick<ContractService, Extract<keyof ContractService, `files.${string}` | `drive.${string}`>>;
  private readonly transfers: Transfers;
  private readonly staging: Staging;

  constructor(private readonly options: CoreFilesOptions) {
    const { cache, emit } = options;
    const relay = new FileRelay(options.relayUrl, options.token);
    this.staging = new Staging(options.dataDir);
    const throttle = new UploadThrottle(() => options.settings().maxUploadBytesPerSec);
    const changed = (conversationId: string | null) => {
      if (!conversationId) return;
      emit('messages.changed', { conversationId });
      emit('conversations.changed', {});
    };
    this.transfers = new Transfers(
      cache,
      {
        relay,
        reader: new ThrottledFileReader(throttle),
        http: new NodeHttpStack(),
        onFileChanged: (row) => {
          const message = row.messageId ? cache.read.outboxRow(row.messageId) : null;
          if (!message || message.send.body?.kind !== 'file') return;
          cache.write.updateOutboxSend(message.id, {
            ...message.send,
            body: { ...message.send.body, sha256: row.sha256 ?? '', mediaId: row.mediaId },
          });
        },
      },
      { relay, downloadDir: () => downloadDir(options.settings()) },
      emit,
      {
        onUploadDone: (row) => {
          if (row.messageId) options.outbox.release(row.messageId);
          if (row.stagedId) void this.staging.remove(row.stagedId);
        },
        onUploadFailed: (row, error) => {
          cache.write.failOutbox(row.messageId!, error);
          changed(row.conversationId);
        },
        onUploadCancelled: (row) => {
          cache.write.deleteOutbox(row.messageId!);
          if (row.stagedId) void this.staging.remove(row.stagedId);
          changed(row.conversationId);
        },
        onUploadRetry: (row) => {
          // Its message was discarded (messages.discard): nothing is waiting for these bytes.
          if (!cache.read.outboxRow(row.messageId!)) throw new QixinError('conflict', 'the message was discarded');
          cache.write.unfailOutbox(row.messageId!);
          changed(row.conversationId);
        },
      },
    );
    let driveLimit = DEFAULT_STAGE_LIMIT;
    const routes = new FileRoutes({
      mode: options.mode,
      relay,
      staging: this.staging,
      transfers: this.transfers,
      stageLimit: async () => {
        driveLimit = await relay.limits().then(
          (l) => l.driveFileMaxBytes,
          () => driveLimit,
        );
        return driveLimit;
      },
      signedIn: () => options.token() !== null,
    });
    this.routes = routes;
    this.calls = fileCalls({
      cache,
      transfers: this.transfers,
      relay,
      staging: this.staging,
      routes,
      shell: options.shell,
      emit,
      settings: options.settings,
      requireSession: options.requireSession,
      ask: options.ask,
    });
  }

  /** A user's session began (or the core started signed in): their transfers carry on. */
  start(userId: string): void {
    this.transfers.start(userId);
    void this.staging
      .sweep(this.options.cache.transfers.stagedInUse())
      .catch((err: Error) => log.warn({ err: err.message }, 'staging sweep failed'));
  }

  /** The relay is back: transfers that failed for want of it go on. */
  online(): void {
    this.transfers.online();
  }

  stop(): void {
    this.transfers.stop();
  }

  /** Electron: drags a finished download out of the window that asked (`origin`: its webContents). */
  async startDrag(transferId: string, origin: unknown): Promise<void> {
    this.options.requireSession();
    const file = finishedFile(this.transfers.get(transferId));
    if (!this.options.shell) throw new Error('no desktop shell');
    await this.options.shell.startDrag(file, origin);
  }
}
