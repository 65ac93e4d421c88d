import { useState } from 'react';
import { App, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConversationItem } from '../../../shared/contract';
import { MessagingLimits } from '../../../shared/protocol/message-content';
import { useQixin } from '../../bridge/context';
import { useConversations } from '../chat/conversations';
import { allTags, normalizeTags } from './tags';
import { useGroupAction } from './useGroupAction';

/** 设置标签: the user's own tags for one chat (pick existing ones or type new ones). */
export function TagEditor(props: { conversation: ConversationItem; open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const { list } = useConversations();
  const run = useGroupAction();
  const [value, setValue] = useState<string[]>(props.conversation.tags);

  const save = async () => {
    const { tags, tooLong, tooMany } = normalizeTags(value);
    if (tooLong) return void message.error(t('group.tags.tooLong', { max: MessagingLimits.tagMaxChars }));
    if (tooMany) return void message.error(t('group.tags.tooMany', { max: MessagingLimits.tagsPerConversation }));
    const ok = await run(
      () => qixin.call('conversations.setPrefs', { conversationId: props.conversation.id, tags }),
      t('group.tags.saved'),
    );
    if (ok) props.onClose();
  };

  return (
    <Modal
      open={props.open}
      title={t('group.tags.set')}
      onCancel={props.onClose}
      onOk={() => void save()}
      destroyOnHidden
    >
      <Select
        mode="tags"
        value={value}
        onChange={setValue}
        options={allTags(list, i18n.language).map((tag) => ({ value: tag, label: tag }))}
        placeholder={t('group.tags.placeholder')}
        aria-label={t('group.tags.set')}
        style={{ width: '100%' }}
        tokenSeparators={[',', '，']}
      />
    </Modal>
  );
}
