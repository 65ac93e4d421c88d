// DirectorySync: keeps the cached directory (departments, then member profiles) equal to what
// the relay lets this user see. It pulls `dir.sync` page by page from a cursor stored per kind,
// one transaction per page. A new epoch (who-sees-whom changed) starts a full re-read from the
// beginning while the old rows stay on screen; rows the re-read did not see are removed at its end.
import { Limits, type RequestResult } from '../../../shared/protocol';
import type { EventSink } from '../../../shared/contract';
import { DIR_PASS_KEY, type DirectoryKind, type LocalCache } from '../cache/local-cache';
import type { RelayLink } from '../relay/relay-link';
import { createLogger } from '../log';
import type { SingleFlight } from './single-flight';

const log = createLogger('core.directory');

type DirCursor = NonNullable<RequestResult<'dir.sync'>['next']>;

/**
 * Where the pull of one kind stands. `epoch` is the one the stored rows belong to (null before
 * the first read); `pass` is set while a full re-read runs: the pass number it began with.
 */
export type DirectoryState = { after: DirCursor | null; epoch: number | null; pass: number | null };

export const directoryStateKey = (kind: DirectoryKind) => `dir.${kind}`;

/** `dir.users` takes at most this many ids per request. */
const USERS_BATCH = 500;
/** Rows per `dir.sync` page, each stored in one transaction. */
const PAGE_SIZE = Limits.directoryPageSize;
/** `directory.changed` goes out at most this often while pages arrive. */
const CHANGED_EVENT_MS = 100;

export type DirectorySyncHooks = {
  selfId(): string | null;
  emit: EventSink;
  /** The signed-in user's own profile changed. */
  onSessionChanged(): void;
};

export class DirectorySync {
  private changedTimer: NodeJS.Timeout | null = null;
  /** Ids waiting for `dir.users`. */
  private readonly wanted = new Set<string>();
  /** Ids the relay did not return (not visible to us): not asked again until the next pull. */
  private readonly unresolvable = new Set<string>();

  constructor(
    private readonly link: RelayLink,
    private readonly cache: LocalCache,
    private readonly flights: SingleFlight,
    private readonly hooks: DirectorySyncHooks,
  ) {}

  stop(): void {
    if (this.changedTimer) clearTimeout(this.changedTimer);
    this.changedTimer = null;
  }

  /** Pulls departments, then users, until both are current; then fetches unknown chat members. */
  pull(): Promise<void> {
    return this.flights.run('directory', async () => {
      this.unresolvable.clear();
      await this.pullKind('departments');
      await this.pullKind('users');
      this.want(this.cache.read.unknownConversationMembers());
      await this.resolveWanted();
    });
  }

  /**
   * Profiles the cache lacks (chat members, message senders) are fetched in the background.
   * Ids already held or already known to be invisible are skipped.
   */
  want(ids: Iterable<string>): void {
    const fresh = this.cache.read.unknownUserIds([...ids].filter((id) => !this.unresolvable.has(id)));
    if (fresh.length === 0) return;
    fresh.forEach((id) => this.wanted.add(id));
    // Before the first directory read most ids look unknown; that read ends by fetching the rest.
    if (this.link.online && this.state('users').epoch !== null) {
      this.resolveWanted().catch((err: Error) => log.debug({ err: err.message }, 'profile fetch interrupted'));
    }
  }

  /** Fetches profiles by id now (≤ 500 per request) and stores them; returns how many the relay sent. */
  async fetchUsers(ids: readonly string[]): Promise<number> {
    let stored = 0;
    for (let i = 0; i < ids.length; i += USERS_BATCH) {
      const batch = ids.slice(i, i + USERS_BATCH);
      const { users } = await this.link.request('dir.users', { ids: batch });
      const selfId = this.hooks.selfId();
      this.cache.write.upsertUsers(users);
      const returned = new Set(users.map((u) => u.id));
      for (const id of batch) if (!returned.has(id)) this.unresolvable.add(id);
      stored += users.length;
      if (users.length > 0) this.changed();
      if (selfId && returned.has(selfId)) this.hooks.onSessionChanged();
    }
    return stored;
  }

