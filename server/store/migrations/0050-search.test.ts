import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { queryTokens } from '../../../shared/lib/search-text';
import { migrate, type Dialect } from '../migrator';
import { emptyStore } from '../test-stores';
import { migration0010 } from './0010-initial';
import { migration0020 } from './0020-audit';
import { migration0030 } from './0030-directory';
import { migration0040 } from './0040-messaging';
import { migration0050 } from './0050-search';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

const before = [migration0010, migration0020, migration0030, migration0040];
const C1 = '0190a000-0000-7000-8000-000000000001';
const U1 = '0190a000-0000-7000-8000-0000000000a1';

/** Ids of indexed messages holding `query`, straight from the index (no service on top). */
async function indexedIds(db: Kysely<any>, dialect: Dialect, query: string): Promise<string[]> {
  const q = queryTokens(query)!;
  if (dialect === 'sqlite') {
    const match = q.kind === 'unigram' ? `uni : ${q.token}` : `bi : "${q.tokens.join(' ')}"`;
    const { rows } = await sql<{ id: string }>`select m.id from message_search s join messages m on m.rowid = s.rowid
      where message_search match ${match} order by m.id`.execute(db);
    return rows.map((r) => r.id);
  }
  const tsq = q.kind === 'unigram' ? q.token : q.tokens.join(' <-> ');
  const column = q.kind === 'unigram' ? sql.ref('uni') : sql.ref('bi');
  const { rows } = await sql<{ id: string }>`select message_id as id from message_search
    where ${column} @@ to_tsquery('simple', ${tsq}) order by message_id`.execute(db);
  return rows.map((r) => r.id);
}

describe.each(['sqlite', 'postgres'] as const)('0050-search on %s', (dialect: Dialect) => {
  it('indexes the messages already stored: text and payload names, not system notices, not recalled ones', async () => {
    const store = await emptyStore(dialect);
    disposers.push(() => store.dispose());
    const db = store.db as unknown as Kysely<any>;
    await migrate(store.db, dialect, before);
    const now = Date.now();
    await db
      .insertInto('conversations')
      .values({
        id: C1,
        type: 'group',
        name: '项目组',
        owner_id: U1,
        direct_key: null,
        created_at: now,
        last_seq: 0,
        last_activity_at: now,
      })
      .execute();
    const message = (seq: number, fields: Record<string, unknown>) => ({
      conversation_id: C1,
      seq,
      id: `0190a000-0000-7000-8000-00000000010${seq}`,
      sender_id: U1,
      kind: 'text',
      text: '',
      system: null,
      created_at: now + seq,
      ...fields,
    });
    // 2,100 rows push the backfill past one batch.
    const filler = Array.from({ length: 2_100 }, (_, i) => ({
      ...message(100 + i, { text: `第${i}条 filler` }),
      id: `0190a000-0000-7000-8000-${String(100_000_000_000 + i)}`,
    }));
    await db
      .insertInto('messages')
      .values([
        message(1, { text: '明天去上海出差，报销单记得交' }),
        message(2, { kind: 'system', text: '张三 加入了群聊 上海', system: '{"kind":"joined"}' }),
        message(3, { text: '上海的会议取消了', recalled_at: now }),
        message(4, {
          kind: 'location',
          text: '上海虹桥站',
          body: JSON.stringify({
            kind: 'location',
            name: '上海虹桥站',
            address: '申贵路1500号',
            latitude: 31.19,
            longitude: 121.32,
          }),
        }),
        message(5, { text: 'Deploy QIXIN v2版本 to Shanghai' }),
      ])
      .execute();
    for (let i = 0; i < filler.length; i += 400)
      await db
        .insertInto('messages')
        .values(filler.slice(i, i + 400))
        .execute();

    expect(await migrate(store.db, dialect, [...before, migration0050])).toEqual([50]);

    const id = (seq: number) => message(seq, {}).id;
    expect(await indexedIds(db, dialect, '上海')).toEqual([id(1), id(4)]);
    expect(await indexedIds(db, dialect, '申贵路')).toEqual([id(4)]);
    expect(await indexedIds(db, dialect, 'qixin V2')).toEqual([id(5)]);
    expect(await indexedIds(db, dialect, '报')).toEqual([id(1)]);
    expect(await indexedIds(db, dialect, '加入')).toEqual([]);
    expect(await indexedIds(db, dialect, '第2099条')).toEqual([filler[2099]!.id]);
    expect((await indexedIds(db, dialect, 'filler')).length).toBe(2_100);
  }, 60_000);
});
