import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Conversation, Message, SendFields } from '../../../shared/protocol';
import { newId } from '../../../shared/lib/ids';
import { openLocalCache, type LocalCache } from './local-cache';

let dir: string;
let cache: LocalCache;
const me = newId();
const peer = newId();
const conversationId = newId();

function msg(seq: number, senderId = peer): Message {
  return Message.parse({
    id: newId(),
    conversationId,
    seq,
    senderId,
    kind: 'text',
    text: `m${seq}`,
    system: null,
    createdAt: 1000 + seq,
  });
}

const textSend = (text: string) => SendFields.parse({ conversationId, text });

const conversation: Conversation = Conversation.parse({
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
});

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
      cache.write.enqueue({ id: newId(), send: textSend(`o${i}`), createdAt: 2000 + i }),
    );
    const texts = (rows: { send: SendFields }[]) => rows.map((r) => r.send.text);
    expect(texts(cache.read.outboxAfter(0, 10))).toEqual(['o0', 'o1', 'o2', 'o3', 'o4']);
    expect(texts(cache.read.outboxAfter(rows[1]!.position, 2))).toEqual(['o2', 'o3']);
    // The acknowledged message arrives with the outbox row's id: one copy, no pending row.
    cache.write.insertMessages([{ ...msg(1, me), id: rows[0]!.id, text: 'o0' }], me);
    expect(texts(cache.read.outboxFor(conversationId))).toEqual(['o1', 'o2', 'o3', 'o4']);
    expect(cache.read.page(conversationId, null, 10).messages.map((m) => m.text)).toEqual(['o0']);
  });

  it('survives reopening: the outbox is durable', () => {
    const image = SendFields.parse({
      conversationId,
      kind: 'image',
      body: { kind: 'image', mediaId: newId(), thumbId: null, mime: 'image/png', size: 9, width: 4, height: 3 },
      quoteId: newId(),
      mentions: [peer],
    });
    cache.write.enqueue({ id: newId(), send: image, createdAt: 1 });
    cache.close();
    cache = openLocalCache({ path: join(dir, 'cache.db') });
    // The whole send comes back: kind, body, quote and mentions.
    expect(cache.read.outboxAfter(0, 10).map((r) => r.send)).toEqual([image]);
  });

  it('keeps a refused send as failed with its error, out of the sending queue', () => {
    const refused = cache.write.enqueue({ id: newId(), send: textSend('@所有人 开会'), createdAt: 1 });
    const next = cache.write.enqueue({ id: newId(), send: textSend('好的'), createdAt: 2 });
    const error = { code: 'forbidden' as const, message: 'only managers', reason: 'mention_all_forbidden' as const };
    cache.write.failOutbox(refused.id, error);
    expect(cache.read.outboxAfter(0, 10).map((r) => r.id)).toEqual([next.id]);
    expect(cache.read.outboxCount()).toBe(1);
    expect(cache.read.outboxFor(conversationId).map((r) => [r.status, r.error])).toEqual([
      ['failed', error],
      ['pending', null],
    ]);
    cache.write.deleteOutbox(refused.id);
    expect(cache.read.outboxRow(refused.id)).toBeNull();
  });
});

