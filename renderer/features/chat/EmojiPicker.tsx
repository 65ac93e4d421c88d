import { useState } from 'react';
import { Button, Popover, Tooltip } from 'antd';
import { SmileOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

const EMOJI = [
  '😀',
  '😁',
  '😂',
  '🤣',
  '😊',
  '😍',
  '😘',
  '😎',
  '🤔',
  '😅',
  '😭',
  '😡',
  '😴',
  '😱',
  '🥳',
  '🤝',
  '👍',
  '👎',
  '👌',
  '🙏',
  '👏',
  '💪',
  '✌️',
  '👋',
  '❤️',
  '🎉',
  '🔥',
  '⭐',
  '✅',
  '❌',
  '☕',
  '🍵',
  '🌹',
  '🧧',
  '📅',
  '📌',
  '💡',
  '📎',
  '🚀',
  '🙂',
];

export function EmojiPicker(props: { onPick: (emoji: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const grid = (
    <div className="emoji-grid" role="grid" aria-label={t('chat.emoji')}>
      {EMOJI.map((emoji) => (
        <button
          key={emoji}
          type="button"
          className="emoji-cell"
          aria-label={emoji}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            props.onPick(emoji);
            setOpen(false);
          }}
        >
          {emoji}
        </button>
      ))}
    </div>
  );
  return (
    <Popover content={grid} trigger="click" open={open} onOpenChange={setOpen} placement="topLeft" arrow={false}>
      <Tooltip title={t('chat.emoji')}>
        <Button type="text" size="small" icon={<SmileOutlined />} aria-label={t('chat.emoji')} />
      </Tooltip>
    </Popover>
  );
}
