import { useMemo, useState } from 'react';
import { App, Button, Descriptions, Empty, Tag, Tooltip } from 'antd';
import { MessageOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/protocol/entities';
import { useQixin } from '../../bridge/context';
import { SearchBox } from '../../ui/SearchBox';
import { VirtualRows } from '../../ui/VirtualRows';
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
  const shown = useMemo(() => users.filter((u) => userMatches(u, query)), [users, query]);
  const selected = selectedId ? byId.get(selectedId) : undefined;

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
          <SearchBox
            value={query}
            onChange={setQuery}
            placeholder={t('contacts.searchPlaceholder')}
            ariaLabel={t('contacts.search')}
          />
        </div>
        <div className="contacts-count">{t('contacts.count', { count: shown.length })}</div>
        <VirtualRows
          items={shown}
          rowHeight={ROW_HEIGHT}
          getKey={(user) => user.id}
          className="contacts-scroll"
          ariaLabel={t('contacts.memberList')}
          empty={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contacts.noMatch')} />}
          renderRow={(user, style) => (
            <div
              role="listitem"
              tabIndex={0}
              aria-label={user.name}
              data-testid="contact-item"
              className={`contact-item${user.id === selectedId ? ' is-active' : ''}`}
              style={style}
              onClick={() => setSelectedId(user.id)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') setSelectedId(user.id);
              }}
            >
              <Avatar id={user.id} name={user.name} size={34} />
              <span className="contact-name">{user.name}</span>
              {user.role === 'admin' ? <Tag color="blue">{t('contacts.admin')}</Tag> : null}
            </div>
          )}
        />
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
