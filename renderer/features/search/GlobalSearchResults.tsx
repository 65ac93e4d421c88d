import { useEffect, useState } from 'react';
import { App, Empty, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CallResult, ChatMessage } from '../../../shared/contract';
import { useQixin } from '../../bridge/context';
import { useConversations } from '../chat/conversations';
import { conversationTitle } from '../chat/format';
import { useDirectory } from '../contacts/directory';
import { errorText } from '../session/errors';
import { useMe } from '../session/context';
import { Avatar } from '../shell/Avatar';
import { useNavigation } from '../shell/navigation';
import { Highlighted } from './Highlighted';
import { MessageHit } from './MessageHit';
import { MessageSearchModal } from './MessageSearchModal';
import { useChatNames } from './useChatNames';
import './search.css';

type Found = { query: string; result: CallResult<'search.global'> };

/** WeCom's global search: 联系人, 群聊 and 聊天记录 for one query, each a short list. */
export function GlobalSearchResults(props: { query: string; onDone: () => void }) {
  const { query } = props;
  const { t } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const { message } = App.useApp();
  const { byId: users, remember } = useDirectory();
  const { upsert } = useConversations();
  const { openConversation, openMessage } = useNavigation();
  const [found, setFound] = useState<Found | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [moreOpen, setMoreOpen] = useState(false);

  useEffect(() => {
    let alive = true;
    setFailed(null);
    qixin
      .call('search.global', { query })
      .then((result) => {
        if (!alive) return;
        remember(result.users);
        setFound({ query, result });
      })
      .catch((err) => alive && setFailed(errorText(t, err)));
    return () => {
      alive = false;
    };
  }, [qixin, query, remember, t]);

  const messages = found?.query === query ? found.result.messages : [];
  const names = useChatNames(messages);

  if (failed) return <div className="search-panel search-failed">{failed}</div>;
  if (!found || found.query !== query) {
    return (
      <div className="search-panel search-loading">
        <Spin size="small" />
      </div>
    );
  }
  const { users: people, conversations: groups } = found.result;
  const openHit = (hit: ChatMessage) => {
    props.onDone();
    if (hit.seq !== null) openMessage(hit.conversationId, hit.seq);
    else openConversation(hit.conversationId);
  };
  const openPerson = async (userId: string) => {
    try {
      const { conversation } = await qixin.call('conversations.openDirect', { userId });
      upsert(conversation);
      props.onDone();
      openConversation(conversation.id);
    } catch (err) {
      message.error(errorText(t, err));
    }
  };

  const nothing = people.length === 0 && groups.length === 0 && messages.length === 0;
  return (
    <div className="search-panel" data-testid="global-search-results" aria-label={t('search.results')}>
      {nothing ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('search.nothing', { query })} /> : null}
      {people.length > 0 ? (
        <section className="search-group" data-testid="search-group-contacts">
          <div className="search-group-title">{t('search.contacts')}</div>
          {people.map((u) => (
            <button
              type="button"
              key={u.id}
              className="search-row"
              data-testid="search-contact"
              onClick={() => void openPerson(u.id)}
            >
              <Avatar id={u.id} name={u.name} size={32} />
              <span className="search-row-text">
                <Highlighted text={u.name} query={query} />
                {u.title ? <span className="search-row-sub">{u.title}</span> : null}
              </span>
            </button>
          ))}
        </section>
      ) : null}
      {groups.length > 0 ? (
        <section className="search-group" data-testid="search-group-chats">
          <div className="search-group-title">{t('search.groups')}</div>
          {groups.map((c) => {
            const title = conversationTitle(c, me.id, users, t);
            return (
              <button
                type="button"
                key={c.id}
                className="search-row"
                data-testid="search-chat"
                onClick={() => {
                  props.onDone();
                  openConversation(c.id);
                }}
              >
                <Avatar id={c.id} name={title} size={32} group />
                <span className="search-row-text">
                  <Highlighted text={title} query={query} />
                  <span className="search-row-sub">{t('chat.memberCount', { count: c.memberIds.length })}</span>
                </span>
              </button>
            );
          })}
        </section>
      ) : null}
      {messages.length > 0 ? (
        <section className="search-group" data-testid="search-group-messages">
          <div className="search-group-title">{t('search.messages')}</div>
          {messages.map((m) => (
            <MessageHit
              key={m.id}
              message={m}
              query={query}
              chatTitle={names.chatTitle(m.conversationId)}
              senderName={names.senderName(m.senderId)}
              onOpen={openHit}
            />
          ))}
          <button type="button" className="search-more" onClick={() => setMoreOpen(true)}>
            {t('search.moreMessages')}
          </button>
        </section>
      ) : null}
      <MessageSearchModal
        open={moreOpen}
        initialQuery={query}
        onClose={() => setMoreOpen(false)}
        onOpenHit={(hit) => {
          setMoreOpen(false);
          openHit(hit);
        }}
      />
    </div>
  );
}
