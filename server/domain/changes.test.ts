import { afterEach, describe, expect, it } from 'vitest';
import { eventFrame, events, type Conversation } from '../../shared/protocol';
import { LocalBus } from '../bus/local-bus';
import type { BusMessage } from '../bus/bus';
import { migrate } from '../store/migrator';
import { migrations } from '../store/migrations';
import { emptyStore } from '../store/test-stores';
import { ChangeStream } from './changes';
import { Fanout } from './fanout';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

const C1 = '0190a000-0000-7000-8000-000000000001';
const members = ['a001', 'a002', 'a003'].map((n) => `0190a000-0000-7000-8000-00000000${n}`);

function view(userId: string, readSeq: number): Conversation {
  return {
    id: C1,
    type: 'group',
    name: '大群 "引号" \\ 反斜杠',
    ownerId: members[0]!,
    adminIds: [members[1]!],
    memberIds: members,
    createdAt: 1_000,
    lastSeq: 9,
    lastRev: 2,
    lastActivityAt: 2_000,
    announcement: { text: '公告\n第二行', authorId: members[0]!, updatedAt: 1_500, version: 3 },
    welcome: '欢迎',
    muteAll: true,
    managersOnly: false,
    dissolved: false,
    readSeq,
    pinned: userId === members[2],
    muted: false,
    tags: userId === members[2] ? ['客户'] : [],
    active: true,
  };
}

async function stream() {
  const store = await emptyStore('sqlite');
  disposers.push(() => store.dispose());
  await migrate(store.db, 'sqlite', migrations);
  const bus = new LocalBus();
  const delivered: BusMessage[] = [];
  bus.onMessage((m) => delivered.push(m));
  const changes = new ChangeStream({
    db: store.db,
    dialect: 'sqlite',
    fanout: new Fanout(bus),
    now: () => 3_000,
    transaction: store.transaction,
    messageLog: store.messageLog,
  });
  return { store, changes, delivered };
}

describe('ChangeStream conversation changes', () => {
  it('sends each member a frame that reads exactly as their whole view, the view crossing the bus once', async () => {
    const { store, changes, delivered } = await stream();
    const appended = await store.transaction((trx) =>
      changes.appendConversation(trx, {
        shared: split(view(members[0]!, 0)).shared,
        owners: members.map((userId, i) => ({ userId, own: split(view(userId, i * 3)).own })),
      }),
    );
    // Around it, changes of other kinds keep their place.
    const directory = { userId: null, change: { kind: 'directory' as const, version: 2, epoch: 1, cursor: 99 } };
    changes.publish([directory, ...appended, directory]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(delivered.map((m) => m.kind)).toEqual(['deliver', 'deliverEach', 'deliver']);
    const each = delivered[1]!;
    if (each.kind !== 'deliverEach') throw new Error('expected one deliverEach');
    expect(each.frames.map((f) => f.userId)).toEqual(members);
    for (const [i, userId] of members.entries()) {
      const { head, tail } = each.frames[i]!;
      const frame = JSON.parse(head + each.shared + tail) as { type: string; payload: unknown };
      const change = {
        kind: 'conversation' as const,
        conversation: view(userId, i * 3),
        cursor: appended[i]!.change.cursor,
      };
      expect(frame).toEqual(JSON.parse(eventFrame('change', { change })));
      expect(events.change.parse(frame.payload)).toEqual({ change });
      const page = await changes.read(userId, 0);
      expect(page.changes).toEqual([change]);
    }
  });

  it("stores one user's view (a read moving) against the conversation's latest shared part", async () => {
    const { store, changes } = await stream();
    const append = (readSeq: number, name?: string) =>
      store.transaction((trx) =>
        changes.append(trx, [
          {
            userId: members[1]!,
            change: {
              kind: 'conversation',
              conversation: { ...view(members[1]!, readSeq), ...(name ? { name } : {}) },
            },
          },
        ]),
      );
    await append(1);
    await append(2);
    expect(await store.db.selectFrom('conversation_snapshots').selectAll().execute()).toHaveLength(1);
    await append(3, '改名了');
    expect(await store.db.selectFrom('conversation_snapshots').selectAll().execute()).toHaveLength(2);
    const page = await changes.read(members[1]!, 0);
    expect(
      page.changes.map((c) => (c.kind === 'conversation' ? [c.conversation.readSeq, c.conversation.name] : null)),
    ).toEqual([
      [1, view(members[1]!, 1).name],
      [2, view(members[1]!, 2).name],
      [3, '改名了'],
    ]);
  });
});

function split(v: Conversation) {
  const { lastSeq, lastActivityAt, readSeq, pinned, muted, tags, active, ...shared } = v;
  return { shared, own: { lastSeq, lastActivityAt, readSeq, pinned, muted, tags, active } };
}
