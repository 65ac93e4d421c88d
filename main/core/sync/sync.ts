// Sync: keeps the cache equal to the relay's truth. On every (re)connect it pulls the change
// stream from the stored cursor, then fills every conversation whose head is past what we hold;
// live events are applied when they follow on, and trigger a pull / gap fill when they skip.
import type { Change, Message, RequestResult } from '../../../shared/protocol';
import { Limits } from '../../../shared/protocol';
import type { EventSink } from '../../../shared/contract';
import type { LocalCache } from '../cache/local-cache';
import type { RelayEvent, RelayLink } from '../relay/relay-link';
import { createLogger } from '../log';

const log = createLogger('core.sync');

export const CURSOR_KEY = 'changeCursor';
export const SESSION_KEY = 'session';
/** Users per snapshot page: well inside the relay's result budget. */
const SNAPSHOT_PAGE_USERS = 500;

export type SyncHooks = {
  selfId(): string | null;
  emit: EventSink;
  /** Called after messages were stored; `live` is true for msg.new pushed by the relay. */
  onMessages(stored: Message[], live: boolean): void;
  /** The signed-in user's own profile or the enterprise changed. */
  onSessionChanged(): void;
};

/** Runs one job at a time per key; a request arriving meanwhile makes it run once more. */
class SingleFlight {
  private running = new Map<string, { again: boolean; done: Promise<void> }>();

  run(key: string, job: () => Promise<void>): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      current.again = true;
      return current.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await job();
        } while (entry.again);
      } finally {
        this.running.delete(key);
      }
    })();
    this.running.set(key, entry);
    return entry.done;
  }
}

export class Sync {
  private readonly flights = new SingleFlight();

  constructor(
    private readonly link: RelayLink,
    private readonly cache: LocalCache,
    private readonly hooks: SyncHooks,
  ) {}

  /** The full catch-up after a (re)connect: changes, then heads, then gap fill. */
  async catchUp(): Promise<void> {
    await this.pullChanges();
    const { heads } = await this.link.request('sync.heads', {});
    const behind = heads.filter((h) => h.lastSeq > this.cache.read.syncedSeq(h.conversationId));
    if (behind.length > 0) {
      this.cache.transaction(() => behind.forEach((h) => this.cache.write.raiseLastSeq(h.conversationId, h.lastSeq)));
      this.hooks.emit('conversations.changed', {});
    }
    // A few conversations at a time: enough to overlap round trips, few enough to stay polite.
    const queue = [...behind];
    await Promise.all(
      Array.from({ length: Math.min(4, queue.length) }, async () => {
        for (let h = queue.shift(); h; h = queue.shift()) await this.gapFill(h.conversationId);
      }),
    );
  }

  /** Pulls the change stream; a fresh cache (no stored cursor) is built from the paged snapshot first. */
  pullChanges(): Promise<void> {
    return this.flights.run('changes', async () => {
      if (this.cache.read.kv<number>(CURSOR_KEY) === null) await this.snapshot();
      for (;;) {
        const after = this.cache.read.kv<number>(CURSOR_KEY) ?? 0;
        const page = await this.link.request('sync.changes', { after });
        this.apply(page.changes, page.cursor);
        if (!page.hasMore || page.cursor <= after) break;
      }
    });
  }

  /**
   * Pages through `sync.snapshot`, storing each page as it arrives; the cursor of the FIRST page
   * is stored only after the last one, so `sync.changes` then replays whatever changed while we
   * paged. A disconnect midway leaves no cursor: the next catch-up restarts from the first page.
   */
  private async snapshot(): Promise<void> {
    let cursor: number | null = null;
    let afterUserId: string | null = null;
    do {
      const page: RequestResult<'sync.snapshot'> = await this.link.request('sync.snapshot', {
        afterUserId,
        limit: SNAPSHOT_PAGE_USERS,
      });
      cursor ??= page.cursor;
      const changes: Change[] = [
        ...(page.enterprise ? [{ cursor, kind: 'enterprise' as const, enterprise: page.enterprise }] : []),
        ...page.users.map((user) => ({ cursor: cursor!, kind: 'user' as const, user })),
        ...page.conversations.map((conversation) => ({ cursor: cursor!, kind: 'conversation' as const, conversation })),
      ];
      this.apply(changes, null);
      afterUserId = page.nextUserId;
    } while (afterUserId !== null);
    this.cache.transaction(() => this.cache.write.setKv(CURSOR_KEY, cursor));
    log.debug({ cursor }, 'snapshot stored');
  }

