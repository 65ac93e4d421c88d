import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { VideoBody } from '../../../../shared/protocol/message-content';
import { fitWithin } from '../composer/media-files';
import { useMediaUrl } from './useMediaUrl';

const SHOWN_MAX_SIDE = 280;

/** m:ss */
export function clockTime(ms: number): string {
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** A video message: its poster, the player's own controls, and the duration. */
export function VideoPlayer(props: { body: z.infer<typeof VideoBody> }) {
  const { t } = useTranslation();
  const { body } = props;
  const video = useMediaUrl(body.mediaId);
  const poster = useMediaUrl(body.thumbId);
  const size = fitWithin(body.width, body.height, SHOWN_MAX_SIDE);
  return (
    <div className="message-video" data-testid="message-video" style={{ width: size.width }}>
      <video
        src={video.url ?? undefined}
        poster={poster.url ?? undefined}
        controls
        preload="none"
        width={size.width}
        height={size.height}
        aria-label={t('chat.kind.video')}
      />
      <span className="message-video-duration">{clockTime(body.durationMs)}</span>
    </div>
  );
}
