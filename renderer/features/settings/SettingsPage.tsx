import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Form, Input, List, Popconfirm, Tag } from 'antd';
import { DesktopOutlined, LogoutOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Device } from '../../../shared/protocol/entities';
import { useQixin } from '../../bridge/context';
import { useMe, useSession } from '../session/context';
import { errorText } from '../session/errors';
import { formatDividerTime } from '../chat/format';
import { Avatar } from '../shell/Avatar';
import { LanguageSwitch } from './LanguageSwitch';
import { FileSettingsCard } from './FileSettingsCard';
import { NotificationSettingsCard } from './NotificationSettingsCard';
import { confirmPasswordRules, newPasswordRules } from '../../ui/passwordRules';

type PasswordForm = { oldPassword: string; newPassword: string; confirm: string };

/** 设置: language, notifications, files (download folder, upload limit), password, signed-in devices, sign out. */
export function SettingsPage() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const { session, setSession } = useSession();
  const { message } = App.useApp();

  const signOut = async () => {
    try {
      setSession(await qixin.call('session.signOut', {}));
    } catch (err) {
      message.error(errorText(t, err));
    }
  };

  return (
    <div className="settings-page">
      <div className="settings-inner">
        <h1 className="settings-heading">{t('shell.settings')}</h1>
        <Card className="settings-card">
          <div className="settings-account">
            <Avatar id={me.id} name={me.name} size={48} />
            <div className="settings-account-text">
              <div className="settings-account-name">{me.name}</div>
              <div className="settings-account-meta">
                {me.account} · {session.enterprise?.name}
              </div>
            </div>
            <Popconfirm title={t('settings.signOutConfirm')} onConfirm={() => void signOut()}>
              <Button icon={<LogoutOutlined />}>{t('settings.signOut')}</Button>
            </Popconfirm>
          </div>
        </Card>
        <Card className="settings-card" title={t('settings.language')}>
          <LanguageSwitch />
        </Card>
        <NotificationSettingsCard />
        <FileSettingsCard />
        <Card className="settings-card" title={t('settings.changePassword')}>
          <ChangePasswordForm />
        </Card>
        <Card className="settings-card" title={t('settings.devices')}>
          <DeviceList />
        </Card>
      </div>
    </div>
  );
}

function ChangePasswordForm() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordForm>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: PasswordForm) => {
    setBusy(true);
    try {
      await qixin.call('session.changePassword', { oldPassword: values.oldPassword, newPassword: values.newPassword });
      message.success(t('settings.passwordChanged'));
      form.resetFields();
    } catch (err) {
      message.error(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} className="password-form" requiredMark={false}>
      <Form.Item
        name="oldPassword"
        label={t('settings.oldPassword')}
        rules={[{ required: true, message: t('validation.passwordRequired') }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="newPassword" label={t('settings.newPassword')} rules={newPasswordRules(t)}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('settings.confirmPassword')}
        dependencies={['newPassword']}
        rules={confirmPasswordRules(t, 'newPassword')}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        {t('settings.savePassword')}
      </Button>
    </Form>
  );
}

function DeviceList() {
  const { t, i18n } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const [devices, setDevices] = useState<Device[] | null>(null);

  const load = useCallback(async () => {
    try {
      setDevices((await qixin.call('session.devices', {})).devices);
    } catch (err) {
      setDevices([]);
      message.error(errorText(t, err));
    }
  }, [qixin, message, t]);

  useEffect(() => {
    let alive = true;
    qixin
      .call('session.devices', {})
      .then((r) => alive && setDevices(r.devices))
      .catch(() => alive && setDevices([]));
    return () => {
      alive = false;
    };
  }, [qixin]);

  const revoke = async (device: Device) => {
    try {
      await qixin.call('session.revokeDevice', { deviceId: device.id });
      message.success(t('settings.revoked', { name: device.name }));
      await load();
    } catch (err) {
      message.error(errorText(t, err));
    }
  };

  return (
    <List<Device>
      loading={devices === null}
      dataSource={devices ?? []}
      locale={{ emptyText: t('settings.noDevices') }}
      renderItem={(device) => (
        <List.Item
          data-testid="device-item"
          actions={
            device.current
              ? [
                  <Tag key="current" color="blue">
                    {t('settings.thisDevice')}
                  </Tag>,
                ]
              : [
                  <Popconfirm
                    key="revoke"
                    title={t('settings.revokeConfirm', { name: device.name })}
                    onConfirm={() => void revoke(device)}
                  >
                    <Button size="small" danger>
                      {t('settings.revoke')}
                    </Button>
                  </Popconfirm>,
                ]
          }
        >
          <List.Item.Meta
            avatar={<DesktopOutlined className="device-icon" />}
            title={device.name}
            description={t('settings.lastSeen', { time: formatDividerTime(device.lastSeenAt, i18n.language) })}
          />
        </List.Item>
      )}
    />
  );
}
