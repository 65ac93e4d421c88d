// The files.* and drive.* calls of the contract. Transfers run in the core (transfers.ts); a chat
// file is a message in the outbox from the moment it is chosen, held there until its upload is
// done; tree operations of the drive go to the relay as they are.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallName, ChatMessage, ContractService, EventSink, FileSettings } from '../../../shared/contract';
import { newId } from '../../../shared/lib/ids';
import {
  FileLimits,
  QixinError,
  type FileBody,
  type FileLimitsView,
  type RequestParams,
  type RequestResult,
  type RequestType,
  type SendFields,
} from '../../../shared/protocol';
import type { LocalCache } from '../cache/local-cache';
import { createLogger } from '../log';
import { pendingMessage } from '../messages/chat-message';
import type { FileRelay } from './file-relay';
import { finishedFile, type FileRoutes } from './file-routes';
import type { FileShell } from './file-shell';
import { expandSources, type LocalFile } from './file-sources';
import { mimeOf } from './mime';
import type { Staging } from './staging';
import { newTransferRow, type TransferRow } from './transfer-row';
import type { Transfers } from './transfers';

const log = createLogger('core.files');

type FileCallName = Extract<CallName, `files.${string}` | `drive.${string}`>;

export type FileCallDeps = {
  cache: LocalCache;
  transfers: Transfers;
  relay: FileRelay;
  staging: Staging;
  routes: FileRoutes;
  shell: FileShell | null;
  emit: EventSink;
  settings(): FileSettings;
  requireSession(): { user: { id: string } };
  ask<T extends RequestType>(type: T, params: RequestParams<T>): Promise<RequestResult<T>>;
};

/** Where downloads go: the chosen folder, else Downloads/Qixin in the user's home. */
export function downloadDir(settings: FileSettings): string {
  return settings.downloadDir ?? path.join(os.homedir(), 'Downloads', 'Qixin');
}

function sameSize(file: string | null, size: number): boolean {
  if (!file) return false;
  try {
    return fs.statSync(file).size === size;
  } catch {
    return false;
  }
}

const DRIVE_RELAYED = [
  'drive.spaces',
  'drive.createSpace',
  'drive.list',
  'drive.get',
  'drive.createFolder',
  'drive.rename',
  'drive.move',
  'drive.copy',
  'drive.trash',
  'drive.trashList',
  'drive.restore',
  'drive.purge',
  'drive.star',
  'drive.starred',
  'drive.sharedWithMe',
  'drive.recent',
  'drive.grants',
  'drive.setGrants',
  'drive.setNoForward',
  'drive.accessLog',
  'drive.saveFromChat',
  'drive.usage',
] as const satisfies readonly (FileCallName & RequestType)[];

