import { useState, type DragEvent, type ReactNode } from 'react';
import { Button, Progress, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChatMessage, Transfer } from '../../../../shared/contract';
import type { FileBody } from '../../../../shared/protocol/message-content';
import { useQixin } from '../../../bridge/context';
import { downloadFor, isUnderWay, uploadFor } from '../../transfers/match';
import { useTransferSelect, useTransferStore } from '../../transfers/store';
import { errorText, reasonOf } from '../../session/errors';
import { FileIcon } from './FileIcon';
import { formatBytes, formatClock, formatSpeed, middleEllipsis, percentOf, secondsLeft } from './format';
import { useAppMode } from './useAppMode';
import { useLocalUrl } from './useLocalUrl';
import { useTransferActions, type DownloadTarget } from './useTransferActions';
import './files.css';

/** About what fits on one line of the card (in columns: a Chinese character is two). */
const NAME_MAX_COLUMNS = 30;

/** What the status line says about a transfer: progress, speed and time left, or its state. */
function statusText(t: ReturnType<typeof useTranslation>['t'], transfer: Transfer): string {
  const amounts = t('files.progress', { done: formatBytes(transfer.done), size: formatBytes(transfer.size) });
  switch (transfer.state) {
    case 'hashing':
      return t('files.state.hashing');
    case 'queued':
      return t('files.state.queued');
    case 'running': {
      // An error while still running: the core is retrying on its own.
      if (transfer.error) return t('files.retrying', { reason: errorText(t, transfer.error) });
      const left = secondsLeft(transfer.size, transfer.done, transfer.bytesPerSec);
      const parts = [amounts];
      if (transfer.bytesPerSec > 0) parts.push(formatSpeed(transfer.bytesPerSec));
      if (left !== null) parts.push(t('files.timeLeft', { time: formatClock(left) }));
      return parts.join(' · ');
    }
    case 'paused':
      return `${t('files.state.paused')} · ${amounts}`;
    case 'failed':
      return t('files.state.failed', { reason: errorText(t, transfer.error) });
    case 'cancelled':
      return t('files.state.cancelled');
    case 'done':
      if (transfer.direction === 'download') return t('files.state.downloaded');
      return transfer.instant ? t('files.state.instant') : t('files.state.sent');
  }
}

/** 暂停 / 继续 / 重试 / 取消 for a transfer under way or failed. */
function TransferButtons(props: { transfer: Transfer }) {
  const { t } = useTranslation();
  const act = useTransferActions();
  const { transfer } = props;
  const buttons: ReactNode[] = [];
  if (transfer.state === 'paused') {
    buttons.push(
      <Button key="resume" size="small" type="link" onClick={() => void act.resume(transfer)}>
        {t('files.resume')}
      </Button>,
    );
  } else if (transfer.state === 'failed') {
    buttons.push(
      <Button key="retry" size="small" type="link" onClick={() => void act.retry(transfer)}>
        {t('files.retry')}
      </Button>,
    );
  } else if (isUnderWay(transfer)) {
    buttons.push(
      <Button key="pause" size="small" type="link" onClick={() => void act.pause(transfer)}>
        {t('files.pause')}
      </Button>,
    );
  }
  if (isUnderWay(transfer) || transfer.state === 'failed') {
    buttons.push(
      <Button key="cancel" size="small" type="link" danger onClick={() => void act.cancel(transfer)}>
        {t('files.cancel')}
      </Button>,
    );
  }
  return <>{buttons}</>;
}

/** A finished download: Electron opens, shows and saves through the shell; browser mode links the core's copy. */
function FinishedButtons(props: { transfer: Transfer; name: string; browserUrl: string | null; electron: boolean }) {
  const { t } = useTranslation();
  const act = useTransferActions();
  const { transfer } = props;
  if (props.electron) {
    return (
      <>
        <Button size="small" type="link" onClick={() => void act.open(transfer)}>
          {t('files.open')}
        </Button>
        <Button size="small" type="link" onClick={() => void act.reveal(transfer)}>
          {t('files.reveal')}
        </Button>
        <Button size="small" type="link" onClick={() => void act.saveAs(transfer)}>
          {t('files.saveAs')}
        </Button>
      </>
    );
  }
  if (!props.browserUrl) return null;
  return (
    <>
      <Button size="small" type="link" href={props.browserUrl} target="_blank" rel="noopener noreferrer">
        {t('files.open')}
      </Button>
      <Button size="small" type="link" href={props.browserUrl} download={props.name}>
        {t('files.save')}
      </Button>
    </>
  );
}

