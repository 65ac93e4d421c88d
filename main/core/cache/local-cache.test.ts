import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../../shared/protocol';
import { newId } from '../../../shared/lib/ids';
import { openLocalCache, type LocalCache } from './local-cache';

let dir: string;
let cache: LocalCache;
const me = newId();
const peer = newId();
const conversationId = newId();

function msg(seq: number, senderId = peer): Message {
  return {
    id: newId(),
    conversationId,
    seq,
    senderId,
    kind: 'text',
    text: `m${seq}`,
    system: null,
    createdAt: 1000 + seq,
  };
}

const conversation: Conversation = {
  id: conversationId,
  type: 'direct',
  name: null,
  ownerId: me,
  memberIds: [me, peer],
  createdAt: 1,
  lastSeq: 0,
  lastActivityAt: 1,
  readSeq: 0,
  pinned: false,
  muted: false,
  active: true,
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qixin-cache-'));
  cache = openLocalCache({ path: join(dir, 'cache.db') });
  cache.write.upsertConversation(conversation, me);
});
afterEach(() => {
  cache.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('LocalCache messages', () => {
  it('pages newest first then older, ascending within a page', () => {
    cache.write.insertMessages(
      Array.from({ length: 120 }, (_, i) => msg(i + 1)),
      me,
    );
    const newest = cache.read.page(conversationId, null, 50);
    expect(newest.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));
    expect(newest.hasMore).toBe(true);
    const older = cache.read.page(conversationId, 71, 50);
    expect(older.messages[0]!.seq).toBe(21);
    const oldest = cache.read.page(conversationId, 21, 50);
    expect(oldest.messages.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(oldest.hasMore).toBe(false);
  });

  it('keeps one copy of a message that arrives twice and tracks the contiguous seq across holes', () => {
    const m1 = msg(1);
    const m3 = msg(3);
    expect(cache.write.insertMessages([m1, m3], me)).toHaveLength(2);
    expect(cache.read.syncedSeq(conversationId)).toBe(1);
    expect(cache.read.maxSeq(conversationId)).toBe(3);
    expect(cache.write.insertMessages([m1], me)).toHaveLength(0);
    cache.write.insertMessages([msg(2)], me);
    expect(cache.read.syncedSeq(conversationId)).toBe(3);
    expect(cache.read.page(conversationId, null, 10).messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('counts unread from lastSeq and readSeq; own messages advance readSeq', () => {
    cache.write.insertMessages([msg(1), msg(2)], me);
    let c = cache.read.conversation(conversationId)!;
    expect(c.lastSeq - c.readSeq).toBe(2);
    cache.write.insertMessages([msg(3, me)], me);
    c = cache.read.conversation(conversationId)!;
    expect(c.lastSeq - c.readSeq).toBe(0);
    // An older snapshot from the change stream never moves counters backwards.
    cache.write.upsertConversation({ ...conversation, lastSeq: 1, readSeq: 0, pinned: true }, me);
    c = cache.read.conversation(conversationId)!;
    expect([c.lastSeq, c.readSeq, c.pinned]).toEqual([3, 3, true]);
  });
});

describe('LocalCache unread count', () => {
  it("counts only others' text after the read position, plus seqs not fetched yet", () => {
    const notice = {
      ...msg(1),
      kind: 'system' as const,
      text: '',
      system: { action: 'created' as const, actorId: peer, targetIds: [me], name: null },
    };
    cache.write.insertMessages([notice, msg(2), msg(3, me), msg(4)], me);
    // The notice and my own message ask for no attention; 2 and 4 do, and 5–6 are not held yet.
    expect(cache.read.unreadCount(conversationId, 0, 6, me)).toBe(4);
    expect(cache.read.unreadCount(conversationId, 3, 4, me)).toBe(1);
    expect(cache.read.unreadCount(conversationId, 4, 4, me)).toBe(0);
  });
});

describe('LocalCache conversations', () => {
  it('never shows a conversation behind the messages already held, even from an older snapshot', () => {
    const later: Conversation = { ...conversation, id: newId() };
    const held = [1, 2, 3].map((seq) => ({ ...msg(seq, seq === 2 ? me : peer), conversationId: later.id }));
    cache.write.insertMessages(held, me);
    cache.write.upsertConversation(later, me);
    const c = cache.read.conversation(later.id)!;
    expect([c.lastSeq, c.readSeq, c.lastActivityAt]).toEqual([3, 2, 1003]);
    cache.write.raiseLastSeq(later.id, 9);
    expect(cache.read.conversation(later.id)!.lastSeq).toBe(9);
  });
});

describe('LocalCache outbox', () => {
  it('hands pending sends back in the order they were written, and an ack removes the row', () => {
    const rows = Array.from({ length: 5 }, (_, i) =>
      cache.write.enqueue({ id: newId(), conversationId, text: `o${i}`, createdAt: 2000 + i }),
    );
    expect(cache.read.outboxAfter(0, 10).map((r) => r.text)).toEqual(['o0', 'o1', 'o2', 'o3', 'o4']);
    expect(cache.read.outboxAfter(rows[1]!.position, 2).map((r) => r.text)).toEqual(['o2', 'o3']);
    // The acknowledged message arrives with the outbox row's id: one copy, no pending row.
    cache.write.insertMessages([{ ...msg(1, me), id: rows[0]!.id, text: 'o0' }], me);
    expect(cache.read.outboxFor(conversationId).map((r) => r.text)).toEqual(['o1', 'o2', 'o3', 'o4']);
    expect(cache.read.page(conversationId, null, 10).messages.map((m) => m.text)).toEqual(['o0']);
  });

  it('survives reopening: the outbox is durable', () => {
    cache.write.enqueue({ id: newId(), conversationId, text: 'later', createdAt: 1 });
    cache.close();
    cache = openLocalCache({ path: join(dir, 'cache.db') });
    expect(cache.read.outboxAfter(0, 10).map((r) => r.text)).toEqual(['later']);
  });
});
