import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../../shared/contract';
import { recallText } from '../format';
import { useChatActions } from './chat-actions';

/** "你撤回了一条消息 重新编辑" (while the text is still on this device) / "张三撤回了一条消息". */
export function RecalledNotice(props: { message: ChatMessage }) {
  const { t } = useTranslation();
  const { meId, byId, reedit, conversation } = useChatActions();
  const { message } = props;
  const text = message.recalledText;
  return (
    <div className="message-system" data-testid="recalled-notice">
      {recallText(message.senderId, meId, byId, t)}
      {message.senderId === meId && text && conversation.active ? (
        <button type="button" className="message-reedit" onClick={() => reedit(text)}>
          {t('chat.recall.reedit')}
        </button>
      ) : null}
    </div>
  );
}
