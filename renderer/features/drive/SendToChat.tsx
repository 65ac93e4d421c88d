import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DriveNode } from '../../../shared/protocol/files';
import { useQixin } from '../../bridge/context';
import { ForwardPicker, type ForwardTarget } from '../chat/messages/ForwardPicker';
import { errorText } from '../session/errors';

/**
 * 发送到聊天: the file goes into each picked chat as a link (a file message naming the drive item,
 * no copy of the bytes). Whoever opens it gets only what their own level on the item allows.
 */
export function SendToChat(props: { node: DriveNode; onClose: () => void }) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const { node } = props;

  const send = async (targets: ForwardTarget[]) => {
    try {
      for (const target of targets) {
        const conversationId =
          target.type === 'user'
            ? (await qixin.call('conversations.openDirect', { userId: target.id })).conversation.id
            : target.id;
        await qixin.call('messages.send', {
          conversationId,
          kind: 'file',
          body: {
            kind: 'file',
            mediaId: null,
            driveNodeId: node.id,
            name: node.name,
            size: node.size,
            mime: node.mime ?? 'application/octet-stream',
            sha256: node.sha256 ?? '',
            expiresAt: null,
          },
        });
      }
      message.success(t('drive.sent'));
      props.onClose();
    } catch (err) {
      message.error(errorText(t, err));
    }
  };

  return <ForwardPicker open title={t('drive.sendTitle', { name: node.name })} onCancel={props.onClose} onOk={send} />;
}
