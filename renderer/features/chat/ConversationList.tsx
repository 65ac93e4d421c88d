import { useMemo, useState } from 'react';
import { App, Badge, Button, Dropdown, Empty, Tooltip, type MenuProps } from 'antd';
import { EllipsisOutlined, MutedOutlined, PushpinFilled, UsergroupAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ConversationItem } from '../../../shared/contract';
import { useQixin } from '../../bridge/context';
import { VirtualRows } from '../../ui/VirtualRows';
import { useDirectory, useUsers } from '../contacts/directory';
import { TodaySchedule } from '../calendar/TodaySchedule';
import { allTags } from '../groups/tags';
import { TagEditor } from '../groups/TagEditor';
import { TagFilter } from '../groups/TagFilter';
import { GlobalSearchBox } from '../search/GlobalSearchBox';
import { GlobalSearchResults } from '../search/GlobalSearchResults';
import { useSearchQuery } from '../search/useSearchQuery';
import { errorText } from '../session/errors';
import { useMe } from '../session/context';
import { Avatar } from '../shell/Avatar';
import { useNavigation } from '../shell/navigation';
import { useConversations } from './conversations';
import { conversationTitle, formatListTime, messagePreview } from './format';

const ROW_HEIGHT = 68;

/** Whose names the list shows: direct peers, the first members of unnamed groups, last senders. */
function namedIn(list: readonly ConversationItem[], meId: string): string[] {
  const ids = new Set<string>();
  for (const c of list) {
    if (!c.name) for (const id of c.memberIds.filter((m) => m !== meId).slice(0, 4)) ids.add(id);
    const last = c.lastMessage;
    if (last) {
      ids.add(last.senderId);
      if (last.system) {
        ids.add(last.system.actorId);
        for (const id of last.system.targetIds) ids.add(id);
      }
    }
  }
  return [...ids].sort();
}

/** The chat list with the global search box on top and the user's tags to sort groups by. */
export function ConversationList(props: { onCreateGroup: () => void }) {
  const { t, i18n } = useTranslation();
  const { list: all, loaded } = useConversations();
  const me = useMe();
  useUsers(useMemo(() => namedIn(all, me.id), [all, me.id]));
  const search = useSearchQuery();
  const tags = useMemo(() => allTags(all, i18n.language), [all, i18n.language]);
  const [tag, setTag] = useState<string | null>(null);
  const shownTag = tag !== null && tags.includes(tag) ? tag : null;
  const list = useMemo(() => (shownTag ? all.filter((c) => c.tags.includes(shownTag)) : all), [all, shownTag]);

  return (
    <section className="conversation-column" aria-label={t('chat.conversations')}>
      <header className="column-header">
        <span className="column-title">{t('shell.messages')}</span>
        <Tooltip title={t('chat.createGroup')}>
          <Button
            type="text"
            icon={<UsergroupAddOutlined />}
            aria-label={t('chat.createGroup')}
            onClick={props.onCreateGroup}
          />
        </Tooltip>
      </header>
      <div className="column-search">
        <GlobalSearchBox search={search} />
      </div>
      {search.draft.trim() ? (
        search.query ? (
          <GlobalSearchResults query={search.query} onDone={search.clear} />
        ) : null
      ) : (
        <>
          <TagFilter tags={tags} value={shownTag} onChange={setTag} />
          <ConversationRows list={list} loaded={loaded} filtered={shownTag !== null} />
        </>
      )}
      <TodaySchedule />
    </section>
  );
}

function ConversationRows(props: { list: ConversationItem[]; loaded: boolean; filtered: boolean }) {
  const { t } = useTranslation();
  const { list, loaded } = props;
  return (
    <VirtualRows
      items={list}
      rowHeight={ROW_HEIGHT}
      getKey={(item) => item.id}
      className="conversation-scroll"
      ariaLabel={t('chat.conversations')}
      empty={
        loaded ? (
          <Empty
            className="column-empty"
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={props.filtered ? t('group.tags.noneTagged') : t('chat.noConversations')}
          />
        ) : null
      }
      renderRow={(item, style) => (
        <div style={style}>
          <ConversationRow item={item} />
        </div>
      )}
    />
  );
}

