import { useEffect, useMemo, useState } from 'react';
import { Checkbox, Empty, Modal, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConversationItem } from '../../../../shared/contract';
import type { User } from '../../../../shared/protocol/entities';
import { SearchBox } from '../../../ui/SearchBox';
import { VirtualRows } from '../../../ui/VirtualRows';
import { useDirectory, useUsers } from '../../contacts/directory';
import { textMatches } from '../../contacts/search';
import { useDirectorySearch } from '../../contacts/useDirectorySearch';
import { useMe } from '../../session/context';
import { Avatar } from '../../shell/Avatar';
import { useConversations } from '../conversations';
import { conversationTitle } from '../format';

/** A forward target: a chat the user has, or a colleague without a chat yet (opened on send). */
export type ForwardTarget =
  { type: 'conversation'; id: string; title: string } | { type: 'user'; id: string; title: string };

type Row = ForwardTarget & { key: string; avatarId: string; group: boolean };

const ROW_HEIGHT = 48;

function useCandidates(query: string): Row[] {
  const { t } = useTranslation();
  const me = useMe();
  const { list } = useConversations();
  const { remember } = useDirectory();
  const usable = useMemo(() => list.filter((c) => c.active && !c.dissolved), [list]);
  const peerIds = useMemo(
    () => [...new Set(usable.filter((c) => c.type === 'direct').flatMap((c) => c.memberIds))].sort(),
    [usable],
  );
  const byId = useUsers(peerIds);
  const search = useDirectorySearch(query, 50);
  useEffect(() => {
    if (search.results) remember(search.results.users);
  }, [search.results, remember]);

  return useMemo(() => {
    const title = (c: ConversationItem) => conversationTitle(c, me.id, byId, t);
    const peer = (c: ConversationItem) => c.memberIds.find((id) => id !== me.id) ?? me.id;
    const chats: Row[] = usable
      .filter((c) => !query.trim() || textMatches(title(c), query))
      .map((c) => ({
        type: 'conversation',
        id: c.id,
        title: title(c),
        key: `c:${c.id}`,
        avatarId: c.type === 'direct' ? peer(c) : c.id,
        group: c.type === 'group',
      }));
    if (!query.trim()) return chats;
    // Colleagues found by the directory search who have no direct chat with me yet.
    const withChat = new Set(usable.filter((c) => c.type === 'direct').map(peer));
    const people: Row[] = (search.results?.users ?? [])
      .filter((u: User) => u.status === 'active' && !withChat.has(u.id))
      .map((u) => ({ type: 'user', id: u.id, title: u.name, key: `u:${u.id}`, avatarId: u.id, group: false }));
    return [...chats, ...people];
  }, [usable, query, search.results, me.id, byId, t]);
}

/** 转发给: recent chats first, search for chats and colleagues; one or several targets. */
export function ForwardPicker(props: {
  open: boolean;
  title: string;
  onCancel: () => void;
  onOk: (targets: ForwardTarget[]) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<Map<string, Row>>(new Map());
  const [busy, setBusy] = useState(false);
  const rows = useCandidates(query);

  const toggle = (row: Row) =>
    setPicked((prev) => {
      const next = new Map(prev);
      if (next.has(row.key)) next.delete(row.key);
      else next.set(row.key, row);
      return next;
    });

  const submit = async () => {
    setBusy(true);
    try {
      await props.onOk([...picked.values()].map(({ type, id, title }) => ({ type, id, title }) as ForwardTarget));
      setPicked(new Map());
      setQuery('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={t('chat.forward.send', { count: picked.size })}
      okButtonProps={{ disabled: picked.size === 0, loading: busy }}
      onOk={() => void submit()}
      onCancel={() => {
        setPicked(new Map());
        setQuery('');
        props.onCancel();
      }}
      destroyOnHidden
      width={520}
    >
      <SearchBox
        variant="outlined"
        value={query}
        onChange={setQuery}
        placeholder={t('chat.forward.searchPlaceholder')}
        ariaLabel={t('chat.forward.search')}
      />
      <div className="picker-selected">
        {picked.size === 0 ? <span className="picker-hint">{t('chat.forward.noneSelected')}</span> : null}
        {[...picked.values()].map((row) => (
          <Tag key={row.key} closable onClose={() => toggle(row)}>
            {row.title}
          </Tag>
        ))}
      </div>
      <VirtualRows
        items={rows}
        rowHeight={ROW_HEIGHT}
        getKey={(row) => row.key}
        className="picker-list"
        ariaLabel={t('chat.forward.candidates')}
        empty={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('chat.forward.noMatch')} />}
        renderRow={(row, style) => (
          <label role="listitem" className="picker-row" data-testid="forward-target" style={style}>
            <Checkbox checked={picked.has(row.key)} onChange={() => toggle(row)} aria-label={row.title} />
            <Avatar id={row.avatarId} name={row.title} size={30} group={row.group} />
            <span className="picker-name-text">{row.title}</span>
          </label>
        )}
      />
    </Modal>
  );
}
