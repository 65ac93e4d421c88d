import { useMemo } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Transfer } from '../../../../shared/contract';
import { useQixin } from '../../../bridge/context';
import { useTransferStore } from '../../transfers/store';
import { errorText } from '../../session/errors';

/** What to download: a chat file by its message, or a drive file by its node. */
export type DownloadTarget = { conversationId: string; messageId: string } | { nodeId: string };

/** The buttons of a file card and of 传输列表: each a contract call, a refusal said in words; progress comes back as `files.transfer`. */
export function useTransferActions() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const store = useTransferStore();
  const { message } = App.useApp();
  return useMemo(() => {
    const said = async <T>(work: () => Promise<T>): Promise<T | null> => {
      try {
        return await work();
      } catch (err) {
        message.error(errorText(t, err));
        return null;
      }
    };
    const ref = (transfer: Transfer) => ({ transferId: transfer.id });
    return {
      pause: (transfer: Transfer) => said(() => qixin.call('files.pause', ref(transfer))),
      resume: (transfer: Transfer) => said(() => qixin.call('files.resume', ref(transfer))),
      cancel: (transfer: Transfer) => said(() => qixin.call('files.cancel', ref(transfer))),
      retry: (transfer: Transfer) => said(() => qixin.call('files.retry', ref(transfer))),
      open: (transfer: Transfer) => said(() => qixin.call('files.open', ref(transfer))),
      reveal: (transfer: Transfer) => said(() => qixin.call('files.reveal', ref(transfer))),
      startDrag: (transfer: Transfer) => said(() => qixin.call('files.startDrag', ref(transfer))),
      saveAs: (transfer: Transfer) =>
        said(async () => {
          const { path } = await qixin.call('files.saveAs', ref(transfer));
          if (path) message.success(t('files.savedAs', { path }));
        }),
      /** Starts (or resumes) a download; its first state is in the store at once. Null when refused. */
      download: (target: DownloadTarget) =>
        said(async () => {
          const { transfer } = await qixin.call('files.download', target);
          store.put([transfer]);
          return transfer;
        }),
    };
  }, [qixin, store, message, t]);
}
