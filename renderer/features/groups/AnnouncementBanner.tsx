import { useEffect, useState } from 'react';
import { Modal } from 'antd';
import { NotificationOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ConversationItem } from '../../../shared/contract';
import { useUsers } from '../contacts/directory';
import { formatDividerTime, userName } from '../chat/format';
import { useMe } from '../session/context';
import { markAnnouncementSeen, seenAnnouncementVersion } from './seenAnnouncements';
import './groups.css';

/**
 * 群公告 on top of the chat; a member who has not seen this version yet (a new member, or after
 * an edit) gets it once as a popup, as in WeCom.
 */
export function AnnouncementBanner(props: { conversation: ConversationItem }) {
  const { conversation } = props;
  const { t, i18n } = useTranslation();
  const me = useMe();
  const announcement = conversation.type === 'group' ? conversation.announcement : null;
  const byId = useUsers(announcement ? [announcement.authorId] : []);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (!announcement?.text || announcement.authorId === me.id) return;
    if (seenAnnouncementVersion(localStorage, me.id, conversation.id) < announcement.version) setOpen(true);
  }, [announcement, me.id, conversation.id]);

  if (!announcement?.text) return null;
  const close = () => {
    markAnnouncementSeen(localStorage, me.id, conversation.id, announcement.version);
    setOpen(false);
  };
  const author = userName(byId, announcement.authorId, t);
  return (
    <>
      <button
        type="button"
        className="announcement-banner"
        data-testid="announcement-banner"
        onClick={() => setOpen(true)}
        aria-label={t('group.announcement.show')}
      >
        <NotificationOutlined className="announcement-icon" />
        <span className="announcement-label">{t('group.announcement.title')}</span>
        <span className="announcement-text">{announcement.text}</span>
      </button>
      <Modal
        open={open}
        title={t('group.announcement.title')}
        onCancel={close}
        onOk={close}
        okText={t('group.announcement.gotIt')}
        cancelButtonProps={{ style: { display: 'none' } }}
        destroyOnHidden
      >
        <div data-testid="announcement-modal">
          <div className="announcement-meta">
            {t('group.announcement.byline', {
              name: author,
              time: formatDividerTime(announcement.updatedAt, i18n.language),
            })}
          </div>
          <div className="announcement-full">{announcement.text}</div>
        </div>
      </Modal>
    </>
  );
}
