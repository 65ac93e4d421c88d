import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { App, Breadcrumb, Button, Dropdown, Spin } from 'antd';
import { CloudUploadOutlined, FolderAddOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { DriveNode, DriveSpace } from '../../../shared/protocol/files';
import { usePathForFile, useQixin, useQixinEvent } from '../../bridge/context';
import { percentOf } from '../chat/files/format';
import { errorText } from '../session/errors';
import { DriveDialogs } from './DriveDialogs';
import { DriveSidebar, type SidebarKey } from './DriveSidebar';
import { DriveTransfers } from './DriveTransfers';
import { may } from './levels';
import { NodeTable } from './NodeTable';
import { pathTo, personalSpace, type Place } from './places';
import { fromDrop, fromInput, type Picked } from './sources';
import { uploadPicked } from './uploads';
import { useDriveActions } from './useDriveActions';
import { useListing, useSpaces } from './useDriveData';
import './drive.css';

/** The notice shown while browser mode hands files to the core, before their uploads start. */
const STAGING = 'drive-staging';

/** 微盘: the spaces and lists on the left, the open folder or list on the right. */
export function DrivePage() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const pathForFile = usePathForFile();
  const { spaces, usage, reload: reloadSpaces } = useSpaces();
  const [place, setPlace] = useState<Place | null>(null);
  const { listing, reload: reloadListing } = useListing(place);
  const [dragging, setDragging] = useState(false);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  // The personal space (我的文件) is where the drive opens.
  useEffect(() => {
    const personal = spaces ? personalSpace(spaces) : null;
    if (!place && personal) setPlace({ kind: 'folder', folderId: personal.rootId });
  }, [place, spaces]);

  const changed = useCallback(() => {
    reloadListing();
    reloadSpaces();
  }, [reloadListing, reloadSpaces]);
  const { run, dialog, setDialog } = useDriveActions({ setPlace, changed });

  // A finished upload shows in its folder (and in the usage) without a manual refresh.
  useQixinEvent('files.transfer', ({ transfer }) => {
    if (transfer.direction === 'upload' && transfer.folderId !== null && transfer.state === 'done') changed();
  });

  const folder = place?.kind === 'folder' ? (listing?.folder ?? null) : null;
  const canAdd = folder !== null && may.addInto(folder);

  const upload = async (picked: Picked) => {
    if (!folder || (picked.files.length === 0 && picked.paths.length === 0)) return;
    try {
      const stageUrl = pathForFile ? null : (await qixin.call('files.stageUrl', {})).url;
      await uploadPicked(qixin, folder.id, picked, stageUrl, (name, sent, size) =>
        message.open({
          key: STAGING,
          type: 'loading',
          duration: 0,
          content: t('drive.staging', { name, percent: percentOf(sent, size) }),
        }),
      );
    } catch (err) {
      message.error(errorText(t, err));
    } finally {
      message.destroy(STAGING);
      // Sub-folders made for a folder upload show at once; files when their upload is done.
      reloadListing();
    }
  };

  const pick = (input: HTMLInputElement) => {
    const picked = input.files ? fromInput(input.files, pathForFile) : null;
    // Cleared so picking the same file again fires a change.
    input.value = '';
    if (picked) void upload(picked);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (!canAdd) return;
    void fromDrop(e.dataTransfer, pathForFile).then(upload, (err: unknown) => message.error(errorText(t, err)));
  };

  const spaceList = useMemo(() => spaces ?? [], [spaces]);
  const active: SidebarKey =
    place === null
      ? null
      : place.kind === 'folder'
        ? folder
          ? { kind: 'space', spaceId: folder.spaceId }
          : null
        : place;

  return (
    <div className="drive-page" data-testid="drive-page">
      <DriveSidebar
        spaces={spaceList}
        usage={usage}
        active={active}
        onPlace={setPlace}
        onCreateSpace={() => setDialog({ kind: 'newSpace' })}
      />
      <section
        className="drive-main"
        aria-label={t('drive.files')}
        onDragOver={(e) => {
          if (!canAdd || !e.dataTransfer.types.includes('Files')) return;
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <header className="drive-head">
          {place?.kind === 'folder' ? (
            <FolderPath
              listing={listing}
              spaces={spaceList}
              onOpen={(id) => setPlace({ kind: 'folder', folderId: id })}
            />
          ) : (
            <h2 className="drive-head-title">{place ? t(`drive.place.${place.kind}`) : t('drive.title')}</h2>
          )}
          {canAdd && folder ? (
            <span className="drive-toolbar">
              <Button
                icon={<FolderAddOutlined />}
                onClick={() => setDialog({ kind: 'newFolder', parentId: folder.id })}
              >
                {t('drive.newFolder')}
              </Button>
              <Dropdown
                trigger={['click']}
                menu={{
                  items: [
                    { key: 'files', label: t('drive.uploadFiles') },
                    { key: 'folder', label: t('drive.uploadFolder') },
                  ],
                  onClick: ({ key }) => (key === 'files' ? filesInput : folderInput).current?.click(),
                }}
              >
                <Button type="primary" icon={<UploadOutlined />}>
                  {t('drive.upload')}
                </Button>
              </Dropdown>
            </span>
          ) : null}
        </header>
        <input
          ref={filesInput}
          type="file"
          multiple
          hidden
          data-testid="drive-file-input"
          onChange={(e) => pick(e.target)}
        />
        <input
          ref={(el) => {
            folderInput.current = el;
            // React does not know webkitdirectory; set it on the element.
            el?.setAttribute('webkitdirectory', '');
          }}
          type="file"
          multiple
          hidden
          data-testid="drive-folder-input"
          onChange={(e) => pick(e.target)}
        />
        <div className="drive-table-wrap">
          {place === null ? (
            <Spin className="drive-preview-loading" />
          ) : (
            <NodeTable
              nodes={listing?.nodes ?? []}
              loading={listing === null}
              trash={place.kind === 'trash'}
              emptyText={t(
                place.kind === 'folder'
                  ? canAdd
                    ? 'drive.emptyFolderDrop'
                    : 'drive.emptyFolder'
                  : `drive.empty.${place.kind}`,
              )}
              onAction={run}
            />
          )}
        </div>
        {dragging ? (
          <div className="drive-drop-hint">
            <CloudUploadOutlined />
            <span>{t('drive.dropHint', { folder: folder?.name ?? '' })}</span>
          </div>
        ) : null}
        <DriveTransfers />
      </section>
      <DriveDialogs
        dialog={dialog}
        spaces={spaceList}
        onClose={() => setDialog(null)}
        changed={changed}
        onDownload={(node) => run(node, 'download')}
        onSpaceCreated={(space: DriveSpace) => {
          reloadSpaces();
          setPlace({ kind: 'folder', folderId: space.rootId });
        }}
      />
    </div>
  );
}

/** The breadcrumb from the space's root (named as the space) to the open folder. */
function FolderPath(props: {
  listing: { folder: DriveNode | null; path: DriveNode[] } | null;
  spaces: DriveSpace[];
  onOpen: (folderId: string) => void;
}) {
  const { t } = useTranslation();
  const { listing } = props;
  if (!listing?.folder) return <span className="drive-head-title" />;
  const name = (node: DriveNode) => {
    const space = node.parentId === null ? props.spaces.find((s) => s.rootId === node.id) : undefined;
    if (!space) return node.name;
    return space.kind === 'personal' ? t('drive.mine') : space.name;
  };
  const chain = pathTo(listing.folder, listing.path);
  return (
    <Breadcrumb
      className="drive-path"
      aria-label={t('drive.path')}
      items={chain.map((node, i) => ({
        key: node.id,
        title:
          i === chain.length - 1 ? (
            <span aria-current="page">{name(node)}</span>
          ) : (
            <a onClick={() => props.onOpen(node.id)}>{name(node)}</a>
          ),
      }))}
    />
  );
}
