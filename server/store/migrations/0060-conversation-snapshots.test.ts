import { afterEach, describe, expect, it } from 'vitest';
import type { Conversation } from '../../../shared/protocol';
import { LocalBus } from '../../bus/local-bus';
import { ChangeStream } from '../../domain/changes';
import { Fanout } from '../../domain/fanout';
import { migrate, type Dialect } from '../migrator';
import { emptyStore } from '../test-stores';
import { migration0010 } from './0010-initial';
import { migration0020 } from './0020-audit';
import { migration0030 } from './0030-directory';
import { migration0040 } from './0040-messaging';
import { migration0050 } from './0050-search';
import { migration0060 } from './0060-conversation-snapshots';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

const before = [migration0010, migration0020, migration0030, migration0040, migration0050];
const U1 = '0190a000-0000-7000-8000-0000000000a1';
const U2 = '0190a000-0000-7000-8000-0000000000a2';

function view(userId: string, own: Partial<Conversation> = {}): Conversation {
  return {
    id: '0190a000-0000-7000-8000-000000000001',
    type: 'group',
    name: '项目组',
    ownerId: U1,
    adminIds: [],
    memberIds: [U1, U2],
    createdAt: 1_000,
    lastSeq: 7,
    lastRev: 0,
    lastActivityAt: 2_000,
    announcement: { text: '周五发版', authorId: U1, updatedAt: 1_500, version: 1 },
    welcome: '',
    muteAll: false,
    managersOnly: false,
    dissolved: false,
    readSeq: userId === U1 ? 7 : 3,
    pinned: false,
    muted: false,
    tags: [],
    active: true,
    ...own,
  };
}

describe.each(['sqlite', 'postgres'] as const)('0060-conversation-snapshots on %s', (dialect: Dialect) => {
  it('keeps whole views written before it readable, beside new rows that refer to one shared part', async () => {
    const store = await emptyStore(dialect);
    disposers.push(() => store.dispose());
    await migrate(store.db, dialect, before);
    // A row as the relay wrote it before 0060: the whole view in the body.
    const old = view(U2, { name: '旧名字', lastSeq: 5 });
    await store.db
      .insertInto('changes')
      .values({
        user_id: U2,
        kind: 'conversation',
        body: JSON.stringify({ kind: 'conversation', conversation: old }),
        created_at: 1,
      })
      .execute();
    expect(await migrate(store.db, dialect, [...before, migration0060])).toEqual([60]);

    const stream = new ChangeStream({
      db: store.db,
      dialect,
      fanout: new Fanout(new LocalBus()),
      now: () => 3_000,
      transaction: store.transaction,
      messageLog: store.messageLog,
    });
    const { shared } = split(view(U1));
    await store.transaction((trx) =>
      stream.appendConversation(trx, {
        shared,
        owners: [U1, U2].map((userId) => ({ userId, own: split(view(userId)).own })),
      }),
    );
    const rows = await store.db
      .selectFrom('changes')
      .select(['user_id', 'snapshot_id', 'body'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.snapshot_id === null)).toEqual([true, false, false]);
    expect(rows[1]!.body).not.toContain(U2); // no member list in a member's own row
    expect(await store.db.selectFrom('conversation_snapshots').selectAll().execute()).toHaveLength(1);

    const page = await stream.read(U2, 0);
    expect(page.hasMore).toBe(false);
    expect(page.changes.map((c) => (c.kind === 'conversation' ? c.conversation : null))).toEqual([old, view(U2)]);
  });
});

function split(v: Conversation) {
  const { lastSeq, lastActivityAt, readSeq, pinned, muted, tags, active, ...shared } = v;
  return { shared, own: { lastSeq, lastActivityAt, readSeq, pinned, muted, tags, active } };
}
