import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DriveNode, DriveSpace } from '../../../shared/protocol/files';
import { useQixin } from '../../bridge/context';
import { AccessLogDrawer } from './AccessLogDrawer';
import { FolderPicker } from './FolderPicker';
import { GrantsDialog } from './GrantsDialog';
import { NameDialog } from './NameDialog';
import { PreviewModal } from './PreviewModal';
import { SendToChat } from './SendToChat';
import type { DriveDialog } from './useDriveActions';

/** The open dialog of the drive page, if any; `changed` reloads the list (and usage) after a change. */
export function DriveDialogs(props: {
  dialog: DriveDialog | null;
  spaces: DriveSpace[];
  onClose: () => void;
  changed: () => void;
  onDownload: (node: DriveNode) => void;
  onSpaceCreated: (space: DriveSpace) => void;
}) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const { dialog, onClose, changed } = props;
  if (!dialog) return null;

  switch (dialog.kind) {
    case 'newFolder':
      return (
        <NameDialog
          title={t('drive.newFolder')}
          label={t('drive.folderName')}
          initial={t('drive.defaultFolderName')}
          onCancel={onClose}
          onSubmit={async (name) => {
            await qixin.call('drive.createFolder', { parentId: dialog.parentId, name });
            onClose();
            changed();
          }}
        />
      );
    case 'newSpace':
      return (
        <NameDialog
          title={t('drive.newSpace')}
          label={t('drive.spaceName')}
          initial=""
          onCancel={onClose}
          onSubmit={async (name) => {
            const { space } = await qixin.call('drive.createSpace', { name });
            onClose();
            props.onSpaceCreated(space);
          }}
        />
      );
    case 'rename':
      return (
        <NameDialog
          title={t('drive.action.rename')}
          label={t('drive.newName')}
          initial={dialog.node.name}
          onCancel={onClose}
          onSubmit={async (name) => {
            if (name !== dialog.node.name) await qixin.call('drive.rename', { nodeId: dialog.node.id, name });
            onClose();
            changed();
          }}
        />
      );
    case 'move':
    case 'copy': {
      const move = dialog.kind === 'move';
      return (
        <FolderPicker
          title={t(move ? 'drive.moveTitle' : 'drive.copyTitle', { name: dialog.node.name })}
          okText={t(move ? 'drive.moveHere' : 'drive.copyHere')}
          spaces={props.spaces}
          moving={[dialog.node]}
          onCancel={onClose}
          onPick={async (folder) => {
            const args = { nodeIds: [dialog.node.id], folderId: folder.id };
            await (move ? qixin.call('drive.move', args) : qixin.call('drive.copy', args));
            message.success(t(move ? 'drive.moved' : 'drive.copied'));
            onClose();
            changed();
          }}
        />
      );
    }
    case 'grants':
      return <GrantsDialog node={dialog.node} onClose={onClose} onChanged={changed} />;
    case 'log':
      return <AccessLogDrawer node={dialog.node} onClose={onClose} />;
    case 'send':
      return <SendToChat node={dialog.node} onClose={onClose} />;
    case 'preview':
      return <PreviewModal node={dialog.node} onClose={onClose} onDownload={props.onDownload} />;
  }
}
