import { useTranslation } from 'react-i18next';
import './groups.css';

/** Chips above the chat list: 全部, then each of the user's tags; one is chosen at a time. */
export function TagFilter(props: { tags: string[]; value: string | null; onChange: (tag: string | null) => void }) {
  const { t } = useTranslation();
  if (props.tags.length === 0) return null;
  const chip = (tag: string | null, label: string) => (
    <button
      key={tag ?? ''}
      type="button"
      className={`tag-chip${props.value === tag ? ' is-active' : ''}`}
      aria-pressed={props.value === tag}
      data-testid="tag-chip"
      onClick={() => props.onChange(tag)}
    >
      {label}
    </button>
  );
  return (
    <div className="tag-filter" role="toolbar" aria-label={t('group.tags.filter')}>
      {chip(null, t('group.tags.all'))}
      {props.tags.map((tag) => chip(tag, tag))}
    </div>
  );
}