function ConversationRow({ item }: { item: ConversationItem }) {
  const { t, i18n } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const { byId } = useDirectory();
  const { refresh } = useConversations();
  const { activeConversationId, openConversation } = useNavigation();
  const { message } = App.useApp();
  const [tagging, setTagging] = useState(false);
  const title = conversationTitle(item, me.id, byId, t);
  const active = item.id === activeConversationId;
  const peerId = item.type === 'direct' ? (item.memberIds.find((id) => id !== me.id) ?? me.id) : item.id;

  const setPrefs = async (prefs: { pinned?: boolean; muted?: boolean }) => {
    try {
      await qixin.call('conversations.setPrefs', { conversationId: item.id, ...prefs });
      refresh();
    } catch (err) {
      message.error(errorText(t, err));
    }
  };
  const menu: MenuProps = {
    items: [
      { key: 'pin', label: item.pinned ? t('chat.unpin') : t('chat.pin') },
      { key: 'mute', label: item.muted ? t('chat.unmute') : t('chat.mute') },
      { key: 'tags', label: t('group.tags.set') },
    ],
    onClick: ({ key, domEvent }) => {
      domEvent.stopPropagation();
      if (key === 'pin') void setPrefs({ pinned: !item.pinned });
      if (key === 'mute') void setPrefs({ muted: !item.muted });
      if (key === 'tags') setTagging(true);
    },
  };

  const time = item.lastMessage?.createdAt ?? item.lastActivityAt;
  const preview = messagePreview(item.lastMessage, item, me.id, byId, t);
  return (
    <>
      <Dropdown menu={menu} trigger={['contextMenu']}>
        <div
          role="listitem"
          className={`conversation-item${active ? ' is-active' : ''}${item.pinned ? ' is-pinned' : ''}`}
          data-testid="conversation-item"
          data-conversation-id={item.id}
          data-pinned={item.pinned ? 'true' : 'false'}
          data-tags={item.tags.join(',')}
          aria-label={title}
          aria-current={active ? 'true' : undefined}
          tabIndex={0}
          onClick={() => openConversation(item.id)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') openConversation(item.id);
          }}
        >
          <div className="conversation-avatar">
            <Avatar id={peerId} name={title} size={40} group={item.type === 'group'} />
            {item.unread > 0 ? (
              <Badge
                className="conversation-badge"
                count={item.unread}
                overflowCount={99}
                size="small"
                color={item.muted ? '#bfbfbf' : undefined}
                data-testid="unread-badge"
                data-muted={item.muted ? 'true' : 'false'}
              />
            ) : null}
          </div>
          <div className="conversation-body">
            <div className="conversation-line">
              <span className="conversation-title" data-testid="conversation-title">
                {title}
              </span>
              <span className="conversation-time">{formatListTime(time, i18n.language)}</span>
            </div>
            <div className="conversation-line">
              <span className="conversation-preview">
                {item.mentionedMe ? (
                  <span className="preview-mention" data-testid="mention-marker">
                    {t('notify.mentionTag')}
                  </span>
                ) : null}
                {item.lastMessage?.status === 'sending' ? (
                  <span className="preview-sending">{t('chat.sendingMark')}</span>
                ) : null}
                {preview}
              </span>
              <span className="conversation-flags">
                {item.pinned ? <PushpinFilled className="flag-pin" aria-label={t('chat.pinned')} /> : null}
                {item.muted ? (
                  <MutedOutlined className="flag-mute" aria-label={t('chat.muted')} data-testid="muted-bell" />
                ) : null}
              </span>
            </div>
          </div>
          <Dropdown menu={menu} trigger={['click']}>
            <Button
              className="conversation-more"
              type="text"
              size="small"
              icon={<EllipsisOutlined />}
              aria-label={t('chat.more')}
              onClick={(e) => e.stopPropagation()}
            />
          </Dropdown>
        </div>
      </Dropdown>
      {tagging ? <TagEditor conversation={item} open onClose={() => setTagging(false)} /> : null}
    </>
  );
}
