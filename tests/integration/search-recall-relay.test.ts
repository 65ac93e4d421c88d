// Relay message search against a corpus whose true answers are known (a plain substring scan):
// 10,000 mixed Chinese/English messages in ten chats, two people with different memberships (one
// of them a former member of a group), some messages recalled and some hidden by one person.
// For every recall query, all pages together must be exactly the oracle's answer restricted to
// what that person can read: 100% precision and recall. Most queries go through the domain
// service on a second connection to the relay's store; a handful go over a real socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, MessageSearchFilters, RequestResult } from '../../shared/protocol';
import { createDomain, Fanout, type Domain } from '../../server/domain';
import { removeFromSearchIndex } from '../../server/domain/search-index';
import { LocalBus } from '../../server/bus/local-bus';
import { openStore, type Store } from '../../server/store/database';
import {
  addMember,
  createEnterprise,
  newId,
  openClient,
  RequestError,
  signInClient,
  startTestRelay,
  testStore,
  type TestClient,
  type TestRelay,
} from '../support/relay';
import { expectedMatches, generateCorpus, RECALL_QUERIES, type Corpus } from '../support/search-corpus';
import { indexAll, insertMessages, seedConversations, type Membership } from '../support/relay-search-seed';

const CORPUS_SIZE = 10_000;

let relay: TestRelay;
let store: Store;
let domain: Domain;
let corpus: Corpus;
let memberOfAll: string;
let partial: { id: string; account: string; password: string };
let partialClient: TestClient;
let memberOfAllClient: TestClient;
/** What each searcher can find at all (readable, not recalled, their hidden ones marked). */
const readableBy = new Map<string, Message[]>();
const recalledIds = new Set<string>();
const hiddenByPartial = new Set<string>();
let formerGroupId: string;
let leftAtSeq: number;

beforeAll(async () => {
  relay = await startTestRelay();
  const admin = await openClient(relay.url, await createEnterprise(relay.url));
  const everyone = await addMember(admin, { name: '全员' });
  memberOfAll = everyone.user.id;
  const added = await addMember(admin, { name: '部分' });
  partial = { id: added.user.id, account: added.user.account, password: added.password };
  await admin.close();
  // Signed in before the long seeding: an HTTP keep-alive socket idle that long may be reset under a reused request.
  partialClient = await signInClient(relay.url, partial.account, partial.password);
  memberOfAllClient = await signInClient(relay.url, everyone.user.account, everyone.password);

  store = await openStore({ dataDir: relay.shared.dataDir, databaseUrl: relay.shared.databaseUrl });
  domain = createDomain({
    db: store.db,
    dialect: store.dialect,
    transaction: store.transaction,
    messageLog: store.messageLog,
    fanout: new Fanout(new LocalBus()),
    now: Date.now,
  });

  corpus = generateCorpus(CORPUS_SIZE, 20_251_125);
  const groups = corpus.conversations.filter((c) => c.type === 'group');
  formerGroupId = groups[0]!.id;
  const formerCount = corpus.messages.filter((m) => m.conversationId === formerGroupId).length;
  leftAtSeq = Math.floor(formerCount / 2);
  // The partial searcher: every other group, plus the first group which they left half-way.
  const partialChats = new Map<string, number | null>(groups.filter((_, i) => i % 2 === 1).map((g) => [g.id, null]));
  partialChats.set(formerGroupId, leftAtSeq);
  const memberships: Membership[] = [
    ...corpus.conversations.map((c) => ({ userId: memberOfAll, conversationId: c.id, leftSeq: null })),
    ...[...partialChats].map(([conversationId, leftSeq]) => ({ userId: partial.id, conversationId, leftSeq })),
  ];
  await seedConversations(store, corpus.conversations, memberships, memberOfAll, Date.UTC(2025, 0, 1));
  await insertMessages(store, corpus.messages);
  await indexAll(store, corpus.messages);

  // Recall (what msg.recall does to the row and the index) three 上海 messages the partial searcher can read.
  const recall = corpus.messages
    .filter((m) => partialChats.has(m.conversationId) && m.kind === 'text' && m.text.includes('上海'))
    .slice(0, 3);
  const at = Date.now();
  await store.transaction(async (trx) => {
    const ids = recall.map((m) => m.id);
    await trx.updateTable('messages').set({ recalled_at: at, text: '', body: null }).where('id', 'in', ids).execute();
    await removeFromSearchIndex(trx, store.dialect, ids);
  });
  for (const m of recall) recalledIds.add(m.id);
  // Hidden (删除 for me) by the partial searcher only.
  const hide = corpus.messages
    .filter((m) => partialChats.get(m.conversationId) === null && m.text.includes('上海') && !recalledIds.has(m.id))
    .slice(0, 3);
  await store.transaction((trx) =>
    trx
      .insertInto('hidden_messages')
      .values(
        hide.map((m) => ({ user_id: partial.id, message_id: m.id, conversation_id: m.conversationId, created_at: at })),
      )
      .execute(),
  );
  for (const m of hide) hiddenByPartial.add(m.id);

  const live = corpus.messages.map((m) => (recalledIds.has(m.id) ? { ...m, recalledAt: at, text: '', body: null } : m));
  readableBy.set(memberOfAll, live);
  readableBy.set(
    partial.id,
    live
      .filter((m) => {
        if (!partialChats.has(m.conversationId)) return false;
        const left = partialChats.get(m.conversationId);
        return left === null || left === undefined || m.seq <= left;
      })
      .map((m) => ({ ...m, hidden: hiddenByPartial.has(m.id) })),
  );
}, 240_000);

