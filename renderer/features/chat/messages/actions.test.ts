import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../../shared/contract';
import { canRecall, copyableText, inChatOrder, reactionIsMine, retryFields } from './actions';

const ME = '018f0000-0000-7000-8000-000000000001';
const OTHER = '018f0000-0000-7000-8000-000000000002';
const CONV = '018f0000-0000-7000-8000-0000000000aa';
let n = 0;
function msg(over: Partial<ChatMessage> = {}): ChatMessage {
  n += 1;
  return {
    id: `018f0000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    conversationId: CONV,
    seq: n,
    senderId: ME,
    kind: 'text',
    text: '你好',
    system: null,
    body: null,
    quote: null,
    mentions: [],
    mentionAll: false,
    forwarded: false,
    reactions: [],
    recalledAt: null,
    recalledText: null,
    createdAt: 1_700_000_000_000,
    status: 'sent',
    error: null,
    ...over,
  };
}

describe('canRecall', () => {
  const now = 1_700_000_000_000 + 60_000;
  it('allows my own sent message within 24 hours', () => {
    expect(canRecall(msg(), ME, now)).toBe(true);
  });
  it('refuses after 24 hours, for others, for recalled and for unsent messages', () => {
    expect(canRecall(msg(), ME, 1_700_000_000_000 + 24 * 3600_000)).toBe(false);
    expect(canRecall(msg({ senderId: OTHER }), ME, now)).toBe(false);
    expect(canRecall(msg({ recalledAt: now }), ME, now)).toBe(false);
    expect(canRecall(msg({ status: 'sending', seq: null }), ME, now)).toBe(false);
  });
});

describe('copyableText', () => {
  it('copies text and location, not media', () => {
    expect(copyableText(msg({ text: '报销单' }))).toBe('报销单');
    expect(
      copyableText(
        msg({
          kind: 'location',
          text: '',
          body: { kind: 'location', name: '西湖', address: '杭州', latitude: 30.2, longitude: 120.1 },
        }),
      ),
    ).toBe('西湖 杭州');
    expect(copyableText(msg({ kind: 'voice', text: '' }))).toBeNull();
  });
});

describe('inChatOrder', () => {
  it('orders picked messages by seq and leaves out recalled ones', () => {
    const a = msg({ seq: 3 });
    const b = msg({ seq: 1 });
    const c = msg({ seq: 2, recalledAt: 1 });
    expect(inChatOrder([a, b, c], new Set([a.id, b.id, c.id])).map((m) => m.seq)).toEqual([1, 3]);
  });
});

describe('retryFields', () => {
  it('rebuilds a failed text send with its quote and mentions', () => {
    const failed = msg({
      status: 'failed',
      seq: null,
      mentions: [OTHER],
      quote: { messageId: CONV, seq: 1, senderId: OTHER, kind: 'text', text: 'q' },
    });
    expect(retryFields(failed)).toMatchObject({ kind: 'text', text: '你好', quoteId: CONV, mentions: [OTHER] });
  });
  it('cannot rebuild a forward', () => {
    expect(retryFields(msg({ forwarded: true }))).toBeNull();
  });
});

describe('reactionIsMine', () => {
  it('is true only for my reaction with that emoji', () => {
    const m = msg({ reactions: [{ emoji: '👍', userIds: [OTHER, ME] }] });
    expect(reactionIsMine(m, '👍', ME)).toBe(true);
    expect(reactionIsMine(m, '🎉', ME)).toBe(false);
  });
});
