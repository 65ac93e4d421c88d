import { useEffect, useState } from 'react';
import { Button, Modal, Spin, Tooltip } from 'antd';
import { LeftOutlined, RightOutlined, ZoomInOutlined, ZoomOutOutlined, OneToOneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMediaUrl } from './useMediaUrl';

export type ViewerImage = { key: string; mediaId: string; width: number; height: number };

const ZOOM_STEPS = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];

/** Full-size image with zoom (buttons, wheel) and the previous/next image of the chat (buttons, ← →). */
export function ImageViewer(props: { images: ViewerImage[]; index: number; onClose: () => void }) {
  const { t } = useTranslation();
  const [index, setIndex] = useState(props.index);
  const [zoom, setZoom] = useState(1);
  const image = props.images[index];
  const { url } = useMediaUrl(image?.mediaId ?? null);

  const go = (delta: number) => {
    const next = index + delta;
    if (next < 0 || next >= props.images.length) return;
    setIndex(next);
    setZoom(1);
  };
  const zoomBy = (direction: 1 | -1) =>
    setZoom((z) => {
      const at = ZOOM_STEPS.findIndex((s) => s >= z);
      const next = ZOOM_STEPS[Math.min(ZOOM_STEPS.length - 1, Math.max(0, (at < 0 ? 3 : at) + direction))];
      return next ?? z;
    });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'ArrowLeft') go(-1);
      if (e.key === 'ArrowRight') go(1);
      // Esc closes wherever focus is (the dialog's own handler needs focus inside it).
      if (e.key === 'Escape') props.onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <Modal
      open
      onCancel={props.onClose}
      footer={null}
      width="86vw"
      centered
      title={t('chat.image.viewerTitle', { index: index + 1, total: props.images.length })}
      className="image-viewer"
    >
      <div className="image-viewer-stage" data-testid="image-viewer" onWheel={(e) => zoomBy(e.deltaY < 0 ? 1 : -1)}>
        {url && image ? (
          <img
            src={url}
            alt={t('chat.kind.image')}
            style={{ transform: `scale(${zoom})` }}
            data-testid="image-viewer-image"
          />
        ) : (
          <Spin />
        )}
      </div>
      <div className="image-viewer-tools">
        <Tooltip title={t('chat.image.previous')}>
          <Button
            icon={<LeftOutlined />}
            disabled={index === 0}
            onClick={() => go(-1)}
            aria-label={t('chat.image.previous')}
          />
        </Tooltip>
        <Tooltip title={t('chat.image.zoomOut')}>
          <Button icon={<ZoomOutOutlined />} onClick={() => zoomBy(-1)} aria-label={t('chat.image.zoomOut')} />
        </Tooltip>
        <span className="image-viewer-zoom" data-testid="image-viewer-zoom">
          {Math.round(zoom * 100)}%
        </span>
        <Tooltip title={t('chat.image.zoomIn')}>
          <Button icon={<ZoomInOutlined />} onClick={() => zoomBy(1)} aria-label={t('chat.image.zoomIn')} />
        </Tooltip>
        <Tooltip title={t('chat.image.actualSize')}>
          <Button icon={<OneToOneOutlined />} onClick={() => setZoom(1)} aria-label={t('chat.image.actualSize')} />
        </Tooltip>
        <Tooltip title={t('chat.image.next')}>
          <Button
            icon={<RightOutlined />}
            disabled={index >= props.images.length - 1}
            onClick={() => go(1)}
            aria-label={t('chat.image.next')}
          />
        </Tooltip>
      </div>
    </Modal>
  );
}
