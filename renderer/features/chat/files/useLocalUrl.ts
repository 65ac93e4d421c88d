import { useEffect, useState } from 'react';
import type { Transfer } from '../../../../shared/contract';
import { useQixin } from '../../../bridge/context';

/**
 * Browser mode: a finished download's URL from the core (files.localUrl), made absolute, so the
 * card can offer a plain link to open or save it and a DownloadURL to drag out. Null until known.
 */
export function useLocalUrl(transfer: Transfer | null, enabled: boolean): string | null {
  const qixin = useQixin();
  const [url, setUrl] = useState<{ id: string; url: string } | null>(null);
  const id = enabled && transfer?.state === 'done' ? transfer.id : null;
  useEffect(() => {
    if (!id) return;
    let alive = true;
    qixin
      .call('files.localUrl', { transferId: id })
      .then((r) => alive && setUrl({ id, url: new URL(r.url, window.location.href).toString() }))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [qixin, id]);
  return url && url.id === id ? url.url : null;
}