describe('LocalCache message changes', () => {
  it('applies a recall only when newer, and keeps the text of my own recalled message for re-editing', () => {
    const mine = { ...msg(1, me), text: '发错群了' };
    const theirs = msg(2);
    cache.write.insertMessages([mine, theirs], me);
    const recalled = (m: Message, rev: number) => ({ ...m, text: '', recalledAt: 5000, rev });
    expect(cache.write.applyMessageUpdates([recalled(mine, 1), recalled(theirs, 2)], me)).toHaveLength(2);
    expect(cache.read.message(mine.id)).toMatchObject({ text: '', recalledAt: 5000, recalledText: '发错群了', rev: 1 });
    expect(cache.read.message(theirs.id)).toMatchObject({ text: '', recalledText: null });
    // An older copy (a reaction at rev 1 arriving late) changes nothing.
    const late = { ...theirs, reactions: [{ emoji: '👍', userIds: [me] }], rev: 1 };
    expect(cache.write.applyMessageUpdates([late], me)).toEqual([]);
    expect(cache.read.message(theirs.id)!.reactions).toEqual([]);
    // A gap fill bringing a newer copy of a held message applies it too.
    cache.write.insertMessages([{ ...theirs, text: '', recalledAt: 5000, reactions: late.reactions, rev: 3 }], me);
    expect(cache.read.message(theirs.id)!.reactions).toEqual(late.reactions);
  });

  it('leaves messages deleted for me out of pages, the last message and unread counts', () => {
    const all = [1, 2, 3].map((seq) => msg(seq));
    cache.write.insertMessages(all, me);
    expect(cache.read.unreadCount(conversationId, 0, 3, me)).toBe(3);
    expect(cache.write.hideMessages(conversationId, [all[2]!.id, all[1]!.id])).toBe(2);
    expect(cache.write.hideMessages(conversationId, [all[2]!.id])).toBe(0);
    expect(cache.read.page(conversationId, null, 10).messages.map((m) => m.seq)).toEqual([1]);
    expect(cache.read.lastMessage(conversationId)!.seq).toBe(1);
    expect(cache.read.unreadCount(conversationId, 0, 3, me)).toBe(1);
    // Still held: gap fill does not ask for them again.
    expect(cache.read.syncedSeq(conversationId)).toBe(3);
  });

  it('marks [有人@我] for an unread mention of me or @所有人 only', () => {
    const plain = msg(1);
    const other = { ...msg(2), mentions: [peer] };
    cache.write.insertMessages([plain, other], me);
    expect(cache.read.mentionedMe(conversationId, 0, me)).toBe(false);
    const atMe = { ...msg(3), mentions: [me] };
    cache.write.insertMessages([atMe], me);
    expect(cache.read.mentionedMe(conversationId, 0, me)).toBe(true);
    expect(cache.read.mentionedMe(conversationId, 3, me)).toBe(false);
    const atAll = { ...msg(4), mentionAll: true };
    cache.write.insertMessages([atAll], me);
    expect(cache.read.mentionedMe(conversationId, 3, me)).toBe(true);
    // Recalled, it no longer asks for attention.
    cache.write.applyMessageUpdates([{ ...atAll, recalledAt: 1, text: '', rev: 1 }], me);
    expect(cache.read.mentionedMe(conversationId, 3, me)).toBe(false);
  });

  it('answers the messages around a seq, with whether more lie on each side', () => {
    cache.write.insertMessages(
      Array.from({ length: 20 }, (_, i) => msg(i + 1)),
      me,
    );
    const around = cache.read.around(conversationId, 10, 3);
    expect(around.messages.map((m) => m.seq)).toEqual([7, 8, 9, 10, 11, 12, 13]);
    expect([around.hasMoreBefore, around.hasMoreAfter]).toEqual([true, true]);
    const start = cache.read.around(conversationId, 2, 3);
    expect(start.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(start.hasMoreBefore).toBe(false);
    const end = cache.read.around(conversationId, 18, 2);
    expect(end.messages.map((m) => m.seq)).toEqual([16, 17, 18, 19, 20]);
    expect(end.hasMoreAfter).toBe(false);
  });
});

describe('LocalCache favorites', () => {
  it('lists newest saved first, filters by text, and removes by id', () => {
    const fav = (text: string, savedAt: number) => ({
      id: newId(),
      conversationId,
      messageId: newId(),
      senderId: peer,
      kind: 'text' as const,
      text,
      body: null,
      createdAt: 1,
      savedAt,
    });
    const a = fav('上海出差报销', 10);
    const b = fav('Deploy to Shanghai', 20);
    cache.write.upsertFavorites([a, b]);
    expect(cache.read.favorites().map((f) => f.text)).toEqual(['Deploy to Shanghai', '上海出差报销']);
    expect(cache.read.favorites('报销').map((f) => f.id)).toEqual([a.id]);
    expect(cache.read.favorites('shanghai').map((f) => f.id)).toEqual([b.id]);
    cache.write.removeFavorites([a.id]);
    expect(cache.read.favorites().map((f) => f.id)).toEqual([b.id]);
  });
});
