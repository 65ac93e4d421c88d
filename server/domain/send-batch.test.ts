import { describe, expect, it } from 'vitest';
import type { ConversationRow, MemberRow, MessageRow } from '../store/schema';
import { groupRow, memberRow } from './rows.test-fixture';
import { decideSends, type SendOutcome } from './send-batch';

const conv = (id: string, lastSeq: number): ConversationRow =>
  groupRow(id, { owner_id: 'alice', created_at: 1, last_seq: lastSeq, last_activity_at: 1 });
const member = (conversationId: string, userId: string): MemberRow =>
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
});
const send = (senderId: string, id: string, conversationId = 'c1') => ({ senderId, id, conversationId, text: id });
const code = (o: SendOutcome) => (o.ok ? `seq ${o.row.seq}${o.fresh ? '' : ' (stored)'}` : o.error.code);

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
    expect(writes).toEqual({ messages: [], heads: [], reads: [] });
  });
});
