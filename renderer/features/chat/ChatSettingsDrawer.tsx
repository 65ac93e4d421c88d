import { useState } from 'react';
import { App, Button, Drawer, Input, Popconfirm, Switch, Tag, Tooltip } from 'antd';
import { CrownFilled, PlusOutlined, TagsOutlined, UserDeleteOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ConversationItem } from '../../../shared/contract';
import { Limits } from '../../../shared/protocol/entities';
import { MessagingLimits } from '../../../shared/protocol/message-content';
import { useQixin } from '../../bridge/context';
import { byPinyin, useUsers } from '../contacts/directory';
import { MemberPicker } from '../contacts/MemberPicker';
import { useProfileCard } from '../contacts/ProfileCard';
import { AnnouncementSection } from '../groups/AnnouncementSection';
import { GroupRulesSection } from '../groups/GroupRulesSection';
import { OwnerActions } from '../groups/OwnerActions';
import { inviteOverflow, isGroupManager, isGroupOwner, mayInviteOrRename } from '../groups/roles';
import { TagEditor } from '../groups/TagEditor';
import { useMe, useSession } from '../session/context';
import { errorText } from '../session/errors';
import { Avatar } from '../shell/Avatar';
import { useNavigation } from '../shell/navigation';
import { useConversations } from './conversations';
import { conversationTitle, userName } from './format';

/**
 * 聊天信息: name, members (add / remove), pin, mute, tags, leave; for groups also the
 * announcement, and the owner's and admins' management (admins, transfer, dissolve, rules).
 */
export function ChatSettingsDrawer(props: { conversation: ConversationItem; open: boolean; onClose: () => void }) {
  const { conversation } = props;
  const { t } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const { session } = useSession();
  const byId = useUsers(conversation.memberIds);
  const { openProfile } = useProfileCard();
  const { refresh, upsert } = useConversations();
  const { openConversation } = useNavigation();
  const { message } = App.useApp();
  const [name, setName] = useState(conversation.name ?? '');
  const [picking, setPicking] = useState(false);
  const [tagging, setTagging] = useState(false);
  const isGroup = conversation.type === 'group';
  const isOwner = isGroupOwner(conversation, me.id);
  const isManager = isGroupManager(conversation, me.id);
  const mayInvite = mayInviteOrRename(conversation, me.id);
  const manageable = isGroup && conversation.active && !conversation.dissolved;
  const limit = session.enterprise?.groupMaxMembers ?? MessagingLimits.groupMaxMembersDefault;

  const run = async (work: () => Promise<unknown>, done?: string) => {
    try {
      await work();
      refresh();
      if (done) message.success(done);
    } catch (err) {
      message.error(errorText(t, err));
    }
  };

  // Owner first, then the admins, then everyone else, each in pinyin order.
  const sorted = byPinyin(conversation.memberIds, byId).filter((id) => id !== conversation.ownerId);
  const others = [
    ...sorted.filter((id) => conversation.adminIds.includes(id)),
    ...sorted.filter((id) => !conversation.adminIds.includes(id)),
  ];
  const members = [conversation.ownerId, ...others].filter((id) => conversation.memberIds.includes(id));

  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      title={t('chatSettings.title')}
      size={360}
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
            disabled={!mayInvite}
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
        <div className="settings-label group-section-head">
          <span>{t('chatSettings.members', { count: conversation.memberIds.length })}</span>
          {isGroup ? (
            <span className="group-limit" data-testid="group-limit">
              {t('group.limit.shown', { count: conversation.memberIds.length, max: limit })}
            </span>
          ) : null}
        </div>
        <div className="member-grid" role="list" aria-label={t('chatSettings.memberList')}>
          {members.map((id) => {
            const memberName = userName(byId, id, t);
            const role =
              isGroup && id === conversation.ownerId
                ? 'owner'
                : isGroup && conversation.adminIds.includes(id)
                  ? 'admin'
                  : null;
            return (
              <div
                key={id}
                className="member-cell"
                role="listitem"
                data-testid="group-member"
                data-role={role ?? 'member'}
                aria-label={memberName}
              >
                <Avatar
                  id={id}
                  name={memberName}
                  size={36}
                  onClick={() => openProfile(id)}
                  label={t('contacts.openProfile', { name: memberName })}
                />
                <span className="member-name">
                  {memberName}
                  {role === 'owner' ? (
                    <CrownFilled className="owner-mark" aria-label={t('chatSettings.owner')} />
                  ) : null}
                </span>
                {role ? (
                  <Tag className="member-role" color={role === 'owner' ? 'gold' : 'blue'} bordered={false}>
                    {role === 'owner' ? t('chatSettings.owner') : t('group.admins.badge')}
                  </Tag>
                ) : null}
                {isGroup && isOwner && id !== me.id && manageable ? (
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
          {mayInvite ? (
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

      {isGroup ? <AnnouncementSection conversation={conversation} canEdit={manageable && isManager} /> : null}
      {manageable && isManager ? <GroupRulesSection conversation={conversation} /> : null}

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
        <div className="settings-switch">
          <span>
            {t('group.tags.title')}
            {conversation.tags.length > 0 ? (
              <span className="group-tag-list">
                {conversation.tags.map((tag) => (
                  <Tag key={tag} bordered={false}>
                    {tag}
                  </Tag>
                ))}
              </span>
            ) : null}
          </span>
          <Button size="small" icon={<TagsOutlined />} onClick={() => setTagging(true)}>
            {t('group.tags.set')}
          </Button>
        </div>
      </section>

      {manageable && isOwner ? <OwnerActions conversation={conversation} others={others} byId={byId} /> : null}

      {isGroup && conversation.active && !conversation.dissolved ? (
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

      <TagEditor
        key={conversation.tags.join('\n')}
        conversation={conversation}
        open={tagging}
        onClose={() => setTagging(false)}
      />

      <MemberPicker
        open={picking}
        title={isGroup ? t('chatSettings.add') : t('chat.createGroup')}
        okText={isGroup ? t('common.confirm') : t('chat.createGroupOk')}
        excludeIds={conversation.memberIds}
        onCancel={() => setPicking(false)}
        onOk={async (userIds) => {
          if (isGroup) {
            // Said before asking the relay, which refuses it anyway (group_full).
            const over = inviteOverflow(conversation.memberIds.length, userIds.length, limit);
            if (over > 0) {
              message.error(t('group.limit.refused', { max: limit, count: over }));
              return;
            }
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
