import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Favorite } from '../../../shared/protocol/entities';
import { HistoryCard } from '../chat/messages/HistoryCard';
import { ImageViewer } from '../chat/messages/ImageViewer';
import { ItemContent } from '../chat/messages/MessageContent';

/** A saved message drawn as the chat draws it (image, voice, card, location, rich text, history…). */
export function FavoriteContent(props: { favorite: Favorite }) {
  const { t } = useTranslation();
  const { favorite } = props;
  const [viewing, setViewing] = useState(false);
  const body = favorite.body;
  if (body?.kind === 'history') return <HistoryCard body={body} />;
  if (favorite.kind === 'system' || favorite.kind === 'history') {
    return <span className="favorite-text">{favorite.text}</span>;
  }
  return (
    <>
      <ItemContent
        item={{
          senderId: favorite.senderId,
          senderName: '',
          kind: favorite.kind,
          text: favorite.text,
          body,
          createdAt: favorite.createdAt,
        }}
        onOpenImage={() => setViewing(true)}
        unknownLabel={t(`chat.kind.${favorite.kind}`)}
      />
      {viewing && body?.kind === 'image' ? (
        <ImageViewer
          images={[{ key: favorite.id, mediaId: body.mediaId, width: body.width, height: body.height }]}
          index={0}
          onClose={() => setViewing(false)}
        />
      ) : null}
    </>
  );
}
