// What each row action does: a call to the relay (through the core), its refusal said in the
// UI's words, and the list reloaded after a change. Dialog-backed actions only open their dialog.
import { useMemo, useState } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DriveNode } from '../../../shared/protocol/files';
import { useQixin } from '../../bridge/context';
import { useTransferActions } from '../chat/files/useTransferActions';
import { errorText } from '../session/errors';
import type { Place } from './places';
import type { NodeAction } from './RowActions';

export type DriveDialog =
  | { kind: 'newFolder'; parentId: string }
  | { kind: 'newSpace' }
  | { kind: 'rename' | 'move' | 'copy' | 'grants' | 'log' | 'send' | 'preview'; node: DriveNode };

export function useDriveActions(props: { setPlace: (place: Place) => void; changed: () => void }) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message, modal } = App.useApp();
  const transfers = useTransferActions();
  const [dialog, setDialog] = useState<DriveDialog | null>(null);
  const { setPlace, changed } = props;

  const run = useMemo(() => {
    const said = async (work: () => Promise<unknown>, done?: string) => {
      try {
        await work();
        if (done) message.success(done);
        changed();
      } catch (err) {
        message.error(errorText(t, err));
      }
    };
    return (node: DriveNode, action: NodeAction) => {
      switch (action) {
        case 'open':
          if (node.type === 'folder') setPlace({ kind: 'folder', folderId: node.id });
          else setDialog({ kind: 'preview', node });
          return;
        case 'download':
          void transfers.download({ nodeId: node.id }).then((started) => {
            if (started) message.info(t('drive.downloadStarted', { name: node.name }));
          });
          return;
        case 'star':
          void said(() => qixin.call('drive.star', { nodeId: node.id, starred: !node.starred }));
          return;
        case 'trash':
          modal.confirm({
            title: t('drive.trashConfirm', { name: node.name }),
            content: t('drive.trashHint'),
            okText: t('drive.action.trash'),
            okButtonProps: { danger: true },
            cancelText: t('common.cancel'),
            onOk: () => said(() => qixin.call('drive.trash', { nodeIds: [node.id] }), t('drive.trashed')),
          });
          return;
        case 'restore':
          void said(() => qixin.call('drive.restore', { nodeIds: [node.id] }), t('drive.restored'));
          return;
        case 'purge':
          void said(() => qixin.call('drive.purge', { nodeIds: [node.id] }), t('drive.purged'));
          return;
        case 'preview':
        case 'rename':
        case 'move':
        case 'copy':
        case 'grants':
        case 'log':
        case 'send':
          setDialog({ kind: action, node });
          return;
      }
    };
  }, [qixin, message, modal, t, transfers, setPlace, changed]);

  return { run, dialog, setDialog };
}
