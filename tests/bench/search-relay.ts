// Message search benchmark (relay): the search corpus's messages (1,000,000 by default,
// QIXIN_BENCH_MESSAGES to change) in a relay store on SQLite and on PostgreSQL, indexed the way
// an existing relay is upgraded (migration 0050 fills the index), then `msg.search`'s domain
// service for the first page (50 newest) of every query kind of the recall test, for a member of
// every chat and for a member of a few, beside a plain LIKE scan of the same table in the same run.
// `npx tsx tests/bench/search-relay.ts` runs it alone and prints the rows.
import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LocalBus } from '../../server/bus/local-bus';
import { createDomain, Fanout } from '../../server/domain';
import type { MessageSearch } from '../../server/domain/search';
import { connectStore, type Store } from '../../server/store/database';
import { migrate, type Dialect } from '../../server/store/migrator';
import { migrations } from '../../server/store/migrations';
import type { MessageSearchFilters } from '../../shared/protocol';
import { createTestDatabase } from '../support/relay';
import { insertMessages, seedConversations, seedUsers, type Membership } from '../support/relay-search-seed';
import { corpusMessages, corpusPeople, RECALL_QUERIES } from '../support/search-corpus';

export interface RelaySearchOptions {
  /** Default: QIXIN_BENCH_MESSAGES, else 1,000,000. */
  messages?: number;
  /** Timed runs of each query (after one warm-up run). */
  runs?: number;
  seed?: number;
  stores?: Dialect[];
}

export interface RelayPercentiles {
  p50: number;
  p95: number;
  max: number;
}

export interface RelaySearchKind {
  kind: string;
  queries: string[];
  /** Hits on the first page of each query (≤ 50). */
  firstPage: number[];
  search: RelayPercentiles;
  /** The LIKE scan of the same table (unfiltered queries only; NaN otherwise). */
  like: RelayPercentiles;
}

export interface RelayStoreSearchResult {
  store: Dialect;
  insertMs: number;
  /** Migration 0050 over the stored messages: index rows, then (PostgreSQL) the indexes, statistics. */
  indexBuildMs: number;
  /** SQLite: pages of the file (dbstat); PostgreSQL: the database's size. */
  bytesWithoutIndex: number;
  bytesWithIndex: number;
  /** SQLite: the FTS5 table's shadow tables; PostgreSQL: message_search with its indexes. */
  indexBytes: number;
  kinds: RelaySearchKind[];
}

export interface RelaySearchResult {
  messages: number;
  /** Chats of the corpus; the "few" searcher is in `fewChats` of them (one of which they left). */
  chats: number;
  fewChats: number;
  stores: RelayStoreSearchResult[];
}

const percentiles = (xs: number[]): RelayPercentiles => {
  if (xs.length === 0) return { p50: NaN, p95: NaN, max: NaN };
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1]! };
};

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface Searcher {
  label: string;
  userId: string;
}

/** The chats and the two searchers: one in every chat, one in two groups and a former member of a third. */
function people(seed: number) {
  const { users, conversations } = corpusPeople(seed);
  const groups = conversations.filter((c) => c.type === 'group');
  const everywhere: Searcher = { label: 'member of every chat', userId: users[0]!.id };
  const few: Searcher = { label: 'member of a few chats', userId: users[users.length - 1]!.id };
  const memberships: Membership[] = [
    ...conversations.map((c) => ({ userId: everywhere.userId, conversationId: c.id, leftSeq: null })),
    { userId: few.userId, conversationId: groups[groups.length - 1]!.id, leftSeq: null },
    { userId: few.userId, conversationId: groups[groups.length - 2]!.id, leftSeq: null },
    { userId: few.userId, conversationId: groups[1]!.id, leftSeq: 5_000 },
  ];
  return { users, conversations, everywhere, few, memberships, fewChats: 3 };
}

