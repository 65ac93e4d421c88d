import { useEffect, useState } from 'react';
import { LoadingOutlined, WarningFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ConnectionState } from '../../../shared/contract';
import { useQixin, useQixinEvent } from '../../bridge/context';

/** A thin bar over the content while the relay is not reachable. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const [state, setState] = useState<ConnectionState>('online');
  useQixinEvent('connection', (payload) => setState(payload.state));
  useEffect(() => {
    // A page opened while the relay is already away must show it, not wait for the next change.
    let live = true;
    qixin.call('app.connection', {}).then(
      (now) => live && setState(now.state),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [qixin]);
  if (state === 'online') return null;
  return (
    <div className={`connection-banner connection-${state}`} role="status" data-testid="connection-banner">
      {state === 'connecting' ? <LoadingOutlined /> : <WarningFilled />}
      <span>{state === 'connecting' ? t('connection.connecting') : t('connection.offline')}</span>
    </div>
  );
}
