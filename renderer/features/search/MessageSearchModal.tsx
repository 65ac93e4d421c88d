import { useEffect, useMemo, useState } from 'react';
import { Button, Empty, Input, Modal, Segmented, Select, Spin } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CallArgs, ChatMessage } from '../../../shared/contract';
import type { SearchKind } from '../../../shared/protocol/message-content';
import { useQixin } from '../../bridge/context';
import { UserSelect } from '../admin/pickers';
import { useConversations } from '../chat/conversations';
import { conversationTitle } from '../chat/format';
import { useDirectory } from '../contacts/directory';
import { errorText } from '../session/errors';
import { useMe } from '../session/context';
import { endOfLocalDay, startOfLocalDay } from './dates';
import { MessageHit } from './MessageHit';
import { useChatNames } from './useChatNames';
import { useSearchQuery } from './useSearchQuery';
import './search.css';

type Filters = {
  senderId: string | null;
  conversationId: string | null;
  from: string;
  to: string;
  kind: SearchKind | 'all';
};
const NO_FILTERS: Filters = { senderId: null, conversationId: null, from: '', to: '', kind: 'all' };
type Page = { key: string; messages: ChatMessage[]; next: CallArgs<'search.messages'>['before']; complete: boolean };

/** 聊天记录 search: the query plus sender, chat, date range and kind; newest first, page by page. */
export function MessageSearchModal(props: {
  open: boolean;
  initialQuery: string;
  onClose: () => void;
  onOpenHit: (message: ChatMessage) => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={props.open}
      title={t('search.messageSearch')}
      footer={null}
      width={640}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <MessageSearch initialQuery={props.initialQuery} onOpenHit={props.onOpenHit} />
    </Modal>
  );
}

function MessageSearch(props: { initialQuery: string; onOpenHit: (message: ChatMessage) => void }) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const { list } = useConversations();
  const { byId: users } = useDirectory();
  const search = useSearchQuery(props.initialQuery);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [page, setPage] = useState<Page | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const query = search.query;

  const args = useMemo<CallArgs<'search.messages'> | null>(() => {
    if (!query) return null;
    const from = startOfLocalDay(filters.from);
    const to = endOfLocalDay(filters.to);
    return {
      query,
      ...(filters.senderId ? { senderId: filters.senderId } : {}),
      ...(filters.conversationId ? { conversationId: filters.conversationId } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(filters.kind !== 'all' ? { kind: filters.kind } : {}),
    };
  }, [query, filters]);
  const key = JSON.stringify(args);

  useEffect(() => {
    if (!args) return;
    let alive = true;
    setFailed(null);
    qixin
      .call('search.messages', args)
      .then((r) => alive && setPage({ key, messages: r.messages, next: r.next, complete: r.complete }))
      .catch((err) => alive && setFailed(errorText(t, err)));
    return () => {
      alive = false;
    };
  }, [qixin, args, key, t]);

  const current = page?.key === key ? page : null;
  const names = useChatNames(current?.messages ?? []);
  const loadMore = async () => {
    if (!args || !current?.next) return;
    setLoadingMore(true);
    try {
      const r = await qixin.call('search.messages', { ...args, before: current.next });
      setPage((prev) =>
        prev && prev.key === key
          ? { key, messages: [...prev.messages, ...r.messages], next: r.next, complete: r.complete }
          : prev,
      );
    } catch (err) {
      setFailed(errorText(t, err));
    } finally {
      setLoadingMore(false);
    }
  };

  const chatOptions = list.map((c) => ({ value: c.id, label: conversationTitle(c, me.id, users, t) }));
  return (
    <div className="message-search" data-testid="message-search">
      <Input
        {...search.inputProps}
        allowClear
        autoFocus
        prefix={<SearchOutlined />}
        placeholder={t('search.placeholder')}
        aria-label={t('search.messageSearch')}
      />
      <div className="message-search-filters">
        <div className="message-search-filter">
          <UserSelect
            value={filters.senderId}
            onChange={(v) => setFilters((f) => ({ ...f, senderId: typeof v === 'string' ? v : null }))}
            ariaLabel={t('search.filter.sender')}
            placeholder={t('search.filter.sender')}
          />
        </div>
        <div className="message-search-filter">
          <Select
            value={filters.conversationId}
            onChange={(v) => setFilters((f) => ({ ...f, conversationId: v ?? null }))}
            options={chatOptions}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('search.filter.chat')}
            aria-label={t('search.filter.chat')}
            style={{ width: '100%' }}
          />
        </div>
        <label className="message-search-date">
          {t('search.filter.from')}
          <input
            type="date"
            value={filters.from}
            aria-label={t('search.filter.from')}
            onChange={(e) => setFilters((f) => ({ ...f, from: e.target.value }))}
          />
        </label>
        <label className="message-search-date">
          {t('search.filter.to')}
          <input
            type="date"
            value={filters.to}
            aria-label={t('search.filter.to')}
            onChange={(e) => setFilters((f) => ({ ...f, to: e.target.value }))}
          />
        </label>
        <Segmented<Filters['kind']>
          value={filters.kind}
          onChange={(kind) => setFilters((f) => ({ ...f, kind }))}
          aria-label={t('search.filter.kind')}
          options={[
            { value: 'all', label: t('search.kind.all') },
            { value: 'file', label: t('search.kind.file') },
            { value: 'image', label: t('search.kind.image') },
            { value: 'link', label: t('search.kind.link') },
          ]}
        />
      </div>
      <div className="message-search-results" data-testid="message-search-results">
        {!query ? (
          <div className="search-hint">{t('search.typeToSearch')}</div>
        ) : failed ? (
          <div className="search-failed">{failed}</div>
        ) : !current ? (
          <Spin />
        ) : current.messages.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('search.nothing', { query })} />
        ) : (
          <>
            {current.messages.map((m) => (
              <MessageHit
                key={m.id}
                message={m}
                query={query}
                chatTitle={names.chatTitle(m.conversationId)}
                senderName={names.senderName(m.senderId)}
                onOpen={props.onOpenHit}
              />
            ))}
            {current.next ? (
              <Button block type="link" loading={loadingMore} onClick={() => void loadMore()}>
                {t('search.loadMore')}
              </Button>
            ) : null}
          </>
        )}
        {current && !current.complete ? <div className="search-hint">{t('search.offlinePartial')}</div> : null}
      </div>
    </div>
  );
}
