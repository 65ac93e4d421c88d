import { useState } from 'react';
import { LoadingOutlined, WarningFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ConnectionState } from '../../../shared/contract';
import { useQixinEvent } from '../../bridge/context';

/** A thin bar over the content while the relay is not reachable. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const [state, setState] = useState<ConnectionState>('online');
  useQixinEvent('connection', (payload) => setState(payload.state));
  if (state === 'online') return null;
  return (
    <div className={`connection-banner connection-${state}`} role="status" data-testid="connection-banner">
      {state === 'connecting' ? <LoadingOutlined /> : <WarningFilled />}
      <span>{state === 'connecting' ? t('connection.connecting') : t('connection.offline')}</span>
    </div>
  );
}
