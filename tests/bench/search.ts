// Message search benchmark (desktop cache): 1,000,000 cached messages from the search corpus
// generator, indexed the way an existing cache is upgraded (migration 0040 fills the index), then
// the first page (50 newest) of every query kind of the recall test, beside a plain
// `LIKE '%q%' ORDER BY created_at DESC LIMIT 50` scan of the same table in the same run.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrate } from '../../main/core/cache/local-cache';
import { searchCachedMessages, type CachedMessageQuery } from '../../main/core/cache/message-search';
import { migrations } from '../../main/core/cache/migrations';
import type { MessageSearchFilters } from '../../shared/protocol/message-content';
import { corpusMessages, corpusPeople, RECALL_QUERIES } from '../support/search-corpus';

export interface CacheSearchOptions {
  messages: number;
  /** Timed runs of each query (after one warm-up run). */
  runs: number;
  seed: number;
}

export interface Percentiles {
  p50: number;
  p95: number;
  max: number;
}

export interface SearchKindResult {
  kind: string;
  queries: string[];
  /** Matches of each query on the first page (≤ 50) and in all (from the index's own count). */
  firstPage: number[];
  index: Percentiles;
  /** CPU time of the same runs: what the search costs apart from waiting for a busy machine. */
  indexCpu: Percentiles;
  like: Percentiles;
}

export interface CacheSearchResult {
  messages: number;
  insertMs: number;
  indexBuildMs: number;
  /** Pages of the database (dbstat) before the index was built, and the index's own share after. */
  bytesWithoutIndex: number;
  bytesWithIndex: number;
  indexBytes: number;
  kinds: SearchKindResult[];
}

const percentiles = (xs: number[]): Percentiles => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1]! };
};

