// Sync: keeps the cache equal to the relay's truth. On every (re)connect it pulls the change
// stream from the stored cursor, then fills every conversation whose head (seq, and rev for
// message changes) is past what we hold and brings the directory up to date (DirectorySync);
// live events are applied when they follow on, and trigger a pull / gap fill when they skip.
import type { Change, Message, RequestResult } from '../../../shared/protocol';
import { Limits, MessagingLimits } from '../../../shared/protocol';
import type { EventSink } from '../../../shared/contract';
import type { LocalCache } from '../cache/local-cache';
import type { RelayEvent, RelayLink } from '../relay/relay-link';
import { createLogger } from '../log';
import { DirectorySync } from './directory-sync';
import { SingleFlight } from './single-flight';

const log = createLogger('core.sync');

export const CURSOR_KEY = 'changeCursor';
export const SESSION_KEY = 'session';

export type SyncHooks = {
  selfId(): string | null;
  emit: EventSink;
  /** Called after messages were stored; `live` is true for msg.new pushed by the relay. */
  onMessages(stored: Message[], live: boolean): void;
  /** The signed-in user's own profile or the enterprise changed. */
  onSessionChanged(): void;
  /** Events or calendars this user sees changed on the relay (the views and reminders fetch again). */
  onCalendarChanged(): void;
};

export class Sync {
  private readonly flights = new SingleFlight();
  readonly directory: DirectorySync;

  constructor(
    private readonly link: RelayLink,
    private readonly cache: LocalCache,
    private readonly hooks: SyncHooks,
  ) {
    this.directory = new DirectorySync(link, cache, this.flights, hooks);
  }

  stop(): void {
    this.directory.stop();
  }

  /** The full catch-up after a (re)connect: changes, then heads and gap fill beside the directory. */
  async catchUp(): Promise<void> {
    await this.pullChanges();
    await Promise.all([this.directory.pull(), this.fillConversations()]);
  }

