import { describe, expect, it } from 'vitest';
import type { BusMessage } from '../bus/bus';
import { LocalBus } from '../bus/local-bus';
import type { MessageLog, SendBatchDecision, SendBatchQuery, SendBatchSnapshot } from '../store/message-log';
import type { DomainContext } from './context';
import { Fanout } from './fanout';
import { textContent } from './message-content';
import { groupRow, memberRow } from './rows.test-fixture';
import { SendBatcher } from './send-batcher';

/** An in-memory log with one conversation that records each commit's size. */
class FakeLog implements MessageLog {
  commits: number[] = [];
  lastSeq = 0;
  failNext: unknown = undefined;
  async commitSends<T>(query: SendBatchQuery, decide: SendBatchDecision<T>): Promise<T> {
    await new Promise((r) => setTimeout(r, 5)); // a write takes a while; sends pile up meanwhile
    const snapshot: SendBatchSnapshot = {
      existing: [],
      conversations: [groupRow('c1', { owner_id: 'a', last_seq: this.lastSeq })],
      members: ['a', 'b'].map((userId) => memberRow('c1', userId, { joined_seq: 0 })),
    };
    const { writes, result } = decide(snapshot);
    if (this.failNext) {
      const err = this.failNext;
      this.failNext = undefined;
      throw err;
    }
    this.commits.push(query.messageIds.length);
    this.lastSeq = writes.heads[0]?.lastSeq ?? this.lastSeq;
    return result;
  }
}

function setup(maxBatch?: number) {
  const log = new FakeLog();
  const bus = new LocalBus();
  const delivered: BusMessage[] = [];
  bus.onMessage((m) => delivered.push(m));
  const ctx = { fanout: new Fanout(bus), now: () => 7, messageLog: log } as unknown as DomainContext;
  return { log, delivered, batcher: new SendBatcher(ctx, maxBatch) };
}

const send = (i: number, senderId = 'a') => ({
  senderId,
  id: `m${i}`,
  conversationId: 'c1',
  content: textContent({ text: `t${i}`, mentions: [], mentionAll: false }),
});

describe('SendBatcher', () => {
  it('commits sends of one turn together and the ones arriving during a write in the next batch', async () => {
    const { log, delivered, batcher } = setup();
    const first = Array.from({ length: 10 }, (_, i) => batcher.submit(send(i)));
    await new Promise((r) => setImmediate(r)); // the first batch is being written now
    const second = Array.from({ length: 5 }, (_, i) => batcher.submit(send(10 + i)));
    const messages = await Promise.all([...first, ...second]);
    expect(log.commits).toEqual([10, 5]);
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    await new Promise((r) => setImmediate(r));
    expect(delivered.map((d) => d.kind === 'deliver' && JSON.parse(d.frame).payload.message.seq)).toEqual(
      messages.map((m) => m.seq),
    );
  });

  it('caps a batch and keeps arrival order across batches', async () => {
    const { log, batcher } = setup(4);
    const messages = await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.submit(send(i))));
    expect(log.commits).toEqual([4, 4, 2]);
    expect(messages.map((m) => m.id)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it('refuses one send without failing its batch, and retries a batch that lost a unique race', async () => {
    const { log, batcher } = setup();
    log.failNext = Object.assign(new Error('duplicate key'), { code: '23505' });
    const results = await Promise.allSettled([batcher.submit(send(1)), batcher.submit(send(2, 'mallory'))]);
    expect(results[0]).toMatchObject({ status: 'fulfilled', value: { seq: 1 } });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
    expect(log.commits).toEqual([2]);
  });

  it('fails every send of a batch whose transaction fails', async () => {
    const { log, batcher } = setup();
    log.failNext = new Error('disk full');
    const results = await Promise.allSettled([batcher.submit(send(1)), batcher.submit(send(2))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await batcher.submit(send(3))).toMatchObject({ seq: 1 });
  });
});
