import { afterEach, describe, expect, it } from 'vitest';
import { migrate, type Dialect } from '../migrator';
import { emptyStore } from '../test-stores';
import { migrations } from './index';
import { migration0090 } from './0090-event-attachments';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

const before = migrations.filter((m) => m.version < 90);
const event = (id: string) => ({
  id,
  calendar_id: 'c1',
  organizer_id: 'u1',
  uid: id,
  title: '周会',
  start_at: 1_000,
  end_at: 2_000,
  time_zone: 'Asia/Shanghai',
  start_date: null,
  end_date: null,
  rrule: null,
  last_end_at: 2_000,
  series_id: null,
  recurrence_id: null,
  room_id: null,
  created_at: 1,
  updated_at: 1,
});

describe.each(['sqlite', 'postgres'] as const)('0090-event-attachments on %s', (dialect: Dialect) => {
  it('gives events written before it no attachments and keeps the ones saved after it', async () => {
    const store = await emptyStore(dialect);
    disposers.push(() => store.dispose());
    await migrate(store.db, dialect, before);
    await store.db.insertInto('events').values(event('e-old')).execute();
    expect(await migrate(store.db, dialect, [...before, migration0090])).toEqual([90]);

    const attached = [{ nodeId: 'n1', name: '议程.docx', size: 12, mime: 'application/msword' }];
    await store.db
      .insertInto('events')
      .values({ ...event('e-new'), attachments: JSON.stringify(attached) })
      .execute();
    const rows = await store.db.selectFrom('events').select(['id', 'attachments']).orderBy('id').execute();
    expect(rows.map((r) => [r.id, JSON.parse(r.attachments)])).toEqual([
      ['e-new', attached],
      ['e-old', []],
    ]);
  });
});
