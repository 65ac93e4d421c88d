import { describe, expect, it } from 'vitest';
import type { MessageRow } from '../store/schema';
import { textContent, type MessageContent } from './message-content';
import { groupRow, memberRow } from './rows.test-fixture';
import { decideSends, type SendOutcome } from './send-batch';
import type { StoredConversation, StoredMember } from './views';

const conv = (id: string, lastSeq: number): StoredConversation =>
  groupRow(id, { owner_id: 'alice', created_at: 1, last_seq: lastSeq, last_activity_at: 1 });
const member = (conversationId: string, userId: string): StoredMember =>
  memberRow(conversationId, userId, { joined_at: 1 });
const stored = (id: string, senderId: string, seq: number): MessageRow => ({
  conversation_id: 'c1',
  seq,
  id,
  sender_id: senderId,
  kind: 'text',
  text: 'old',
  system: null,
  created_at: 1,
  body: null,
  quote: null,
  mentions: '[]',
  mention_all: 0,
  forwarded: 0,
  recalled_at: null,
  rev: 0,
});
const text = (t: string, extra: Partial<MessageContent> = {}): MessageContent => ({
  ...textContent({ text: t, mentions: [], mentionAll: false }),
  ...extra,
});
const send = (senderId: string, id: string, conversationId = 'c1', content = text(id)) => ({
  senderId,
  id,
  conversationId,
  content,
});
const code = (o: SendOutcome) => (o.ok ? `seq ${o.row.seq}${o.fresh ? '' : ' (stored)'}` : o.error.code);
const reason = (o: SendOutcome) => (o.ok ? `seq ${o.row.seq}` : o.error.reason);

describe('decideSends', () => {
  const snapshot = {
    existing: [stored('m-old', 'alice', 5)],
    conversations: [conv('c1', 5), conv('c2', 0)],
    members: [member('c1', 'alice'), member('c1', 'bob'), member('c2', 'bob')],
  };

  it('judges each send on its own; refused sends take no seq and seqs stay gapless per conversation', () => {
    const { writes, result } = decideSends(
      [
        send('alice', 'a1'),
        send('carol', 'x1'), // not a member
        send('bob', 'b1', 'c2'),
        send('alice', 'a2', 'missing'), // no such conversation
        send('bob', 'b2'),
        send('alice', 'a1'), // retried inside the same batch
        send('bob', 'a1'), // someone else's id
        send('alice', 'm-old'), // retry of a stored message
        send('bob', 'm-old'),
        send('alice', 'a3'),
      ],
      snapshot,
      42,
    );
    expect(result.map(code)).toEqual([
      'seq 6',
      'forbidden',
      'seq 1',
      'forbidden',
      'seq 7',
      'seq 6 (stored)',
      'conflict',
      'seq 5 (stored)',
      'conflict',
      'seq 8',
    ]);
    expect(writes.messages.map((m) => `${m.conversation_id}:${m.seq}:${m.id}`)).toEqual([
      'c1:6:a1',
      'c2:1:b1',
      'c1:7:b2',
      'c1:8:a3',
    ]);
    expect(writes.heads).toEqual([
      { conversationId: 'c1', lastSeq: 8, at: 42 },
      { conversationId: 'c2', lastSeq: 1, at: 42 },
    ]);
    expect(writes.reads).toEqual([
      { conversationId: 'c1', userId: 'alice', readSeq: 8 },
      { conversationId: 'c2', userId: 'bob', readSeq: 1 },
      { conversationId: 'c1', userId: 'bob', readSeq: 7 },
    ]);
    const first = result[0]!;
    expect(first.ok && first.memberIds.sort()).toEqual(['alice', 'bob']);
  });

  it('writes nothing when every send is refused or already stored', () => {
    const { writes } = decideSends([send('carol', 'x'), send('alice', 'm-old')], snapshot, 1);
    expect(writes).toEqual({ messages: [], heads: [], reads: [], mediaLinks: [] });
  });

  it('applies the group rules of the snapshot: mentions of members, @所有人 by managers, mute-all, dissolved', () => {
    const admin = { ...member('c1', 'bob'), admin: 1 };
    const rules = {
      existing: [],
      conversations: [conv('c1', 0), { ...conv('c2', 0), mute_all: 1 }, { ...conv('c3', 0), dissolved: 1 }],
      members: [member('c1', 'alice'), admin, member('c1', 'carol'), member('c2', 'alice'), member('c2', 'carol')],
    };
    rules.members.push(member('c3', 'alice'));
    const { result } = decideSends(
      [
        send('carol', 'm1', 'c1', text('@bob', { mentions: ['bob'] })),
        send('carol', 'm2', 'c1', text('@dave', { mentions: ['dave'] })), // not in the chat
        send('carol', 'm3', 'c1', text('@all', { mentionAll: true })), // a plain member
        send('bob', 'm4', 'c1', text('@all', { mentionAll: true })), // a group admin
        send('alice', 'm5', 'c1', text('@all', { mentionAll: true })), // the owner
        send('carol', 'm6', 'c2'), // muted
        send('alice', 'm7', 'c2'), // the owner speaks under mute-all
        send('alice', 'm8', 'c3'), // dissolved
      ],
      rules,
      5,
    );
    expect(result.map(reason)).toEqual([
      'seq 1',
      'mention_not_member',
      'mention_all_forbidden',
      'seq 2',
      'seq 3',
      'group_muted',
      'seq 1',
      'group_dissolved',
    ]);
  });

  it('stores the resolved content whole and links the media it references', () => {
    const image = {
      kind: 'image' as const,
      mediaId: '0193a0b0-0000-7000-8000-000000000001',
      thumbId: '0193a0b0-0000-7000-8000-000000000002',
      mime: 'image/png',
      size: 10,
      width: 1,
      height: 1,
    };
    const content: MessageContent = { ...text(''), kind: 'image', body: image, forwarded: true };
    const { writes } = decideSends([send('alice', 'img', 'c1', content)], snapshot, 9);
    expect(writes.messages[0]).toMatchObject({ kind: 'image', body: JSON.stringify(image), forwarded: 1, rev: 0 });
    expect(writes.mediaLinks).toEqual([
      { mediaId: image.mediaId, messageId: 'img', conversationId: 'c1', seq: 6 },
      { mediaId: image.thumbId, messageId: 'img', conversationId: 'c1', seq: 6 },
    ]);
  });
});
