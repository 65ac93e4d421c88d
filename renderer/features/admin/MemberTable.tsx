import { useMemo, useState, type CSSProperties } from 'react';
import { Button, Empty, Skeleton, Tag } from 'antd';
import { EyeInvisibleOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/protocol/entities';
import { SearchBox } from '../../ui/SearchBox';
import { VirtualRows } from '../../ui/VirtualRows';
import { useDirectory } from '../contacts/directory';
import { pathText } from '../contacts/org';
import { StatusTag } from '../contacts/ProfileCard';
import { useDirectorySearch } from '../contacts/useDirectorySearch';
import { useLoadWhenMissing, useMemberWindows } from '../contacts/useMemberWindows';
import { Avatar } from '../shell/Avatar';
import { MemberForm } from './MemberForm';

const ROW_HEIGHT = 44;

type Editing = { mode: 'create'; departmentId: string } | { mode: 'edit'; user: User } | null;

/**
 * The selected department's direct members as a table (姓名/账号/职务/部门/手机/邮箱/状态):
 * virtualized rows over windows fetched as they scroll into view, so 50,000 members stay smooth.
 */
export function MemberTable(props: { departmentId: string }) {
  const { t } = useTranslation();
  const { remember } = useDirectory();
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<Editing>(null);
  const members = useMemberWindows(props.departmentId);
  const search = useDirectorySearch(query, 200);
  const searching = query.trim().length > 0;
  const indices = useMemo(() => Array.from({ length: members.total ?? 0 }, (_, i) => i), [members.total]);

  const edit = (user: User) => {
    remember([user]);
    setEditing({ mode: 'edit', user });
  };

  return (
    <div className="member-table-wrap">
      <div className="member-table-tools">
        <div className="member-table-search">
          <SearchBox
            variant="outlined"
            value={query}
            onChange={setQuery}
            placeholder={t('contacts.searchPlaceholder')}
            ariaLabel={t('admin.members.search')}
          />
        </div>
        <span className="member-table-count" data-testid="admin-member-count">
          {searching
            ? t('admin.members.found', { count: search.results?.users.length ?? 0 })
            : members.total === null
              ? ''
              : t('contacts.count', { count: members.total })}
        </span>
        <Button
          type="primary"
          icon={<UserAddOutlined />}
          onClick={() => setEditing({ mode: 'create', departmentId: props.departmentId })}
        >
          {t('contacts.addMember')}
        </Button>
      </div>
      <div className="member-table" role="table" aria-label={t('admin.members.table')}>
        <div className="member-table-row member-table-head" role="row">
          {(['name', 'account', 'title', 'departments', 'mobile', 'email', 'status.label'] as const).map((key) => (
            <span key={key} role="columnheader" className={`col col-${key.split('.')[0]}`}>
              {t(`member.${key}`)}
            </span>
          ))}
        </div>
        {searching ? (
          <VirtualRows
            items={search.results?.users ?? []}
            rowHeight={ROW_HEIGHT}
            getKey={(u) => u.id}
            className="member-table-body"
            testId="admin-member-table"
            role="rowgroup"
            empty={
              search.results ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contacts.noMatch')} />
              ) : (
                <Skeleton active />
              )
            }
            renderRow={(user, style) => <MemberRow user={user} style={style} onEdit={edit} />}
          />
        ) : (
          <VirtualRows
            items={indices}
            rowHeight={ROW_HEIGHT}
            getKey={(i) => i}
            className="member-table-body"
            testId="admin-member-table"
            role="rowgroup"
            overscan={20}
            empty={
              members.total === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contacts.emptyDepartment')} />
              ) : null
            }
            renderRow={(index, style) => (
              <MemberSlot
                index={index}
                style={style}
                user={members.userAt(index)}
                ensure={members.ensure}
                onEdit={edit}
              />
            )}
          />
        )}
      </div>
      {editing ? (
        <MemberForm
          key={editing.mode === 'edit' ? editing.user.id : 'new'}
          editing={editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </div>
  );
}

function MemberSlot(props: {
  index: number;
  style: CSSProperties;
  user: User | undefined;
  ensure: (index: number) => void;
  onEdit: (user: User) => void;
}) {
  const { index, user, ensure } = props;
  useLoadWhenMissing(user, index, ensure);
  if (!user) {
    return (
      <div className="member-table-row member-table-placeholder" style={props.style} role="row" aria-busy>
        <Skeleton.Input active size="small" block />
      </div>
    );
  }
  return <MemberRow user={user} style={props.style} onEdit={props.onEdit} />;
}

function MemberRow(props: { user: User; style: CSSProperties; onEdit: (user: User) => void }) {
  const { t } = useTranslation();
  const { org } = useDirectory();
  const { user } = props;
  const departments = user.departmentIds.map((id) => pathText(org, id)).join(t('common.groupSeparator'));
  return (
    <div
      className="member-table-row"
      role="row"
      tabIndex={0}
      aria-label={user.name}
      data-testid="admin-member-row"
      style={props.style}
      onClick={() => props.onEdit(user)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') props.onEdit(user);
      }}
    >
      <span role="cell" className="col col-name">
        <Avatar id={user.id} name={user.name} size={26} />
        <span className="col-text">{user.name}</span>
        {user.hidden ? <EyeInvisibleOutlined className="col-flag" aria-label={t('member.hidden')} /> : null}
        {!user.activated ? <Tag className="col-tag">{t('admin.members.notActivated')}</Tag> : null}
      </span>
      <span role="cell" className="col col-account">
        {user.account}
      </span>
      <span role="cell" className="col col-title">
        {user.title}
      </span>
      <span role="cell" className="col col-departments" title={departments}>
        {departments}
      </span>
      <span role="cell" className="col col-mobile">
        {user.mobile ?? ''}
      </span>
      <span role="cell" className="col col-email" title={user.email ?? ''}>
        {user.email ?? ''}
      </span>
      <span role="cell" className="col col-status">
        <StatusTag status={user.status} />
      </span>
    </div>
  );
}
