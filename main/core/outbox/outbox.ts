// Outbox: durable sends. A message (any kind, quote, mentions, forward) is written here first
// (so it survives a crash and works offline), sent in position order with a bounded pipeline,
// and on ack replaced — in one transaction — by the relay's stored copy. After a reconnect
// everything unacked is resent in the same order; the relay dedupes on (sender, id), so a resend
// never duplicates. A refusal no resend can fix marks the row failed, with the relay's error,
// and the queue moves on past it. A file message is held (skipped) until its upload is done,
// then released.
import { newId } from '../../../shared/lib/ids';
import { QixinError, type Message, type SendFields } from '../../../shared/protocol';
import type { LocalCache, OutboxRow } from '../cache/local-cache';
import type { RelayLink } from '../relay/relay-link';
import { createLogger } from '../log';

const log = createLogger('core.outbox');

/** Errors that a resend cannot fix: the row is marked failed instead of blocking the queue. */
const PERMANENT = new Set(['invalid', 'forbidden', 'not_found', 'too_large', 'conflict']);

export type OutboxHooks = {
  selfId(): string | null;
  /** The relay acknowledged these (they are now stored messages). */
  onAcked(stored: Message[], conversationId: string): void;
  /** A send was refused for good; its row stays as failed until discarded. */
  onFailed(row: OutboxRow, error: QixinError): void;
};

export class Outbox {
  private generation = -1;
  private cursor = 0;
  private inFlight = 0;
  private stopped = false;

  constructor(
    private readonly link: RelayLink,
    private readonly cache: LocalCache,
    private readonly hooks: OutboxHooks,
    private readonly window = 32,
  ) {}

  /** Writes the send durably and starts it if online. */
  enqueue(send: SendFields): OutboxRow {
    const row = this.cache.write.enqueue({ id: newId(), send, createdAt: Date.now() });
    this.pump();
    return row;
  }

  /**
   * A held send may go now (its file's upload is done). One the queue has not reached yet goes in
   * its turn; one it passed while held goes at once. Offline, the next connection sends it.
   */
  release(id: string): void {
    if (this.stopped || !this.link.online || this.link.generation !== this.generation) return;
    const row = this.cache.read.outboxRow(id);
    if (!row || row.status !== 'pending') return;
    if (row.position > this.cursor) return this.pump();
    this.inFlight += 1;
    this.send(row, this.generation);
  }

  /** A new connection: everything still in the outbox goes again, from the first row. */
  resume(generation: number): void {
    this.generation = generation;
    this.cursor = 0;
    this.inFlight = 0;
    this.pump();
  }

  stop(): void {
    this.stopped = true;
  }

  private pump(): void {
    if (this.stopped || !this.link.online || this.link.generation !== this.generation) return;
    while (this.inFlight < this.window) {
      const rows = this.cache.read.outboxAfter(this.cursor, this.window - this.inFlight);
      if (rows.length === 0) return;
      for (const row of rows) {
        this.cursor = row.position;
        this.inFlight += 1;
        this.send(row, this.generation);
      }
    }
  }

  private send(row: OutboxRow, generation: number): void {
    this.link.request('msg.send', { ...row.send, id: row.id }).then(
      ({ message }) => {
        if (this.stopped) return;
        // insertMessages also deletes the outbox row with this id, in the same transaction.
        const stored = this.cache.write.insertMessages([message], this.hooks.selfId());
        this.hooks.onAcked(stored, row.send.conversationId);
        if (generation !== this.generation) return;
        this.inFlight -= 1;
        this.pump();
      },
      (err: unknown) => {
        if (this.stopped || generation !== this.generation) return;
        this.inFlight -= 1;
        const error = err instanceof QixinError ? err : new QixinError('internal', String(err));
        if (PERMANENT.has(error.code)) {
          log.warn({ id: row.id, code: error.code, reason: error.reason }, 'send refused for good');
          this.cache.write.failOutbox(row.id, error.toBody());
          this.hooks.onFailed(row, error);
          this.pump();
          return;
        }
        // Anything else (timeout, rate limit, relay trouble): start over on a fresh socket so
        // the resend keeps the original order.
        log.info({ code: error.code }, 'send failed; resending on a new connection');
        this.generation = -1;
        this.link.drop(`msg.send failed: ${error.code}`);
      },
    );
  }
}
