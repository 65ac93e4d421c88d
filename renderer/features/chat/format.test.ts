import { describe, expect, it } from 'vitest';
import i18next, { type TFunction } from 'i18next';
import zhCN from '../../i18n/zh-CN.json';
import type { ChatMessage, ConversationItem } from '../../../shared/contract';
import type { User } from '../../../shared/protocol/entities';
import { testUser } from '../../../shared/protocol/user.test-fixture';
import { contentSummary, conversationTitle, formatListTime, messagePreview, systemNoticeText } from './format';
import { receiptFor } from './ReadReceipt';
import { mergeNewest } from './useMessages';

const t = ((key: string, opts?: Record<string, unknown>) =>
  key === 'common.listSeparator' ? '、' : opts ? `${key}${JSON.stringify(opts)}` : key) as unknown as TFunction;

const byId = new Map<string, User>(
  [testUser('me', '王雨桐'), testUser('b', '李明轩'), testUser('c', '陈思远')].map((u) => [u.id, u]),
);

const message = (id: string, seq: number | null, senderId = 'b'): ChatMessage => ({
  id,
  conversationId: 'c1',
  seq,
  senderId,
  kind: 'text',
  text: id,
  system: null,
  body: null,
  quote: null,
  mentions: [],
  mentionAll: false,
  forwarded: false,
  reactions: [],
  recalledAt: null,
  recalledText: null,
  createdAt: 0,
  status: seq === null ? 'sending' : 'sent',
  error: null,
});

describe('conversationTitle', () => {
  it('uses the group name, the peer, or the member names', () => {
    expect(conversationTitle({ type: 'group', name: '产品周会', memberIds: ['me', 'b'] }, 'me', byId, t)).toBe(
      '产品周会',
    );
    expect(conversationTitle({ type: 'direct', name: null, memberIds: ['me', 'b'] }, 'me', byId, t)).toBe('李明轩');
    expect(conversationTitle({ type: 'group', name: null, memberIds: ['me', 'b', 'c'] }, 'me', byId, t)).toBe(
      '李明轩、陈思远',
    );
  });
});

describe('formatListTime', () => {
  it('shows HH:mm today and a date otherwise', () => {
    const now = new Date(2026, 10, 25, 15, 0).getTime();
    expect(formatListTime(new Date(2026, 10, 25, 9, 5).getTime(), 'zh-CN', now)).toBe('09:05');
    expect(formatListTime(new Date(2026, 10, 20, 9, 5).getTime(), 'zh-CN', now)).toBe('11/20');
    expect(formatListTime(new Date(2025, 0, 2).getTime(), 'zh-CN', now)).toBe('2025/1/2');
  });
});

describe('systemNoticeText', () => {
  it('names the actor and targets, with "you" for the signed-in user', () => {
    const text = systemNoticeText({ action: 'added', actorId: 'me', targetIds: ['b', 'c'], name: null }, 'me', byId, t);
    expect(text).toContain('"actor":"chat.system.you"');
    expect(text).toContain('"targets":"李明轩、陈思远"');
  });

  it("says a calendar notice with the event and its time in the reader's language", async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      lng: 'zh-CN',
      resources: { 'zh-CN': { translation: zhCN } },
      interpolation: { escapeValue: false },
    });
    const event = { eventId: '0190a000-0000-7000-8000-000000000000', start: Date.UTC(2026, 10, 25), allDay: true };
    const notice = { actorId: 'b', targetIds: ['me'], name: '季度规划会', event };
    expect(systemNoticeText({ ...notice, action: 'eventInvited' }, 'me', byId, i18n.t)).toBe(
      '李明轩邀请你参加日程“季度规划会”（11/25）',
    );
    expect(systemNoticeText({ ...notice, action: 'eventCancelled' }, 'me', byId, i18n.t)).toBe(
      '李明轩取消了日程“季度规划会”（11/25）',
    );
    const timed = { ...notice, action: 'eventChanged' as const, event: { ...event, allDay: false } };
    expect(systemNoticeText(timed, 'me', byId, i18n.t)).toMatch(
      /^李明轩修改了日程“季度规划会”，时间：11\/2[56] \d\d:00$/,
    );
  });
});

describe('receiptFor', () => {
  it('counts members other than the sender whose read position is behind', () => {
    const conversation = { memberIds: ['me', 'b', 'c'] } as ConversationItem;
    const reads = new Map([
      ['me', 9],
      ['b', 5],
      ['c', 3],
    ]);
    expect(receiptFor(message('m', 5, 'me'), conversation, reads)).toEqual({ read: ['b'], unread: ['c'] });
    // c was added by a notice at seq 7: not counted for a message at seq 5.
    expect(receiptFor(message('m', 5, 'me'), conversation, reads, new Map([['c', 7]]))).toEqual({
      read: ['b'],
      unread: [],
    });
  });
});

describe('mergeNewest', () => {
  it('keeps older pages and replaces the newest one', () => {
    const loaded = [message('a', 1), message('b', 2), message('c', 3)];
    const page = [message('c', 3), message('d', 4), message('q', null, 'me')];
    expect(mergeNewest(loaded, page).map((m) => m.id)).toEqual(['a', 'b', 'c', 'd', 'q']);
  });
  it('drops what it had when the new page leaves a gap', () => {
    const loaded = [message('a', 1), message('b', 2)];
    const page = [message('x', 10), message('y', 11)];
    expect(mergeNewest(loaded, page).map((m) => m.id)).toEqual(['x', 'y']);
  });
  it('keeps history when the page holds only queued messages', () => {
    const loaded = [message('a', 1), message('q1', null, 'me')];
    const page = [message('q1', null, 'me'), message('q2', null, 'me')];
    expect(mergeNewest(loaded, page).map((m) => m.id)).toEqual(['a', 'q1', 'q2']);
  });
});

describe('contentSummary and messagePreview', () => {
  it('words every kind in one line', () => {
    expect(contentSummary({ kind: 'image', text: '', body: null }, t)).toBe('chat.kind.image');
    expect(contentSummary({ kind: 'card', text: '', body: { kind: 'card', userId: 'b', name: '李明轩' } }, t)).toBe(
      'chat.kind.card 李明轩',
    );
    expect(contentSummary({ kind: 'text', text: '你好', body: null }, t)).toBe('你好');
  });
  it('shows a recalled message as recalled, never its old text', () => {
    const recalled = { ...message('gone', 4, 'b'), recalledAt: 5 };
    expect(messagePreview(recalled, { type: 'group' }, 'me', byId, t)).toBe('chat.recall.byOther{"name":"李明轩"}');
    expect(messagePreview({ ...recalled, senderId: 'me' }, { type: 'group' }, 'me', byId, t)).toBe('chat.recall.byMe');
  });
  it('localizes the new group notices', () => {
    expect(
      systemNoticeText({ action: 'transferred', actorId: 'me', targetIds: ['b'], name: null }, 'me', byId, t),
    ).toBe('chat.system.transferred{"actor":"chat.system.you","targets":"李明轩","name":""}');
  });
});
