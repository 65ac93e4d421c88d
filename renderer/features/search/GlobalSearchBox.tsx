import { useEffect, useRef } from 'react';
import { Input, type InputRef } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { useSearchQuery } from './useSearchQuery';

/** The one search box on top of the chat list; Ctrl+F (⌘F on a Mac) puts the cursor in it. */
export function GlobalSearchBox(props: { search: ReturnType<typeof useSearchQuery> }) {
  const { t } = useTranslation();
  const ref = useRef<InputRef>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        ref.current?.focus({ cursor: 'all' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <Input
      ref={ref}
      {...props.search.inputProps}
      allowClear
      variant="filled"
      prefix={<SearchOutlined />}
      placeholder={t('search.placeholder')}
      aria-label={t('search.global')}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.search.clear();
      }}
    />
  );
}
