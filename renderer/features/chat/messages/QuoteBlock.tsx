import { useTranslation } from 'react-i18next';
import type { Quote } from '../../../../shared/protocol/message-content';
import type { User } from '../../../../shared/protocol/entities';
import { contentSummary, userName } from '../format';

/** The quoted message above a reply (引用); clicking jumps to it in the chat. */
export function QuoteBlock(props: { quote: Quote; byId: Map<string, User>; onJump: () => void }) {
  const { t } = useTranslation();
  const { quote } = props;
  const text = contentSummary({ kind: quote.kind, text: quote.text, body: null }, t);
  return (
    <button
      type="button"
      className="message-quote"
      data-testid="message-quote"
      title={t('chat.quote.jump')}
      onClick={props.onJump}
    >
      {t('chat.previewWithSender', { name: userName(props.byId, quote.senderId, t), text })}
    </button>
  );
}
