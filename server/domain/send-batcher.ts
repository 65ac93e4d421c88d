// Group commit for msg.send: sends that arrive while a batch is being written wait for the
// next one, and each batch is one transaction. Per-send cost was dominated by the
// transaction and its round trips, not by the rows.
import { eventFrame, type Message } from '../../shared/protocol';
import { createLogger } from '../log';
import { isUniqueViolation } from '../store/errors';
import type { DomainContext } from './context';
import { decideSends, type SendOutcome, type SendRequest } from './send-batch';
import { messageView } from './views';

const log = createLogger('relay.send-batcher');

/** Bounds a transaction's size (and the wait of the batch's last send). */
export const MAX_SEND_BATCH = 256;
// Two nodes storing one id at once: the loser's batch is retried and then finds the stored message.
const UNIQUE_RETRIES = 2;

interface PendingSend {
  request: SendRequest;
  resolve(message: Message): void;
  reject(err: unknown): void;
}

export class SendBatcher {
  private pending: PendingSend[] = [];
  private scheduled = false;
  private writing = false;

  constructor(
    private readonly ctx: DomainContext,
    private readonly maxBatch = MAX_SEND_BATCH,
  ) {}

  /** Resolves with the stored message once its batch has committed (fan-out is under way then). */
  submit(request: SendRequest): Promise<Message> {
    return new Promise((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    // The next turn: every frame read from the sockets in this one joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length > 0) await this.commit(this.pending.splice(0, this.maxBatch));
    } finally {
      this.writing = false;
    }
  }

  /** Never throws: every send of the batch is settled. */
  private async commit(batch: PendingSend[]): Promise<void> {
    const requests = batch.map((p) => p.request);
    const query = {
      messageIds: [...new Set(requests.map((r) => r.id))],
      conversationIds: [...new Set(requests.map((r) => r.conversationId))],
    };
    let outcomes: SendOutcome[];
    for (let attempt = 0; ; attempt++) {
      try {
        const now = this.ctx.now();
        outcomes = await this.ctx.messageLog.commitSends(query, (snapshot) => decideSends(requests, snapshot, now));
        break;
      } catch (err) {
        if (attempt < UNIQUE_RETRIES && isUniqueViolation(err)) continue;
        log.error({ err, size: batch.length }, 'message batch failed');
        for (const p of batch) p.reject(err);
        return;
      }
    }
    outcomes.forEach((outcome, i) => {
      const p = batch[i]!;
      if (!outcome.ok) return p.reject(outcome.error);
      const message = messageView(outcome.row);
      // In seq order: the bus keeps publish order, so every socket sees a conversation's messages in order.
      if (outcome.fresh) this.ctx.fanout.toUsers(outcome.memberIds, eventFrame('msg.new', { message }));
      p.resolve(message);
    });
  }
}
