import { useEffect, useState } from 'react';
import { Breadcrumb, Empty, Modal, Spin } from 'antd';
import { CloudOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { DriveNode, DriveSpace } from '../../../shared/protocol/files';
import { useQixin } from '../../bridge/context';
import { errorText } from '../session/errors';
import { may } from './levels';
import { NodeIcon } from './NodeIcon';
import { pathTo, sortNodes } from './places';

type Browsing = { folder: DriveNode; path: DriveNode[]; folders: DriveNode[] };

/**
 * 移动到 / 复制到: browse the spaces and their folders, then pick the open one. Only folders the
 * caller may add to can be picked, and never one of the items being moved (or below it).
 */
export function FolderPicker(props: {
  title: string;
  okText: string;
  spaces: DriveSpace[];
  /** The items being moved or copied. */
  moving: DriveNode[];
  onCancel: () => void;
  onPick: (folder: DriveNode) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const qixin = useQixin();
  const [folderId, setFolderId] = useState<string | null>(null);
  const [browsing, setBrowsing] = useState<Browsing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!folderId) return;
    let live = true;
    setBrowsing(null);
    setError(null);
    qixin
      .call('drive.list', { folderId })
      .then(({ folder, path, children }) => {
        if (!live) return;
        const folders = sortNodes(
          children.filter((n) => n.type === 'folder'),
          i18n.language,
        );
        setBrowsing({ folder, path, folders });
      })
      .catch((err: unknown) => live && setError(errorText(t, err)));
    return () => {
      live = false;
    };
  }, [qixin, folderId, i18n.language, t]);

  const spaceName = (space: DriveSpace) => (space.kind === 'personal' ? t('drive.mine') : space.name);
  const rootName = (node: DriveNode) => {
    const space = props.spaces.find((s) => s.rootId === node.id);
    return space ? spaceName(space) : node.name;
  };
  const movingIds = new Set(props.moving.map((n) => n.id));
  const inside = browsing ? pathTo(browsing.folder, browsing.path).some((n) => movingIds.has(n.id)) : false;
  const allowed = browsing !== null && may.addInto(browsing.folder) && !inside;

  const pick = async () => {
    if (!browsing) return;
    setBusy(true);
    try {
      await props.onPick(browsing.folder);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={props.title}
      okText={props.okText}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !allowed, loading: busy }}
      onOk={() => void pick()}
      onCancel={props.onCancel}
      destroyOnHidden
      width={560}
    >
      <Breadcrumb
        className="drive-picker-path"
        items={[
          { key: 'spaces', title: <a onClick={() => setFolderId(null)}>{t('drive.allSpaces')}</a> },
          ...(browsing
            ? pathTo(browsing.folder, browsing.path).map((n, i, all) => ({
                key: n.id,
                title:
                  i === all.length - 1 ? (
                    <span>{n.parentId ? n.name : rootName(n)}</span>
                  ) : (
                    <a onClick={() => setFolderId(n.id)}>{n.parentId ? n.name : rootName(n)}</a>
                  ),
              }))
            : []),
        ]}
      />
      <div className="drive-picker-list" role="list" aria-label={t('drive.folders')}>
        {folderId === null ? (
          props.spaces.map((space) => (
            <button
              key={space.id}
              type="button"
              role="listitem"
              className="drive-picker-row"
              onClick={() => setFolderId(space.rootId)}
            >
              {space.kind === 'personal' ? <UserOutlined /> : <TeamOutlined />}
              <span>{spaceName(space)}</span>
            </button>
          ))
        ) : error ? (
          <div className="drive-field-error" role="alert">
            {error}
          </div>
        ) : !browsing ? (
          <Spin className="drive-preview-loading" />
        ) : browsing.folders.length === 0 ? (
          <Empty image={<CloudOutlined />} description={t('drive.noSubfolders')} />
        ) : (
          browsing.folders.map((folder) => (
            <button
              key={folder.id}
              type="button"
              role="listitem"
              className="drive-picker-row"
              disabled={movingIds.has(folder.id)}
              onClick={() => setFolderId(folder.id)}
            >
              <NodeIcon node={folder} />
              <span>{folder.name}</span>
            </button>
          ))
        )}
      </div>
      {browsing && !allowed ? (
        <div className="drive-picker-hint">{inside ? t('drive.pickInside') : t('drive.pickNoRight')}</div>
      ) : null}
    </Modal>
  );
}