afterAll(async () => {
  await partialClient?.close();
  await memberOfAllClient?.close();
  await store?.close();
  await relay?.close();
});

/** Every page of a search, checked for size, order and duplicates; the ids in result order. */
async function searchAll(userId: string, query: string, filters: MessageSearchFilters = {}): Promise<string[]> {
  const ids: string[] = [];
  let before: { createdAt: number; id: string } | null = null;
  let lastAt = Infinity;
  for (;;) {
    const page = await domain.search.messages(userId, { query, ...filters, before, limit: 50 });
    if (page.next) expect(page.messages).toHaveLength(50);
    for (const m of page.messages) {
      expect(m.createdAt).toBeLessThanOrEqual(lastAt);
      lastAt = m.createdAt;
      ids.push(m.id);
    }
    if (!page.next) break;
    before = page.next;
  }
  expect(new Set(ids).size).toBe(ids.length);
  return ids;
}

describe(`relay message search recall on ${testStore()}`, () => {
  it('finds exactly the messages holding each query for a member of every chat', async () => {
    let total = 0;
    for (const { query } of RECALL_QUERIES) {
      const expected = expectedMatches(readableBy.get(memberOfAll)!, query);
      const found = await searchAll(memberOfAll, query);
      expect(new Set(found), query).toEqual(expected);
      total += found.length;
    }
    // The corpus really exercises the index: thousands of hits over the queries, not a few.
    expect(total).toBeGreaterThan(5_000);
  });

  it('finds only what a former and partial member can read, without their hidden messages', async () => {
    const readable = readableBy.get(partial.id)!;
    for (const { query } of RECALL_QUERIES) {
      expect(new Set(await searchAll(partial.id, query)), query).toEqual(expectedMatches(readable, query));
    }
    // Messages of the group they left, after their leaving, exist and hold 上海 but are not found.
    const afterLeaving = corpus.messages.filter(
      (m) => m.conversationId === formerGroupId && m.seq > leftAtSeq && m.text.includes('上海'),
    );
    expect(afterLeaving.length).toBeGreaterThan(0);
    const found = new Set(await searchAll(partial.id, '上海', { conversationId: formerGroupId }));
    expect(found.size).toBeGreaterThan(0);
    for (const m of afterLeaving) expect(found.has(m.id)).toBe(false);
  });

  it('does not find recalled messages, and hides a hidden one from that person only', async () => {
    expect(recalledIds.size).toBe(3);
    expect(hiddenByPartial.size).toBe(3);
    const forAll = new Set(await searchAll(memberOfAll, '上海'));
    const forPartial = new Set(await searchAll(partial.id, '上海'));
    for (const id of recalledIds) {
      expect(forAll.has(id)).toBe(false);
      expect(forPartial.has(id)).toBe(false);
    }
    for (const id of hiddenByPartial) {
      expect(forAll.has(id)).toBe(true);
      expect(forPartial.has(id)).toBe(false);
    }
  });

  it('narrows by chat, sender, date range and kind exactly as the oracle does', async () => {
    const all = readableBy.get(memberOfAll)!;
    const busiest = corpus.conversations[0]!.id;
    const sender = corpus.users[1]!.id;
    const mid = corpus.messages[Math.floor(CORPUS_SIZE / 2)]!.createdAt;
    const late = corpus.messages[Math.floor((CORPUS_SIZE * 3) / 4)]!.createdAt;
    const filterSets: MessageSearchFilters[] = [
      { conversationId: busiest },
      { senderId: sender },
      { from: mid },
      { to: mid },
      { from: mid, to: late },
      { kind: 'link' },
      { kind: 'image' },
      { conversationId: busiest, senderId: sender, from: mid },
    ];
    for (const filters of filterSets) {
      for (const query of ['上海', '的', 'qixin', 'https', '报销单', '上海，']) {
        const expected = expectedMatches(all, query, filters);
        expect(new Set(await searchAll(memberOfAll, query, filters)), `${query} ${JSON.stringify(filters)}`).toEqual(
          expected,
        );
      }
    }
    expect(expectedMatches(all, 'https', { kind: 'link' }).size).toBeGreaterThan(0);
  });

  it('answers the same over a real socket, page by page', async () => {
    for (const query of ['上海', '“上海”', 'qixin部署', '鑫', '龘', '服务器']) {
      const ids: string[] = [];
      let before: { createdAt: number; id: string } | null = null;
      for (;;) {
        const page: RequestResult<'msg.search'> = await partialClient.request('msg.search', {
          query,
          before,
          limit: 50,
        });
        ids.push(...page.messages.map((m) => m.id));
        for (const m of page.messages)
          expect(m.conversationId === formerGroupId ? m.seq <= leftAtSeq : true).toBe(true);
        if (!page.next) break;
        before = page.next;
      }
      expect(new Set(ids), query).toEqual(expectedMatches(readableBy.get(partial.id)!, query));
    }
  });

  it('refuses a chat the caller was never in with not_a_member, and keeps serving', async () => {
    const notMine = corpus.conversations.find((c) => c.type === 'direct')!.id;
    const refused = await partialClient.request('msg.search', { query: '上海', conversationId: notMine }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(RequestError);
    expect((refused as RequestError).error).toMatchObject({ code: 'forbidden', reason: 'not_a_member' });
    const next = await partialClient.request('msg.search', { query: '上海', limit: 5 });
    expect(next.messages).toHaveLength(5);
  });

  it('refuses a query that is only spaces as invalid input', async () => {
    const refused = await partialClient.request('msg.search', { query: '   ' }).then(
      () => null,
      (err: unknown) => err,
    );
    expect((refused as RequestError).error.code).toBe('invalid');
  });

  // Last: it adds messages to the corpus's chats.
  it('indexes a message sent over the socket; msg.recall and msg.hide take it out of the results', async () => {
    const chat = corpus.conversations.filter((c) => c.type === 'group')[1]!.id;
    const ids = async (client: TestClient, query: string) =>
      (await client.request('msg.search', { query })).messages.map((m) => m.id);
    const send = async (text: string) =>
      (await partialClient.request('msg.send', { id: newId(), conversationId: chat, text })).message;
    const recalled = await send('周五的撤回测试甲，请忽略');
    const hidden = await send('隐藏测试乙 only for me');
    expect(await ids(memberOfAllClient, '撤回测试甲')).toEqual([recalled.id]);
    expect(await ids(partialClient, '隐藏测试乙')).toEqual([hidden.id]);

    await partialClient.request('msg.recall', { conversationId: chat, messageId: recalled.id });
    expect(await ids(memberOfAllClient, '撤回测试甲')).toEqual([]);
    expect(await ids(partialClient, '撤回测试甲')).toEqual([]);

    await partialClient.request('msg.hide', { conversationId: chat, messageIds: [hidden.id] });
    expect(await ids(partialClient, '隐藏测试乙')).toEqual([]);
    expect(await ids(memberOfAllClient, '隐藏测试乙')).toEqual([hidden.id]);
  });
});
