import { describe, expect, it } from 'vitest';
import { DEFAULT_FILE_SETTINGS, DEFAULT_NOTIFICATION_SETTINGS, type Settings } from '../../../shared/contract';
import { Conversation, Message } from '../../../shared/protocol';
import { inDoNotDisturb, notificationFor, type NotifyContext } from './notify';

const me = '0190a5b2-7c3e-7d41-8a2b-000000000001';
const peer = '0190a5b2-7c3e-7d41-8a2b-000000000002';
const chatId = '0190a5b2-7c3e-7d41-8a2b-0000000000c1';

const group = Conversation.parse({
  id: chatId,
  type: 'group',
  name: '项目群',
  ownerId: peer,
  memberIds: [me, peer],
  createdAt: 1,
  lastSeq: 1,
  lastActivityAt: 1,
  readSeq: 0,
  pinned: false,
  muted: false,
  active: true,
});
const message = (fields: Partial<Message> = {}): Message =>
  Message.parse({
    id: '0190a5b2-7c3e-7d41-8a2b-0000000000a1',
    conversationId: chatId,
    seq: 1,
    senderId: peer,
    kind: 'text',
    text: '下午三点开会',
    system: null,
    createdAt: 1,
    ...fields,
  });
const settings = (change: Partial<Settings['notifications']> = {}, language: Settings['language'] = 'zh-CN') => ({
  language,
  notifications: { ...DEFAULT_NOTIFICATION_SETTINGS, ...change },
  files: DEFAULT_FILE_SETTINGS,
});
const noon = new Date(2026, 10, 25, 12, 0);
const ctx = (fields: Partial<NotifyContext> = {}): NotifyContext => ({
  message: message(),
  selfId: me,
  conversation: group,
  focusedId: null,
  settings: settings(),
  senderName: '张三',
  now: noon,
  ...fields,
});

describe('notificationFor', () => {
  it("names the sender and the group, and shows the text of someone else's message", () => {
    expect(notificationFor(ctx())).toEqual({
      conversationId: chatId,
      title: '张三 (项目群)',
      body: '下午三点开会',
      mention: false,
    });
  });

  it('stays quiet for my own messages, system notices, recalled ones and the chat on screen', () => {
    expect(notificationFor(ctx({ message: message({ senderId: me }) }))).toBeNull();
    expect(
      notificationFor(
        ctx({
          message: message({ kind: 'system', system: { action: 'created', actorId: peer, targetIds: [], name: null } }),
        }),
      ),
    ).toBeNull();
    expect(notificationFor(ctx({ message: message({ recalledAt: 5, text: '' }) }))).toBeNull();
    expect(notificationFor(ctx({ focusedId: chatId }))).toBeNull();
    expect(notificationFor(ctx({ settings: settings({ enabled: false }) }))).toBeNull();
  });

  it('lets only @mentions of me and @所有人 through a muted chat, marked as a mention', () => {
    const muted = { ...group, muted: true };
    expect(notificationFor(ctx({ conversation: muted }))).toBeNull();
    expect(notificationFor(ctx({ conversation: muted, message: message({ mentions: [peer] }) }))).toBeNull();
    expect(notificationFor(ctx({ conversation: muted, message: message({ mentions: [me] }) }))).toEqual({
      conversationId: chatId,
      title: '张三 (项目群)',
      body: '[有人@我] 下午三点开会',
      mention: true,
    });
    expect(notificationFor(ctx({ conversation: muted, message: message({ mentionAll: true }) }))?.mention).toBe(true);
  });

  it('silences everything, mentions included, during do-not-disturb', () => {
    const dnd = settings({ dnd: { enabled: true, start: '11:00', end: '13:00' } });
    expect(notificationFor(ctx({ settings: dnd }))).toBeNull();
    expect(notificationFor(ctx({ settings: dnd, message: message({ mentions: [me] }) }))).toBeNull();
    expect(notificationFor(ctx({ settings: dnd, now: new Date(2026, 10, 25, 13, 0) }))).not.toBeNull();
  });

  it('hides who sent what when previews are off, but still says it is a mention', () => {
    expect(
      notificationFor(ctx({ settings: settings({ showPreview: false }), message: message({ mentionAll: true }) })),
    ).toEqual({ conversationId: chatId, title: '企信', body: '你收到了一条新消息', mention: true });
    expect(notificationFor(ctx({ settings: settings({ showPreview: false }, 'en-US') }))).toMatchObject({
      title: 'Qixin',
      body: 'You have a new message',
    });
  });

  it('summarizes other kinds in the settings language', () => {
    const image = message({
      kind: 'image',
      text: '',
      body: {
        kind: 'image',
        mediaId: '0190a5b2-7c3e-7d41-8a2b-0000000000e1',
        thumbId: null,
        mime: 'image/png',
        size: 10,
        width: 1,
        height: 1,
      },
    });
    expect(notificationFor(ctx({ message: image }))?.body).toBe('[图片]');
    expect(notificationFor(ctx({ message: image, settings: settings({}, 'en-US') }))?.body).toBe('[Image]');
    const place = message({
      kind: 'location',
      text: '',
      body: { kind: 'location', name: '国贸大厦', address: '', latitude: 39.9, longitude: 116.4 },
    });
    expect(notificationFor(ctx({ message: place }))?.body).toBe('[位置] 国贸大厦');
    const direct = { ...group, type: 'direct' as const, name: null };
    expect(notificationFor(ctx({ conversation: direct }))?.title).toBe('张三');
  });
});

describe('inDoNotDisturb', () => {
  const at = (h: number, m = 0) => new Date(2026, 10, 25, h, m);
  const night = { enabled: true, start: '22:00', end: '08:00' };

  it('wraps past midnight: start inclusive, end exclusive', () => {
    expect(inDoNotDisturb(night, at(22, 0))).toBe(true);
    expect(inDoNotDisturb(night, at(3, 30))).toBe(true);
    expect(inDoNotDisturb(night, at(7, 59))).toBe(true);
    expect(inDoNotDisturb(night, at(8, 0))).toBe(false);
    expect(inDoNotDisturb(night, at(21, 59))).toBe(false);
  });

  it('is off when disabled, and a window that starts where it ends covers the whole day', () => {
    expect(inDoNotDisturb({ ...night, enabled: false }, at(23))).toBe(false);
    expect(inDoNotDisturb({ enabled: true, start: '09:00', end: '09:00' }, at(15))).toBe(true);
  });
});
