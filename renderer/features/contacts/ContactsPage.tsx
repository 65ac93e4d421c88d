import { useMemo, useState, type CSSProperties } from 'react';
import { Breadcrumb, Button, Empty, Skeleton, Tag, Tooltip } from 'antd';
import { ApartmentOutlined, RightOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Department, User } from '../../../shared/protocol/entities';
import { SearchBox } from '../../ui/SearchBox';
import { VirtualRows } from '../../ui/VirtualRows';
import { useMe, useSession } from '../session/context';
import { Avatar } from '../shell/Avatar';
import { useNavigation } from '../shell/navigation';
import { AddMemberModal } from './AddMemberModal';
import { useDirectory } from './directory';
import { pathText, pathTo } from './org';
import { ProfileCard } from './ProfileCard';
import { useDirectorySearch } from './useDirectorySearch';
import { useLoadWhenMissing, useMemberWindows } from './useMemberWindows';

const ROW_HEIGHT = 56;

type Row = { kind: 'department'; department: Department } | { kind: 'member'; index: number };

/** 通讯录: the org tree from the enterprise down (sub-departments, then direct members), search, cards. */
export function ContactsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { session } = useSession();
  const { org, remember } = useDirectory();
  const { contactsDepartmentId: departmentId, setContactsDepartmentId: setDepartmentId } = useNavigation();
  const [query, setQuery] = useState('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const search = useDirectorySearch(query, 100);

  // Start at the enterprise; a department that disappeared (hidden, deleted) sends us back up.
  const rootId = org.root?.id ?? null;
  const currentId = departmentId && org.byId.has(departmentId) ? departmentId : rootId;
  const members = useMemberWindows(currentId);
  const subDepartments = useMemo(() => (currentId ? (org.children.get(currentId) ?? []) : []), [org, currentId]);
  const rows = useMemo<Row[]>(() => {
    const list: Row[] = subDepartments.map((department) => ({ kind: 'department', department }));
    for (let i = 0; i < (members.total ?? 0); i++) list.push({ kind: 'member', index: i });
    return list;
  }, [subDepartments, members.total]);

  const pick = (user: User) => {
    remember([user]);
    setSelectedId(user.id);
  };
  const enter = (id: string) => {
    setDepartmentId(id);
    setQuery('');
  };

  const breadcrumbs = currentId
    ? pathTo(org, currentId).map((d, i, all) => ({
        key: d.id,
        title:
          i === all.length - 1 ? (
            <span data-testid="breadcrumb-current">{d.name}</span>
          ) : (
            <a
              href="#"
              onClick={(e) => {
                e.preventDefault();
                enter(d.id);
              }}
            >
              {d.name}
            </a>
          ),
      }))
    : [];

  return (
    <div className="contacts-page">
      <section className="contacts-column" aria-label={t('shell.contacts')}>
        <header className="column-header">
          <span className="column-title">{session.enterprise?.name ?? t('shell.contacts')}</span>
          {me.role === 'admin' ? (
            <Tooltip title={t('contacts.addMember')}>
              <Button
                type="text"
                icon={<UserAddOutlined />}
                aria-label={t('contacts.addMember')}
                onClick={() => setAdding(true)}
              />
            </Tooltip>
          ) : null}
        </header>
        <div className="column-search">
          <SearchBox
            value={query}
            onChange={setQuery}
            placeholder={t('contacts.searchPlaceholder')}
            ariaLabel={t('contacts.search')}
          />
        </div>
        {query.trim() ? (
          <SearchResults
            results={search.results}
            loading={search.loading}
            selectedId={selectedId}
            onUser={pick}
            onDepartment={enter}
          />
        ) : (
          <>
            <Breadcrumb className="contacts-breadcrumb" items={breadcrumbs} data-testid="contacts-breadcrumb" />
            <div className="contacts-count" data-testid="contacts-count">
              {members.total === null ? '' : t('contacts.count', { count: members.total })}
            </div>
            <VirtualRows
              items={rows}
              rowHeight={ROW_HEIGHT}
              getKey={(row) => (row.kind === 'department' ? `d:${row.department.id}` : `m:${row.index}`)}
              className="contacts-scroll"
              testId="contacts-list"
              ariaLabel={t('contacts.memberList')}
              empty={
                members.total === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contacts.emptyDepartment')} />
                ) : null
              }
              renderRow={(row, style) =>
                row.kind === 'department' ? (
                  <DepartmentRow key={row.department.id} department={row.department} style={style} onOpen={enter} />
                ) : (
                  <MemberSlot
                    index={row.index}
                    style={style}
                    user={members.userAt(row.index)}
                    ensure={members.ensure}
                    selectedId={selectedId}
                    onPick={pick}
                  />
                )
              }
            />
          </>
        )}
      </section>
      <section className="profile-pane">
        {selectedId ? (
          <ProfileCard userId={selectedId} onOpenUser={setSelectedId} />
        ) : (
          <div className="chat-empty">
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contacts.pickOne')} />
          </div>
        )}
      </section>
      <AddMemberModal
        open={adding}
        onClose={() => setAdding(false)}
        onAdded={(user) => {
          setAdding(false);
          pick(user);
        }}
      />
    </div>
  );
}

