import { useEffect, useRef } from 'react';
import { TeamOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../../shared/protocol/entities';
import { Avatar } from '../../shell/Avatar';

/** One row of the @ list: a member, or @所有人 (id null). */
export type MentionOption = { id: string | null; name: string; user: User | null };

/** The @ autocomplete above the composer; keys are handled by the composer (focus stays in the text). */
export function MentionList(props: {
  options: MentionOption[];
  active: number;
  onPick: (option: MentionOption) => void;
}) {
  const { t } = useTranslation();
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [props.active]);
  if (props.options.length === 0) return null;
  return (
    <ul
      className="mention-list"
      role="listbox"
      aria-label={t('chat.mention.list')}
      ref={listRef}
      data-testid="mention-list"
    >
      {props.options.map((option, i) => (
        <li
          key={option.id ?? 'all'}
          role="option"
          aria-selected={i === props.active}
          className={`mention-option${i === props.active ? ' is-active' : ''}`}
          data-testid="mention-option"
          // mousedown, not click: the textarea must keep focus and its caret.
          onMouseDown={(e) => {
            e.preventDefault();
            props.onPick(option);
          }}
        >
          {option.user ? (
            <Avatar id={option.user.id} name={option.user.name} size={24} />
          ) : (
            <span className="mention-all-icon">
              <TeamOutlined />
            </span>
          )}
          <span className="mention-option-name">{option.name}</span>
          {option.user?.title ? <span className="mention-option-title">{option.user.title}</span> : null}
        </li>
      ))}
    </ul>
  );
}
