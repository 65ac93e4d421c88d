import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Badge, Tooltip } from 'antd';
import {
  CalendarOutlined,
  CloudOutlined,
  ContactsOutlined,
  ControlOutlined,
  MessageOutlined,
  SettingOutlined,
  StarOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useQixinEvent } from '../../bridge/context';
import { ChatPage } from '../chat/ChatPage';
import { ConversationsProvider, useConversations } from '../chat/conversations';
import { ContactsPage } from '../contacts/ContactsPage';
import { DrivePage } from '../drive/DrivePage';
import { FavoritesPage } from '../favorites/FavoritesPage';
import { CalendarPage } from '../calendar/CalendarPage';
import { ReminderPopups } from '../calendar/ReminderPopups';
import { AdminConsole } from '../admin/AdminConsole';
import { administers, useAdminScope, type AdminScope } from '../admin/scope';
import { DirectoryProvider } from '../contacts/directory';
import { ProfileCardProvider } from '../contacts/ProfileCard';
import { SettingsPage } from '../settings/SettingsPage';
import { useMe, useSession } from '../session/context';
import { Avatar } from './Avatar';
import { ConnectionBanner } from './ConnectionBanner';
import {
  NavigationContext,
  useNavigation,
  type CalendarTarget,
  type MessageTarget,
  type Navigation,
  type Section,
} from './navigation';
import { useBrowserNotifications } from './notifications';

/** The signed-in workspace: left rail, connection banner and the current section. */
export function Shell() {
  return (
    <DirectoryProvider>
      <ConversationsProvider>
        <ShellLayout />
      </ConversationsProvider>
    </DirectoryProvider>
  );
}

function ShellLayout() {
  const [section, setSection] = useState<Section>('chat');
  const [activeConversationId, setActive] = useState<string | null>(null);
  const [messageTarget, setMessageTarget] = useState<MessageTarget | null>(null);
  const [contactsDepartmentId, setContactsDepartmentId] = useState<string | null>(null);
  const openConversation = useCallback((id: string | null) => {
    setActive(id);
    setMessageTarget(null);
    if (id) setSection('chat');
  }, []);
  const openMessage = useCallback((conversationId: string, seq: number) => {
    setActive(conversationId);
    setMessageTarget({ conversationId, seq, at: Date.now() });
    setSection('chat');
  }, []);
  const clearMessageTarget = useCallback(() => setMessageTarget(null), []);
  const [calendarTarget, setCalendarTarget] = useState<CalendarTarget | null>(null);
  const openCalendar = useCallback((at: number, eventId?: string | null) => {
    setCalendarTarget({ at, eventId: eventId ?? null, nonce: Date.now() });
    setSection('calendar');
  }, []);
  useQixinEvent('conversation.open', ({ conversationId }) => openConversation(conversationId));
  useQixinEvent('calendar.open', ({ eventId, start }) => openCalendar(start, eventId));
  useBrowserNotifications(openConversation);
  const scope = useAdminScope();
  const isAdmin = administers(scope);

  const navigation = useMemo<Navigation>(
    () => ({
      section,
      setSection,
      activeConversationId,
      openConversation,
      openMessage,
      messageTarget,
      clearMessageTarget,
      contactsDepartmentId,
      setContactsDepartmentId,
      openCalendar,
      calendarTarget,
    }),
    [
      section,
      activeConversationId,
      openConversation,
      openMessage,
      messageTarget,
      clearMessageTarget,
      contactsDepartmentId,
      openCalendar,
      calendarTarget,
    ],
  );

  return (
    <NavigationContext.Provider value={navigation}>
      <ProfileCardProvider>
        <div className="shell">
          <Rail admin={isAdmin} />
          <main className="shell-main">
            <ConnectionBanner />
            <div className="shell-content">
              {section === 'chat' ? <ChatPage /> : null}
              {section === 'contacts' ? <ContactsPage /> : null}
              {section === 'calendar' ? <CalendarPage /> : null}
              {section === 'drive' ? <DrivePage /> : null}
              {section === 'favorites' ? <FavoritesPage /> : null}
              {section === 'admin' && isAdmin && scope ? <AdminConsole scope={scope as AdminScope} /> : null}
              {section === 'settings' ? <SettingsPage /> : null}
            </div>
          </main>
        </div>
        <ReminderPopups />
      </ProfileCardProvider>
    </NavigationContext.Provider>
  );
}

function Rail(props: { admin: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const { session } = useSession();
  const { section, setSection } = useNavigation();
  const { list } = useConversations();
  const unread = list.reduce((sum, c) => sum + (c.muted ? 0 : c.unread), 0);
  const mutedUnread = list.some((c) => c.muted && c.unread > 0);

  useEffect(() => {
    const name = t('app.name');
    document.title = unread > 0 ? `${name} (${unread})` : name;
  }, [unread, t]);

  const item = (key: Section, icon: ReactNode, label: string, badge?: ReactNode) => (
    <button
      type="button"
      className={`rail-item${section === key ? ' rail-item-active' : ''}`}
      aria-label={label}
      aria-current={section === key ? 'page' : undefined}
      onClick={() => setSection(key)}
    >
      <span className="rail-icon">
        {icon}
        {badge}
      </span>
      <span className="rail-label">{label}</span>
    </button>
  );

  return (
    <nav className="rail" aria-label={t('shell.navigation')}>
      <Tooltip placement="right" title={`${me.name} · ${session.enterprise?.name ?? ''}`}>
        <div className="rail-me" data-testid="rail-me">
          <Avatar id={me.id} name={me.name} size={38} />
        </div>
      </Tooltip>
      {item(
        'chat',
        <MessageOutlined />,
        t('shell.messages'),
        unread > 0 ? (
          <Badge className="rail-badge" count={unread} overflowCount={99} size="small" data-testid="rail-unread" />
        ) : mutedUnread ? (
          <Badge className="rail-badge" dot />
        ) : null,
      )}
      {item('contacts', <ContactsOutlined />, t('shell.contacts'))}
      {item('calendar', <CalendarOutlined />, t('calendar.title'))}
      {item('drive', <CloudOutlined />, t('drive.title'))}
      {item('favorites', <StarOutlined />, t('favorites.title'))}
      {props.admin ? item('admin', <ControlOutlined />, t('shell.admin')) : null}
      <div className="rail-spacer" />
      {item('settings', <SettingOutlined />, t('shell.settings'))}
    </nav>
  );
}
