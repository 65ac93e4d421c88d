import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Button, Spin, Tooltip } from 'antd';
import { ArrowDownOutlined, ClockCircleOutlined } from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { ChatMessage, ConversationItem } from '../../../shared/contract';
import type { User } from '../../../shared/protocol/entities';
import { useProfileCard } from '../contacts/ProfileCard';
import { Avatar } from '../shell/Avatar';
import { formatDividerTime, systemNoticeText, userName } from './format';
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

  useEffect(() => {
    stickRef.current = true;
    prevRef.current = { firstId: null, lastId: null, total: 0 };
  }, [props.conversation.id]);

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
                <MessageRow {...props} message={message} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function MessageRow(rowProps: Props & { message: ChatMessage }) {
  const { t } = useTranslation();
  const { openProfile } = useProfileCard();
  const { message, meId, byId, conversation, readStates, joinedAt } = rowProps;
  if (message.kind === 'system' && message.system) {
    return (
      <div className="message-system" data-testid="system-notice">
        {systemNoticeText(message.system, meId, byId, t)}
      </div>
    );
  }
  const mine = message.senderId === meId;
  const sender = userName(byId, message.senderId, t);
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
      className={`message-row${mine ? ' is-mine' : ''}`}
      data-testid="message"
      data-message-id={message.id}
      data-status={message.status}
      data-mine={mine ? 'true' : 'false'}
    >
      {!mine ? avatar : null}
      <div className="message-main">
        {!mine && conversation.type === 'group' ? <div className="message-sender">{sender}</div> : null}
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
          <div className="bubble" data-testid="message-bubble">
            {message.text}
          </div>
        </div>
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
