import { useEffect, useState } from 'react';
import type { ContractClient } from '../../../../shared/contract';
import { useQixin } from '../../../bridge/context';

// The core serves each media id at a stable URL; asking once per id keeps scrolling cheap.
const urls = new Map<string, Promise<string>>();

function mediaUrl(qixin: ContractClient, mediaId: string): Promise<string> {
  let pending = urls.get(mediaId);
  if (!pending) {
    pending = qixin.call('media.url', { mediaId }).then((r) => r.url);
    // A failure is not remembered: the next render asks again (the relay may be back).
    pending.catch(() => urls.delete(mediaId));
    urls.set(mediaId, pending);
  }
  return pending;
}

/** The loadable URL of a media id (null while asking); `failed` when the core could not give one. */
export function useMediaUrl(mediaId: string | null): { url: string | null; failed: boolean } {
  const qixin = useQixin();
  const [state, setState] = useState<{ id: string | null; url: string | null; failed: boolean }>({
    id: null,
    url: null,
    failed: false,
  });
  useEffect(() => {
    if (!mediaId) return;
    let alive = true;
    mediaUrl(qixin, mediaId).then(
      (url) => alive && setState({ id: mediaId, url, failed: false }),
      () => alive && setState({ id: mediaId, url: null, failed: true }),
    );
    return () => {
      alive = false;
    };
  }, [qixin, mediaId]);
  return state.id === mediaId ? { url: state.url, failed: state.failed } : { url: null, failed: false };
}
