import { useEffect, useState } from 'react';
import { App, Button, Card, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { DEFAULT_FILE_SETTINGS, type FileSettings } from '../../../shared/contract';
import { useQixin, useQixinEvent } from '../../bridge/context';
import { errorText } from '../session/errors';
import './file-settings.css';

const KB = 1024;
const MB = 1024 * 1024;
/** 上传限速 choices (null: 不限速). The contract's floor is 16 KB/s. */
export const UPLOAD_LIMITS: readonly (number | null)[] = [
  null,
  128 * KB,
  256 * KB,
  512 * KB,
  MB,
  2 * MB,
  5 * MB,
  10 * MB,
];

/** 512 KB/s, 2 MB/s: the choices are round numbers, so no decimals. */
function limitLabel(bytesPerSec: number): string {
  return bytesPerSec >= MB ? `${bytesPerSec / MB} MB/s` : `${bytesPerSec / KB} KB/s`;
}

/** 文件: where downloads go (empty: the system's Downloads folder) and 上传限速 for all uploads together. */
export function FileSettingsCard() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const [settings, setSettings] = useState<FileSettings | null>(null);
  const [dir, setDir] = useState('');

  useEffect(() => {
    let alive = true;
    qixin
      .call('settings.get', {})
      .then((s) => {
        if (!alive) return;
        setSettings(s.files);
        setDir(s.files.downloadDir ?? '');
      })
      .catch(() => alive && setSettings(DEFAULT_FILE_SETTINGS));
    return () => {
      alive = false;
    };
  }, [qixin]);
  useQixinEvent('settings.changed', (s) => setSettings(s.files));

  const save = async (patch: Partial<FileSettings>) => {
    try {
      const saved = await qixin.call('settings.set', { files: { ...(settings ?? DEFAULT_FILE_SETTINGS), ...patch } });
      setSettings(saved.files);
      setDir(saved.files.downloadDir ?? '');
      message.success(t('files.settings.saved'));
    } catch (err) {
      message.error(errorText(t, err));
    }
  };

  const trimmed = dir.trim();
  return (
    <Card className="settings-card" title={t('files.settings.title')} loading={settings === null}>
      {settings ? (
        <div className="file-settings" data-testid="file-settings">
          <div className="file-settings-row">
            <span className="file-settings-label">{t('files.settings.downloadDir')}</span>
            <Space.Compact className="file-settings-field">
              <Input
                aria-label={t('files.settings.downloadDir')}
                placeholder={t('files.settings.downloadDirDefault')}
                value={dir}
                onChange={(e) => setDir(e.target.value)}
                onPressEnter={() => void save({ downloadDir: trimmed || null })}
              />
              <Button
                disabled={trimmed === (settings.downloadDir ?? '')}
                onClick={() => void save({ downloadDir: trimmed || null })}
              >
                {t('files.settings.saveDir')}
              </Button>
            </Space.Compact>
          </div>
          <span className="notify-hint">{t('files.settings.downloadDirHint')}</span>
          <div className="file-settings-row">
            <span className="file-settings-label">{t('files.settings.uploadLimit')}</span>
            <Select<number>
              className="file-settings-field"
              aria-label={t('files.settings.uploadLimit')}
              value={settings.maxUploadBytesPerSec ?? 0}
              options={UPLOAD_LIMITS.map((limit) => ({
                value: limit ?? 0,
                label: limit === null ? t('files.settings.noLimit') : limitLabel(limit),
              }))}
              onChange={(value) => void save({ maxUploadBytesPerSec: value === 0 ? null : value })}
            />
          </div>
        </div>
      ) : null}
    </Card>
  );
}
