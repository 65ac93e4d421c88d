import { useState } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { SessionInfo } from '../../../shared/contract';
import { useSession } from './context';
import { errorText } from './errors';

/**
 * The submit of a signed-out form: run `start` (a call that yields a session), sign in with what it
 * returns, or show the failure (in `describe`'s words if given) as a toast, or, when `inline`,
 * as `error` for the form to show until the next try; `busy` is true meanwhile.
 */
export function useSessionSubmit<V>(
  start: (values: V) => Promise<SessionInfo>,
  describe: (t: TFunction, err: unknown) => string = errorText,
  opts: { inline?: boolean } = {},
) {
  const { t } = useTranslation();
  const { setSession } = useSession();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (values: V) => {
    setBusy(true);
    setError(null);
    try {
      setSession(await start(values));
    } catch (err) {
      const text = describe(t, err);
      if (opts.inline) setError(text);
      else message.error(text);
    } finally {
      setBusy(false);
    }
  };

  return { busy, submit, error };
}
