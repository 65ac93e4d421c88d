import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { App, Button, Spin, Tooltip } from 'antd';
import { EllipsisOutlined, MutedOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ChatMessage, ConversationItem } from '../../../shared/contract';
import { useQixin } from '../../bridge/context';
import { useUsers } from '../contacts/directory';
import { AnnouncementBanner } from '../groups/AnnouncementBanner';
import { DissolvedNotice } from '../groups/DissolvedNotice';
import { composerBlock } from '../groups/roles';
import { JumpBar } from '../search/JumpBar';
import { useMessageJump } from '../search/useMessageJump';
import { useMe } from '../session/context';
import { ChatSettingsDrawer } from './ChatSettingsDrawer';
import { Composer, type ComposerHandle } from './Composer';
import { readDrop } from './files/dropped';
import { conversationTitle } from './format';
import { MessageList } from './MessageList';
import { ChatActionsContext } from './messages/chat-actions';
import { ForwardPicker } from './messages/ForwardPicker';
import { ImageViewer, type ViewerImage } from './messages/ImageViewer';
import { SelectionBar } from './messages/SelectionBar';
import { useMessageActions } from './messages/useMessageActions';
import { useMessages, useReadStates } from './useMessages';
import './messages/messages.css';

/** Everyone a loaded message names: senders, notice targets, quoted senders, cards, reactors. */
function peopleIn(memberIds: readonly string[], messages: readonly ChatMessage[]): string[] {
  const ids = new Set(memberIds);
  for (const m of messages) {
    ids.add(m.senderId);
    if (m.system) for (const id of m.system.targetIds) ids.add(id);
    if (m.quote) ids.add(m.quote.senderId);
    for (const id of m.mentions) ids.add(id);
    for (const r of m.reactions) for (const id of r.userIds) ids.add(id);
  }
  return [...ids].sort();
}

function hasFiles(e: DragEvent): boolean {
  return [...e.dataTransfer.types].includes('Files');
}

export function ChatPane(props: { conversation: ConversationItem; visible: boolean }) {
  const { conversation } = props;
  const { t } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const { message: toast } = App.useApp();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [dragging, setDragging] = useState(false);
  const composerRef = useRef<ComposerHandle>(null);
  const { messages, hasMore, loaded, loadingOlder, loadOlder, addLocal } = useMessages(conversation.id);
  const shownIds = useMemo(() => peopleIn(conversation.memberIds, messages), [conversation.memberIds, messages]);
  const byId = useUsers(shownIds);
  const readStates = useReadStates(conversation.id);
  // A search hit opened here: the messages around it instead of the newest ones.
  const jump = useMessageJump(conversation.id);
  const shownJump = jump && !jump.loading ? jump : null;
  const title = conversationTitle(conversation, me.id, byId, t);
  const joinedAt = useMemo(() => {
    const map = new Map<string, number>();
    for (const m of messages) {
      if (m.system?.action === 'added' && m.seq !== null) for (const id of m.system.targetIds) map.set(id, m.seq);
    }
    return map;
  }, [messages]);
  const pane = useMessageActions({ conversation, meId: me.id, byId, messages, addLocal, composerRef });
  const images = useMemo<ViewerImage[]>(
    () =>
      messages.flatMap((m) =>
        m.body?.kind === 'image' && m.recalledAt === null
          ? [{ key: m.id, mediaId: m.body.mediaId, width: m.body.width, height: m.body.height }]
          : [],
      ),
    [messages],
  );
  const onJumpMissing = useCallback(() => void toast.info(t('chat.quote.missing')), [toast, t]);

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

  // Dissolved, left, or 全员禁言 for a plain member.
  const block = composerBlock(conversation, me.id);
  const canSend = block === null;
  const viewIndex = pane.viewing ? images.findIndex((img) => img.key === pane.viewing) : -1;

  return (
    <ChatActionsContext.Provider value={pane.actions}>
      <section
        className={`chat-pane${dragging ? ' is-dropping' : ''}`}
        aria-label={title}
        onDragOver={(e) => {
          if (!hasFiles(e) || !canSend) return;
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={(e) => {
          if (e.currentTarget === e.target) setDragging(false);
        }}
        onDrop={(e) => {
          setDragging(false);
          if (!hasFiles(e)) return;
          e.preventDefault();
          composerRef.current?.sendDrop(readDrop(e.dataTransfer));
        }}
      >
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
        <AnnouncementBanner conversation={conversation} />
        {shownJump ? <JumpBar onExit={shownJump.exit} /> : null}
        {loaded && !jump?.loading ? (
          <MessageList
            // A fresh list for a search hit's context, and again for the newest messages after it.
            key={shownJump ? `jump:${shownJump.nonce}` : 'latest'}
            conversation={conversation}
            meId={me.id}
            byId={byId}
            messages={shownJump ? shownJump.messages : messages}
            readStates={readStates}
            joinedAt={joinedAt}
            hasMore={shownJump ? false : hasMore}
            loadingOlder={loadingOlder}
            onLoadOlder={() => void loadOlder()}
            jumpTarget={shownJump?.jumpTarget ?? pane.jumpTarget}
            onJumpMissing={onJumpMissing}
          />
        ) : (
          <div className="message-scroll message-loading-full">
            <Spin />
          </div>
        )}
        {pane.selected ? (
          <SelectionBar
            count={pane.selectedMessages.length}
            onForward={(merged) => pane.actions.forward(pane.selectedMessages, merged)}
            onFavorite={() => {
              pane.actions.favorite(pane.selectedMessages);
              pane.setSelected(null);
            }}
            onDelete={() => pane.actions.hide(pane.selectedMessages)}
            onCancel={() => pane.setSelected(null)}
          />
        ) : block === 'dissolved' ? (
          <DissolvedNotice />
        ) : (
          <Composer
            key={conversation.id}
            ref={composerRef}
            conversation={conversation}
            disabled={!canSend}
            quoting={pane.quoting}
            onCancelQuote={() => pane.setQuoting(null)}
            onSent={(sent) => {
              shownJump?.exit();
              addLocal(sent);
            }}
          />
        )}
        {dragging ? <div className="chat-drop-hint">{t('files.dropHint')}</div> : null}
        <ChatSettingsDrawer
          key={`${conversation.id}:${conversation.name ?? ''}`}
          conversation={conversation}
          open={settingsOpen}
          onClose={() => setSettingsOpen(false)}
        />
        <ForwardPicker
          open={pane.forwarding !== null}
          title={
            pane.forwarding?.merged
              ? t('chat.forward.titleMerged', { count: pane.forwarding.messages.length })
              : t('chat.forward.title')
          }
          onCancel={() => pane.setForwarding(null)}
          onOk={pane.forwardTo}
        />
        {viewIndex >= 0 ? (
          <ImageViewer images={images} index={viewIndex} onClose={() => pane.setViewing(null)} />
        ) : null}
      </section>
    </ChatActionsContext.Provider>
  );
}
