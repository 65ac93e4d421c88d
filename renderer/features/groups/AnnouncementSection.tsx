import { useState } from 'react';
import { Button, Empty, Input, List, Modal, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConversationItem } from '../../../shared/contract';
import type { Announcement } from '../../../shared/protocol/entities';
import { MessagingLimits } from '../../../shared/protocol/message-content';
import { useQixin } from '../../bridge/context';
import { useUsers } from '../contacts/directory';
import { formatDividerTime, userName } from '../chat/format';
import { useGroupAction } from './useGroupAction';

/** 群公告 in the chat's settings: read by all, edited by the owner and admins, every version listed. */
export function AnnouncementSection(props: { conversation: ConversationItem; canEdit: boolean }) {
  const { conversation, canEdit } = props;
  const { t } = useTranslation();
  const qixin = useQixin();
  const run = useGroupAction();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [history, setHistory] = useState<Announcement[] | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const text = conversation.announcement?.text ?? '';

  const openHistory = async () => {
    setHistoryOpen(true);
    setHistory(null);
    const ok = await run(async () => {
      const result = await qixin.call('groups.announcements', { conversationId: conversation.id });
      setHistory(result.announcements);
    });
    if (!ok) setHistoryOpen(false);
  };

  return (
    <section className="settings-block" data-testid="announcement-section">
      <div className="settings-label group-section-head">
        <span>{t('group.announcement.title')}</span>
        <span className="group-section-actions">
          <Button size="small" type="link" onClick={() => void openHistory()}>
            {t('group.announcement.history')}
          </Button>
          {canEdit ? (
            <Button
              size="small"
              type="link"
              onClick={() => {
                setDraft(text);
                setEditing(true);
              }}
            >
              {t('group.announcement.edit')}
            </Button>
          ) : null}
        </span>
      </div>
      <div className={`group-announcement-text${text ? '' : ' is-empty'}`}>{text || t('group.announcement.none')}</div>

      <Modal
        open={editing}
        title={t('group.announcement.edit')}
        okText={t('group.announcement.publish')}
        onCancel={() => setEditing(false)}
        onOk={async () => {
          const ok = await run(
            () => qixin.call('groups.setAnnouncement', { conversationId: conversation.id, text: draft.trim() }),
            draft.trim() ? t('group.announcement.published') : t('group.announcement.cleared'),
          );
          if (ok) setEditing(false);
        }}
        destroyOnHidden
      >
        <Input.TextArea
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          maxLength={MessagingLimits.announcementMaxChars}
          showCount
          autoSize={{ minRows: 5, maxRows: 12 }}
          aria-label={t('group.announcement.title')}
          placeholder={t('group.announcement.placeholder')}
        />
      </Modal>

      <Modal
        open={historyOpen}
        title={t('group.announcement.history')}
        footer={null}
        onCancel={() => setHistoryOpen(false)}
        destroyOnHidden
      >
        {history === null ? <Spin /> : <AnnouncementHistory versions={history} />}
      </Modal>
    </section>
  );
}

function AnnouncementHistory(props: { versions: Announcement[] }) {
  const { t, i18n } = useTranslation();
  const byId = useUsers(props.versions.map((v) => v.authorId));
  if (props.versions.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('group.announcement.none')} />;
  }
  return (
    <List<Announcement>
      dataSource={props.versions}
      rowKey={(v) => String(v.version)}
      renderItem={(v) => (
        <List.Item data-testid="announcement-version">
          <List.Item.Meta
            title={t('group.announcement.version', {
              version: v.version,
              name: userName(byId, v.authorId, t),
              time: formatDividerTime(v.updatedAt, i18n.language),
            })}
            description={
              <span className="group-announcement-text">{v.text || t('group.announcement.clearedVersion')}</span>
            }
          />
        </List.Item>
      )}
    />
  );
}
