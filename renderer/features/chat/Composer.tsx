import { useRef, useState, type KeyboardEvent } from 'react';
import { App, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../shared/contract';
import { Limits } from '../../../shared/protocol/entities';
import { useQixin } from '../../bridge/context';
import { errorText } from '../session/errors';
import { EmojiPicker } from './EmojiPicker';

/** Enter sends, Shift+Enter breaks the line, and Enter that confirms an IME composition never sends. */
export function Composer(props: { conversationId: string; disabled: boolean; onSent: (message: ChatMessage) => void }) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const composingRef = useRef(false);
  const sendingRef = useRef(false);

  const send = async () => {
    const body = text.trim();
    if (!body || sendingRef.current || props.disabled) return;
    if (body.length > Limits.textMaxChars) {
      message.warning(t('chat.tooLong', { max: Limits.textMaxChars }));
      return;
    }
    sendingRef.current = true;
    setText('');
    try {
      const result = await qixin.call('messages.send', { conversationId: props.conversationId, text: body });
      props.onSent(result.message);
    } catch (err) {
      setText(body);
      message.error(errorText(t, err));
    } finally {
      sendingRef.current = false;
      textareaRef.current?.focus();
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== 'Enter') return;
    // keyCode 229: the IME owns this key (Chrome reports it while a composition is active).
    if (e.nativeEvent.isComposing || e.keyCode === 229 || composingRef.current) return;
    if (e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    void send();
  };

  const insertAtCursor = (snippet: string) => {
    const el = textareaRef.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    const next = text.slice(0, start) + snippet + text.slice(end);
    setText(next);
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      const caret = start + snippet.length;
      el.setSelectionRange(caret, caret);
    });
  };

  return (
    <div className={`composer${props.disabled ? ' is-disabled' : ''}`}>
      <div className="composer-toolbar">
        <EmojiPicker onPick={insertAtCursor} />
      </div>
      <textarea
        ref={textareaRef}
        className="composer-input"
        aria-label={t('chat.composerLabel')}
        placeholder={props.disabled ? t('chat.notMember') : t('chat.composerPlaceholder')}
        value={text}
        disabled={props.disabled}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        onCompositionStart={() => {
          composingRef.current = true;
        }}
        onCompositionEnd={() => {
          // The Enter that ends a composition arrives after compositionend in some browsers.
          setTimeout(() => {
            composingRef.current = false;
          }, 0);
        }}
      />
      <div className="composer-footer">
        <span className="composer-hint">{t('chat.composerHint')}</span>
        <Button type="primary" onClick={() => void send()} disabled={props.disabled || !text.trim()}>
          {t('chat.send')}
        </Button>
      </div>
    </div>
  );
}
