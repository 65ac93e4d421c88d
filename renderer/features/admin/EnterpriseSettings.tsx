import { useState } from 'react';
import { App, Button, Card, InputNumber, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { MessagingLimits } from '../../../shared/protocol/message-content';
import { useQixin } from '../../bridge/context';
import { useSession } from '../session/context';
import { adminErrorText } from './errors';

const MIN = MessagingLimits.groupMaxMembersDefault;
const MAX = MessagingLimits.groupMaxMembersCeiling;

/** 企业设置 (super admins): the member limit of groups, 500 by default, up to 2,000. */
export function EnterpriseSettings() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const { session, refreshSession } = useSession();
  const current = session.enterprise?.groupMaxMembers ?? MIN;
  const [value, setValue] = useState<number | null>(current);
  const [busy, setBusy] = useState(false);
  const valid = value !== null && Number.isInteger(value) && value >= MIN && value <= MAX;

  const save = async () => {
    if (!valid) return;
    setBusy(true);
    try {
      const { enterprise } = await qixin.call('admin.enterprise.update', { groupMaxMembers: value });
      setValue(enterprise.groupMaxMembers);
      message.success(t('group.limit.saved', { max: enterprise.groupMaxMembers }));
      await refreshSession();
    } catch (err) {
      message.error(adminErrorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="admin-page">
      <Card title={t('group.limit.setting')} className="settings-card">
        <p className="admin-hint">{t('group.limit.settingHint', { min: MIN, max: MAX })}</p>
        <Space>
          <InputNumber
            min={MIN}
            max={MAX}
            step={100}
            precision={0}
            value={value}
            onChange={(v) => setValue(v)}
            aria-label={t('group.limit.setting')}
            status={valid ? undefined : 'error'}
          />
          <Button type="primary" loading={busy} disabled={!valid || value === current} onClick={() => void save()}>
            {t('common.save')}
          </Button>
        </Space>
      </Card>
    </div>
  );
}
