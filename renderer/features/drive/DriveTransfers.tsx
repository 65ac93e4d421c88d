import { useMemo, useState, type ReactNode } from 'react';
import { Button, Progress, Tooltip } from 'antd';
import {
  CaretRightOutlined,
  CloseOutlined,
  DownloadOutlined,
  FolderOpenOutlined,
  PauseOutlined,
  RedoOutlined,
  SaveOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Transfer } from '../../../shared/contract';
import { formatBytes, formatSpeed, percentOf } from '../chat/files/format';
import { useAppMode } from '../chat/files/useAppMode';
import { useLocalUrl } from '../chat/files/useLocalUrl';
import { useTransferActions } from '../chat/files/useTransferActions';
import { isUnderWay } from '../transfers/match';
import { useTransfers } from '../transfers/store';
import { errorText } from '../session/errors';

/** A drive transfer: an upload into a folder or a download of a drive file. */
export function isDriveTransfer(t: Transfer): boolean {
  return t.direction === 'upload' ? t.folderId !== null : t.nodeId !== null;
}

/**
 * The drive's transfers since the page opened (and any still under way): progress and speed,
 * 暂停 / 继续 / 取消, and for a finished download 打开 · 在文件夹中显示 · 另存为 (Electron) or 保存 (browser).
 */
export function DriveTransfers() {
  const { t } = useTranslation();
  const all = useTransfers();
  const [since, setSince] = useState(() => Date.now());
  const shown = useMemo(
    () => all.filter((x) => isDriveTransfer(x) && (x.createdAt >= since || isUnderWay(x))),
    [all, since],
  );
  if (shown.length === 0) return null;
  const running = shown.filter(isUnderWay).length;
  const failed = shown.filter((x) => x.state === 'failed').length;
  const summary =
    running > 0
      ? t('drive.transfers.running', { count: running })
      : failed > 0
        ? t('drive.transfers.failed', { count: failed })
        : t('drive.transfers.allDone');
  return (
    <section className="drive-transfers" aria-label={t('drive.transfers.title')}>
      <header className="drive-transfers-head">
        <span>{summary}</span>
        <Button size="small" type="link" onClick={() => setSince(Date.now())}>
          {t('drive.transfers.clear')}
        </Button>
      </header>
      <div className="drive-transfers-list" role="list">
        {shown.map((transfer) => (
          <TransferRow key={transfer.id} transfer={transfer} />
        ))}
      </div>
    </section>
  );
}

function TransferRow(props: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { transfer } = props;
  const actions = useTransferActions();
  const mode = useAppMode();
  const done = transfer.state === 'done';
  const localUrl = useLocalUrl(transfer, mode === 'browser' && transfer.direction === 'download');
  const percent = percentOf(transfer.done, transfer.size);
  const status =
    transfer.state === 'failed' && transfer.error
      ? errorText(t, transfer.error)
      : transfer.state === 'running'
        ? `${formatBytes(transfer.done)} / ${formatBytes(transfer.size)} · ${formatSpeed(transfer.bytesPerSec)}`
        : done && transfer.instant
          ? t('drive.transfers.instant')
          : t(`drive.transfers.state.${transfer.state}`);
  const icon = (label: string, node: ReactNode, onClick: () => void) => (
    <Tooltip title={label}>
      <Button size="small" type="text" icon={node} aria-label={label} onClick={onClick} />
    </Tooltip>
  );

  return (
    <div
      role="listitem"
      className="drive-transfer"
      data-testid="drive-transfer"
      data-state={transfer.state}
      data-direction={transfer.direction}
      aria-label={transfer.name}
    >
      {transfer.direction === 'upload' ? <UploadOutlined /> : <DownloadOutlined />}
      <div className="drive-transfer-main">
        <div className="drive-transfer-name">{transfer.name}</div>
        <Progress
          percent={percent}
          size="small"
          showInfo={false}
          status={transfer.state === 'failed' ? 'exception' : done ? 'success' : 'active'}
        />
        <div className="drive-transfer-status">{status}</div>
      </div>
      <span className="drive-transfer-actions">
        {transfer.state === 'running' || transfer.state === 'queued' || transfer.state === 'hashing'
          ? icon(t('drive.transfers.pause'), <PauseOutlined />, () => void actions.pause(transfer))
          : null}
        {transfer.state === 'paused'
          ? icon(t('drive.transfers.resume'), <CaretRightOutlined />, () => void actions.resume(transfer))
          : null}
        {transfer.state === 'failed'
          ? icon(t('drive.transfers.retry'), <RedoOutlined />, () => void actions.retry(transfer))
          : null}
        {isUnderWay(transfer) || transfer.state === 'failed'
          ? icon(t('drive.transfers.cancel'), <CloseOutlined />, () => void actions.cancel(transfer))
          : null}
        {done && transfer.direction === 'download' && mode === 'electron' ? (
          <>
            <Button size="small" type="link" onClick={() => void actions.open(transfer)}>
              {t('drive.transfers.open')}
            </Button>
            {icon(t('drive.transfers.reveal'), <FolderOpenOutlined />, () => void actions.reveal(transfer))}
            {icon(t('drive.transfers.saveAs'), <SaveOutlined />, () => void actions.saveAs(transfer))}
          </>
        ) : null}
        {done && localUrl ? (
          <Button size="small" type="link" href={localUrl} download={transfer.name}>
            {t('drive.transfers.save')}
          </Button>
        ) : null}
      </span>
    </div>
  );
}
