import { useCallback, useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Button, Drawer, Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DriveAccessEntry, DriveNode } from '../../../shared/protocol/files';
import { useQixin } from '../../bridge/context';
import { userName } from '../chat/format';
import { useUsers } from '../contacts/directory';
import { errorText } from '../session/errors';
import { formatTime } from './format';

/** 访问记录: who previewed, downloaded or changed what under this item, newest first, a page at a time. */
export function AccessLogDrawer(props: { node: DriveNode; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const qixin = useQixin();
  const [entries, setEntries] = useState<DriveAccessEntry[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const nodeId = props.node.id;

  const load = useCallback(
    async (before: number | undefined) => {
      setLoading(true);
      try {
        const page = await qixin.call('drive.accessLog', before === undefined ? { nodeId } : { nodeId, before });
        setEntries((prev) => {
          const seen = new Set(prev.map((e) => e.id));
          return [...(before === undefined ? [] : prev), ...page.entries.filter((e) => !seen.has(e.id))];
        });
        setHasMore(page.hasMore);
      } catch (err) {
        setError(errorText(t, err));
      } finally {
        setLoading(false);
      }
    },
    [qixin, nodeId, t],
  );
  useEffect(() => {
    void load(undefined);
  }, [load]);

  const people = useMemo(() => [...new Set(entries.map((e) => e.userId))].sort(), [entries]);
  const byId = useUsers(people);
  const columns: TableColumnsType<DriveAccessEntry> = [
    { key: 'who', title: t('drive.log.who'), width: 120, render: (_, e) => userName(byId, e.userId, t) },
    { key: 'what', title: t('drive.log.what'), width: 90, render: (_, e) => t(`drive.log.action.${e.action}`) },
    { key: 'item', title: t('drive.log.item'), ellipsis: true, render: (_, e) => e.nodeName },
    { key: 'when', title: t('drive.log.when'), width: 160, render: (_, e) => formatTime(e.at, i18n.language) },
  ];
  const last = entries[entries.length - 1];

  return (
    <Drawer open width={640} title={t('drive.log.title', { name: props.node.name })} onClose={props.onClose}>
      {error ? (
        <div className="drive-field-error" role="alert">
          {error}
        </div>
      ) : null}
      <Table<DriveAccessEntry>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={entries}
        loading={loading}
        pagination={false}
        aria-label={t('drive.log.title', { name: props.node.name })}
        onRow={() => ({ 'data-testid': 'drive-log-entry' }) as HTMLAttributes<HTMLTableRowElement>}
      />
      {hasMore && last ? (
        <Button className="drive-log-more" block loading={loading} onClick={() => void load(last.at)}>
          {t('drive.log.more')}
        </Button>
      ) : null}
    </Drawer>
  );
}
