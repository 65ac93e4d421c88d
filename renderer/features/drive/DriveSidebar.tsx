import type { ReactNode } from 'react';
import { Button, Progress, Tooltip } from 'antd';
import {
  ClockCircleOutlined,
  DeleteOutlined,
  PlusOutlined,
  ShareAltOutlined,
  StarOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { DriveSpace, DriveUsage } from '../../../shared/protocol/files';
import { formatBytes, percentOf } from '../chat/files/format';
import type { ListPlace, Place } from './places';

/** Which entry of the column is lit: a space (for its folders) or one of the lists. */
export type SidebarKey = { kind: 'space'; spaceId: string } | { kind: ListPlace } | null;

/**
 * The drive's left column: 我的文件, 团队空间 (and 新建团队空间), 共享给我, 最近, 星标, 回收站, and
 * how much of the personal and the enterprise quota is used.
 */
export function DriveSidebar(props: {
  spaces: DriveSpace[];
  usage: DriveUsage | null;
  active: SidebarKey;
  onPlace: (place: Place) => void;
  onCreateSpace: () => void;
}) {
  const { t } = useTranslation();
  const { active, onPlace } = props;
  const personal = props.spaces.find((s) => s.kind === 'personal');
  const teams = props.spaces.filter((s) => s.kind === 'team');

  const entry = (key: string, isActive: boolean, icon: ReactNode, label: string, onClick: () => void) => (
    <button
      key={key}
      type="button"
      className={`drive-nav-item${isActive ? ' is-active' : ''}`}
      aria-current={isActive ? 'page' : undefined}
      onClick={onClick}
    >
      {icon}
      <span className="drive-nav-label">{label}</span>
    </button>
  );
  const spaceEntry = (space: DriveSpace, icon: ReactNode, label: string) =>
    entry(space.id, active?.kind === 'space' && active.spaceId === space.id, icon, label, () =>
      onPlace({ kind: 'folder', folderId: space.rootId }),
    );
  const listEntry = (kind: ListPlace, icon: ReactNode) =>
    entry(kind, active?.kind === kind, icon, t(`drive.place.${kind}`), () => onPlace({ kind }));

  return (
    <nav className="drive-sidebar" aria-label={t('drive.title')}>
      <header className="column-header">
        <span className="column-title">{t('drive.title')}</span>
      </header>
      <div className="drive-nav">
        {personal ? spaceEntry(personal, <UserOutlined />, t('drive.mine')) : null}
        {listEntry('shared', <ShareAltOutlined />)}
        {listEntry('recent', <ClockCircleOutlined />)}
        {listEntry('starred', <StarOutlined />)}
        <div className="drive-nav-group">
          <span>{t('drive.teamSpaces')}</span>
          <Tooltip title={t('drive.newSpace')}>
            <Button
              size="small"
              type="text"
              icon={<PlusOutlined />}
              aria-label={t('drive.newSpace')}
              onClick={props.onCreateSpace}
            />
          </Tooltip>
        </div>
        <div role="list" aria-label={t('drive.teamSpaces')}>
          {teams.length === 0 ? <div className="drive-nav-empty">{t('drive.noTeamSpaces')}</div> : null}
          {teams.map((space) => spaceEntry(space, <TeamOutlined />, space.name))}
        </div>
        <div className="drive-nav-spacer" />
        {listEntry('trash', <DeleteOutlined />)}
      </div>
      {props.usage ? (
        <div className="drive-usage" aria-label={t('drive.usage.title')}>
          <UsageBar
            label={t('drive.usage.personal')}
            used={props.usage.personalUsedBytes}
            quota={props.usage.personalQuotaBytes}
          />
          <UsageBar
            label={t('drive.usage.enterprise')}
            used={props.usage.enterpriseUsedBytes}
            quota={props.usage.enterpriseQuotaBytes}
          />
        </div>
      ) : null}
    </nav>
  );
}

function UsageBar(props: { label: string; used: number; quota: number }) {
  const { t } = useTranslation();
  const percent = percentOf(props.used, props.quota);
  const text = t('drive.usage.of', { used: formatBytes(props.used), quota: formatBytes(props.quota) });
  return (
    <div className="drive-usage-row">
      <div className="drive-usage-label">
        <span>{props.label}</span>
        <span>{text}</span>
      </div>
      <Progress
        percent={percent}
        size="small"
        showInfo={false}
        status={percent >= 90 ? 'exception' : 'normal'}
        aria-label={`${props.label} ${text}`}
      />
    </div>
  );
}
