// Browser mode's media URLs, `/media/<id>?sig=…` (see CoreMedia.urlFor): the signature made for this
// launch is the credential, so no other page or process that finds the port can read anyone's media.
import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { BRIDGE_MEDIA_PREFIX, type MediaSource } from '../media/core-media';
import { createLogger } from '../log';

const log = createLogger('core.bridge.media');

/** Answers the request if it is for a media URL (true), else leaves it to the caller (false). */
export function serveMediaRequest(
  media: MediaSource,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  securityHeaders: Record<string, string>,
): boolean {
  const url = new URL(req.url ?? '/', 'http://bridge');
  if (!url.pathname.startsWith(BRIDGE_MEDIA_PREFIX)) return false;
  const mediaId = url.pathname.slice(BRIDGE_MEDIA_PREFIX.length);
  const refuse = (status: number) => {
    res.writeHead(status, { ...securityHeaders, 'cache-control': 'no-store' });
    res.end();
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    refuse(405);
    return true;
  }
  if (!media.verify(mediaId, url.searchParams.get('sig'))) {
    refuse(403);
    return true;
  }
  media
    .serve(mediaId, {
      range: req.headers.range,
      ifNoneMatch: req.headers['if-none-match'],
      head: req.method === 'HEAD',
    })
    .then(async (reply) => {
      res.writeHead(reply.status, { ...securityHeaders, ...reply.headers });
      if (!reply.body) return void res.end();
      await pipeline(reply.body, res);
    })
    .catch((err: Error) => {
      // A reader that went away mid-file, or a local disk failure.
      log.debug({ err: err.message, mediaId }, 'media response cut off');
      if (!res.headersSent) refuse(500);
      else res.destroy();
    });
  return true;
}
