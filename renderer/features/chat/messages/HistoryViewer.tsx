import { useMemo, useState } from 'react';
import { Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HistoryItem } from '../../../../shared/protocol/message-content';
import { Avatar } from '../../shell/Avatar';
import { formatDividerTime } from '../format';
import { ImageViewer, type ViewerImage } from './ImageViewer';
import { ItemContent } from './MessageContent';

/** Every message of a merged forward: who, when, and the content in its own kind. */
export function HistoryViewer(props: { title: string; items: HistoryItem[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [viewing, setViewing] = useState<number | null>(null);
  const images = useMemo<ViewerImage[]>(
    () =>
      props.items.flatMap((item, i) =>
        item.body?.kind === 'image'
          ? [{ key: String(i), mediaId: item.body.mediaId, width: item.body.width, height: item.body.height }]
          : [],
      ),
    [props.items],
  );
  return (
    <Modal open title={props.title} onCancel={props.onClose} footer={null} width={560} destroyOnHidden>
      <ol className="history-list" data-testid="history-viewer" aria-label={props.title}>
        {props.items.map((item, i) => (
          <li key={i} className="history-item" data-testid="history-item">
            <Avatar id={item.senderId} name={item.senderName} size={32} />
            <div className="history-item-main">
              <div className="history-item-head">
                <span className="history-item-sender">{item.senderName}</span>
                <span className="history-item-time">{formatDividerTime(item.createdAt, i18n.language)}</span>
              </div>
              <div className="history-item-content">
                <ItemContent
                  item={item}
                  onOpenImage={() => setViewing(images.findIndex((img) => img.key === String(i)))}
                  unknownLabel={t('chat.kind.file')}
                />
              </div>
            </div>
          </li>
        ))}
      </ol>
      {viewing !== null && viewing >= 0 ? (
        <ImageViewer images={images} index={viewing} onClose={() => setViewing(null)} />
      ) : null}
    </Modal>
  );
}
