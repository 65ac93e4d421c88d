import { PictureOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { ImageBody } from '../../../../shared/protocol/message-content';
import { fitWithin } from '../composer/media-files';
import { useMediaUrl } from './useMediaUrl';

const SHOWN_MAX_SIDE = 240;

/** An image message's preview at its own proportions (box sized before it loads, so the list does not jump). */
export function ImageThumb(props: { body: z.infer<typeof ImageBody>; onOpen: () => void }) {
  const { t } = useTranslation();
  const { body } = props;
  const { url, failed } = useMediaUrl(body.thumbId ?? body.mediaId);
  const size = fitWithin(body.width, body.height, SHOWN_MAX_SIDE);
  return (
    <button
      type="button"
      className="message-image"
      data-testid="message-image"
      aria-label={t('chat.image.open')}
      style={{ width: size.width, height: size.height }}
      onClick={props.onOpen}
    >
      {url ? (
        <img src={url} alt={t('chat.kind.image')} draggable={false} />
      ) : (
        <PictureOutlined className={failed ? 'message-image-failed' : 'message-image-loading'} />
      )}
    </button>
  );
}
