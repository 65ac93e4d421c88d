import { useMemo, type HTMLAttributes } from 'react';
import { Empty, Table, type TableColumnsType } from 'antd';
import { StarFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { DriveNode } from '../../../shared/protocol/files';
import { userName } from '../chat/format';
import { useUsers } from '../contacts/directory';
import { formatBytes } from '../chat/files/format';
import { formatTime } from './format';
import { NodeIcon } from './NodeIcon';
import { RowActions, type NodeAction } from './RowActions';

/** Long folders are paged: a page is cheap to draw and the relay lists at most 500 at once anyway. */
const PAGE_SIZE = 100;

/**
 * A folder's items (or a list such as 最近): name with its type icon, size, 修改时间, 修改人 and the
 * actions the caller's level allows. A double-click opens a folder or previews a file.
 */
export function NodeTable(props: {
  nodes: DriveNode[];
  loading: boolean;
  trash: boolean;
  emptyText: string;
  onAction: (node: DriveNode, action: NodeAction) => void;
}) {
  const { t, i18n } = useTranslation();
  const { nodes, onAction } = props;
  const people = useMemo(() => [...new Set(nodes.map((n) => n.updatedBy))].sort(), [nodes]);
  const byId = useUsers(people);
  const open = (node: DriveNode) => onAction(node, node.type === 'folder' ? 'open' : 'preview');

  const columns: TableColumnsType<DriveNode> = [
    {
      key: 'name',
      title: t('drive.column.name'),
      ellipsis: true,
      render: (_, node) => (
        <span className="drive-name-cell">
          <NodeIcon node={node} />
          {props.trash ? (
            <span className="drive-name">{node.name}</span>
          ) : (
            <a className="drive-name" onClick={() => open(node)}>
              {node.name}
            </a>
          )}
          {node.starred ? <StarFilled className="drive-star" aria-label={t('drive.starredMark')} /> : null}
          {node.noForward ? <span className="drive-tag">{t('drive.noForwardTag')}</span> : null}
        </span>
      ),
    },
    {
      key: 'size',
      title: t('drive.column.size'),
      width: 110,
      render: (_, node) => (node.type === 'folder' ? '—' : formatBytes(node.size)),
    },
    {
      key: 'time',
      title: props.trash ? t('drive.column.trashedAt') : t('drive.column.updatedAt'),
      width: 170,
      render: (_, node) => formatTime(props.trash ? (node.trashedAt ?? node.updatedAt) : node.updatedAt, i18n.language),
    },
    {
      key: 'by',
      title: t('drive.column.updatedBy'),
      width: 130,
      ellipsis: true,
      render: (_, node) => userName(byId, node.updatedBy, t),
    },
    {
      key: 'actions',
      title: t('drive.column.actions'),
      width: 160,
      render: (_, node) => <RowActions node={node} trash={props.trash} onAction={(action) => onAction(node, action)} />,
    },
  ];

  return (
    <Table<DriveNode>
      className="drive-table"
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={nodes}
      loading={props.loading}
      pagination={nodes.length > PAGE_SIZE ? { pageSize: PAGE_SIZE, showSizeChanger: false } : false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.emptyText} /> }}
      onRow={(node) =>
        ({
          'data-testid': 'drive-row',
          'data-name': node.name,
          onDoubleClick: () => {
            if (!props.trash) open(node);
          },
        }) as HTMLAttributes<HTMLTableRowElement>
      }
    />
  );
}
