import { useEffect, useState } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQixin, useQixinEvent } from '../../bridge/context';
import { useNotificationSettings } from '../settings/useNotificationSettings';

const PREVIEW_MAX = 80;

/**
 * Electron shows system notifications itself; in browser mode the page shows them. The core
 * already decided whether to notify (mute, @ breaking through, 勿扰, previews); the page only
 * honours the on/off switch and marks an @mention so it stands out and stays longer.
 */
export function useBrowserNotifications(openConversation: (id: string) => void) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { notification } = App.useApp();
  const { settings } = useNotificationSettings();
  const [browserMode, setBrowserMode] = useState(false);
  useEffect(() => {
    let alive = true;
    qixin
      .call('app.info', {})
      .then((info) => alive && setBrowserMode(info.mode === 'browser'))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [qixin]);
  useQixinEvent('notification', (payload) => {
    if (!browserMode || settings?.enabled === false) return;
    const body = payload.body.length > PREVIEW_MAX ? `${payload.body.slice(0, PREVIEW_MAX)}…` : payload.body;
    notification.open({
      key: payload.conversationId,
      title: payload.title,
      description: payload.mention ? (
        <span data-testid="notification-mention">
          {/* The core may already have put the marker in front of the text. */}
          {body.startsWith(t('notify.mentionTag')) ? null : (
            <span className="notify-mention-tag">{t('notify.mentionTag')}</span>
          )}
          {body}
        </span>
      ) : (
        body
      ),
      placement: 'bottomRight',
      duration: payload.mention ? 8 : 4,
      onClick: () => {
        openConversation(payload.conversationId);
        notification.destroy(payload.conversationId);
      },
    });
  });
}
