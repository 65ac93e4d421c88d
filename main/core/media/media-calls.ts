// The contract's media calls: `media.upload` (bytes from the renderer to the relay) and `media.url`
// (where the renderer loads an image, voice clip or video; see CoreMedia.serve).
import type { ContractService } from '../../../shared/contract';
import type { CoreMedia } from './core-media';

export type MediaCallDeps = {
  media: CoreMedia;
  /** Throws unless signed in. */
  requireSession(): void;
};

export function mediaCalls(deps: MediaCallDeps): Pick<ContractService, 'media.upload' | 'media.url'> {
  return {
    'media.upload': async ({ kind, mime, base64 }) => {
      deps.requireSession();
      return deps.media.upload(kind, mime, Buffer.from(base64, 'base64'));
    },
    'media.url': async ({ mediaId }) => {
      deps.requireSession();
      return { url: deps.media.urlFor(mediaId) };
    },
  };
}