export function fileCalls(deps: FileCallDeps): Pick<ContractService, FileCallName> {
  const { cache, transfers } = deps;
  let limits: FileLimitsView | null = null;

  /** The relay's limits (asked once per launch; the defaults while it cannot be asked). */
  const currentLimits = async (): Promise<FileLimitsView> => {
    if (limits) return limits;
    try {
      limits = await deps.relay.limits();
      return limits;
    } catch (err) {
      log.debug({ err: (err as Error).message }, 'file limits from the defaults');
      return {
        chatFileMaxBytes: FileLimits.chatFileMaxBytes,
        driveFileMaxBytes: FileLimits.driveFileMaxBytes,
        chatRetentionDays: FileLimits.chatRetentionDays,
      };
    }
  };

  const checkSizes = (files: LocalFile[], max: number) => {
    const over = files.find((f) => f.size > max);
    if (over) {
      throw new QixinError(
        'too_large',
        `${over.name} is larger than the relay allows (${Math.floor(max / 1024 / 1024)} MB)`,
        'file_too_large',
      );
    }
  };

  const changed = (conversationId: string) => {
    deps.emit('messages.changed', { conversationId });
    deps.emit('conversations.changed', {});
  };

  /** pause, resume, cancel, retry: one transfer, signed in, nothing to answer. */
  const onTransfer =
    (act: (transferId: string) => unknown) =>
    async ({ transferId }: { transferId: string }) => {
      deps.requireSession();
      await act(transferId);
      return {};
    };

  const finished = (transferId: string): { row: TransferRow; file: string } => {
    deps.requireSession();
    const row = transfers.get(transferId);
    return { row, file: finishedFile(row) };
  };

  const shell = (): FileShell => {
    if (!deps.shell) {
      throw new QixinError('unavailable', 'only the desktop app can do this; in the browser, use files.localUrl');
    }
    return deps.shell;
  };

  const relayed = Object.fromEntries(
    DRIVE_RELAYED.map((type) => [
      type,
      async (args: never) => {
        deps.requireSession();
        return deps.ask(type, args);
      },
    ]),
  ) as unknown as Pick<ContractService, (typeof DRIVE_RELAYED)[number]>;

  /** The drive folder for a file's sub-folders under `root`, made where missing. */
  const folderFor = async (root: string, names: string[], made: Map<string, string>): Promise<string> => {
    let parent = root;
    for (let i = 0; i < names.length; i++) {
      const key = `${root}/${names.slice(0, i + 1).join('/')}`;
      const known = made.get(key);
      if (known) {
        parent = known;
        continue;
      }
      const name = names[i]!;
      const { children } = await deps.ask('drive.list', { folderId: parent });
      const existing = children.find((c) => c.type === 'folder' && c.name === name);
      parent = existing ? existing.id : (await deps.ask('drive.createFolder', { parentId: parent, name })).node.id;
      made.set(key, parent);
    }
    return parent;
  };

  return {
    ...relayed,

    'files.limits': async () => {
      deps.requireSession();
      limits = null;
      return currentLimits();
    },
    'files.stageUrl': async () => ({ url: deps.routes.stageUrl() }),

    'files.send': async ({ conversationId, sources }) => {
      const { user } = deps.requireSession();
      const c = cache.read.conversation(conversationId);
      if (!c) throw new QixinError('not_found', 'no such conversation');
      if (!c.active)
        throw new QixinError('forbidden', 'you are no longer a member of this conversation', 'not_a_member');
      if (c.dissolved) throw new QixinError('forbidden', 'the group was dissolved', 'group_dissolved');
      const files = await expandSources(sources, deps.staging);
      if (files.length === 0) throw new QixinError('invalid', 'the folder holds no files');
      checkSizes(files, (await currentLimits()).chatFileMaxBytes);

      const messages: ChatMessage[] = [];
      const added: TransferRow[] = [];
      const now = Date.now();
      cache.transaction(() => {
        files.forEach((file, i) => {
          const mediaId = newId();
          const mime = mimeOf(file.name);
          const body: FileBody = {
            kind: 'file',
            mediaId,
            driveNodeId: null,
            name: file.name,
            size: file.size,
            mime,
            sha256: '',
            expiresAt: null,
          };
          const send: SendFields = {
            conversationId,
            kind: 'file',
            text: '',
            body,
            quoteId: null,
            mentions: [],
            mentionAll: false,
            forward: null,
          };
          // The message first, then its upload: the outbox holds it until the transfer is done.
          const message = cache.write.enqueue({ id: newId(), send, createdAt: now + i });
          const row = newTransferRow({
            id: newId(),
            userId: user.id,
            direction: 'upload',
            state: 'queued',
            name: file.name,
            size: file.size,
            mime,
            conversationId,
            messageId: message.id,
            mediaId,
            sourcePath: file.path,
            stagedId: file.stagedId,
            createdAt: now + i,
            updatedAt: now + i,
          });
          cache.transfers.insert(row);
          messages.push(pendingMessage(message, user.id, (id) => cache.read.message(id)));
          added.push(row);
        });
      });
      changed(conversationId);
      for (const row of added) transfers.added(row);
      return { messages, transfers: added.map((r) => transfers.view(r)) };
    },

    'files.uploadToDrive': async ({ folderId, sources }) => {
      const { user } = deps.requireSession();
      const files = await expandSources(sources, deps.staging);
      if (files.length === 0) throw new QixinError('invalid', 'the folder holds no files');
      checkSizes(files, (await currentLimits()).driveFileMaxBytes);
      const made = new Map<string, string>();
      const added: TransferRow[] = [];
      const now = Date.now();
      for (const [i, file] of files.entries()) {
        const target = await folderFor(folderId, file.folders, made);
        const row = newTransferRow({
          id: newId(),
          userId: user.id,
          direction: 'upload',
          state: 'queued',
          name: file.name,
          size: file.size,
          mime: mimeOf(file.name),
          nodeId: newId(),
          folderId: target,
          sourcePath: file.path,
          stagedId: file.stagedId,
          createdAt: now + i,
          updatedAt: now + i,
        });
        cache.transfers.insert(row);
        added.push(row);
      }
      for (const row of added) transfers.added(row);
      return { transfers: added.map((r) => transfers.view(r)) };
    },

    'files.download': async (args) => {
      const { user } = deps.requireSession();
      let fields: Partial<TransferRow> & Pick<TransferRow, 'name' | 'size' | 'mime'>;
      if ('messageId' in args) {
        const m = cache.read.message(args.messageId);
        if (!m || m.conversationId !== args.conversationId) throw new QixinError('not_found', 'no such message');
        const body = m.body;
        if (body?.kind !== 'file') throw new QixinError('invalid', 'not a file message');
        const common = { name: body.name, size: body.size, mime: body.mime, sha256: body.sha256 || null };
        const at = { conversationId: m.conversationId, messageId: m.id };
        if (body.mediaId) fields = { ...common, ...at, mediaId: body.mediaId };
        else if (body.driveNodeId) fields = { ...common, ...at, nodeId: body.driveNodeId };
        else throw new QixinError('invalid', 'the message names no file');
      } else {
        const { node } = await deps.ask('drive.get', { nodeId: args.nodeId });
        if (node.type !== 'file') throw new QixinError('invalid', 'a folder cannot be downloaded as one file');
        fields = {
          name: node.name,
          size: node.size,
          mime: node.mime ?? mimeOf(node.name),
          sha256: node.sha256,
          nodeId: node.id,
          folderId: node.parentId,
        };
      }
      const key = fields.mediaId ? { mediaId: fields.mediaId } : { nodeId: fields.nodeId! };
      const existing = cache.transfers.latestDownload(user.id, key);
      if (existing && existing.state !== 'cancelled') {
        // A finished one counts while its file is still there (as downloaded: same size).
        const kept = existing.state !== 'done' || sameSize(existing.localPath, existing.size);
        if (kept) {
          if (existing.state === 'paused') transfers.resume(existing.id);
          if (existing.state === 'failed') transfers.retry(existing.id);
          return { transfer: transfers.view(transfers.get(existing.id)) };
        }
      }
      const row = newTransferRow({
        id: newId(),
        userId: user.id,
        direction: 'download',
        state: 'queued',
        ...fields,
      });
      cache.transfers.insert(row);
      transfers.added(row);
      return { transfer: transfers.view(row) };
    },

    'files.transfers': async () => {
      deps.requireSession();
      return { transfers: transfers.list() };
    },
    'files.pause': onTransfer((id) => transfers.pause(id)),
    'files.resume': onTransfer((id) => transfers.resume(id)),
    'files.cancel': onTransfer((id) => transfers.cancel(id)),
    'files.retry': onTransfer((id) => transfers.retry(id)),

    'files.localUrl': async ({ transferId }) => {
      const { row } = finished(transferId);
      return { url: deps.routes.localUrl(row.id) };
    },
    'files.open': async ({ transferId }) => {
      const { file } = finished(transferId);
      await shell().open(file);
      return {};
    },
    'files.reveal': async ({ transferId }) => {
      const { file } = finished(transferId);
      shell().reveal(file);
      return {};
    },
    'files.saveAs': async ({ transferId }) => {
      const { row, file } = finished(transferId);
      return { path: await shell().saveAs(file, row.name) };
    },
    'files.startDrag': async ({ transferId }) => {
      const { file } = finished(transferId);
      await shell().startDrag(file, null);
      return {};
    },

    'drive.previewUrl': async ({ nodeId }) => {
      deps.requireSession();
      const { node } = await deps.ask('drive.get', { nodeId });
      return { url: deps.routes.previewUrl(node.id), node };
    },
  };
}