/** What each searcher is timed on: every recall query for the first, a handful plus filters for the rest. */
function benchQueries(seed: number, lastAt: number, searchers: { everywhere: Searcher; few: Searcher }) {
  const { conversations, users } = corpusPeople(seed);
  const month = 30 * 24 * 3600 * 1000;
  type Q = { kind: string; query: string; filters: MessageSearchFilters; searcher: Searcher; like: boolean };
  const out: Q[] = RECALL_QUERIES.map((q) => ({
    kind: q.kind,
    query: q.query,
    filters: {},
    searcher: searchers.everywhere,
    like: true,
  }));
  const few = (kind: string, query: string): Q => ({ kind, query, filters: {}, searcher: searchers.few, like: false });
  out.push(
    few(`${searchers.few.label}: one-char common`, '上'),
    few(`${searchers.few.label}: one-char absent`, '龘'),
    few(`${searchers.few.label}: two-char`, '上海'),
    few(`${searchers.few.label}: three-plus-char`, '服务器'),
    few(`${searchers.few.label}: rare phrase`, '灰度发布回滚演练'),
  );
  const filtered = (kind: string, query: string, filters: MessageSearchFilters): Q => ({
    kind,
    query,
    filters,
    searcher: searchers.everywhere,
    like: false,
  });
  out.push(
    filtered('filter: one chat', '报销', { conversationId: conversations[conversations.length - 1]!.id }),
    filtered('filter: one chat', '上', { conversationId: conversations[conversations.length - 1]!.id }),
    filtered('filter: sender', '部署', { senderId: users[3]!.id }),
    filtered('filter: date range (a month, a year ago)', '上海', {
      from: lastAt - 12 * month,
      to: lastAt - 11 * month,
    }),
    filtered('filter: kind link', 'qixin', { kind: 'link' }),
  );
  return out;
}

async function openBenchStore(dialect: Dialect): Promise<{ store: Store; dispose(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'qixin-bench-relay-search-'));
    const store = connectStore({ dataDir: dir });
    return {
      store,
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await createTestDatabase();
  const store = connectStore({ dataDir: tmpdir(), databaseUrl: database.url });
  return {
    store,
    async dispose() {
      await store.close();
      await database.drop();
    },
  };
}

async function storeBytes(store: Store): Promise<{ total: number; index: number }> {
  if (store.dialect === 'sqlite') {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
    const total = await sql<{ n: number }>`select sum(pgsize) as n from dbstat`.execute(store.db);
    const index = await sql<{
      n: number | null;
    }>`select sum(pgsize) as n from dbstat where name like 'message_search%'`.execute(store.db);
    return { total: Number(total.rows[0]!.n), index: Number(index.rows[0]!.n ?? 0) };
  }
  const total = await sql<{ n: number }>`select pg_database_size(current_database()) as n`.execute(store.db);
  const index = await sql<{
    n: number | null;
  }>`select pg_total_relation_size(to_regclass('message_search')) as n`.execute(store.db);
  return { total: Number(total.rows[0]!.n), index: Number(index.rows[0]!.n ?? 0) };
}

async function benchStore(
  dialect: Dialect,
  options: Required<Omit<RelaySearchOptions, 'stores'>>,
  log: (line: string) => void,
): Promise<RelayStoreSearchResult> {
  const { store, dispose } = await openBenchStore(dialect);
  try {
    // The schema before search, as an upgraded relay had it.
    await migrate(
      store.db,
      dialect,
      migrations.filter((m) => m.version < 50),
    );
    const cast = people(options.seed);
    await seedUsers(store, cast.users, Date.UTC(2024, 0, 1));
    await seedConversations(store, cast.conversations, cast.memberships, cast.everywhere.userId, Date.UTC(2024, 0, 1));
    const started = performance.now();
    let stored = 0;
    const progress = function* () {
      for (const m of corpusMessages(options.messages, options.seed)) {
        yield m;
        if (++stored % 200_000 === 0)
          log(`relay search (${dialect}): ${stored.toLocaleString('en-US')} messages stored`);
      }
    };
    await insertMessages(store, progress());
    const insertMs = performance.now() - started;
    if (dialect === 'postgres') await sql`vacuum analyze messages`.execute(store.db);
    const before = await storeBytes(store);
    log(`relay search (${dialect}): stored in ${(insertMs / 1000).toFixed(1)} s; migration 0050 indexes them`);
    const indexBuildMs = await timed(() => migrate(store.db, dialect, migrations));
    const after = await storeBytes(store);
    log(`relay search (${dialect}): index built in ${(indexBuildMs / 1000).toFixed(1)} s`);

    const search: MessageSearch = createDomain({
      db: store.db,
      dialect,
      transaction: store.transaction,
      messageLog: store.messageLog,
      fanout: new Fanout(new LocalBus()),
      now: Date.now,
    }).search;
    const last = await store.db
      .selectFrom('messages')
      .select((eb) => eb.fn.max('created_at').as('at'))
      .executeTakeFirst();
    const lastAt = Number(last?.at ?? 0);
    const like =
      dialect === 'sqlite'
        ? (q: string) =>
            sql`select * from messages where text like ${likePattern(q)} escape '\\' order by created_at desc limit 50`.execute(
              store.db,
            )
        : (q: string) =>
            sql`select * from messages where text ilike ${likePattern(q)} order by created_at desc limit 50`.execute(
              store.db,
            );
    const groups = new Map<string, RelaySearchKind & { runs: number[]; likeRuns: number[] }>();
    for (const q of benchQueries(options.seed, lastAt, cast)) {
      const run = () => search.messages(q.searcher.userId, { query: q.query, ...q.filters, before: null, limit: 50 });
      const found = (await run()).messages.length;
      const group = groups.get(q.kind) ?? {
        kind: q.kind,
        queries: [],
        firstPage: [],
        search: percentiles([]),
        like: percentiles([]),
        runs: [],
        likeRuns: [],
      };
      group.queries.push(q.query);
      group.firstPage.push(found);
      for (let i = 0; i < options.runs; i++) group.runs.push(await timed(run));
      // A full scan costs seconds at 1,000,000 rows: three runs each, the first one warms the cache for the others.
      if (q.like) for (let i = 0; i < 3; i++) group.likeRuns.push(await timed(() => like(q.query)));
      groups.set(q.kind, group);
    }
    const kinds = [...groups.values()].map(({ runs, likeRuns, ...g }) => ({
      ...g,
      search: percentiles(runs),
      like: percentiles(likeRuns),
    }));
    return {
      store: dialect,
      insertMs,
      indexBuildMs,
      bytesWithoutIndex: before.total,
      bytesWithIndex: after.total,
      indexBytes: after.index,
      kinds,
    };
  } finally {
    await dispose();
  }
}

