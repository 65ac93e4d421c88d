import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Button, Checkbox, Spin, Tooltip } from 'antd';
import { ArrowDownOutlined, ClockCircleOutlined } from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { ChatMessage, ConversationItem } from '../../../shared/contract';
import type { User } from '../../../shared/protocol/entities';
import { useProfileCard } from '../contacts/ProfileCard';
import { Avatar } from '../shell/Avatar';
import { EventNoticeLink } from '../calendar/EventNoticeLink';
import { formatDividerTime, systemNoticeText, userName } from './format';
import { isActionable } from './messages/actions';
import { useChatActions } from './messages/chat-actions';
import { FailedNotice } from './messages/FailedNotice';
import { framedKind, MessageContent } from './messages/MessageContent';
import { MessageMenu } from './messages/MessageMenu';
import { QuoteBlock } from './messages/QuoteBlock';
import { ReactionsRow } from './messages/ReactionsRow';
import { RecalledNotice } from './messages/RecalledNotice';
import { ReadReceipt } from './ReadReceipt';

const DIVIDER_GAP_MS = 5 * 60 * 1000;
const STICK_THRESHOLD_PX = 80;
const LOAD_OLDER_THRESHOLD_PX = 160;

type Props = {
  conversation: ConversationItem;
  meId: string;
  byId: Map<string, User>;
  messages: ChatMessage[];
  readStates: Map<string, number> | null;
  /** When each member was last added (seq of the notice), as far as the loaded history shows. */
  joinedAt: Map<string, number>;
  hasMore: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  /** Scroll to this message (a quote was clicked), loading older pages until it is there. */
  jumpTarget: { messageId: string; seq: number; nonce: number } | null;
  onJumpMissing: () => void;
};

