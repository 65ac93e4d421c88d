// The few words the core itself writes (notification titles and bodies, message summaries), in
// the settings language. Everything the renderer shows goes through its i18next files instead.
import type { Language } from '../../../shared/contract';
import type { Message, MessageKind } from '../../../shared/protocol';

type Summarized = Exclude<MessageKind, 'text' | 'rich' | 'system'>;

type CoreStrings = {
  appName: string;
  /** The body of a notification whose preview is hidden. */
  newMessage: string;
  /** Before a notification's body when the message @mentions this user or everyone. */
  mentionedMe: string;
  recalled: string;
  kinds: Record<Summarized, string>;
};

const strings: Record<Language, CoreStrings> = {
  'zh-CN': {
    appName: '企信',
    newMessage: '你收到了一条新消息',
    mentionedMe: '[有人@我]',
    recalled: '撤回了一条消息',
    kinds: {
      image: '[图片]',
      voice: '[语音]',
      video: '[视频]',
      card: '[名片]',
      location: '[位置]',
      history: '[聊天记录]',
      file: '[文件]',
    },
  },
  'en-US': {
    appName: 'Qixin',
    newMessage: 'You have a new message',
    mentionedMe: '[Mentioned you]',
    recalled: 'recalled a message',
    kinds: {
      image: '[Image]',
      voice: '[Voice]',
      video: '[Video]',
      card: '[Contact card]',
      location: '[Location]',
      history: '[Chat history]',
      file: '[File]',
    },
  },
};

export function coreStrings(language: Language): CoreStrings {
  return strings[language] ?? strings['zh-CN'];
}

/** One line saying what a message is: its text, or [图片], [名片] 张三, [位置] 国贸大厦 … */
export function messageSummary(m: Pick<Message, 'kind' | 'text' | 'body' | 'recalledAt'>, language: Language): string {
  const t = coreStrings(language);
  if (m.recalledAt !== null) return t.recalled;
  if (m.kind === 'text' || m.kind === 'rich' || m.kind === 'system') return m.text;
  const label = t.kinds[m.kind];
  const detail = m.body?.kind === 'card' || m.body?.kind === 'location' ? m.body.name : '';
  return detail ? `${label} ${detail}` : label;
}
