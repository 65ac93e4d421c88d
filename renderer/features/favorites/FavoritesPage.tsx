import { useEffect, useMemo, useState } from 'react';
import { App, Button, Empty, Input, Popconfirm, Spin } from 'antd';
import { DeleteOutlined, SearchOutlined, StarFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Favorite } from '../../../shared/protocol/entities';
import { coalesce } from '../../bridge/coalesce';
import { useQixin, useQixinEvent } from '../../bridge/context';
import { useConversations } from '../chat/conversations';
import { conversationTitle, formatDividerTime, formatListTime, userName } from '../chat/format';
import { useUsers } from '../contacts/directory';
import { Highlighted } from '../search/Highlighted';
import { useSearchQuery } from '../search/useSearchQuery';
import { errorText } from '../session/errors';
import { useMe } from '../session/context';
import { useNavigation } from '../shell/navigation';
import { FavoriteContent } from './FavoriteContent';
import './favorites.css';

/** 收藏: saved messages, newest saved first, searchable; open one to see it whole, or remove it. */
export function FavoritesPage() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const search = useSearchQuery();
  const [found, setFound] = useState<{ query: string; favorites: Favorite[] } | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const query = search.query;

  const job = useMemo(
    () =>
      coalesce(async () => {
        try {
          const result = await qixin.call('favorites.list', query ? { query } : {});
          setFound({ query, favorites: result.favorites });
        } catch (err) {
          setFound({ query, favorites: [] });
          message.error(errorText(t, err));
        }
      }),
    [qixin, query, message, t],
  );
  useEffect(() => {
    job.schedule();
    return job.cancel;
  }, [job]);
  useQixinEvent('favorites.changed', () => job.schedule());

  const favorites = useMemo(() => found?.favorites ?? [], [found]);
  const opened = favorites.find((f) => f.id === openId) ?? null;
  const people = useMemo(() => [...new Set(favorites.map((f) => f.senderId))].sort(), [favorites]);
  const byId = useUsers(people);

  const remove = async (favorite: Favorite) => {
    try {
      await qixin.call('favorites.remove', { ids: [favorite.id] });
      if (openId === favorite.id) setOpenId(null);
      message.success(t('favorites.removed'));
      job.schedule();
    } catch (err) {
      message.error(errorText(t, err));
    }
  };

  return (
    <div className="favorites-page" data-testid="favorites-page">
      <section className="favorites-column" aria-label={t('favorites.title')}>
        <header className="column-header">
          <span className="column-title">{t('favorites.title')}</span>
        </header>
        <div className="column-search">
          <Input
            {...search.inputProps}
            allowClear
            variant="filled"
            prefix={<SearchOutlined />}
            placeholder={t('favorites.search')}
            aria-label={t('favorites.search')}
          />
        </div>
        <div className="favorites-list" role="list" aria-label={t('favorites.list')}>
          {found === null ? (
            <Spin className="favorites-loading" />
          ) : favorites.length === 0 ? (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={found.query ? t('favorites.noMatch') : t('favorites.empty')}
            />
          ) : (
            favorites.map((f) => (
              <FavoriteRow
                key={f.id}
                favorite={f}
                query={found.query}
                sender={userName(byId, f.senderId, t)}
                active={f.id === openId}
                onOpen={() => setOpenId(f.id)}
              />
            ))
          )}
        </div>
      </section>
      <section className="favorite-detail">
        {opened ? (
          <FavoriteDetail
            favorite={opened}
            sender={userName(byId, opened.senderId, t)}
            onRemove={() => void remove(opened)}
          />
        ) : (
          <div className="chat-empty">
            <StarFilled className="chat-empty-icon" />
            <div>{t('favorites.pickOne')}</div>
          </div>
        )}
      </section>
    </div>
  );
}

function FavoriteRow(props: {
  favorite: Favorite;
  query: string;
  sender: string;
  active: boolean;
  onOpen: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { favorite } = props;
  const summary = favorite.text || t(`chat.kind.${favorite.kind}`);
  return (
    <button
      type="button"
      role="listitem"
      className={`favorite-row${props.active ? ' is-active' : ''}`}
      data-testid="favorite-item"
      onClick={props.onOpen}
    >
      <span className="favorite-summary">
        <Highlighted text={summary} query={props.query} />
      </span>
      <span className="favorite-meta">
        {props.sender} · {formatListTime(favorite.savedAt, i18n.language)}
      </span>
    </button>
  );
}

function FavoriteDetail(props: { favorite: Favorite; sender: string; onRemove: () => void }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { favorite } = props;
  const { byId: conversations } = useConversations();
  const { openConversation } = useNavigation();
  const chat = conversations.get(favorite.conversationId);
  const members = useUsers(chat && !chat.name ? chat.memberIds.slice(0, 5) : []);
  return (
    <article className="favorite-detail-inner" data-testid="favorite-detail">
      <header className="favorite-detail-head">
        <div>
          <div className="favorite-detail-sender">{props.sender}</div>
          <div className="favorite-meta">
            {t('favorites.sentAt', { time: formatDividerTime(favorite.createdAt, i18n.language) })}
            {chat ? ` · ${conversationTitle(chat, me.id, members, t)}` : ''}
          </div>
        </div>
        <span className="favorite-detail-actions">
          {chat ? <Button onClick={() => openConversation(chat.id)}>{t('favorites.openChat')}</Button> : null}
          <Popconfirm title={t('favorites.removeConfirm')} onConfirm={props.onRemove}>
            <Button danger icon={<DeleteOutlined />}>
              {t('favorites.remove')}
            </Button>
          </Popconfirm>
        </span>
      </header>
      <div className="favorite-body">
        <FavoriteContent favorite={favorite} />
      </div>
    </article>
  );
}
