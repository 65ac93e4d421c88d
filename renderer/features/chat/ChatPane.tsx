import { useEffect, useMemo, useRef, useState } from 'react';
import { Button, Spin, Tooltip } from 'antd';
import { EllipsisOutlined, MutedOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ConversationItem } from '../../../shared/contract';
import { useQixin } from '../../bridge/context';
import { useUsers } from '../contacts/directory';
import { useMe } from '../session/context';
import { ChatSettingsDrawer } from './ChatSettingsDrawer';
import { Composer } from './Composer';
import { conversationTitle } from './format';
import { MessageList } from './MessageList';
import { useMessages, useReadStates } from './useMessages';

export function ChatPane(props: { conversation: ConversationItem; visible: boolean }) {
  const { conversation } = props;
  const { t } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const { messages, hasMore, loaded, loadingOlder, loadOlder, addLocal } = useMessages(conversation.id);
  // Members, plus former members who still speak in the history.
  const shownIds = useMemo(() => {
    const ids = new Set(conversation.memberIds);
    for (const m of messages) {
      ids.add(m.senderId);
      if (m.system) for (const id of m.system.targetIds) ids.add(id);
    }
    return [...ids].sort();
  }, [conversation.memberIds, messages]);
  const byId = useUsers(shownIds);
  const readStates = useReadStates(conversation.id);
  const title = conversationTitle(conversation, me.id, byId, t);
  const joinedAt = useMemo(() => {
    const map = new Map<string, number>();
    for (const m of messages) {
      if (m.system?.action === 'added' && m.seq !== null) for (const id of m.system.targetIds) map.set(id, m.seq);
    }
    return map;
  }, [messages]);

  // New messages from others in the chat on screen are read as they arrive.
  const lastOtherSeq = useRef(0);
  useEffect(() => {
    const newest = messages.findLast((m) => m.senderId !== me.id && m.seq !== null)?.seq ?? 0;
    const unread = conversation.unread > 0 || newest > conversation.readSeq;
    if (!props.visible || !loaded) return;
    if (newest > lastOtherSeq.current || unread) {
      lastOtherSeq.current = Math.max(lastOtherSeq.current, newest);
      void qixin.call('messages.markRead', { conversationId: conversation.id }).catch(() => undefined);
    }
  }, [messages, loaded, props.visible, conversation.id, conversation.unread, conversation.readSeq, me.id, qixin]);

  return (
    <section className="chat-pane" aria-label={title}>
      <header className="chat-header">
        <div className="chat-title">
          <h2 data-testid="chat-title">{title}</h2>
          {conversation.type === 'group' ? (
            <span className="chat-member-count" data-testid="chat-member-count">
              {t('chat.memberCount', { count: conversation.memberIds.length })}
            </span>
          ) : null}
          {conversation.muted ? <MutedOutlined className="chat-muted" aria-label={t('chat.muted')} /> : null}
        </div>
        <Tooltip title={t('chatSettings.title')}>
          <Button
            type="text"
            icon={<EllipsisOutlined />}
            aria-label={t('chatSettings.title')}
            onClick={() => setSettingsOpen(true)}
          />
        </Tooltip>
      </header>
      {loaded ? (
        <MessageList
          conversation={conversation}
          meId={me.id}
          byId={byId}
          messages={messages}
          readStates={readStates}
          joinedAt={joinedAt}
          hasMore={hasMore}
          loadingOlder={loadingOlder}
          onLoadOlder={() => void loadOlder()}
        />
      ) : (
        <div className="message-scroll message-loading-full">
          <Spin />
        </div>
      )}
      <Composer
        key={conversation.id}
        conversationId={conversation.id}
        disabled={!conversation.active}
        onSent={addLocal}
      />
      <ChatSettingsDrawer
        key={`${conversation.id}:${conversation.name ?? ''}`}
        conversation={conversation}
        open={settingsOpen}
        onClose={() => setSettingsOpen(false)}
      />
    </section>
  );
}