/** The relay rows of the search benchmark (the desktop-cache bench in tests/bench/search.ts calls this). */
export async function benchRelaySearch(
  options: RelaySearchOptions,
  log: (line: string) => void,
): Promise<RelaySearchResult> {
  const resolved = {
    messages: options.messages ?? Number(process.env.QIXIN_BENCH_MESSAGES ?? 1_000_000),
    runs: options.runs ?? 20,
    seed: options.seed ?? 20_251_125,
  };
  const stores: RelayStoreSearchResult[] = [];
  for (const dialect of options.stores ?? (['sqlite', 'postgres'] as const)) {
    log(`relay search (${dialect}): ${JSON.stringify(resolved)}`);
    stores.push(await benchStore(dialect, resolved, log));
  }
  const cast = people(resolved.seed);
  return { messages: resolved.messages, chats: cast.conversations.length, fewChats: cast.fewChats, stores };
}

const ms = (x: number) => (Number.isNaN(x) ? '' : `${x.toFixed(2)} ms`);
const mib = (x: number) => `${(x / 2 ** 20).toFixed(0)} MiB`;
const STORE_NAME = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

/** Table rows of the relay search benchmark; each starts with "| search" (BENCH_ONLY replaces them). */
export function relaySearchRows(r: RelaySearchResult): string[] {
  return r.stores.flatMap((s) => {
    const at = `search (relay ${STORE_NAME[s.store]}, ${r.messages.toLocaleString('en-US')} messages)`;
    return [
      `| ${at}: index build (migration 0050 over the stored messages) | ${(s.indexBuildMs / 1000).toFixed(1)} s | storing the messages ${(s.insertMs / 1000).toFixed(1)} s | | |`,
      `| ${at}: store size with / without the index | ${mib(s.bytesWithIndex)} / ${mib(s.bytesWithoutIndex)} (index ${mib(s.indexBytes)}) | | +${((100 * (s.bytesWithIndex - s.bytesWithoutIndex)) / s.bytesWithoutIndex).toFixed(0)}% | |`,
      ...s.kinds.map((k) => {
        const ratio = Number.isNaN(k.like.p95) ? '' : `${(k.like.p95 / k.search.p95).toFixed(0)}× faster`;
        return `| ${at}: msg.search ${k.kind} (${k.queries.map((q) => JSON.stringify(q)).join(', ')}; first 50 newest; p50 / p95) | ${ms(k.search.p50)} / ${ms(k.search.p95)} | LIKE scan ${ms(k.like.p50)} / ${ms(k.like.p95)} | ${ratio} | |`;
      }),
    ];
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.dirname ?? '', 'search-relay.ts')) {
  const stores = process.env.BENCH_STORES ? (process.env.BENCH_STORES.split(',') as Dialect[]) : undefined;
  benchRelaySearch({ stores }, (line) => process.stderr.write(`[bench] ${line}\n`))
    .then((r) => {
      console.log(relaySearchRows(r).join('\n'));
      console.log(JSON.stringify(r, null, 2));
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
