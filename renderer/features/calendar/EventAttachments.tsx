import { useState } from 'react';
import { Button, Tag } from 'antd';
import { EyeOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CalendarLimits, type EventAttachment } from '../../../shared/protocol/calendar';
import type { DriveNode } from '../../../shared/protocol/files';
import type { FileBody } from '../../../shared/protocol/message-content';
import { useQixin } from '../../bridge/context';
import { FileCard } from '../chat/files/FileCard';
import { FileIcon } from '../chat/files/FileIcon';
import { formatBytes, middleEllipsis } from '../chat/files/format';
import { useTransferActions } from '../chat/files/useTransferActions';
import { PreviewModal } from '../drive/PreviewModal';
import { errorText } from '../session/errors';
import { DriveFilePicker } from './DriveFilePicker';

/** About what fits on a chip (in columns: a Chinese character is two). */
const CHIP_COLUMNS = 28;

/** The form's 附件 field: chips (name, size, ×) and 添加附件, which opens the drive file picker. */
export function AttachmentsField(props: { value?: EventAttachment[]; onChange?: (value: EventAttachment[]) => void }) {
  const { t } = useTranslation();
  const [picking, setPicking] = useState(false);
  const value = props.value ?? [];
  const room = CalendarLimits.attachmentsMax - value.length;

  const add = (files: DriveNode[]) => {
    setPicking(false);
    const known = new Set(value.map((a) => a.nodeId));
    const added = files
      .filter((f) => !known.has(f.id))
      .map((f) => ({ nodeId: f.id, name: f.name, size: f.size, mime: f.mime ?? 'application/octet-stream' }));
    props.onChange?.([...value, ...added].slice(0, CalendarLimits.attachmentsMax));
  };

  return (
    <div className="cal-attachments-field">
      {value.map((a) => (
        <Tag
          key={a.nodeId}
          className="cal-attachment-chip"
          data-testid="cal-attachment-chip"
          data-name={a.name}
          closable
          closeIcon={<span aria-label={t('calendar.attachments.remove', { name: a.name })}>×</span>}
          onClose={(e) => {
            e.preventDefault();
            props.onChange?.(value.filter((x) => x.nodeId !== a.nodeId));
          }}
        >
          <FileIcon name={a.name} mime={a.mime} />
          <span title={a.name}>{middleEllipsis(a.name, CHIP_COLUMNS)}</span>
          <span className="cal-attachment-size">{formatBytes(a.size)}</span>
        </Tag>
      ))}
      <Button size="small" icon={<PaperClipOutlined />} disabled={room <= 0} onClick={() => setPicking(true)}>
        {t('calendar.attachments.add')}
      </Button>
      <DriveFilePicker
        open={picking}
        attachedIds={value.map((a) => a.nodeId)}
        room={room}
        onCancel={() => setPicking(false)}
        onPick={add}
      />
    </div>
  );
}

/** A link to a drive file as a chat file card shows one: the drive decides who may open it. */
function bodyOf(a: EventAttachment): FileBody {
  return {
    kind: 'file',
    mediaId: null,
    driveNodeId: a.nodeId,
    name: a.name,
    size: a.size,
    mime: a.mime,
    sha256: '',
    expiresAt: null,
  };
}

/**
 * 日程详情's attachments: each a file card (下载 with progress, then 打开) and 预览. Both go through
 * the drive with the reader's own level, so someone without access sees the drive's refusal.
 */
export function AttachmentList(props: { attachments: EventAttachment[] }) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const act = useTransferActions();
  const [previewing, setPreviewing] = useState<DriveNode | null>(null);
  const [refused, setRefused] = useState<{ nodeId: string; text: string } | null>(null);

  const preview = async (a: EventAttachment) => {
    setRefused(null);
    try {
      setPreviewing((await qixin.call('drive.get', { nodeId: a.nodeId })).node);
    } catch (err) {
      setRefused({ nodeId: a.nodeId, text: errorText(t, err) });
    }
  };

  return (
    <>
      <ul className="cal-attachments" aria-label={t('calendar.field.attachments')}>
        {props.attachments.map((a) => (
          <li key={a.nodeId} data-testid="cal-attachment" data-name={a.name}>
            <FileCard body={bodyOf(a)} message={null} />
            <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => void preview(a)}>
              {t('calendar.attachments.preview')}
            </Button>
            {refused?.nodeId === a.nodeId ? (
              <div className="cal-attachment-refused" role="alert">
                {refused.text}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {previewing ? (
        <PreviewModal
          node={previewing}
          onClose={() => setPreviewing(null)}
          onDownload={(node) => void act.download({ nodeId: node.id })}
        />
      ) : null}
    </>
  );
}
