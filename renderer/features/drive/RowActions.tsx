import { Button, Dropdown, Popconfirm, Tooltip, type MenuProps } from 'antd';
import { DownloadOutlined, EyeOutlined, MoreOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { DriveNode } from '../../../shared/protocol/files';
import { may } from './levels';

export type NodeAction =
  | 'open'
  | 'preview'
  | 'download'
  | 'rename'
  | 'move'
  | 'copy'
  | 'trash'
  | 'star'
  | 'grants'
  | 'log'
  | 'send'
  | 'restore'
  | 'purge';

/**
 * A row's actions as its level allows: 预览 and 下载 at hand, the rest under 更多. Trashed items
 * offer only 还原 and 彻底删除.
 */
export function RowActions(props: { node: DriveNode; trash: boolean; onAction: (action: NodeAction) => void }) {
  const { t } = useTranslation();
  const { node, onAction } = props;
  if (props.trash) {
    return (
      <span className="drive-row-actions">
        <Button size="small" type="link" onClick={() => onAction('restore')}>
          {t('drive.action.restore')}
        </Button>
        <Popconfirm
          title={t('drive.purgeConfirm', { name: node.name })}
          okButtonProps={{ danger: true }}
          onConfirm={() => onAction('purge')}
        >
          <Button size="small" type="link" danger>
            {t('drive.action.purge')}
          </Button>
        </Popconfirm>
      </span>
    );
  }
  const items: MenuProps['items'] = [];
  const add = (key: NodeAction, allowed: boolean, label: string, danger = false) => {
    if (allowed) items.push({ key, label, danger });
  };
  add('send', may.sendToChat(node), t('drive.action.send'));
  add('rename', may.rename(node), t('drive.action.rename'));
  add('move', may.move(node), t('drive.action.move'));
  add('copy', may.copy(node), t('drive.action.copy'));
  add('star', true, node.starred ? t('drive.action.unstar') : t('drive.action.star'));
  add('grants', may.manage(node), t('drive.action.grants'));
  add('log', may.manage(node), t('drive.action.log'));
  if (may.trash(node)) items.push({ type: 'divider' });
  add('trash', may.trash(node), t('drive.action.trash'), true);

  return (
    <span className="drive-row-actions">
      {may.preview(node) ? (
        <Tooltip title={t('drive.action.preview')}>
          <Button
            size="small"
            type="text"
            icon={<EyeOutlined />}
            aria-label={t('drive.action.preview')}
            onClick={() => onAction('preview')}
          />
        </Tooltip>
      ) : null}
      {may.download(node) ? (
        <Tooltip title={t('drive.action.download')}>
          <Button
            size="small"
            type="text"
            icon={<DownloadOutlined />}
            aria-label={t('drive.action.download')}
            onClick={() => onAction('download')}
          />
        </Tooltip>
      ) : null}
      <Dropdown trigger={['click']} menu={{ items, onClick: ({ key }) => onAction(key as NodeAction) }}>
        <Button size="small" type="text" icon={<MoreOutlined />} aria-label={t('drive.action.more')} />
      </Dropdown>
    </span>
  );
}
