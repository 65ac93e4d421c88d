import { useCallback } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../../shared/contract';
import { useQixin } from '../../../bridge/context';
import { errorText } from '../../session/errors';

/** A chat file (not a drive link, not expired) that can be kept in the drive past the chat's retention. */
export function canSaveToDrive(message: ChatMessage, now = Date.now()): boolean {
  const body = message.body;
  if (body?.kind !== 'file' || body.mediaId === null || message.seq === null) return false;
  return body.expiresAt === null || body.expiresAt > now;
}

/**
 * 保存到微盘: the chat file goes into the root of the person's own space (我的文件) without copying
 * its bytes; the relay checks the chat and the quota.
 */
export function useSaveToDrive() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message: toast } = App.useApp();
  return useCallback(
    async (message: ChatMessage) => {
      try {
        const { spaces } = await qixin.call('drive.spaces', {});
        const personal = spaces.find((s) => s.kind === 'personal');
        if (!personal) throw Object.assign(new Error('no personal space'), { code: 'not_found' });
        await qixin.call('drive.saveFromChat', {
          conversationId: message.conversationId,
          messageId: message.id,
          folderId: personal.rootId,
        });
        toast.success(t('files.savedToDrive'));
      } catch (err) {
        toast.error(t('files.saveToDriveFailed', { reason: errorText(t, err) }));
      }
    },
    [qixin, toast, t],
  );
}
