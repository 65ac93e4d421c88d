import { useEffect, useState } from 'react';
import type { CallResult } from '../../../shared/contract';
import { useBridgeReopen, useQixin, useQixinEvent } from '../../bridge/context';

export type AdminScope = CallResult<'admin.scope'>;

/** Whether the console has anything to show this user: super admins and department admins. */
export function administers(scope: AdminScope | null): boolean {
  return Boolean(scope && (scope.superAdmin || (scope.grant && scope.grant.rights.includes('directory'))));
}

/**
 * What the signed-in user may administer, from the relay (it decides; the UI only hides).
 * Asked again when the directory changes (a grant given or taken) and when the link returns.
 */
export function useAdminScope(): AdminScope | null {
  const qixin = useQixin();
  const [scope, setScope] = useState<AdminScope | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    qixin.call('admin.scope', {}).then(
      (next) => live && setScope(next),
      () => undefined, // offline: keep what we knew
    );
    return () => {
      live = false;
    };
  }, [qixin, tick]);
  useQixinEvent('directory.changed', () => setTick((n) => n + 1));
  useQixinEvent('connection', (c) => c.state === 'online' && setTick((n) => n + 1));
  useBridgeReopen(() => setTick((n) => n + 1));
  return scope;
}
