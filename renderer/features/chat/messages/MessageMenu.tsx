import { useState, type ReactNode } from 'react';
import { App, Button, Dropdown, Popover, type MenuProps } from 'antd';
import { EllipsisOutlined, SmileOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../../shared/contract';
import { EmojiPicker } from '../EmojiPicker';
import { canSaveToDrive, useSaveToDrive } from '../files/useSaveToDrive';
import { canRecall, copyableText, isActionable } from './actions';
import { useChatActions } from './chat-actions';

/** The six reactions offered first, as WeCom does; the full picker is one click further. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '🙏', '👌'];

function useMenuItems(message: ChatMessage): MenuProps['items'] {
  const { t } = useTranslation();
  const { message: toast } = App.useApp();
  const actions = useChatActions();
  const saveToDrive = useSaveToDrive();
  const sent = isActionable(message);
  const copyText = copyableText(message);
  const active = actions.conversation.active;
  const items: MenuProps['items'] = [];
  if (sent && copyText) {
    items.push({
      key: 'copy',
      label: t('chat.menu.copy'),
      onClick: () =>
        void navigator.clipboard.writeText(copyText).then(
          () => toast.success(t('chat.menu.copied')),
          () => toast.error(t('chat.menu.copyFailed')),
        ),
    });
  }
  if (sent && active) items.push({ key: 'quote', label: t('chat.menu.quote'), onClick: () => actions.quote(message) });
  if (sent) {
    items.push({ key: 'forward', label: t('chat.menu.forward'), onClick: () => actions.forward([message], false) });
    items.push({ key: 'favorite', label: t('chat.menu.favorite'), onClick: () => actions.favorite([message]) });
  }
  if (sent && canSaveToDrive(message)) {
    items.push({ key: 'saveToDrive', label: t('files.saveToDrive'), onClick: () => void saveToDrive(message) });
  }
  if (canRecall(message, actions.meId)) {
    items.push({ key: 'recall', label: t('chat.menu.recall'), onClick: () => actions.recall(message) });
  }
  if (sent) {
    items.push({ key: 'select', label: t('chat.menu.select'), onClick: () => actions.startSelecting(message.id) });
    items.push({ type: 'divider' });
    items.push({ key: 'hide', label: t('chat.menu.delete'), danger: true, onClick: () => actions.hide([message]) });
  }
  return items;
}

function QuickReactions(props: { message: ChatMessage; onDone: () => void }) {
  const { t } = useTranslation();
  const { react } = useChatActions();
  return (
    <div className="quick-reactions" role="group" aria-label={t('chat.reactions.add')}>
      {QUICK_REACTIONS.map((emoji) => (
        <button
          key={emoji}
          type="button"
          className="emoji-cell"
          aria-label={emoji}
          onClick={() => {
            react(props.message, emoji);
            props.onDone();
          }}
        >
          {emoji}
        </button>
      ))}
      <EmojiPicker
        onPick={(emoji) => {
          react(props.message, emoji);
          props.onDone();
        }}
      />
    </div>
  );
}

/**
 * Right-click on the message, or the hover buttons beside it: 复制 · 引用 · 转发 · 收藏 · 撤回 · 多选 · 删除,
 * with the quick reactions on top.
 */
export function MessageMenu(props: { message: ChatMessage; children: ReactNode }) {
  const { t } = useTranslation();
  const { selected } = useChatActions();
  const items = useMenuItems(props.message);
  const [menuOpen, setMenuOpen] = useState(false);
  const [reactOpen, setReactOpen] = useState(false);
  const canReact = isActionable(props.message);
  if (selected || !items?.length) return <>{props.children}</>;
  const withReactions = (node: ReactNode) => (
    <div className="message-menu">
      {canReact ? <QuickReactions message={props.message} onDone={() => setMenuOpen(false)} /> : null}
      {node}
    </div>
  );
  return (
    <>
      <Dropdown
        menu={{ items, onClick: () => setMenuOpen(false) }}
        trigger={['contextMenu']}
        open={menuOpen}
        onOpenChange={setMenuOpen}
        popupRender={withReactions}
      >
        {props.children}
      </Dropdown>
      <div className="message-hover-tools">
        {canReact ? (
          <Popover
            trigger="click"
            open={reactOpen}
            onOpenChange={setReactOpen}
            content={<QuickReactions message={props.message} onDone={() => setReactOpen(false)} />}
            arrow={false}
          >
            <Button
              type="text"
              size="small"
              icon={<SmileOutlined />}
              aria-label={t('chat.reactions.add')}
              data-testid="message-react-button"
            />
          </Popover>
        ) : null}
        <Dropdown menu={{ items }} trigger={['click']}>
          <Button
            type="text"
            size="small"
            icon={<EllipsisOutlined />}
            aria-label={t('chat.menu.more')}
            data-testid="message-menu-button"
          />
        </Dropdown>
      </div>
    </>
  );
}