  private resolveWanted(): Promise<void> {
    return this.flights.run('dir.users', async () => {
      while (this.wanted.size > 0) {
        const batch = [...this.wanted].slice(0, USERS_BATCH);
        await this.fetchUsers(this.cache.read.unknownUserIds(batch));
        batch.forEach((id) => this.wanted.delete(id));
      }
    });
  }

  private state(kind: DirectoryKind): DirectoryState {
    return this.cache.read.kv<DirectoryState>(directoryStateKey(kind)) ?? { after: null, epoch: null, pass: null };
  }

  /** A full read from the start: takes the next pass number, stored with the state so a restart resumes it. */
  private beginPass(kind: DirectoryKind, epoch: number | null): DirectoryState {
    return this.cache.transaction(() => {
      const pass = (this.cache.read.kv<number>(DIR_PASS_KEY) ?? 0) + 1;
      const state: DirectoryState = { after: null, epoch, pass };
      this.cache.write.setKv(DIR_PASS_KEY, pass);
      this.cache.write.setKv(directoryStateKey(kind), state);
      return state;
    });
  }

  private async pullKind(kind: DirectoryKind): Promise<void> {
    let state = this.state(kind);
    // Never read: the first read is a full one (it also clears profiles an older cache kept).
    if (state.epoch === null && state.pass === null) state = this.beginPass(kind, null);
    let pending = this.page(kind, state.after);
    for (;;) {
      const page = await pending;
      if (state.epoch !== null && page.epoch !== state.epoch) {
        // Who-sees-whom changed: read everything again; the rows held stay until the re-read ends.
        log.info({ kind, from: state.epoch, to: page.epoch }, 'directory epoch changed; re-reading');
        state = this.beginPass(kind, page.epoch);
        pending = this.page(kind, null);
        continue;
      }
      // `next` is null once nothing changed after `after`: that (empty) answer ends the pull.
      const last = page.next === null || sameCursor(page.next, state.after);
      // The relay prepares the next page while this one is being stored.
      if (!last) pending = this.page(kind, page.next);
      state = this.applyPage(kind, page, state, last);
      if (last) break;
    }
  }

  private page(kind: DirectoryKind, after: DirCursor | null): Promise<RequestResult<'dir.sync'>> {
    const request = this.link.request('dir.sync', { kind, after, limit: PAGE_SIZE });
    // Awaited on the next turn of the loop; a failure meanwhile must not go unhandled.
    request.catch(() => undefined);
    return request;
  }

  /** Stores one page and the cursor after it in one transaction; ends a full re-read on its last page. */
  private applyPage(
    kind: DirectoryKind,
    page: RequestResult<'dir.sync'>,
    state: DirectoryState,
    last: boolean,
  ): DirectoryState {
    const selfId = this.hooks.selfId();
    let changed = page.users.length + page.departments.length;
    const next: DirectoryState = {
      after: page.next ?? state.after,
      epoch: page.epoch,
      pass: last ? null : state.pass,
    };
    this.cache.transaction(() => {
      if (kind === 'departments') page.departments.forEach((d) => this.cache.write.upsertDepartment(d));
      else this.cache.write.upsertUsers(page.users);
      changed += this.cache.write.deleteDirectoryRows(kind, page.removedIds);
      if (last && state.pass !== null) {
        const swept = this.cache.write.sweepDirectory(kind, state.pass);
        if (swept > 0) log.info({ kind, swept }, 'directory re-read removed rows no longer visible');
        changed += swept;
      }
      this.cache.write.setKv(directoryStateKey(kind), next);
    });
    if (changed > 0) this.changed();
    if (selfId && page.users.some((u) => u.id === selfId)) this.hooks.onSessionChanged();
    log.debug({ kind, users: page.users.length, departments: page.departments.length, last }, 'directory page');
    return next;
  }

  /** Coalesces `directory.changed`: a 50-page first read is a handful of events, not one per row. */
  private changed(): void {
    if (this.changedTimer) return;
    this.changedTimer = setTimeout(() => {
      this.changedTimer = null;
      this.hooks.emit('directory.changed', {});
    }, CHANGED_EVENT_MS);
    this.changedTimer.unref();
  }
}

function sameCursor(a: DirCursor | null, b: DirCursor | null): boolean {
  return a !== null && b !== null && a.version === b.version && a.id === b.id;
}
