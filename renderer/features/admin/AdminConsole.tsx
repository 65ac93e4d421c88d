import { useState } from 'react';
import { Menu } from 'antd';
import {
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  CloudUploadOutlined,
  EyeOutlined,
  SafetyOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { AuditLog } from './AuditLog';
import { EnterpriseSettings } from './EnterpriseSettings';
import { ImportExport } from './ImportExport';
import { MeetingRooms } from './MeetingRooms';
import { OrgAdmin } from './OrgAdmin';
import { RolesAdmin } from './RolesAdmin';
import type { AdminScope } from './scope';
import { VisibilityAdmin } from './VisibilityAdmin';

type Page = 'org' | 'import' | 'roles' | 'visibility' | 'enterprise' | 'rooms' | 'audit';

/** 管理后台: what the relay says this admin may manage; super admins also get roles and visibility. */
export function AdminConsole(props: { scope: AdminScope }) {
  const { t } = useTranslation();
  const [page, setPage] = useState<Page>('org');
  const superAdmin = props.scope.superAdmin;
  const items = [
    { key: 'org', icon: <ApartmentOutlined />, label: t('admin.nav.org') },
    { key: 'import', icon: <CloudUploadOutlined />, label: t('admin.nav.import') },
    ...(superAdmin
      ? [
          { key: 'roles', icon: <SafetyOutlined />, label: t('admin.nav.roles') },
          { key: 'visibility', icon: <EyeOutlined />, label: t('admin.nav.visibility') },
          { key: 'enterprise', icon: <SettingOutlined />, label: t('group.limit.nav') },
          { key: 'rooms', icon: <CalendarOutlined />, label: t('calendar.rooms.title') },
        ]
      : []),
    { key: 'audit', icon: <AuditOutlined />, label: t('admin.nav.audit') },
  ];
  const shown: Page =
    !superAdmin && (page === 'roles' || page === 'visibility' || page === 'enterprise' || page === 'rooms')
      ? 'org'
      : page;
  return (
    <div className="admin-console">
      <nav className="admin-nav" aria-label={t('shell.admin')}>
        <div className="admin-nav-title">{t('shell.admin')}</div>
        <Menu
          mode="inline"
          selectedKeys={[shown]}
          items={items}
          onClick={({ key }) => setPage(key as Page)}
          className="admin-menu"
        />
      </nav>
      <div className="admin-body">
        {shown === 'org' ? <OrgAdmin scope={props.scope} /> : null}
        {shown === 'import' ? <ImportExport /> : null}
        {shown === 'roles' ? <RolesAdmin /> : null}
        {shown === 'visibility' ? <VisibilityAdmin /> : null}
        {shown === 'enterprise' ? <EnterpriseSettings /> : null}
        {shown === 'rooms' ? <MeetingRooms /> : null}
        {shown === 'audit' ? <AuditLog /> : null}
      </div>
    </div>
  );
}
