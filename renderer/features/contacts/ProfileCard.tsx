import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { App, Button, Descriptions, Empty, Modal, Spin, Tag } from 'antd';
import { MessageOutlined, PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { MemberStatus, User } from '../../../shared/protocol/entities';
import { useQixin } from '../../bridge/context';
import { useConversations } from '../chat/conversations';
import { useMe, useSession } from '../session/context';
import { errorText } from '../session/errors';
import { Avatar } from '../shell/Avatar';
import { useNavigation } from '../shell/navigation';
import { useDirectory, useUsers } from './directory';
import { pathText } from './org';

const STATUS_COLOR: Record<MemberStatus, string> = { active: 'green', disabled: 'default', left: 'red' };

export function StatusTag({ status }: { status: MemberStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`member.status.${status}`)}</Tag>;
}

/** `tel:` wants the digits and a leading +; separators in 010-12345678 are dropped. */
export function telHref(number: string): string {
  return `tel:${number.replace(/[^0-9+]/g, '')}`;
}

/** 个人名片: everything the directory says about a colleague, with 发消息 and 拨打电话. */
export function ProfileCard(props: { userId: string; onOpenUser?: (id: string) => void; onChatOpened?: () => void }) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const { session } = useSession();
  const { org } = useDirectory();
  const { upsert } = useConversations();
  const { openConversation } = useNavigation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const byId = useUsers([props.userId]);
  const user: User | undefined = byId.get(props.userId);
  const managerId = user?.managerId ?? null;
  const managers = useUsers(managerId ? [managerId] : []);

  if (!user) {
    return (
      <div className="profile-card profile-loading">
        <Spin />
      </div>
    );
  }
  const manager = managerId ? managers.get(managerId) : undefined;
  const dial = user.mobile ?? user.phone;

  const startChat = async () => {
    setBusy(true);
    try {
      const { conversation } = await qixin.call('conversations.openDirect', { userId: user.id });
      upsert(conversation);
      props.onChatOpened?.();
      openConversation(conversation.id);
    } catch (err) {
      message.error(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const notSet = <span className="profile-empty">{t('contacts.notSet')}</span>;
  return (
    <div className="profile-card" data-testid="profile-card">
      <div className="profile-head">
        <Avatar id={user.id} name={user.name} size={64} />
        <div>
          <h2 className="profile-name">
            {user.name}
            {user.alias ? (
              <span className="profile-alias">{t('common.parenthesized', { text: user.alias })}</span>
            ) : null}
            {user.id === me.id ? <span className="profile-me">{t('contacts.me')}</span> : null}
          </h2>
          <div className="profile-org">
            {user.title ? `${user.title} · ` : ''}
            {session.enterprise?.name}
          </div>
          {user.status !== 'active' ? <StatusTag status={user.status} /> : null}
        </div>
      </div>
      <Descriptions column={1} size="small" className="profile-fields">
        <Descriptions.Item label={t('member.departments')}>
          <div className="profile-departments" data-testid="profile-departments">
            {user.departmentIds.map((id) => (
              <div key={id}>{pathText(org, id) || t('contacts.hiddenDepartment')}</div>
            ))}
          </div>
        </Descriptions.Item>
        <Descriptions.Item label={t('member.account')}>{user.account}</Descriptions.Item>
        <Descriptions.Item label={t('member.mobile')}>
          {user.mobile ? <a href={telHref(user.mobile)}>{user.mobile}</a> : notSet}
        </Descriptions.Item>
        <Descriptions.Item label={t('member.phone')}>
          {user.phone ? <a href={telHref(user.phone)}>{user.phone}</a> : notSet}
        </Descriptions.Item>
        <Descriptions.Item label={t('member.email')}>
          {user.email ? <a href={`mailto:${user.email}`}>{user.email}</a> : notSet}
        </Descriptions.Item>
        <Descriptions.Item label={t('member.address')}>{user.address || notSet}</Descriptions.Item>
        <Descriptions.Item label={t('member.manager')}>
          {manager ? (
            <Button type="link" size="small" className="profile-link" onClick={() => props.onOpenUser?.(manager.id)}>
              {manager.name}
            </Button>
          ) : (
            notSet
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('member.status.label')}>
          <StatusTag status={user.status} />
        </Descriptions.Item>
      </Descriptions>
      <div className="profile-actions">
        {user.id !== me.id && user.status === 'active' ? (
          <Button type="primary" icon={<MessageOutlined />} onClick={() => void startChat()} loading={busy}>
            {t('contacts.sendMessage')}
          </Button>
        ) : null}
        {dial && user.id !== me.id ? (
          <Button icon={<PhoneOutlined />} href={telHref(dial)}>
            {t('contacts.call')}
          </Button>
        ) : null}
      </div>
    </div>
  );
}

type ProfileOpener = { openProfile: (userId: string) => void };
const ProfileContext = createContext<ProfileOpener>({ openProfile: () => undefined });

/** Lets any avatar (chat, members) open a colleague's card in a dialog. */
export function ProfileCardProvider(props: { children: ReactNode }) {
  const { t } = useTranslation();
  const [userId, setUserId] = useState<string | null>(null);
  const openProfile = useCallback((id: string) => setUserId(id), []);
  const value = useMemo(() => ({ openProfile }), [openProfile]);
  return (
    <ProfileContext.Provider value={value}>
      {props.children}
      <Modal
        open={userId !== null}
        onCancel={() => setUserId(null)}
        footer={null}
        width={420}
        title={t('contacts.profile')}
        destroyOnHidden
      >
        {userId ? (
          <ProfileCard userId={userId} onOpenUser={setUserId} onChatOpened={() => setUserId(null)} />
        ) : (
          <Empty />
        )}
      </Modal>
    </ProfileContext.Provider>
  );
}

export function useProfileCard(): ProfileOpener {
  return useContext(ProfileContext);
}
