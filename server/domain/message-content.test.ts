import { describe, expect, it } from 'vitest';
import type { MessageBody } from '../../shared/protocol';
import { isOneEmoji } from './message-actions';
import { mediaIdsOf, needsResolution, plainText } from './message-content';

const id = (n: number) => `0193a0b0-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('message content', () => {
  it('a rich message reads as the plain text of its runs', () => {
    expect(
      plainText([
        { type: 'text', text: '见', bold: true },
        { type: 'link', text: '文档', url: 'https://example.com' },
      ]),
    ).toBe('见文档');
  });

  it('finds every media id a body references, inside a chat history too', () => {
    const image: MessageBody = {
      kind: 'image',
      mediaId: id(1),
      thumbId: id(2),
      mime: 'image/png',
      size: 1,
      width: 1,
      height: 1,
    };
    const voice: MessageBody = { kind: 'voice', mediaId: id(3), mime: 'audio/ogg', size: 1, durationMs: 1 };
    expect(mediaIdsOf(image)).toEqual([id(1), id(2)]);
    expect(mediaIdsOf({ ...image, thumbId: null })).toEqual([id(1)]);
    const item = { senderId: id(9), senderName: '张伟', text: '', createdAt: 1 };
    const history: MessageBody = {
      kind: 'history',
      title: { conversationType: 'group', names: [] },
      items: [
        { ...item, kind: 'image', body: image },
        { ...item, kind: 'voice', body: voice },
        { ...item, kind: 'image', body: image },
        { ...item, kind: 'text', body: null },
      ],
    };
    expect(mediaIdsOf(history)).toEqual([id(1), id(2), id(3)]);
    expect(mediaIdsOf({ kind: 'location', name: '这里', address: '', latitude: 0, longitude: 0 })).toEqual([]);
    expect(mediaIdsOf(null)).toEqual([]);
  });

  it('only sends that need reads wait for them: plain text with mentions does not', () => {
    expect(needsResolution({ kind: 'text', quoteId: null, forward: null })).toBe(false);
    expect(needsResolution({ kind: 'text', quoteId: id(1), forward: null })).toBe(true);
    expect(needsResolution({ kind: 'location', quoteId: null, forward: null })).toBe(true);
    expect(
      needsResolution({
        kind: 'text',
        quoteId: null,
        forward: { conversationId: id(1), messageIds: [id(2)], merged: true },
      }),
    ).toBe(true);
  });
});

describe('reaction emoji', () => {
  it('accepts one emoji, flags, skin tones, keycaps and ZWJ sequences included', () => {
    for (const e of ['👍', '🇨🇳', '👍🏽', '1️⃣', '👨‍👩‍👧', '❤️', '☹']) expect(isOneEmoji(e)).toBe(true);
  });
  it('refuses text, two emoji, and emoji with text', () => {
    for (const e of ['ok', '好', '👍👍', '👍a', ' ', '1']) expect(isOneEmoji(e)).toBe(false);
  });
});