  private async fillConversations(): Promise<void> {
    const { heads } = await this.link.request('sync.heads', {});
    const behind = heads.filter((h) => h.lastSeq > this.cache.read.syncedSeq(h.conversationId));
    const changed = heads.filter((h) => h.lastRev > this.cache.read.syncedRev(h.conversationId));
    if (behind.length > 0) {
      this.cache.transaction(() =>
        behind.forEach((h) => this.cache.write.raiseLastSeq(h.conversationId, h.lastSeq, h.lastRev)),
      );
      this.hooks.emit('conversations.changed', {});
    }
    // A few conversations at a time: enough to overlap round trips, few enough to stay polite.
    // In each, messages first, then their changes: a change to a message not held yet is skipped,
    // and a range read still under way could then bring that message as it was before.
    const ids = new Set([...behind, ...changed].map((h) => h.conversationId));
    const filled = new Set(behind.map((h) => h.conversationId));
    const revised = new Set(changed.map((h) => h.conversationId));
    const queue = [...ids].map((id) => async () => {
      if (filled.has(id)) await this.gapFill(id);
      if (revised.has(id)) await this.pullUpdates(id);
    });
    await Promise.all(
      Array.from({ length: Math.min(4, queue.length) }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) await job();
      }),
    );
  }

  /** Pulls the change stream; a fresh cache (no stored cursor) is built from the paged snapshot first. */
  pullChanges(): Promise<void> {
    return this.flights.run('changes', async () => {
      if (this.cache.read.kv<number>(CURSOR_KEY) === null) {
        await this.snapshot();
        await this.pullFavorites();
      }
      for (;;) {
        const after = this.cache.read.kv<number>(CURSOR_KEY) ?? 0;
        const page = await this.link.request('sync.changes', { after });
        this.apply(page.changes, page.cursor);
        if (!page.hasMore || page.cursor <= after) break;
      }
    });
  }

  /**
   * Stores `sync.snapshot` (enterprise and conversations) with its cursor, so `sync.changes`
   * then replays whatever changed since. The directory comes through `dir.sync` (catchUp).
   */
  private async snapshot(): Promise<void> {
    const page = await this.link.request('sync.snapshot', {});
    const cursor = page.cursor;
    const changes: Change[] = [
      ...(page.enterprise ? [{ cursor, kind: 'enterprise' as const, enterprise: page.enterprise }] : []),
      ...page.conversations.map((conversation) => ({ cursor, kind: 'conversation' as const, conversation })),
    ];
    this.apply(changes, cursor);
    log.debug({ cursor }, 'snapshot stored');
  }

  /**
   * A fresh cache's favorites, newest saved first, page by page. Favorite changes after the
   * snapshot's cursor replay on top (adding and removing are idempotent).
   */
  private async pullFavorites(): Promise<void> {
    let before: { savedAt: number; id: string } | null = null;
    do {
      const page: RequestResult<'fav.list'> = await this.link.request('fav.list', {
        before,
        limit: MessagingLimits.favoritesPageSize,
      });
      this.cache.write.upsertFavorites(page.favorites);
      before = page.next;
    } while (before);
    this.hooks.emit('favorites.changed', {});
  }

  /**
   * Fetches every message change (recall, reactions) after the highest revision applied, page
   * by page: the revision half of gap fill.
   */
  pullUpdates(conversationId: string): Promise<void> {
    return this.flights.run(`updates:${conversationId}`, async () => {
      for (;;) {
        const afterRev = this.cache.read.syncedRev(conversationId);
        const page = await this.link.request('msg.updates', {
          conversationId,
          afterRev,
          limit: Limits.rangeMaxMessages,
        });
        this.applyUpdates(page.messages);
        const top = Math.max(afterRev, ...page.messages.map((m) => m.rev));
        // A short page is the end: everything up to the relay's lastRev is applied.
        const done = page.messages.length < Limits.rangeMaxMessages || top >= page.lastRev;
        this.cache.write.raiseSyncedRev(conversationId, done ? page.lastRev : top);
        if (done || top === afterRev) break;
      }
    });
  }

  /** Stores newer revisions of held messages and tells the renderer which chats changed. */
  applyUpdates(messages: Message[]): void {
    const changed = this.cache.write.applyMessageUpdates(messages, this.hooks.selfId());
    if (changed.length === 0) return;
    for (const id of new Set(changed.map((m) => m.conversationId))) {
      this.hooks.emit('messages.changed', { conversationId: id });
    }
    this.hooks.emit('conversations.changed', {});
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
      case 'msg.updated': {
        // The same rule as seq: the next revision is applied and recorded; a skip pulls what was
        // missed. The message itself is applied either way (its own rev guards against going back).
        const m = event.payload.message;
        const held = this.cache.read.syncedRev(m.conversationId);
        if (!this.cache.read.message(m.id)) {
          // Not held yet: a range read under way may bring it as it was before this change, so
          // the change is pulled again once the messages are in.
          const id = m.conversationId;
          this.background(
            this.gapFill(id).then(() => this.pullUpdates(id)),
            'updates gap fill',
          );
          break;
        }
        this.applyUpdates([m]);
        if (m.rev === held + 1) this.cache.write.raiseSyncedRev(m.conversationId, m.rev);
        else if (m.rev > held + 1) this.background(this.pullUpdates(m.conversationId), 'updates gap fill');
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
    // Live messages: the core fetches unknown senders itself before it notifies.
    if (!live) this.directory.want(new Set(stored.map((m) => m.senderId)));
    for (const id of new Set(stored.map((m) => m.conversationId))) {
      this.hooks.emit('messages.changed', { conversationId: id });
    }
    this.hooks.emit('conversations.changed', {});
    this.hooks.onMessages(stored, live);
  }

  /** Stores the changes and, unless null (a snapshot page), raises the stored cursor to `cursor`. */
  private apply(changes: Change[], cursor: number | null): void {
    const selfId = this.hooks.selfId();
    const seen = {
      directory: false,
      conversations: [] as string[],
      members: new Set<string>(),
      session: false,
      hidden: new Set<string>(),
      favorites: false,
      calendar: false,
    };
    this.cache.transaction(() => {
      for (const change of changes) {
        if (change.kind === 'directory') {
          seen.directory = true;
        } else if (change.kind === 'enterprise') {
          const session = this.cache.read.kv<Record<string, unknown>>(SESSION_KEY);
          if (session) this.cache.write.setKv(SESSION_KEY, { ...session, enterprise: change.enterprise });
          seen.session = true;
        } else if (change.kind === 'hidden') {
          // Deleted on another device; a message not held yet comes marked hidden by msg.range.
          this.cache.write.hideMessages(change.conversationId, change.messageIds);
          seen.hidden.add(change.conversationId);
        } else if (change.kind === 'favorites') {
          this.cache.write.upsertFavorites(change.added);
          this.cache.write.removeFavorites(change.removedIds);
          seen.favorites = true;
        } else if (change.kind === 'calendar') {
          // The change only names events: the views and the reminders fetch them again.
          seen.calendar = true;
        } else {
          this.cache.write.upsertConversation(change.conversation, selfId);
          seen.conversations.push(change.conversation.id);
          change.conversation.memberIds.forEach((id) => seen.members.add(id));
        }
      }
      const stored = this.cache.read.kv<number>(CURSOR_KEY) ?? 0;
      if (cursor !== null && cursor > stored) this.cache.write.setKv(CURSOR_KEY, cursor);
    });
    if (seen.session) this.hooks.onSessionChanged();
    for (const id of seen.hidden) this.hooks.emit('messages.changed', { conversationId: id });
    if (seen.hidden.size > 0 && seen.conversations.length === 0) this.hooks.emit('conversations.changed', {});
    if (seen.favorites) this.hooks.emit('favorites.changed', {});
    if (seen.calendar) this.hooks.onCalendarChanged();
    // A fresh cache (no cursor yet) is mid-snapshot: the catch-up reads the directory next.
    if (seen.directory && cursor !== null && this.link.online) this.background(this.directory.pull(), 'directory pull');
    if (seen.members.size > 0) this.directory.want(seen.members);
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