function SearchResults(props: {
  results: { users: User[]; departments: Department[] } | null;
  loading: boolean;
  selectedId: string | null;
  onUser: (user: User) => void;
  onDepartment: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { results } = props;
  if (!results) return <Skeleton active className="contacts-search-loading" />;
  if (results.users.length === 0 && results.departments.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contacts.noMatch')} />;
  }
  return (
    <div className="contacts-scroll contacts-results" role="list" aria-label={t('contacts.searchResults')}>
      {results.departments.length > 0 ? <div className="contacts-group">{t('contacts.departments')}</div> : null}
      {results.departments.map((d) => (
        <DepartmentRow key={d.id} department={d} onOpen={props.onDepartment} path />
      ))}
      {results.users.length > 0 ? <div className="contacts-group">{t('contacts.people')}</div> : null}
      {results.users.map((u) => (
        <PersonRow key={u.id} user={u} active={u.id === props.selectedId} onPick={props.onUser} withDepartment />
      ))}
    </div>
  );
}

function DepartmentRow(props: {
  department: Department;
  style?: CSSProperties;
  onOpen: (id: string) => void;
  path?: boolean;
}) {
  const { org } = useDirectory();
  const { department } = props;
  const label = props.path ? pathText(org, department.id) || department.name : department.name;
  return (
    <div
      role="listitem"
      tabIndex={0}
      aria-label={label}
      data-testid="department-item"
      className="contact-item department-item"
      style={props.style}
      onClick={() => props.onOpen(department.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') props.onOpen(department.id);
      }}
    >
      <span className="department-icon">
        <ApartmentOutlined />
      </span>
      <span className="contact-name">{label}</span>
      <RightOutlined className="department-arrow" />
    </div>
  );
}

function PersonRow(props: {
  user: User;
  active: boolean;
  style?: CSSProperties;
  onPick: (user: User) => void;
  withDepartment?: boolean;
}) {
  const { t } = useTranslation();
  const { org } = useDirectory();
  const { user } = props;
  const sub = props.withDepartment
    ? user.departmentIds
        .map((id) => pathText(org, id))
        .filter(Boolean)
        .join(t('common.groupSeparator'))
    : user.title;
  return (
    <div
      role="listitem"
      tabIndex={0}
      aria-label={user.name}
      data-testid="contact-item"
      className={`contact-item${props.active ? ' is-active' : ''}`}
      style={props.style}
      onClick={() => props.onPick(user)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') props.onPick(user);
      }}
    >
      <Avatar id={user.id} name={user.name} size={34} />
      <span className="contact-text">
        <span className="contact-name">{user.name}</span>
        {sub ? <span className="contact-sub">{sub}</span> : null}
      </span>
      {user.role === 'admin' ? <Tag color="blue">{t('contacts.admin')}</Tag> : null}
    </div>
  );
}

/** A member row whose window may not be loaded yet: it asks for it and shows a placeholder. */
function MemberSlot(props: {
  index: number;
  style: CSSProperties;
  user: User | undefined;
  ensure: (index: number) => void;
  selectedId: string | null;
  onPick: (user: User) => void;
}) {
  const { index, user, ensure } = props;
  useLoadWhenMissing(user, index, ensure);
  if (!user) {
    return (
      <div className="contact-item contact-placeholder" style={props.style} aria-hidden>
        <Skeleton.Avatar active size={34} />
        <Skeleton.Input active size="small" />
      </div>
    );
  }
  return <PersonRow user={user} active={user.id === props.selectedId} style={props.style} onPick={props.onPick} />;
}