/** The virtualized message history: sticks to the bottom, loads older pages at the top. */
export function MessageList(props: Props) {
  const { t, i18n } = useTranslation();
  const { messages } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const stickRef = useRef(true);
  const [farFromBottom, setFarFromBottom] = useState(false);
  const prevRef = useRef<{ firstId: string | null; lastId: string | null; total: number }>({
    firstId: null,
    lastId: null,
    total: 0,
  });

  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 64,
    getItemKey: (index) => messages[index]?.id ?? index,
    overscan: 10,
    onChange: (instance) => {
      // Rows measured after a new message arrives grow the list: keep the bottom in view.
      const el = scrollRef.current;
      if (el && stickRef.current && !instance.isScrolling) el.scrollTop = el.scrollHeight;
    },
  });

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const prev = prevRef.current;
    const firstId = messages[0]?.id ?? null;
    const lastId = messages.at(-1)?.id ?? null;
    const total = virtualizer.getTotalSize();
    if (prev.firstId && firstId !== prev.firstId && lastId === prev.lastId) {
      // Older page prepended: keep the same message under the reader's eyes.
      el.scrollTop += total - prev.total;
    } else if (lastId !== prev.lastId) {
      const last = messages.at(-1);
      if (stickRef.current || last?.senderId === props.meId || prev.lastId === null) {
        stickRef.current = true;
        el.scrollTop = el.scrollHeight;
      }
    }
    prevRef.current = { firstId, lastId, total };
  });

  // Another chat shown in this list starts at its bottom. Not on mount: the layout effect above
  // placed the first rows already, and a reset here would undo a jump made on mount (a search hit).
  const shownConversationRef = useRef(props.conversation.id);
  useEffect(() => {
    if (shownConversationRef.current === props.conversation.id) return;
    shownConversationRef.current = props.conversation.id;
    stickRef.current = true;
    prevRef.current = { firstId: null, lastId: null, total: 0 };
  }, [props.conversation.id]);

  // Jump to a quoted message: scroll to it when loaded, else page back until its seq is reached.
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const { jumpTarget, hasMore, loadingOlder, onLoadOlder, onJumpMissing } = props;
  const handledJump = useRef<number | null>(null);
  useEffect(() => {
    if (!jumpTarget || handledJump.current === jumpTarget.nonce) return;
    const index = messages.findIndex((m) => m.id === jumpTarget.messageId);
    if (index >= 0) {
      handledJump.current = jumpTarget.nonce;
      stickRef.current = false;
      virtualizer.scrollToIndex(index, { align: 'center' });
      setHighlighted(jumpTarget.messageId);
      return;
    }
    const oldest = messages.find((m) => m.seq !== null)?.seq ?? 0;
    if (hasMore && oldest > jumpTarget.seq) {
      if (!loadingOlder) onLoadOlder();
      return;
    }
    handledJump.current = jumpTarget.nonce;
    onJumpMissing();
  }, [jumpTarget, messages, hasMore, loadingOlder, onLoadOlder, onJumpMissing, virtualizer]);

  useEffect(() => {
    if (!highlighted) return;
    const timer = setTimeout(() => setHighlighted(null), 2000);
    return () => clearTimeout(timer);
  }, [highlighted]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
    stickRef.current = fromBottom < STICK_THRESHOLD_PX;
    setFarFromBottom(fromBottom > el.clientHeight);
    if (el.scrollTop < LOAD_OLDER_THRESHOLD_PX && props.hasMore && !props.loadingOlder) props.onLoadOlder();
  };

  const jumpToLatest = () => {
    const el = scrollRef.current;
    if (!el) return;
    stickRef.current = true;
    el.scrollTo({ top: el.scrollHeight });
  };

  return (
    <div className="message-scroll-wrap">
      {farFromBottom ? (
        <Button className="jump-latest" shape="round" icon={<ArrowDownOutlined />} onClick={jumpToLatest}>
          {t('chat.jumpToLatest')}
        </Button>
      ) : null}
      {/* Over the list, not in it: a spinner in the flow would shift what the reader sees. */}
      {props.loadingOlder ? (
        <div className="message-loading-older">
          <Spin size="small" />
        </div>
      ) : null}
      <div className="message-scroll" ref={scrollRef} onScroll={onScroll} data-testid="message-list">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const message = messages[row.index];
            if (!message) return null;
            const previous = messages[row.index - 1];
            const showDivider = !previous || message.createdAt - previous.createdAt > DIVIDER_GAP_MS;
            return (
              <div
                key={row.key}
                data-index={row.index}
                ref={virtualizer.measureElement}
                className="message-row-wrap"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start}px)` }}
              >
                {showDivider ? (
                  <div className="message-divider">{formatDividerTime(message.createdAt, i18n.language)}</div>
                ) : null}
                <MessageRow {...props} message={message} highlighted={message.id === highlighted} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function MessageRow(rowProps: Props & { message: ChatMessage; highlighted: boolean }) {
  const { t } = useTranslation();
  const { openProfile } = useProfileCard();
  const actions = useChatActions();
  const { message, meId, byId, conversation, readStates, joinedAt } = rowProps;
  if (message.kind === 'system' && message.system) {
    return (
      <div className="message-system" data-testid="system-notice">
        {systemNoticeText(message.system, meId, byId, t)}
        {message.system.event ? <EventNoticeLink event={message.system.event} /> : null}
      </div>
    );
  }
  if (message.recalledAt !== null) return <RecalledNotice message={message} />;
  const mine = message.senderId === meId;
  const sender = userName(byId, message.senderId, t);
  const selectable = actions.selected !== null && isActionable(message);
  const checked = actions.selected?.has(message.id) ?? false;
  const avatar = (
    <Avatar
      id={message.senderId}
      name={sender}
      size={34}
      onClick={() => openProfile(message.senderId)}
      label={t('contacts.openProfile', { name: sender })}
    />
  );
  return (
    <div
      className={`message-row${mine ? ' is-mine' : ''}${rowProps.highlighted ? ' is-highlighted' : ''}${
        actions.selected ? ' is-selecting' : ''
      }`}
      data-testid="message"
      data-message-id={message.id}
      data-status={message.status}
      data-mine={mine ? 'true' : 'false'}
      onClick={selectable ? () => actions.toggleSelected(message.id) : undefined}
    >
      {actions.selected ? (
        <Checkbox
          className="message-select"
          checked={checked}
          disabled={!selectable}
          aria-label={t('chat.select.pick')}
          data-testid="message-select"
          onClick={(e) => e.stopPropagation()}
          onChange={() => actions.toggleSelected(message.id)}
        />
      ) : null}
      {!mine ? avatar : null}
      <div className="message-main">
        {!mine && conversation.type === 'group' ? <div className="message-sender">{sender}</div> : null}
        {message.quote ? (
          <QuoteBlock
            quote={message.quote}
            byId={byId}
            onJump={() => message.quote && actions.jumpToQuote(message.quote)}
          />
        ) : null}
        <div className="message-line">
          {mine && message.status === 'sending' ? (
            <Tooltip title={t('chat.sending')}>
              <ClockCircleOutlined
                className="message-sending"
                aria-label={t('chat.sending')}
                data-testid="message-sending"
              />
            </Tooltip>
          ) : null}
          <MessageMenu message={message}>
            <div
              className={`bubble${framedKind(message.kind) ? ' bubble-framed' : ''}`}
              data-testid="message-bubble"
              data-kind={message.kind}
            >
              {message.forwarded ? (
                <span className="message-forwarded" data-testid="forwarded-tag">
                  {t('chat.forward.tag')}
                </span>
              ) : null}
              <MessageContent message={message} byId={byId} onOpenImage={() => actions.openImage(message.id)} />
            </div>
          </MessageMenu>
        </div>
        <ReactionsRow message={message} />
        {mine && message.status === 'failed' ? <FailedNotice message={message} /> : null}
        {mine && message.status === 'sent' && readStates ? (
          <div className="message-receipt">
            <ReadReceipt
              message={message}
              conversation={conversation}
              readStates={readStates}
              joinedAt={joinedAt}
              byId={byId}
            />
          </div>
        ) : null}
      </div>
      {mine ? avatar : null}
    </div>
  );
}
