import { useEffect, useState } from 'react';
import { Button, Modal, Spin } from 'antd';
import { DownloadOutlined, FileUnknownOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { DriveNode } from '../../../shared/protocol/files';
import { useQixin } from '../../bridge/context';
import { errorText } from '../session/errors';
import { formatBytes } from '../chat/files/format';
import { previewKind } from './format';
import { may } from './levels';
import { PdfPreview } from './PdfPreview';
import { TextPreview } from './TextPreview';

/**
 * 预览: images, video, audio, PDF and text in the app (the relay logs each preview). 下载 shows only
 * where the caller's level allows it: never at 仅查看, and at 禁止转发 only for managers.
 */
export function PreviewModal(props: { node: DriveNode; onClose: () => void; onDownload: (node: DriveNode) => void }) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const [shown, setShown] = useState<{ url: string; node: DriveNode } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const nodeId = props.node.id;

  useEffect(() => {
    let live = true;
    qixin
      .call('drive.previewUrl', { nodeId })
      .then((answer) => live && setShown(answer))
      .catch((err: unknown) => live && setError(errorText(t, err)));
    return () => {
      live = false;
    };
  }, [qixin, nodeId, t]);

  // The relay's answer carries the node as it is now (level, 禁止转发).
  const node = shown?.node ?? props.node;
  const kind = previewKind(node.mime, node.name);
  const canDownload = may.download(node);

  return (
    <Modal
      open
      width={860}
      title={<span className="drive-preview-title">{node.name}</span>}
      onCancel={props.onClose}
      footer={null}
      destroyOnHidden
      className="drive-preview"
    >
      <div className="drive-preview-bar">
        <span className="drive-preview-size">{formatBytes(node.size)}</span>
        {canDownload ? (
          <Button icon={<DownloadOutlined />} onClick={() => props.onDownload(node)}>
            {t('drive.action.download')}
          </Button>
        ) : null}
      </div>
      <div className="drive-preview-body" data-testid="drive-preview">
        {error ? (
          <div className="drive-preview-message">{error}</div>
        ) : !shown ? (
          <Spin className="drive-preview-loading" />
        ) : kind === null ? (
          <div className="drive-preview-message">
            <FileUnknownOutlined className="drive-preview-unknown" />
            <div>{t('drive.preview.unsupported')}</div>
            {canDownload ? (
              <Button type="primary" icon={<DownloadOutlined />} onClick={() => props.onDownload(node)}>
                {t('drive.action.download')}
              </Button>
            ) : null}
          </div>
        ) : kind === 'image' ? (
          <img className="drive-preview-image" src={shown.url} alt={node.name} />
        ) : kind === 'video' ? (
          <video className="drive-preview-video" src={shown.url} controls aria-label={node.name} />
        ) : kind === 'audio' ? (
          <audio src={shown.url} controls aria-label={node.name} />
        ) : kind === 'pdf' ? (
          <PdfPreview url={shown.url} />
        ) : (
          <TextPreview url={shown.url} size={node.size} />
        )}
      </div>
    </Modal>
  );
}
