import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../shared/contract';
import { searchableText } from '../../../shared/lib/search-text';
import { formatListTime } from '../chat/format';
import { Highlighted } from './Highlighted';
import { snippetAround } from './highlight';

/** One message found: the chat's name, who sent it and when, and the words around the match. */
export function MessageHit(props: {
  message: ChatMessage;
  query: string;
  chatTitle: string;
  senderName: string;
  onOpen: (message: ChatMessage) => void;
}) {
  const { i18n } = useTranslation();
  const { message, query } = props;
  // The match may sit in a location's address or inside a forwarded history rather than the text.
  const text = searchableText(message);
  return (
    <button
      type="button"
      className="search-message-hit"
      data-testid="search-message-hit"
      data-message-id={message.id}
      onClick={() => props.onOpen(message)}
    >
      <span className="search-hit-line">
        <span className="search-hit-chat">{props.chatTitle}</span>
        <span className="search-hit-time">{formatListTime(message.createdAt, i18n.language)}</span>
      </span>
      <span className="search-hit-snippet">
        <span className="search-hit-sender">{props.senderName}：</span>
        <Highlighted text={snippetAround(text, query)} query={query} />
      </span>
    </button>
  );
}
