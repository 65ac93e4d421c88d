import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { CardBody } from '../../../../shared/protocol/message-content';
import { useUsers } from '../../contacts/directory';
import { useProfileCard } from '../../contacts/ProfileCard';
import { Avatar } from '../../shell/Avatar';

/** 名片: the colleague's name, title and avatar from the directory; opens their card (with 发消息). */
export function ContactCard(props: { body: z.infer<typeof CardBody> }) {
  const { t } = useTranslation();
  const { openProfile } = useProfileCard();
  const { body } = props;
  const user = useUsers([body.userId]).get(body.userId);
  const name = user?.name ?? body.name;
  return (
    <button type="button" className="message-card" data-testid="message-card" onClick={() => openProfile(body.userId)}>
      <span className="message-card-main">
        <Avatar id={body.userId} name={name} size={40} />
        <span className="message-card-text">
          <span className="message-card-name">{name}</span>
          {user?.title ? <span className="message-card-title">{user.title}</span> : null}
        </span>
      </span>
      <span className="message-card-footer">{t('chat.card.label')}</span>
    </button>
  );
}
