import { useEffect, useState } from 'react';
import type { ContractClient } from '../../../../shared/contract';
import { useQixin } from '../../../bridge/context';

export type AppMode = 'electron' | 'browser';

// Asked once per client: every card needs it and it never changes while the app runs.
const modes = new WeakMap<ContractClient, Promise<AppMode>>();

/**
 * Electron or browser mode (`app.info`): Electron opens, shows and drags finished files through
 * the shell; browser mode uses the core's local URL. Null until known.
 */
export function useAppMode(): AppMode | null {
  const qixin = useQixin();
  const [mode, setMode] = useState<AppMode | null>(null);
  useEffect(() => {
    let alive = true;
    let asked = modes.get(qixin);
    if (!asked) {
      asked = qixin.call('app.info', {}).then((info) => info.mode);
      modes.set(qixin, asked);
      asked.catch(() => modes.delete(qixin));
    }
    asked.then((m) => alive && setMode(m)).catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [qixin]);
  return mode;
}
