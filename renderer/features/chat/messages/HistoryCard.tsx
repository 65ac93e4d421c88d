import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import type { HistoryBody } from '../../../../shared/protocol/message-content';
import { contentSummary } from '../format';
import { HistoryViewer } from './HistoryViewer';

type History = z.infer<typeof HistoryBody>;

/** "张三和李四的聊天记录" / "群聊的聊天记录" (the relay gives the names, the client words them). */
export function historyTitle(body: History, t: TFunction): string {
  const [a, b] = body.title.names;
  if (body.title.conversationType === 'group' || !a) return t('chat.history.groupTitle');
  return b ? t('chat.history.pairTitle', { a, b }) : t('chat.history.oneTitle', { a });
}

/** 聊天记录 card: the title and the first three lines; opens the whole list. */
export function HistoryCard(props: { body: History }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const { body } = props;
  const title = historyTitle(body, t);
  return (
    <>
      <button type="button" className="message-history" data-testid="message-history" onClick={() => setOpen(true)}>
        <span className="message-history-title">{title}</span>
        {body.items.slice(0, 3).map((item, i) => (
          <span key={i} className="message-history-line" data-testid="message-history-line">
            {t('chat.previewWithSender', { name: item.senderName, text: contentSummary(item, t) })}
          </span>
        ))}
        <span className="message-history-footer">{t('chat.history.label')}</span>
      </button>
      {open ? <HistoryViewer title={title} items={body.items} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
