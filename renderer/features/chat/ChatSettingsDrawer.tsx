import { useState } from 'react';
import { App, Button, Drawer, Input, Popconfirm, Switch, Tooltip } from 'antd';
import { CrownFilled, PlusOutlined, UserDeleteOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ConversationItem } from '../../../shared/contract';
import { Limits } from '../../../shared/protocol/entities';
import { useQixin } from '../../bridge/context';
import { byPinyin, useUsers } from '../contacts/directory';
import { MemberPicker } from '../contacts/MemberPicker';
import { useProfileCard } from '../contacts/ProfileCard';
import { useMe } from '../session/context';
import { errorText } from '../session/errors';
import { Avatar } from '../shell/Avatar';
import { useNavigation } from '../shell/navigation';
import { useConversations } from './conversations';
import { conversationTitle, userName } from './format';

/** 聊天信息: name, members (add / remove), pin, mute, leave. */
export function ChatSettingsDrawer(props: { conversation: ConversationItem; open: boolean; onClose: () => void }) {
  const { conversation } = props;
  const { t } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const byId = useUsers(conversation.memberIds);
  const { openProfile } = useProfileCard();
  const { refresh, upsert } = useConversations();
  const { openConversation } = useNavigation();
  const { message } = App.useApp();
  const [name, setName] = useState(conversation.name ?? '');
  const [picking, setPicking] = useState(false);
  const isGroup = conversation.type === 'group';
  const isOwner = conversation.ownerId === me.id;

  const run = async (work: () => Promise<unknown>, done?: string) => {
    try {
      await work();
      refresh();
      if (done) message.success(done);
    } catch (err) {
      message.error(errorText(t, err));
    }
  };

  // Owner first, everyone else in pinyin order.
  const members = [
    conversation.ownerId,
    ...byPinyin(conversation.memberIds, byId).filter((id) => id !== conversation.ownerId),
  ].filter((id) => conversation.memberIds.includes(id));

  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      title={t('chatSettings.title')}
      size={340}
      destroyOnHidden
      className="chat-settings"
    >
      {isGroup ? (
        <section className="settings-block">
          <div className="settings-label">{t('chatSettings.groupName')}</div>
          <Input.Search
            value={name}
            maxLength={Limits.nameMaxChars}
            onChange={(e) => setName(e.target.value)}
            placeholder={conversationTitle(conversation, me.id, byId, t)}
            enterButton={t('common.save')}
            aria-label={t('chatSettings.groupName')}
            disabled={!conversation.active}
            onSearch={(value, e) => {
              e?.preventDefault();
              const trimmed = value.trim();
              if (!trimmed || trimmed === conversation.name) return;
              void run(
                () => qixin.call('conversations.rename', { conversationId: conversation.id, name: trimmed }),
                t('chatSettings.renamed'),
              );
            }}
          />
        </section>
      ) : null}

      <section className="settings-block">
        <div className="settings-label">{t('chatSettings.members', { count: conversation.memberIds.length })}</div>
        <div className="member-grid" role="list" aria-label={t('chatSettings.memberList')}>
          {members.map((id) => {
            const memberName = userName(byId, id, t);
            return (
              <div key={id} className="member-cell" role="listitem" data-testid="group-member" aria-label={memberName}>
                <Avatar
                  id={id}
                  name={memberName}
                  size={36}
                  onClick={() => openProfile(id)}
                  label={t('contacts.openProfile', { name: memberName })}
                />
                <span className="member-name">
                  {memberName}
                  {id === conversation.ownerId ? (
                    <CrownFilled className="owner-mark" aria-label={t('chatSettings.owner')} />
                  ) : null}
                </span>
                {isGroup && isOwner && id !== me.id && conversation.active ? (
                  <Popconfirm
                    title={t('chatSettings.removeConfirm', { name: memberName })}
                    onConfirm={() =>
                      run(() =>
                        qixin.call('conversations.removeMember', { conversationId: conversation.id, userId: id }),
                      )
                    }
                  >
                    <Tooltip title={t('chatSettings.remove')}>
                      <Button
                        className="member-remove"
                        size="small"
                        type="text"
                        danger
                        icon={<UserDeleteOutlined />}
                        aria-label={t('chatSettings.removeNamed', { name: memberName })}
                      />
                    </Tooltip>
                  </Popconfirm>
                ) : null}
              </div>
            );
          })}
          {conversation.active ? (
            <button
              type="button"
              className="member-cell member-add"
              onClick={() => setPicking(true)}
              aria-label={t('chatSettings.add')}
            >
              <span className="member-add-icon">
                <PlusOutlined />
              </span>
              <span className="member-name">{t('chatSettings.add')}</span>
            </button>
          ) : null}
        </div>
      </section>

      <section className="settings-block">
        <label className="settings-switch">
          <span>{t('chat.pin')}</span>
          <Switch
            checked={conversation.pinned}
            aria-label={t('chat.pin')}
            onChange={(pinned) =>
              run(() => qixin.call('conversations.setPrefs', { conversationId: conversation.id, pinned }))
            }
          />
        </label>
        <label className="settings-switch">
          <span>{t('chat.mute')}</span>
          <Switch
            checked={conversation.muted}
            aria-label={t('chat.mute')}
            onChange={(muted) =>
              run(() => qixin.call('conversations.setPrefs', { conversationId: conversation.id, muted }))
            }
          />
        </label>
      </section>

      {isGroup && conversation.active ? (
        <Popconfirm
          title={t('chatSettings.leaveConfirm')}
          onConfirm={() =>
            run(async () => {
              await qixin.call('conversations.leave', { conversationId: conversation.id });
              props.onClose();
              openConversation(null);
            })
          }
        >
          <Button danger block>
            {t('chatSettings.leave')}
          </Button>
        </Popconfirm>
      ) : null}

      <MemberPicker
        open={picking}
        title={isGroup ? t('chatSettings.add') : t('chat.createGroup')}
        okText={isGroup ? t('common.confirm') : t('chat.createGroupOk')}
        excludeIds={conversation.memberIds}
        onCancel={() => setPicking(false)}
        onOk={async (userIds) => {
          if (isGroup) {
            await run(() => qixin.call('conversations.addMembers', { conversationId: conversation.id, userIds }));
          } else {
            // Adding someone to a 1:1 chat starts a new group with both of you, as in WeCom.
            const peers = conversation.memberIds.filter((id) => id !== me.id);
            await run(async () => {
              const { conversation: group } = await qixin.call('conversations.createGroup', {
                memberIds: [...peers, ...userIds],
              });
              upsert(group);
              props.onClose();
              openConversation(group.id);
            });
          }
          setPicking(false);
        }}
      />
    </Drawer>
  );
}
