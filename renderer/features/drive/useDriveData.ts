// The drive's data as the page shows it: the spaces and usage (left column) and the current
// place's items. The relay pushes no drive changes, so both reload on the page's own actions,
// when an upload lands and when the bridge socket comes back.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DriveNode, DriveSpace, DriveUsage } from '../../../shared/protocol/files';
import { coalesce } from '../../bridge/coalesce';
import { useBridgeReopen, useQixin } from '../../bridge/context';
import { errorText } from '../session/errors';
import { sortNodes, type Place } from './places';

export type Spaces = { spaces: DriveSpace[] | null; usage: DriveUsage | null; reload: () => void };

export function useSpaces(): Spaces {
  const qixin = useQixin();
  const [spaces, setSpaces] = useState<DriveSpace[] | null>(null);
  const [usage, setUsage] = useState<DriveUsage | null>(null);
  const job = useMemo(
    () =>
      coalesce(async () => {
        const [found, used] = await Promise.all([qixin.call('drive.spaces', {}), qixin.call('drive.usage', {})]);
        setSpaces(found.spaces);
        setUsage(used);
      }),
    [qixin],
  );
  useEffect(() => {
    job.schedule();
    return job.cancel;
  }, [job]);
  useBridgeReopen(job.schedule);
  return { spaces, usage, reload: job.schedule };
}

export type Listing = {
  /** The place these items belong to (a reload for another place may still be under way). */
  place: Place;
  /** Folder places: the folder and the path from its space's root (the parts the caller may see). */
  folder: DriveNode | null;
  path: DriveNode[];
  nodes: DriveNode[];
};

export function useListing(place: Place | null): { listing: Listing | null; reload: () => void } {
  const qixin = useQixin();
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [listing, setListing] = useState<Listing | null>(null);
  const job = useMemo(
    () =>
      coalesce(async () => {
        if (!place) return;
        try {
          setListing(await load(qixin, place, i18n.language));
        } catch (err) {
          setListing({ place, folder: null, path: [], nodes: [] });
          message.error(errorText(t, err));
        }
      }),
    [qixin, place, i18n.language, message, t],
  );
  useEffect(() => {
    job.schedule();
    return job.cancel;
  }, [job]);
  useBridgeReopen(job.schedule);
  const reload = useCallback(() => job.schedule(), [job]);
  return { listing: listing && listing.place === place ? listing : null, reload };
}

async function load(qixin: ReturnType<typeof useQixin>, place: Place, language: string): Promise<Listing> {
  switch (place.kind) {
    case 'folder': {
      const { folder, path, children } = await qixin.call('drive.list', { folderId: place.folderId });
      return { place, folder, path, nodes: sortNodes(children, language) };
    }
    // The lists below come newest first from the relay, and stay so.
    case 'shared':
      return { place, folder: null, path: [], nodes: (await qixin.call('drive.sharedWithMe', {})).nodes };
    case 'recent':
      return { place, folder: null, path: [], nodes: (await qixin.call('drive.recent', {})).nodes };
    case 'starred':
      return { place, folder: null, path: [], nodes: (await qixin.call('drive.starred', {})).nodes };
    case 'trash':
      return { place, folder: null, path: [], nodes: (await qixin.call('drive.trashList', {})).nodes };
  }
}