/**
 * A file message (文件): icon, name, size, and what can be done with it here — the upload's
 * progress with 暂停 / 继续 / 取消 / 重试 on the sending device; 下载 with progress, then 打开 /
 * 在文件夹中显示 / 另存为, for everyone; 已过期 after the chat's retention. A drive link (微盘) looks
 * the same and opens through the drive, which decides who may. `message` is null inside a merged
 * history or 收藏, where the file can only be shown (and opened if this desktop already has it).
 */
export function FileCard(props: { body: FileBody; message: ChatMessage | null }) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const store = useTransferStore();
  const { body, message } = props;
  const mode = useAppMode();
  const act = useTransferActions();
  const upload = useTransferSelect((all) => (message ? uploadFor(all, message.id) : null));
  const download = useTransferSelect((all) => downloadFor(all, { mediaId: body.mediaId, nodeId: body.driveNodeId }));
  const [refused, setRefused] = useState<string | null>(null);
  const browserUrl = useLocalUrl(download, mode === 'browser');

  // The sending device follows its upload until it is done; after that the card is everyone's.
  const sending = upload && upload.state !== 'done' ? upload : null;
  const finished = !sending && download?.state === 'done' ? download : null;
  const expired =
    !sending &&
    !finished &&
    ((body.expiresAt !== null && body.expiresAt <= Date.now()) ||
      (download?.state === 'failed' && download.error?.reason === 'file_expired'));
  const moving = sending ?? (download && download.state !== 'done' && download.state !== 'cancelled' ? download : null);
  const target: DownloadTarget | null = body.driveNodeId
    ? { nodeId: body.driveNodeId }
    : message && message.seq !== null
      ? { conversationId: message.conversationId, messageId: message.id }
      : null;
  const canDownload = target !== null && !expired && !moving && !finished;

  const startDownload = async () => {
    if (!target) return;
    setRefused(null);
    try {
      const { transfer } = await qixin.call('files.download', target);
      store.put([transfer]);
    } catch (err) {
      // The relay's refusal (a drive link one may not open, an expired file) stays on the card.
      setRefused(reasonOf(err) === 'file_expired' ? t('files.expired') : errorText(t, err));
    }
  };

  const onDragStart = (e: DragEvent<HTMLDivElement>) => {
    if (!finished) return;
    if (mode === 'electron') {
      // The shell starts a native drag of the file on disk (webContents.startDrag).
      e.preventDefault();
      void act.startDrag(finished);
    } else if (browserUrl) {
      // Chromium saves a DownloadURL dropped on the desktop or into a folder.
      e.dataTransfer.setData('DownloadURL', `${body.mime || 'application/octet-stream'}:${body.name}:${browserUrl}`);
      e.dataTransfer.effectAllowed = 'copy';
    }
  };

  const described = moving ?? finished ?? (upload?.state === 'done' ? upload : null);
  const status = expired ? t('files.expired') : (refused ?? (described ? statusText(t, described) : null));
  const isError = expired || refused !== null || moving?.state === 'failed';
  const showProgress = moving !== null && isUnderWay(moving);

  return (
    <div
      className="file-card"
      data-testid="file-card"
      data-file-name={body.name}
      data-state={expired ? 'expired' : (moving?.state ?? (finished ? 'downloaded' : 'idle'))}
      draggable={finished !== null}
      onDragStart={onDragStart}
    >
      <div className="file-card-main">
        <FileIcon name={body.name} mime={body.mime} />
        <div className="file-card-text">
          <div className="file-card-name" title={body.name} data-testid="file-name">
            {middleEllipsis(body.name, NAME_MAX_COLUMNS)}
          </div>
          <div className="file-card-meta">
            <span data-testid="file-size">{formatBytes(body.size)}</span>
            {body.driveNodeId ? <Tag color="blue">{t('files.driveBadge')}</Tag> : null}
            {expired ? <Tag>{t('files.expired')}</Tag> : null}
          </div>
        </div>
      </div>
      {showProgress ? (
        <Progress
          className="file-card-progress"
          data-testid="file-progress"
          percent={percentOf(moving.done, moving.size)}
          size="small"
          status={moving.state === 'running' ? 'active' : 'normal'}
        />
      ) : null}
      {status ? (
        <div className={`file-card-status${isError ? ' is-error' : ''}`} data-testid="file-status">
          {status}
        </div>
      ) : null}
      <div className="file-card-actions">
        {moving ? <TransferButtons transfer={moving} /> : null}
        {finished ? (
          <FinishedButtons
            transfer={finished}
            name={body.name}
            browserUrl={browserUrl}
            electron={mode === 'electron'}
          />
        ) : null}
        {canDownload ? (
          <Button size="small" type="link" onClick={() => void startDownload()}>
            {t('files.download')}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
