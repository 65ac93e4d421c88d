import { Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../../shared/contract';
import { userName } from '../format';
import { useChatActions } from './chat-actions';

/** 表情回应 under a message: each emoji with its count; mine highlighted; click toggles mine. */
export function ReactionsRow(props: { message: ChatMessage }) {
  const { t } = useTranslation();
  const { meId, byId, react } = useChatActions();
  const reactions = props.message.reactions.filter((r) => r.userIds.length > 0);
  if (reactions.length === 0) return null;
  return (
    <div className="message-reactions" data-testid="message-reactions">
      {reactions.map((r) => {
        const mine = r.userIds.includes(meId);
        const names = r.userIds
          .map((id) => (id === meId ? t('chat.system.you') : userName(byId, id, t)))
          .join(t('common.listSeparator'));
        return (
          <Tooltip key={r.emoji} title={names}>
            <button
              type="button"
              className={`message-reaction${mine ? ' is-mine' : ''}`}
              data-testid="message-reaction"
              aria-pressed={mine}
              aria-label={t('chat.reactions.label', { emoji: r.emoji, count: r.userIds.length })}
              onClick={() => react(props.message, r.emoji)}
            >
              <span>{r.emoji}</span>
              <span className="message-reaction-count">{r.userIds.length}</span>
            </button>
          </Tooltip>
        );
      })}
    </div>
  );
}
