import { Popover } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChatMessage, ConversationItem } from '../../../shared/contract';
import type { User } from '../../../shared/protocol/entities';
import { byPinyin } from '../contacts/directory';
import { Avatar } from '../shell/Avatar';
import { userName } from './format';

/**
 * Who has and hasn't read `message`: every current member but the sender, by read position.
 * Members added after the message (`joinedAt`, from the 邀请 notices) are left out.
 */
export function receiptFor(
  message: ChatMessage,
  conversation: Pick<ConversationItem, 'memberIds'>,
  readStates: Map<string, number>,
  joinedAt: Map<string, number> = new Map(),
) {
  const seq = message.seq ?? Number.POSITIVE_INFINITY;
  const others = conversation.memberIds.filter((id) => id !== message.senderId && (joinedAt.get(id) ?? 0) < seq);
  const read = others.filter((id) => (readStates.get(id) ?? 0) >= seq);
  const unread = others.filter((id) => (readStates.get(id) ?? 0) < seq);
  return { read, unread };
}

/** 已读 / 未读 for direct chats; "N人未读" or 全部已读 for groups, with a member popover. */
export function ReadReceipt(props: {
  message: ChatMessage;
  conversation: ConversationItem;
  readStates: Map<string, number>;
  joinedAt: Map<string, number>;
  byId: Map<string, User>;
}) {
  const { t } = useTranslation();
  const { read, unread } = receiptFor(props.message, props.conversation, props.readStates, props.joinedAt);

  if (props.conversation.type === 'direct') {
    const isRead = unread.length === 0;
    return (
      <span className={`receipt${isRead ? ' receipt-read' : ' receipt-unread'}`} data-testid="read-receipt">
        {isRead ? t('chat.receipt.read') : t('chat.receipt.unread')}
      </span>
    );
  }

  const label = unread.length === 0 ? t('chat.receipt.allRead') : t('chat.receipt.nUnread', { count: unread.length });
  const list = (title: string, ids: string[], testId: string) => (
    <div className="receipt-list" data-testid={testId}>
      <div className="receipt-list-title">
        {title} · {ids.length}
      </div>
      {ids.length === 0 ? <div className="receipt-list-empty">{t('chat.receipt.nobody')}</div> : null}
      {byPinyin(ids, props.byId).map((id) => (
        <div key={id} className="receipt-member">
          <Avatar id={id} name={userName(props.byId, id, t)} size={22} />
          <span>{userName(props.byId, id, t)}</span>
        </div>
      ))}
    </div>
  );
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      content={
        <div className="receipt-popover">
          {list(t('chat.receipt.unreadList'), unread, 'receipt-unread-list')}
          {list(t('chat.receipt.readList'), read, 'receipt-read-list')}
        </div>
      }
    >
      <button
        type="button"
        className={`receipt receipt-button${unread.length === 0 ? ' receipt-read' : ' receipt-unread'}`}
        data-testid="read-receipt"
      >
        {label}
      </button>
    </Popover>
  );
}
