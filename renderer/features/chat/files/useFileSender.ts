import { useRef, useState } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChatMessage, FileSource } from '../../../../shared/contract';
import { usePathForFile, useQixin } from '../../../bridge/context';
import { useTransferStore } from '../../transfers/store';
import { errorText } from '../../session/errors';
import { walkFolder, type DroppedFolder } from './dropped';
import { stageFile } from './stage';

/** `files.send` takes at most this many sources at once. */
const SEND_BATCH = 500;

/** Browser mode: a file being handed to the local core before it can be sent. */
export type Staging = { name: string; percent: number };

/**
 * Sends files and folders into a chat as file messages. Electron hands the core paths on disk;
 * browser mode first streams each file to the core (`files.stageUrl`). Each file's card appears
 * as soon as `files.send` answers, and its upload runs in the core from there (never blocking chat).
 */
export function useFileSender(conversationId: string, onSent: (message: ChatMessage) => void) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const pathForFile = usePathForFile();
  const store = useTransferStore();
  const { message } = App.useApp();
  const [staging, setStaging] = useState<Staging | null>(null);
  // One send after another, so a second drop does not interleave with the first.
  const queue = useRef<Promise<void>>(Promise.resolve());

  const sendSources = async (sources: FileSource[]) => {
    for (let i = 0; i < sources.length; i += SEND_BATCH) {
      const result = await qixin.call('files.send', { conversationId, sources: sources.slice(i, i + SEND_BATCH) });
      store.put(result.transfers);
      for (const sent of result.messages) onSent(sent);
    }
  };

  /** Browser mode: stage and send one by one, so the first cards show while later files are read. */
  const stageAndSend = async (files: readonly File[]) => {
    const { url } = await qixin.call('files.stageUrl', {});
    if (!url) throw Object.assign(new Error('no stage url'), { code: 'unavailable' });
    for (const file of files) {
      try {
        setStaging({ name: file.name, percent: 0 });
        const stagedId = await stageFile(url, file, (sent) =>
          setStaging({ name: file.name, percent: file.size > 0 ? Math.floor((sent / file.size) * 100) : 100 }),
        );
        await sendSources([{ type: 'staged', stagedId }]);
      } catch (err) {
        message.error(t('files.sendFailed', { name: file.name, reason: errorText(t, err) }));
      } finally {
        setStaging(null);
      }
    }
  };

  const pathsOf = (files: readonly File[]): FileSource[] | null => {
    if (!pathForFile) return null;
    const paths = files.map((f) => pathForFile(f));
    return paths.every((p) => p.length > 0) ? paths.map((path) => ({ type: 'path', path })) : null;
  };

  const sendNow = async (files: readonly File[]) => {
    if (files.length === 0) return;
    const paths = pathsOf(files);
    if (paths) await sendSources(paths);
    else await stageAndSend(files);
  };

  const enqueue = (work: () => Promise<void>) => {
    queue.current = queue.current.then(work).catch((err: unknown) => {
      message.error(t('files.sendFailedAll', { reason: errorText(t, err) }));
    });
    return queue.current;
  };

  /** Files dropped or picked (each becomes one file message). */
  const sendFiles = (files: readonly File[]) => enqueue(() => sendNow(files));

  /** Dropped folders: every file inside, sub-folders included. */
  const sendFolders = (folders: readonly DroppedFolder[]) =>
    enqueue(async () => {
      for (const folder of folders) {
        // Electron: the core walks the folder itself from its path.
        const paths = folder.file ? pathsOf([folder.file]) : null;
        if (paths) {
          await sendSources(paths);
          continue;
        }
        const files = await walkFolder(folder.entry);
        if (files.length === 0) message.info(t('files.emptyFolder', { name: folder.entry.name }));
        await sendNow(files);
      }
    });

  return { staging, sendFiles, sendFolders };
}
