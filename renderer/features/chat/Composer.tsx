import {
  forwardRef,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type ClipboardEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { App, Button, Progress, Tooltip } from 'antd';
import {
  EnvironmentOutlined,
  FileOutlined,
  FolderOutlined,
  IdcardOutlined,
  PictureOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CallArgs, ChatMessage, ConversationItem } from '../../../shared/contract';
import { Limits, type User } from '../../../shared/protocol/entities';
import { useQixin } from '../../bridge/context';
import { useUsers } from '../contacts/directory';
import { MemberPicker } from '../contacts/MemberPicker';
import { useMe } from '../session/context';
import { composerBlock } from '../groups/roles';
import { errorText } from '../session/errors';
import { LocationForm } from './composer/LocationForm';
import { MentionList, type MentionOption } from './composer/MentionList';
import {
  activeMentionQuery,
  insertMention,
  mentionCandidates,
  mentionsInText,
  offersMentionAll,
} from './composer/mentions';
import { QuoteBar } from './composer/QuoteBar';
import { useMediaSender } from './composer/useMediaSender';
import { VoiceRecorder } from './composer/VoiceRecorder';
import { EmojiPicker } from './EmojiPicker';
import type { Dropped } from './files/dropped';
import { FilePickers, type FilePickersHandle } from './files/FilePickers';
import { useFileSender } from './files/useFileSender';
import './composer/composer.css';

export type ComposerHandle = {
  /** 重新编辑: puts a recalled text back for editing. */
  setDraft: (text: string) => void;
  focus: () => void;
  /** Files and folders dropped anywhere on the chat. */
  sendDrop: (dropped: Dropped) => void;
};

type Props = {
  conversation: ConversationItem;
  disabled: boolean;
  quoting: ChatMessage | null;
  onCancelQuote: () => void;
  onSent: (message: ChatMessage) => void;
};

/** Managers may @所有人 (the relay refuses it from anyone else). */
function canMentionAll(conversation: ConversationItem, meId: string): boolean {
  return conversation.type === 'group' && (conversation.ownerId === meId || conversation.adminIds.includes(meId));
}

/**
 * Enter sends, Shift+Enter breaks the line, and Enter that confirms an IME composition never sends
 * or picks an @ name. Images can be pasted or dropped; voice, video, 名片 and 位置 come from the toolbar.
 */
export const Composer = forwardRef<ComposerHandle, Props>(function Composer(props, ref) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const { message } = App.useApp();
  const { conversation, disabled } = props;
  const [text, setText] = useState('');
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null);
  const [activeOption, setActiveOption] = useState(0);
  const [picking, setPicking] = useState<'card' | 'location' | null>(null);
  const picked = useRef(new Map<string, string>());
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const composingRef = useRef(false);
  const sendingRef = useRef(false);
  const files = useFileSender(conversation.id, props.onSent);
  const filePickers = useRef<FilePickersHandle>(null);
  const media = useMediaSender(conversation.id, props.onSent, (list) => void files.sendFiles(list));
  const allLabel = t('chat.mention.all');
  const allowAll = canMentionAll(conversation, me.id);

  const memberIds = useMemo(
    () => (conversation.type === 'group' ? conversation.memberIds : []),
    [conversation.type, conversation.memberIds],
  );
  const members = useUsers(memberIds);
  const options = useMemo<MentionOption[]>(() => {
    if (!mention) return [];
    const users = memberIds.map((id) => members.get(id)).filter((u): u is User => u !== undefined);
    const found: MentionOption[] = mentionCandidates(users, mention.query, me.id).map((u) => ({
      id: u.id,
      name: u.name,
      user: u,
    }));
    return offersMentionAll(allLabel, mention.query, allowAll)
      ? [{ id: null, name: allLabel, user: null }, ...found]
      : found;
  }, [mention, memberIds, members, me.id, allLabel, allowAll]);

  const focusAt = (caret: number) =>
    requestAnimationFrame(() => {
      const el = textareaRef.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(caret, caret);
    });

  useImperativeHandle(ref, () => ({
    setDraft: (draft) => {
      setText(draft);
      focusAt(draft.length);
    },
    focus: () => textareaRef.current?.focus(),
    sendDrop: (dropped) => {
      if (disabled) return;
      if (dropped.files.length > 0) void media.sendFiles(dropped.files);
      if (dropped.folders.length > 0) void files.sendFolders(dropped.folders);
    },
  }));

  const updateMention = (value: string, caret: number) => {
    const next = conversation.type === 'group' ? activeMentionQuery(value, caret) : null;
    setMention(next);
    if (next?.query !== mention?.query) setActiveOption(0);
  };

  const send = async (fields: Omit<CallArgs<'messages.send'>, 'conversationId'>) => {
    const result = await qixin.call('messages.send', { conversationId: conversation.id, ...fields });
    props.onSent(result.message);
  };

  const sendText = async () => {
    const body = text.trim();
    if (!body || sendingRef.current || disabled) return;
    if (body.length > Limits.textMaxChars) {
      message.warning(t('chat.tooLong', { max: Limits.textMaxChars }));
      return;
    }
    sendingRef.current = true;
    setText('');
    setMention(null);
    try {
      await send({
        text: body,
        mentions: mentionsInText(body, picked.current),
        mentionAll: allowAll && body.includes(`@${allLabel}`),
        quoteId: props.quoting?.id ?? null,
      });
      picked.current.clear();
      props.onCancelQuote();
    } catch (err) {
      setText(body);
      message.error(errorText(t, err));
    } finally {
      sendingRef.current = false;
      textareaRef.current?.focus();
    }
  };

  const pick = (option: MentionOption) => {
    const el = textareaRef.current;
    if (!mention || !el) return;
    const next = insertMention(text, mention.start, el.selectionStart, option.name);
    if (option.id) picked.current.set(option.id, option.name);
    setText(next.text);
    setMention(null);
    focusAt(next.caret);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // keyCode 229: the IME owns this key (Chrome reports it while a composition is active).
    const composing = e.nativeEvent.isComposing || e.keyCode === 229 || composingRef.current;
    if (mention && options.length > 0 && !composing) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const delta = e.key === 'ArrowDown' ? 1 : -1;
        setActiveOption((i) => (i + delta + options.length) % options.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        const option = options[activeOption];
        if (option) pick(option);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setMention(null);
        return;
      }
    }
    if (e.key !== 'Enter' || composing) return;
    if (e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    void sendText();
  };

  const insertAtCursor = (snippet: string) => {
    const el = textareaRef.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + snippet + text.slice(end));
    focusAt(start + snippet.length);
  };

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...e.clipboardData.files];
    if (files.length === 0) return;
    e.preventDefault();
    if (!disabled) void media.sendFiles(files);
  };

  const sendCards = async (userIds: string[]) => {
    const users = await qixin.call('directory.users', { ids: userIds });
    for (const user of users.users) {
      await send({ kind: 'card', body: { kind: 'card', userId: user.id, name: user.name.slice(0, 64) } });
    }
    setPicking(null);
  };

  const pickFiles = (accept: string) => {
    const input = fileRef.current;
    if (!input) return;
    input.accept = accept;
    input.click();
  };

  const busy = media.progress !== null;
  return (
    <div className={`composer${disabled ? ' is-disabled' : ''}`} data-testid="composer">
      {props.quoting ? <QuoteBar message={props.quoting} onCancel={props.onCancelQuote} /> : null}
      <div className="composer-toolbar">
        <EmojiPicker onPick={insertAtCursor} />
        <ToolButton
          label={t('chat.image.send')}
          icon={<PictureOutlined />}
          disabled={disabled || busy}
          onClick={() => pickFiles('image/*')}
        />
        <ToolButton
          label={t('chat.video.send')}
          icon={<VideoCameraOutlined />}
          disabled={disabled || busy}
          onClick={() => pickFiles('video/*')}
        />
        <ToolButton
          label={t('files.send')}
          icon={<FileOutlined />}
          disabled={disabled}
          onClick={() => filePickers.current?.pickFiles()}
        />
        <ToolButton
          label={t('files.sendFolder')}
          icon={<FolderOutlined />}
          disabled={disabled}
          onClick={() => filePickers.current?.pickFolder()}
        />
        <FilePickers ref={filePickers} onPicked={(list) => void files.sendFiles(list)} />
        <VoiceRecorder disabled={disabled || busy} onRecorded={(clip, ms) => void media.sendVoice(clip, ms)} />
        <ToolButton
          label={t('chat.card.send')}
          icon={<IdcardOutlined />}
          disabled={disabled}
          onClick={() => setPicking('card')}
        />
        <ToolButton
          label={t('chat.location.send')}
          icon={<EnvironmentOutlined />}
          disabled={disabled}
          onClick={() => setPicking('location')}
        />
        <input
          ref={fileRef}
          type="file"
          multiple
          hidden
          data-testid="composer-file"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            void media.sendFiles(files);
          }}
        />
        {media.progress ? (
          <span className="composer-progress" data-testid="media-progress">
            <span className="composer-progress-label">{t('chat.media.sending', { name: media.progress.label })}</span>
            <Progress
              percent={media.progress.percent}
              size="small"
              showInfo={false}
              className="composer-progress-bar"
            />
          </span>
        ) : null}
        {files.staging ? (
          <span className="composer-progress" data-testid="file-staging">
            <span className="composer-progress-label">{t('files.staging', { name: files.staging.name })}</span>
            <Progress percent={files.staging.percent} size="small" showInfo={false} className="composer-progress-bar" />
          </span>
        ) : null}
      </div>
      <div className="composer-input-wrap">
        {mention ? <MentionList options={options} active={activeOption} onPick={pick} /> : null}
        <textarea
          ref={textareaRef}
          className="composer-input"
          aria-label={t('chat.composerLabel')}
          placeholder={
            disabled
              ? t(composerBlock(conversation, me.id) === 'muted' ? 'group.composer.muted' : 'chat.notMember')
              : t('chat.composerPlaceholder')
          }
          value={text}
          disabled={disabled}
          autoFocus
          onChange={(e) => {
            setText(e.target.value);
            updateMention(e.target.value, e.target.selectionStart);
          }}
          onSelect={(e) => updateMention(e.currentTarget.value, e.currentTarget.selectionStart)}
          onBlur={() => setMention(null)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
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
      </div>
      <div className="composer-footer">
        <span className="composer-hint">{t('chat.composerHint')}</span>
        <Button type="primary" onClick={() => void sendText()} disabled={disabled || !text.trim()}>
          {t('chat.send')}
        </Button>
      </div>
      <MemberPicker
        open={picking === 'card'}
        title={t('chat.card.pick')}
        okText={t('chat.send')}
        excludeIds={[]}
        onCancel={() => setPicking(null)}
        onOk={(ids) => sendCards(ids).catch((err: unknown) => void message.error(errorText(t, err)))}
      />
      <LocationForm
        open={picking === 'location'}
        onCancel={() => setPicking(null)}
        onOk={async (location) => {
          try {
            await send({ kind: 'location', body: location });
            setPicking(null);
          } catch (err) {
            message.error(errorText(t, err));
          }
        }}
      />
    </div>
  );
});

/** One icon button of the composer's toolbar, named by its tooltip. */
function ToolButton(props: { label: string; icon: ReactNode; disabled: boolean; onClick: () => void }) {
  return (
    <Tooltip title={props.label}>
      <Button
        type="text"
        size="small"
        icon={props.icon}
        aria-label={props.label}
        disabled={props.disabled}
        onClick={props.onClick}
      />
    </Tooltip>
  );
}
