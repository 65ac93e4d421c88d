// Recall of the cache's message search on the 10,000-message corpus: for every query of the
// recall list, every page read to the end equals the substring oracle's answer (precision and
// recall 100%), with and without each filter; recalled, deleted and wiped messages are not found.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation, type Message } from '../../shared/protocol';
import type { MessageSearchFilters } from '../../shared/protocol/message-content';
import { expectedMatches, generateCorpus, RECALL_QUERIES, type Corpus } from '../support/search-corpus';
import { openLocalCache, type LocalCache } from '../../main/core/cache/local-cache';
import type { SearchCursor } from '../../main/core/cache/message-search';

const CORPUS_SIZE = 10_000;
let dir: string;
let cache: LocalCache;
// Built once at load: the test titles carry each query's true answer count.
const corpus: Corpus = generateCorpus(CORPUS_SIZE, 20260301);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qixin-search-'));
  cache = openLocalCache({ path: join(dir, 'cache.db') });
  const self = corpus.users[0]!.id;
  for (const c of corpus.conversations) {
    cache.write.upsertConversation(
      Conversation.parse({
        ...c,
        ownerId: self,
        createdAt: 1,
        lastSeq: 0,
        lastActivityAt: 1,
        readSeq: 0,
        pinned: false,
        muted: false,
        active: true,
      }),
      self,
    );
  }
  // As sync stores them: pages of a few hundred, newest pages first (gap fill backwards), so
  // the index is filled out of time order.
  const pages: Message[][] = [];
  for (let i = 0; i < corpus.messages.length; i += 400) pages.push(corpus.messages.slice(i, i + 400));
  for (const page of pages.reverse()) cache.write.insertMessages(page, self);
});

afterAll(() => {
  cache.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every page of a search, in order; checks each page is newest first and no id repeats. */
function searchAll(query: string, filters: MessageSearchFilters = {}, limit = 50): string[] {
  const ids: string[] = [];
  let before: SearchCursor | null = null;
  let previous: SearchCursor | null = null;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = cache.read.searchMessages({ query, before, limit, ...filters });
    expect(page.hits.length).toBeLessThanOrEqual(limit);
    for (const hit of page.hits) {
      if (previous) {
        const older =
          hit.createdAt < previous.createdAt || (hit.createdAt === previous.createdAt && hit.id < previous.id);
        expect(older, `${query}: ${hit.id} after ${previous.id}`).toBe(true);
      }
      previous = hit;
      ids.push(hit.id);
    }
    if (!page.next) return ids;
    expect(page.hits.length).toBe(limit);
    before = page.next;
  }
  throw new Error(`${query}: paging did not end`);
}

function expectExactly(query: string, filters: MessageSearchFilters = {}, limit = 50) {
  const got = searchAll(query, filters, limit);
  const expected = expectedMatches(corpus, query, filters);
  expect(new Set(got).size, `${query}: duplicates`).toBe(got.length);
  const gotSet = new Set(got);
  const missing = [...expected].filter((id) => !gotSet.has(id));
  const extra = got.filter((id) => !expected.has(id));
  expect({ query, filters, missing: missing.length, extra: extra.length }).toEqual({
    query,
    filters,
    missing: 0,
    extra: 0,
  });
  return expected.size;
}

describe('cache message search: recall on the 10,000-message corpus', () => {
  it('the corpus has same-millisecond messages (the page boundary inside one millisecond is exercised)', () => {
    const times = corpus.messages.map((m) => m.createdAt);
    expect(new Set(times).size).toBeLessThan(times.length - 100);
  });

  it.each(RECALL_QUERIES.map((q) => [q.kind, q.query, expectedMatches(corpus, q.query).size] as const))(
    "%s %j: exactly the oracle's %i messages",
    (_kind, query) => {
      const found = expectExactly(query);
      // Planted targets exist; the absent character and phrase really find nothing.
      if (query.includes('龘')) expect(found).toBe(0);
      else expect(found).toBeGreaterThan(0);
    },
  );

  it('pages of 7 (boundaries fall inside milliseconds) give the same answer', () => {
    for (const query of ['上海', '上', 'DEPLOY', '“上海”']) expectExactly(query, {}, 7);
  });

  it('filtered by chat, by sender, by date range and by kind link: exactly the oracle', () => {
    const { conversations, users } = corpus;
    const times = corpus.messages.map((m) => m.createdAt);
    const from = times[2000]!;
    const to = times[4000]!;
    const counts: number[] = [];
    for (const query of ['上海', '上', 'qixin', '“上海”', 'v2版本', 'ploy']) {
      counts.push(expectExactly(query, { conversationId: conversations[0]!.id }));
      counts.push(expectExactly(query, { conversationId: conversations[conversations.length - 1]!.id }));
      counts.push(expectExactly(query, { senderId: users[3]!.id }));
      counts.push(expectExactly(query, { from, to }));
      counts.push(expectExactly(query, { from: to }));
      counts.push(expectExactly(query, { to: from }));
      counts.push(expectExactly(query, { kind: 'link' }));
      counts.push(expectExactly(query, { kind: 'image' }));
      counts.push(expectExactly(query, { conversationId: conversations[1]!.id, senderId: users[0]!.id, from, to }));
    }
    expect(counts.filter((n) => n > 0).length).toBeGreaterThan(counts.length / 2);
    // The image filter finds the images' summary text.
    expect(expectExactly('图片', { kind: 'image' })).toBeGreaterThan(0);
  });

  it('finds a location by its name and a card by the name it carries', () => {
    expect(expectExactly('会议中心')).toBeGreaterThan(0);
    expect(expectExactly('上官婉儿')).toBeGreaterThan(0);
  });

  it('a recalled or deleted-for-me message is no longer found; the others still are', () => {
    const query = '灰度发布回滚演练';
    const before = searchAll(query);
    expect(before.length).toBeGreaterThan(3);
    const recalled = corpus.messages.find((m) => m.id === before[0])!;
    const hidden = corpus.messages.find((m) => m.id === before[1])!;
    cache.write.applyMessageUpdates(
      [{ ...recalled, text: '', body: null, recalledAt: recalled.createdAt + 1, rev: 1 }],
      null,
    );
    expect(cache.write.hideMessages(hidden.conversationId, [hidden.id])).toBe(1);
    const after = searchAll(query);
    expect(after).toEqual(before.slice(2));
  });

  it('after a wipe (another user signs in) nothing is found', () => {
    expect(searchAll('上海').length).toBeGreaterThan(0);
    cache.write.wipe();
    expect(searchAll('上海')).toEqual([]);
    expect(searchAll('上')).toEqual([]);
  });
});
