import { Button } from 'antd';
import { CloseOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../../shared/contract';
import { useUsers } from '../../contacts/directory';
import { contentSummary, userName } from '../format';

/** 引用 mode: what the next message replies to, with a way out. */
export function QuoteBar(props: { message: ChatMessage; onCancel: () => void }) {
  const { t } = useTranslation();
  const { message } = props;
  const byId = useUsers([message.senderId]);
  return (
    <div className="quote-bar" data-testid="quote-bar">
      <span className="quote-bar-text">
        {t('chat.quote.replyingTo', {
          name: userName(byId, message.senderId, t),
          text: contentSummary(message, t),
        })}
      </span>
      <Button
        type="text"
        size="small"
        icon={<CloseOutlined />}
        aria-label={t('chat.quote.cancel')}
        onClick={props.onCancel}
      />
    </div>
  );
}