  /** Fetches every message after the highest contiguous seq we hold, page by page. */
  gapFill(conversationId: string): Promise<void> {
    return this.flights.run(`range:${conversationId}`, async () => {
      for (;;) {
        const afterSeq = this.cache.read.syncedSeq(conversationId);
        const page = await this.link.request('msg.range', {
          conversationId,
          afterSeq,
          limit: Limits.rangeMaxMessages,
        });
        if (page.messages.length === 0) break;
        this.store(page.messages, false);
        const now = this.cache.read.syncedSeq(conversationId);
        if (now >= page.lastSeq || now === afterSeq) break;
      }
    });
  }

  handleEvent(event: RelayEvent): void {
    switch (event.type) {
      case 'msg.new': {
        const m = event.payload.message;
        const held = this.cache.read.syncedSeq(m.conversationId);
        this.store([m], true);
        if (m.seq > held + 1) this.background(this.gapFill(m.conversationId), 'gap fill');
        if (!this.cache.read.conversation(m.conversationId)) this.background(this.pullChanges(), 'pull changes');
        break;
      }
      case 'change': {
        const { change } = event.payload;
        const cursor = this.cache.read.kv<number>(CURSOR_KEY);
        // Without a cursor the snapshot is (about to be) paged; the pull after it replays this.
        if (cursor !== null && change.cursor === cursor + 1) this.apply([change], change.cursor);
        else if (cursor === null || change.cursor > cursor) this.background(this.pullChanges(), 'pull changes');
        break;
      }
      case 'msg.read': {
        const { conversationId, userId, readSeq } = event.payload;
        const moved = this.cache.transaction(() => {
          const state = this.cache.write.raiseReadState(conversationId, userId, readSeq);
          const own = userId === this.hooks.selfId() && this.cache.write.raiseReadSeq(conversationId, readSeq);
          return { state, own };
        });
        if (moved.state) this.hooks.emit('readStates.changed', { conversationId });
        if (moved.own) this.hooks.emit('conversations.changed', {});
        break;
      }
      default:
        break;
    }
  }

  private store(messages: Message[], live: boolean): void {
    const stored = this.cache.write.insertMessages(messages, this.hooks.selfId());
    if (stored.length === 0) return;
    for (const id of new Set(stored.map((m) => m.conversationId))) {
      this.hooks.emit('messages.changed', { conversationId: id });
    }
    this.hooks.emit('conversations.changed', {});
    this.hooks.onMessages(stored, live);
  }

  /** Stores the changes and, unless null (a snapshot page), raises the stored cursor to `cursor`. */
  private apply(changes: Change[], cursor: number | null): void {
    const selfId = this.hooks.selfId();
    const seen = { users: false, conversations: [] as string[], session: false };
    this.cache.transaction(() => {
      for (const change of changes) {
        if (change.kind === 'user') {
          this.cache.write.upsertUser(change.user);
          seen.users = true;
          if (change.user.id === selfId) seen.session = true;
        } else if (change.kind === 'enterprise') {
          const session = this.cache.read.kv<Record<string, unknown>>(SESSION_KEY);
          if (session) this.cache.write.setKv(SESSION_KEY, { ...session, enterprise: change.enterprise });
          seen.session = true;
        } else {
          this.cache.write.upsertConversation(change.conversation, selfId);
          seen.conversations.push(change.conversation.id);
        }
      }
      const stored = this.cache.read.kv<number>(CURSOR_KEY) ?? 0;
      if (cursor !== null && cursor > stored) this.cache.write.setKv(CURSOR_KEY, cursor);
    });
    if (seen.users) this.hooks.emit('directory.changed', {});
    if (seen.session) this.hooks.onSessionChanged();
    if (seen.conversations.length > 0) {
      this.hooks.emit('conversations.changed', {});
      for (const id of seen.conversations) {
        const c = this.cache.read.conversation(id);
        // Newly joined, or messages we missed: fetch them without waiting for the next reconnect.
        if (c && c.lastSeq > this.cache.read.syncedSeq(id) && this.link.online) {
          this.background(this.gapFill(id), 'gap fill');
        }
      }
    }
    log.debug({ count: changes.length, cursor }, 'changes applied');
  }

  private background(job: Promise<void>, what: string): void {
    job.catch((err: Error) => log.debug({ err: err.message }, `${what} interrupted`));
  }
}
