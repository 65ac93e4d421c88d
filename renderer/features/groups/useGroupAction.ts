import { useCallback } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { useConversations } from '../chat/conversations';
import { errorText } from '../session/errors';

/**
 * Runs a group action: on success the list is refreshed (the relay's change stream follows) and
 * `done` is said; a refusal is said by its reason. Resolves true when the action went through.
 */
export function useGroupAction() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { refresh } = useConversations();
  return useCallback(
    async (work: () => Promise<unknown>, done?: string): Promise<boolean> => {
      try {
        await work();
        refresh();
        if (done) message.success(done);
        return true;
      } catch (err) {
        message.error(errorText(t, err));
        return false;
      }
    },
    [message, refresh, t],
  );
}
