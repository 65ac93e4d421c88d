import { useEffect, useMemo, useState } from 'react';
import { Checkbox, Empty, Input, Modal, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Limits } from '../../../shared/protocol/entities';
import { SearchBox } from '../../ui/SearchBox';
import { VirtualRows } from '../../ui/VirtualRows';
import { Avatar } from '../shell/Avatar';
import type { User } from '../../../shared/protocol/entities';
import { useConversations } from '../chat/conversations';
import { useMe } from '../session/context';
import { byPinyin, useDirectory, useUsers } from './directory';
import { useDirectorySearch } from './useDirectorySearch';

const ROW_HEIGHT = 48;

/** People the user chats with, for the picker before anything is typed (最近联系人). */
function useRecentPeople(): User[] {
  const me = useMe();
  const { list } = useConversations();
  const ids = useMemo(() => {
    const seen = new Set<string>();
    for (const c of list) for (const id of c.memberIds) if (id !== me.id && seen.size < 200) seen.add(id);
    return [...seen].sort();
  }, [list, me.id]);
  const byId = useUsers(ids);
  return useMemo(
    () =>
      byPinyin(ids, byId)
        .map((id) => byId.get(id))
        .filter((u): u is User => u !== undefined && u.status === 'active'),
    [ids, byId],
  );
}

/** Pick colleagues by name, pinyin, initials or account; optionally name the group being created. */
export function MemberPicker(props: {
  open: boolean;
  title: string;
  okText: string;
  excludeIds: string[];
  withName?: boolean;
  onCancel: () => void;
  onOk: (userIds: string[], name: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const { byId, remember } = useDirectory();
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  const recent = useRecentPeople();
  const search = useDirectorySearch(query, 100);
  useEffect(() => {
    if (search.results) remember(search.results.users);
  }, [search.results, remember]);
  const searching = query.trim().length > 0;
  const candidates = useMemo(() => {
    const excluded = new Set(props.excludeIds);
    const pool = searching ? (search.results?.users ?? []) : recent;
    return pool.filter((u) => !excluded.has(u.id) && u.status === 'active');
  }, [searching, search.results, recent, props.excludeIds]);

  const toggle = (id: string) =>
    setSelected((prev) => (prev.includes(id) ? prev.filter((x) => x !== id) : [...prev, id]));

  const reset = () => {
    setQuery('');
    setSelected([]);
    setName('');
  };

  const submit = async () => {
    setBusy(true);
    try {
      await props.onOk(selected, name.trim());
      reset();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={props.okText}
      okButtonProps={{ disabled: selected.length === 0 || selected.length > Limits.groupMaxMembers, loading: busy }}
      onOk={() => void submit()}
      onCancel={() => {
        reset();
        props.onCancel();
      }}
      destroyOnHidden
      width={560}
    >
      {props.withName ? (
        <Input
          className="picker-name"
          value={name}
          maxLength={Limits.nameMaxChars}
          onChange={(e) => setName(e.target.value)}
          placeholder={t('picker.groupNamePlaceholder')}
          aria-label={t('picker.groupName')}
        />
      ) : null}
      <SearchBox
        variant="outlined"
        value={query}
        onChange={setQuery}
        placeholder={t('picker.searchPlaceholder')}
        ariaLabel={t('picker.search')}
      />
      <div className="picker-selected">
        {selected.length === 0 ? <span className="picker-hint">{t('picker.noneSelected')}</span> : null}
        {selected.map((id) => (
          <Tag key={id} closable onClose={() => toggle(id)}>
            {byId.get(id)?.name ?? id}
          </Tag>
        ))}
      </div>
      <VirtualRows
        items={candidates}
        rowHeight={ROW_HEIGHT}
        getKey={(user) => user.id}
        overscan={6}
        className="picker-list"
        ariaLabel={t('picker.candidates')}
        empty={
          searching && !search.results ? (
            <Spin className="picker-loading" />
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={searching ? t('picker.noMatch') : t('picker.typeToSearch')}
            />
          )
        }
        renderRow={(user, style) => (
          <label role="listitem" className="picker-row" data-testid="picker-row" style={style}>
            <Checkbox checked={selected.includes(user.id)} onChange={() => toggle(user.id)} aria-label={user.name} />
            <Avatar id={user.id} name={user.name} size={30} />
            <span className="picker-name-text">{user.name}</span>
            <span className="picker-account">{user.account}</span>
          </label>
        )}
      />
    </Modal>
  );
}
