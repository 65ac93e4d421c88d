import { ExclamationCircleFilled } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../../shared/contract';
import { errorText } from '../../session/errors';
import { retryFields } from './actions';
import { useChatActions } from './chat-actions';

/** Why the relay refused a send, with 重试 (when it can be rebuilt) and 删除. */
export function FailedNotice(props: { message: ChatMessage }) {
  const { t } = useTranslation();
  const { retry, discard } = useChatActions();
  const { message } = props;
  // The stored error body carries the relay's code and reason, as a thrown call error does.
  const reason = errorText(t, message.error);
  return (
    <div className="message-failed" data-testid="message-failed">
      <Tooltip title={reason}>
        <ExclamationCircleFilled className="message-failed-icon" aria-hidden />
      </Tooltip>
      <span className="message-failed-reason" data-testid="message-failed-reason">
        {reason}
      </span>
      {retryFields(message) ? (
        <Button size="small" type="link" onClick={() => retry(message)}>
          {t('chat.failed.retry')}
        </Button>
      ) : null}
      <Button size="small" type="link" danger onClick={() => discard(message)}>
        {t('chat.failed.remove')}
      </Button>
    </div>
  );
}
