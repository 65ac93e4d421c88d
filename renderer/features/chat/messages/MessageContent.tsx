import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../../shared/contract';
import type { User } from '../../../../shared/protocol/entities';
import type { HistoryItem, MessageKind } from '../../../../shared/protocol/message-content';
import { FileCard } from '../files/FileCard';
import { ContactCard } from './ContactCard';
import { HistoryCard } from './HistoryCard';
import { ImageThumb } from './ImageThumb';
import { LocationCard } from './LocationCard';
import { MessageText } from './MessageText';
import { RichText } from './RichText';
import { VideoPlayer } from './VideoPlayer';
import { VoicePlayer } from './VoicePlayer';

/** Kinds drawn in their own frame (no bubble padding around them). */
export function framedKind(kind: MessageKind): boolean {
  return (
    kind === 'image' ||
    kind === 'video' ||
    kind === 'card' ||
    kind === 'history' ||
    kind === 'location' ||
    kind === 'file'
  );
}

/** A body of any kind, as in a message or in a merged history (which has no mentions). */
function BodyContent(props: {
  kind: MessageKind;
  text: string;
  body: ChatMessage['body'] | HistoryItem['body'];
  /** The chat message itself (null inside a merged history): a file card downloads through it. */
  message: ChatMessage | null;
  onOpenImage: () => void;
  fallback: string;
  textNode: React.ReactNode;
}) {
  const { body } = props;
  switch (body?.kind) {
    case 'image':
      return <ImageThumb body={body} onOpen={props.onOpenImage} />;
    case 'voice':
      return <VoicePlayer body={body} />;
    case 'video':
      return <VideoPlayer body={body} />;
    case 'card':
      return <ContactCard body={body} />;
    case 'location':
      return <LocationCard body={body} />;
    case 'rich':
      return <RichText segments={body.segments} />;
    case 'history':
      return <HistoryCard body={body} />;
    case 'file':
      return <FileCard body={body} message={props.message} />;
    default:
      return props.kind === 'text' ? props.textNode : <span>{props.text || props.fallback}</span>;
  }
}

export function MessageContent(props: { message: ChatMessage; byId: Map<string, User>; onOpenImage: () => void }) {
  const { t } = useTranslation();
  const { message } = props;
  return (
    <BodyContent
      kind={message.kind}
      text={message.text}
      body={message.body}
      message={message}
      onOpenImage={props.onOpenImage}
      fallback={t(`chat.kind.${message.kind}`)}
      textNode={
        <MessageText
          text={message.text}
          mentions={message.mentions}
          mentionAll={message.mentionAll}
          byId={props.byId}
          allLabel={t('chat.mention.all')}
        />
      }
    />
  );
}

export function ItemContent(props: { item: HistoryItem; onOpenImage: () => void; unknownLabel: string }) {
  const { item } = props;
  return (
    <BodyContent
      kind={item.kind}
      text={item.text}
      body={item.body}
      message={null}
      onOpenImage={props.onOpenImage}
      fallback={props.unknownLabel}
      textNode={<MessageText text={item.text} mentions={[]} mentionAll={false} byId={new Map()} allLabel="" />}
    />
  );
}
