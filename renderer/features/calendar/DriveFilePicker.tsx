import { useEffect, useState, type ReactNode } from 'react';
import { Breadcrumb, Checkbox, Empty, Modal, Spin } from 'antd';
import { CloudOutlined, ShareAltOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CalendarLimits } from '../../../shared/protocol/calendar';
import type { DriveNode, DriveSpace } from '../../../shared/protocol/files';
import { useQixin } from '../../bridge/context';
import { formatBytes } from '../chat/files/format';
import { may } from '../drive/levels';
import { NodeIcon } from '../drive/NodeIcon';
import { pathTo, personalSpace, sortNodes } from '../drive/places';
import { errorText } from '../session/errors';
import '../drive/drive.css';

/** Where the picker looks: the list of places, 共享给我, or a folder. */
type Where = { kind: 'places' } | { kind: 'shared' } | { kind: 'folder'; folderId: string };
type Listing = { folder: DriveNode | null; path: DriveNode[]; nodes: DriveNode[] };

/**
 * 添加附件: browse 我的文件, the team spaces and 共享给我, and tick drive files to link to the event.
 * Only files the caller may share can be ticked (可下载, and 禁止转发 only for managers): the relay
 * refuses the others, and attendees open a link with their own level anyway.
 */
export function DriveFilePicker(props: {
  open: boolean;
  /** Files already attached (shown ticked and not picked twice). */
  attachedIds: readonly string[];
  /** How many more may be added. */
  room: number;
  onCancel: () => void;
  onPick: (files: DriveNode[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const qixin = useQixin();
  const [spaces, setSpaces] = useState<DriveSpace[] | null>(null);
  const [where, setWhere] = useState<Where>({ kind: 'places' });
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<Map<string, DriveNode>>(new Map());

  useEffect(() => {
    if (!props.open) return;
    setWhere({ kind: 'places' });
    setPicked(new Map());
    let live = true;
    qixin
      .call('drive.spaces', {})
      .then(({ spaces }) => live && setSpaces(spaces))
      .catch((err: unknown) => live && setError(errorText(t, err)));
    return () => {
      live = false;
    };
  }, [qixin, props.open, t]);

  useEffect(() => {
    if (where.kind === 'places') return;
    let live = true;
    setListing(null);
    setError(null);
    const load =
      where.kind === 'shared'
        ? qixin.call('drive.sharedWithMe', {}).then(({ nodes }) => ({ folder: null, path: [], nodes }))
        : qixin
            .call('drive.list', { folderId: where.folderId })
            .then(({ folder, path, children }) => ({ folder, path, nodes: children }));
    load
      .then((l) => live && setListing({ ...l, nodes: sortNodes(l.nodes, i18n.language) }))
      .catch((err: unknown) => live && setError(errorText(t, err)));
    return () => {
      live = false;
    };
  }, [qixin, where, i18n.language, t]);

  const attached = new Set(props.attachedIds);
  const mine = spaces ? personalSpace(spaces) : null;
  const teams = (spaces ?? []).filter((s) => s.kind !== 'personal');
  const rootName = (node: DriveNode) => {
    const space = spaces?.find((s) => s.rootId === node.id);
    return space ? (space.kind === 'personal' ? t('drive.mine') : space.name) : node.name;
  };
  const full = picked.size >= props.room;

  const toggle = (node: DriveNode) =>
    setPicked((before) => {
      const next = new Map(before);
      if (next.has(node.id)) next.delete(node.id);
      else if (next.size < props.room) next.set(node.id, node);
      return next;
    });

  const row = (key: string, icon: ReactNode, label: string, go: () => void) => (
    <button key={key} type="button" role="listitem" className="drive-picker-row" onClick={go}>
      {icon}
      <span>{label}</span>
    </button>
  );

  const fileRow = (node: DriveNode) => {
    const shareable = may.download(node);
    const already = attached.has(node.id);
    const ticked = already || picked.has(node.id);
    return (
      <label
        key={node.id}
        role="listitem"
        className={`drive-picker-row cal-file-row${shareable && !already ? '' : ' is-disabled'}`}
        data-testid="cal-pick-file"
        data-name={node.name}
        title={shareable ? undefined : t('calendar.attachments.notShareable')}
      >
        <Checkbox
          checked={ticked}
          disabled={!shareable || already || (!ticked && full)}
          onChange={() => toggle(node)}
          aria-label={node.name}
        />
        <NodeIcon node={node} />
        <span className="cal-file-name">{node.name}</span>
        <span className="cal-file-size">
          {shareable ? formatBytes(node.size) : t('calendar.attachments.notShareable')}
        </span>
      </label>
    );
  };

  const crumbs =
    where.kind === 'shared'
      ? [{ key: 'shared', title: <span>{t('calendar.attachments.shared')}</span> }]
      : where.kind === 'folder' && listing?.folder
        ? pathTo(listing.folder, listing.path).map((n, i, all) => {
            const label = n.parentId ? n.name : rootName(n);
            return {
              key: n.id,
              title:
                i === all.length - 1 ? (
                  <span>{label}</span>
                ) : (
                  <a onClick={() => setWhere({ kind: 'folder', folderId: n.id })}>{label}</a>
                ),
            };
          })
        : [];

  return (
    <Modal
      open={props.open}
      title={t('calendar.attachments.pickTitle')}
      okText={picked.size > 0 ? t('calendar.attachments.addCount', { count: picked.size }) : t('common.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: picked.size === 0 }}
      onOk={() => props.onPick([...picked.values()])}
      onCancel={props.onCancel}
      destroyOnHidden
      width={560}
    >
      <Breadcrumb
        className="drive-picker-path"
        items={[
          {
            key: 'places',
            title: <a onClick={() => setWhere({ kind: 'places' })}>{t('drive.allSpaces')}</a>,
          },
          ...crumbs,
        ]}
      />
      <div className="drive-picker-list" role="list" aria-label={t('calendar.attachments.pickTitle')}>
        {error ? (
          <div className="drive-field-error" role="alert">
            {error}
          </div>
        ) : where.kind === 'places' ? (
          !spaces ? (
            <Spin className="drive-preview-loading" />
          ) : (
            <>
              {mine
                ? row('mine', <UserOutlined />, t('drive.mine'), () =>
                    setWhere({ kind: 'folder', folderId: mine.rootId }),
                  )
                : null}
              {teams.map((s) =>
                row(s.id, <TeamOutlined />, s.name, () => setWhere({ kind: 'folder', folderId: s.rootId })),
              )}
              {row('shared', <ShareAltOutlined />, t('calendar.attachments.shared'), () =>
                setWhere({ kind: 'shared' }),
              )}
            </>
          )
        ) : !listing ? (
          <Spin className="drive-preview-loading" />
        ) : listing.nodes.length === 0 ? (
          <Empty image={<CloudOutlined />} description={t('drive.emptyFolder')} />
        ) : (
          listing.nodes.map((node) =>
            node.type === 'folder'
              ? row(node.id, <NodeIcon node={node} />, node.name, () => setWhere({ kind: 'folder', folderId: node.id }))
              : fileRow(node),
          )
        )}
      </div>
      <div className="drive-picker-hint">
        {full
          ? t('calendar.attachments.max', { count: CalendarLimits.attachmentsMax })
          : t('calendar.attachments.pickHint')}
      </div>
    </Modal>
  );
}
