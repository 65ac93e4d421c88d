import { useState } from 'react';
import { Button, Result } from 'antd';
import { DisconnectOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from './AuthLayout';
import { useSession } from './context';

export function RelayUnreachableScreen() {
  const { t } = useTranslation();
  const { refreshSession } = useSession();
  const [busy, setBusy] = useState(false);
  const retry = async () => {
    setBusy(true);
    try {
      await refreshSession();
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthLayout title={t('relayUnreachable.title')}>
      <Result
        icon={<DisconnectOutlined style={{ color: '#faad14' }} />}
        subTitle={t('relayUnreachable.body')}
        extra={
          <Button type="primary" onClick={retry} loading={busy}>
            {t('relayUnreachable.retry')}
          </Button>
        }
      />
    </AuthLayout>
  );
}