function timed(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** Wall and CPU milliseconds of one run. */
function timedWithCpu(fn: () => unknown): { wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const wall = timed(fn);
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

const databaseBytes = (db: Database.Database) =>
  (db.prepare('SELECT sum(pgsize) FROM dbstat').pluck().get() as number) ?? 0;
const indexBytesOf = (db: Database.Database) =>
  (db
    .prepare("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'message_fts%' OR name = 'messages_search_key'")
    .pluck()
    .get() as number) ?? 0;

/** A cache at the schema before search (version 30) holding `n` corpus messages. */
function fillUnindexed(db: Database.Database, options: CacheSearchOptions, log: (line: string) => void): number {
  for (const m of migrations) {
    if (m.version >= 40) break;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  const insert = db.prepare(
    `INSERT INTO messages (id, conversation_id, seq, sender_id, kind, text, system, created_at, body)
     VALUES (@id, @conversationId, @seq, @senderId, @kind, @text, NULL, @createdAt, @body)`,
  );
  const started = performance.now();
  let batch: Parameters<typeof insert.run>[0][] = [];
  const flush = db.transaction(() => {
    for (const row of batch) insert.run(row);
  });
  let written = 0;
  for (const m of corpusMessages(options.messages, options.seed)) {
    batch.push({ ...m, body: m.body ? JSON.stringify(m.body) : null });
    if (batch.length === 20_000) {
      flush();
      written += batch.length;
      batch = [];
      if (written % 200_000 === 0) log(`search: ${written.toLocaleString('en-US')} messages cached`);
    }
  }
  flush();
  return performance.now() - started;
}

/** The queries timed for each kind: the recall test's, plus filtered searches. */
function benchQueries(seed: number, lastAt: number): { kind: string; query: string; filters: MessageSearchFilters }[] {
  const { conversations, users } = corpusPeople(seed);
  const byKind = RECALL_QUERIES.map((q) => ({ kind: q.kind as string, query: q.query, filters: {} }));
  const month = 30 * 24 * 3600 * 1000;
  return [
    ...byKind,
    {
      kind: 'filter: one chat',
      query: '报销',
      filters: { conversationId: conversations[conversations.length - 1]!.id },
    },
    { kind: 'filter: one chat', query: '上', filters: { conversationId: conversations[0]!.id } },
    { kind: 'filter: sender', query: '部署', filters: { senderId: users[3]!.id } },
    {
      kind: 'filter: date range (a month, a year ago)',
      query: '上海',
      filters: { from: lastAt - 12 * month, to: lastAt - 11 * month },
    },
    { kind: 'filter: kind link', query: 'qixin', filters: { kind: 'link' } },
  ];
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function benchCacheSearch(
  options: CacheSearchOptions,
  log: (line: string) => void,
): Promise<CacheSearchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'qixin-bench-search-'));
  try {
    const db = new Database(path.join(dir, 'cache.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const insertMs = fillUnindexed(db, options, log);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytesWithoutIndex = databaseBytes(db);
    log(`search: ${options.messages.toLocaleString('en-US')} messages in ${(insertMs / 1000).toFixed(1)} s; indexing`);
    const indexBuildMs = timed(() => migrate(db));
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytesWithIndex = databaseBytes(db);
    const indexBytes = indexBytesOf(db);
    log(`search: index built in ${(indexBuildMs / 1000).toFixed(1)} s`);

    const lastAt = db.prepare('SELECT max(created_at) FROM messages').pluck().get() as number;
    const byId = db.prepare('SELECT * FROM messages WHERE id = ?');
    const like = db.prepare(`SELECT * FROM messages WHERE text LIKE ? ESCAPE '\\' ORDER BY created_at DESC LIMIT 50`);
    const groups = new Map<string, SearchKindResult & { indexRuns: number[]; cpuRuns: number[]; likeRuns: number[] }>();
    for (const { kind, query, filters } of benchQueries(options.seed, lastAt)) {
      const q: CachedMessageQuery = { query, before: null, limit: 50, ...filters };
      // What search.messages does locally: the page of hits, then each message loaded.
      const search = () => searchCachedMessages(db, q).hits.map((h) => byId.get(h.id));
      const found = search().length;
      like.all(likePattern(query));
      const group = groups.get(kind) ?? {
        kind,
        queries: [],
        firstPage: [],
        index: { p50: 0, p95: 0, max: 0 },
        indexCpu: { p50: 0, p95: 0, max: 0 },
        like: { p50: 0, p95: 0, max: 0 },
        indexRuns: [],
        cpuRuns: [],
        likeRuns: [],
      };
      group.queries.push(query);
      group.firstPage.push(found);
      for (let i = 0; i < options.runs; i++) {
        const run = timedWithCpu(search);
        group.indexRuns.push(run.wall);
        group.cpuRuns.push(run.cpu);
      }
      // The LIKE baseline only for unfiltered queries (the same question asked of the bare table).
      if (Object.keys(filters).length === 0) {
        for (let i = 0; i < Math.max(3, Math.floor(options.runs / 4)); i++) {
          group.likeRuns.push(timed(() => like.all(likePattern(query))));
        }
      }
      groups.set(kind, group);
    }
    db.close();
    const kinds = [...groups.values()].map(({ indexRuns, cpuRuns, likeRuns, ...g }) => ({
      ...g,
      index: percentiles(indexRuns),
      indexCpu: percentiles(cpuRuns),
      like: likeRuns.length > 0 ? percentiles(likeRuns) : { p50: NaN, p95: NaN, max: NaN },
    }));
    return { messages: options.messages, insertMs, indexBuildMs, bytesWithoutIndex, bytesWithIndex, indexBytes, kinds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (x: number) => (Number.isNaN(x) ? '' : `${x.toFixed(2)} ms`);
const mib = (x: number) => `${(x / 2 ** 20).toFixed(0)} MiB`;

/** Table rows of the cache search benchmark; each starts with "| search" (BENCH_ONLY replaces them). */
export function cacheSearchRows(r: CacheSearchResult): string[] {
  const at = `search (desktop cache, ${r.messages.toLocaleString('en-US')} messages)`;
  return [
    `| ${at}: index build (migration 0040 over the held messages) | ${(r.indexBuildMs / 1000).toFixed(1)} s | storing the messages ${(r.insertMs / 1000).toFixed(1)} s | | |`,
    `| ${at}: database size with / without the index | ${mib(r.bytesWithIndex)} / ${mib(r.bytesWithoutIndex)} (index ${mib(r.indexBytes)}) | | +${((100 * (r.bytesWithIndex - r.bytesWithoutIndex)) / r.bytesWithoutIndex).toFixed(0)}% | |`,
    ...r.kinds.map((k) => {
      const ratio = Number.isNaN(k.like.p95) ? '' : `${(k.like.p95 / k.index.p95).toFixed(0)}× faster`;
      return `| ${at}: ${k.kind} (${k.queries.map((q) => JSON.stringify(q)).join(', ')}; first 50 newest; p50 / p95, CPU p95) | ${ms(k.index.p50)} / ${ms(k.index.p95)} (CPU ${ms(k.indexCpu.p95)}) | LIKE scan ${ms(k.like.p50)} / ${ms(k.like.p95)} | ${ratio} | p95 < 10 ms |`;
    }),
  ];
}
