import { useMemo, useRef, useState } from 'react';
import { App, Button, Descriptions, Empty, Input, Tag, Tooltip } from 'antd';
import { MessageOutlined, SearchOutlined, UserAddOutlined } from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/protocol/entities';
import { useQixin } from '../../bridge/context';
import { useConversations } from '../chat/conversations';
import { useMe, useSession } from '../session/context';
import { errorText } from '../session/errors';
import { Avatar } from '../shell/Avatar';
import { useNavigation } from '../shell/navigation';
import { AddMemberModal } from './AddMemberModal';
import { useDirectory } from './directory';
import { userMatches } from './search';

const ROW_HEIGHT = 56;

/** 通讯录: everyone in the enterprise (pinyin order), a profile card, and 添加成员 for admins. */
export function ContactsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { session } = useSession();
  const { users, byId } = useDirectory();
  const [query, setQuery] = useState('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => users.filter((u) => userMatches(u, query)), [users, query]);
  const selected = selectedId ? byId.get(selectedId) : undefined;

  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => shown[index]?.id ?? index,
    overscan: 8,
  });

  return (
    <div className="contacts-page">
      <section className="contacts-column" aria-label={t('shell.contacts')}>
        <header className="column-header">
          <span className="column-title">{session.enterprise?.name ?? t('shell.contacts')}</span>
          {me.role === 'admin' ? (
            <Tooltip title={t('contacts.addMember')}>
              <Button
                type="text"
                icon={<UserAddOutlined />}
                aria-label={t('contacts.addMember')}
                onClick={() => setAdding(true)}
              />
            </Tooltip>
          ) : null}
        </header>
        <div className="column-search">
          <Input
            allowClear
            variant="filled"
            prefix={<SearchOutlined />}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder={t('contacts.searchPlaceholder')}
            aria-label={t('contacts.search')}
          />
        </div>
        <div className="contacts-count">{t('contacts.count', { count: shown.length })}</div>
        <div className="contacts-scroll" ref={scrollRef} role="list" aria-label={t('contacts.memberList')}>
          {shown.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contacts.noMatch')} />
          ) : null}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((row) => {
              const user = shown[row.index];
              if (!user) return null;
              return (
                <div
                  key={row.key}
                  role="listitem"
                  tabIndex={0}
                  aria-label={user.name}
                  data-testid="contact-item"
                  className={`contact-item${user.id === selectedId ? ' is-active' : ''}`}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW_HEIGHT,
                    transform: `translateY(${row.start}px)`,
                  }}
                  onClick={() => setSelectedId(user.id)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') setSelectedId(user.id);
                  }}
                >
                  <Avatar id={user.id} name={user.name} size={34} />
                  <span className="contact-name">{user.name}</span>
                  {user.role === 'admin' ? <Tag color="blue">{t('contacts.admin')}</Tag> : null}
                </div>
              );
            })}
          </div>
        </div>
      </section>
      <section className="profile-pane">
        {selected ? (
          <ProfileCard user={selected} />
        ) : (
          <div className="chat-empty">
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contacts.pickOne')} />
          </div>
        )}
      </section>
      <AddMemberModal
        open={adding}
        onClose={() => setAdding(false)}
        onAdded={(user) => {
          setAdding(false);
          setSelectedId(user.id);
        }}
      />
    </div>
  );
}

function ProfileCard({ user }: { user: User }) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const { session } = useSession();
  const { upsert } = useConversations();
  const { openConversation } = useNavigation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);

  const startChat = async () => {
    setBusy(true);
    try {
      const { conversation } = await qixin.call('conversations.openDirect', { userId: user.id });
      upsert(conversation);
      openConversation(conversation.id);
    } catch (err) {
      message.error(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="profile-card" data-testid="profile-card">
      <div className="profile-head">
        <Avatar id={user.id} name={user.name} size={64} />
        <div>
          <h2 className="profile-name">
            {user.name}
            {user.id === me.id ? <span className="profile-me">{t('contacts.me')}</span> : null}
          </h2>
          <div className="profile-org">{session.enterprise?.name}</div>
        </div>
      </div>
      <Descriptions column={1} size="small" className="profile-fields">
        <Descriptions.Item label={t('contacts.account')}>{user.account}</Descriptions.Item>
        <Descriptions.Item label={t('contacts.mobile')}>{user.mobile ?? t('contacts.notSet')}</Descriptions.Item>
        <Descriptions.Item label={t('contacts.email')}>{user.email ?? t('contacts.notSet')}</Descriptions.Item>
        <Descriptions.Item label={t('contacts.role')}>
          {user.role === 'admin' ? t('contacts.admin') : t('contacts.member')}
        </Descriptions.Item>
      </Descriptions>
      {user.id !== me.id ? (
        <Button type="primary" icon={<MessageOutlined />} onClick={() => void startChat()} loading={busy}>
          {t('contacts.sendMessage')}
        </Button>
      ) : null}
    </div>
  );
}
