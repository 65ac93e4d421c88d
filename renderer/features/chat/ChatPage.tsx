import { useEffect, useState } from 'react';
import { App } from 'antd';
import { MessageOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useQixin } from '../../bridge/context';
import { MemberPicker } from '../contacts/MemberPicker';
import { useMe } from '../session/context';
import { errorText } from '../session/errors';
import { useNavigation } from '../shell/navigation';
import { ChatPane } from './ChatPane';
import { ConversationList } from './ConversationList';
import { useConversations } from './conversations';

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}

/** 消息: the conversation list beside the open chat. */
export function ChatPage() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const { message } = App.useApp();
  const { byId, upsert } = useConversations();
  const { activeConversationId, openConversation } = useNavigation();
  const [creating, setCreating] = useState(false);
  const visible = usePageVisible();
  const active = activeConversationId ? byId.get(activeConversationId) : undefined;

  // Tell the core which chat is on screen, so it is read and not notified; none when hidden.
  const focusedId = visible && active ? active.id : null;
  useEffect(() => {
    void qixin.call('conversations.focus', { conversationId: focusedId }).catch(() => undefined);
  }, [qixin, focusedId]);
  useEffect(
    () => () => void qixin.call('conversations.focus', { conversationId: null }).catch(() => undefined),
    [qixin],
  );

  return (
    <div className="chat-page">
      <ConversationList onCreateGroup={() => setCreating(true)} />
      {active ? (
        <ChatPane conversation={active} visible={visible} />
      ) : (
        <div className="chat-empty">
          <MessageOutlined className="chat-empty-icon" />
          <div>{t('chat.pickOne')}</div>
        </div>
      )}
      <MemberPicker
        open={creating}
        title={t('chat.createGroup')}
        okText={t('chat.createGroupOk')}
        excludeIds={[me.id]}
        withName
        onCancel={() => setCreating(false)}
        onOk={async (memberIds, name) => {
          try {
            const { conversation } = await qixin.call('conversations.createGroup', {
              memberIds,
              ...(name ? { name } : {}),
            });
            upsert(conversation);
            openConversation(conversation.id);
            setCreating(false);
          } catch (err) {
            message.error(errorText(t, err));
          }
        }}
      />
    </div>
  );
}
