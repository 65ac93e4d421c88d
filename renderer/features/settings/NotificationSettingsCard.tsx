import { App, Card, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NotificationSettings } from '../../../shared/contract';
import { errorText } from '../session/errors';
import { useNotificationSettings } from './useNotificationSettings';
import './notifications.css';

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** 新消息通知: on/off, previews (privacy), and 勿扰模式 with its daily window. */
export function NotificationSettingsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { settings, update } = useNotificationSettings();

  const save = async (patch: Partial<NotificationSettings>) => {
    try {
      await update(patch);
    } catch (err) {
      message.error(errorText(t, err));
    }
  };
  const setTime = (which: 'start' | 'end', value: string) => {
    if (!settings || !TIME.test(value) || value === settings.dnd[which]) return;
    void save({ dnd: { ...settings.dnd, [which]: value } });
  };

  return (
    <Card className="settings-card" title={t('notify.title')} loading={settings === null}>
      {settings ? (
        <div className="notify-settings" data-testid="notification-settings">
          <label className="settings-switch">
            <span>{t('notify.enabled')}</span>
            <Switch
              checked={settings.enabled}
              aria-label={t('notify.enabled')}
              onChange={(enabled) => void save({ enabled })}
            />
          </label>
          <label className="settings-switch">
            <span>
              {t('notify.showPreview')}
              <span className="notify-hint">{t('notify.showPreviewHint')}</span>
            </span>
            <Switch
              checked={settings.showPreview}
              disabled={!settings.enabled}
              aria-label={t('notify.showPreview')}
              onChange={(showPreview) => void save({ showPreview })}
            />
          </label>
          <label className="settings-switch">
            <span>
              {t('notify.dnd')}
              <span className="notify-hint">{t('notify.dndHint')}</span>
            </span>
            <Switch
              checked={settings.dnd.enabled}
              aria-label={t('notify.dnd')}
              onChange={(enabled) => void save({ dnd: { ...settings.dnd, enabled } })}
            />
          </label>
          {settings.dnd.enabled ? (
            <div className="notify-dnd-window">
              <label>
                {t('notify.dndStart')}
                {/* A native time field: 24-hour HH:mm, keyboard friendly, no date library needed. */}
                <input
                  type="time"
                  className="notify-time"
                  aria-label={t('notify.dndStart')}
                  defaultValue={settings.dnd.start}
                  onBlur={(e) => setTime('start', e.target.value)}
                  onChange={(e) => setTime('start', e.target.value)}
                />
              </label>
              <span className="notify-dnd-dash">—</span>
              <label>
                {t('notify.dndEnd')}
                <input
                  type="time"
                  className="notify-time"
                  aria-label={t('notify.dndEnd')}
                  defaultValue={settings.dnd.end}
                  onBlur={(e) => setTime('end', e.target.value)}
                  onChange={(e) => setTime('end', e.target.value)}
                />
              </label>
              {settings.dnd.end <= settings.dnd.start ? (
                <span className="notify-hint">{t('notify.dndOvernight')}</span>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
