// The desktop core: LocalCache + RelayLink + Sync + Outbox behind the renderer contract.
// Plain Node: the Electron shell and the browser bridge both drive it through `service`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  CallResult,
  ChatMessage,
  ContractService,
  ConversationItem,
  EventName,
  EventPayload,
  EventSink,
  SessionInfo,
  Settings,
} from '../../shared/contract';
import {
  QixinError,
  type Conversation,
  type Enterprise,
  type Message,
  type RequestParams,
  type RequestResult,
  type RequestType,
  type User,
} from '../../shared/protocol';
import { expandOccurrences } from '../../shared/calendar';
import { adminCalls } from './admin/admin-calls';
import { ImportJobs } from './admin/imports';
import { openLocalCache, type LocalCache } from './cache/local-cache';
import { calendarCalls } from './calendar/calendar-calls';
import { CalendarReminders } from './calendar/reminders';
import { directoryCalls } from './directory/directory-calls';
import { CoreFiles } from './files/core-files';
import type { FileShell } from './files/file-shell';
import { createLogger } from './log';
import { CoreMedia, type MediaSource } from './media/core-media';
import { mediaCalls } from './media/media-calls';
import { MediaRelay } from './media/media-relay';
import { chatMessage, pendingMessage } from './messages/chat-message';
import { groupCalls } from './messages/group-calls';
import { messageCalls } from './messages/message-calls';
import { searchCalls } from './search/search-calls';
import { notificationFor } from './messages/notify';
import { Outbox } from './outbox/outbox';
import { AdminHttp } from './relay/admin-http';
import { RelayHttp, relaySocketUrl } from './relay/relay-http';
import { RelayLink, type Backoff } from './relay/relay-link';
import { FileSettings, type SettingsStore } from './settings';
import { CURSOR_KEY, SESSION_KEY, Sync } from './sync/sync';

const log = createLogger('core.desktop');

const LAST_USER_KEY = 'lastUserId';
const PENDING_READS_KEY = 'pendingReads';

export type DesktopCoreOptions = {
  dataDir: string;
  relayUrl: string;
  deviceName: string;
  mode: 'electron' | 'browser';
  /** Path to an Electron-rebuilt better_sqlite3.node. */
  nativeBinding?: string;
  version?: string;
  settings?: SettingsStore;
  /** Electron's open / show in folder / save as / drag out; absent in browser mode. */
  shell?: FileShell;
  /** Reconnect timing; tests shorten it. */
  reconnect?: Backoff;
  heartbeatMs?: number;
  requestTimeoutMs?: number;
  /** The clock reminders fire by (UTC millis); tests move it. */
  now?: () => number;
};

export interface DesktopCore {
  service: ContractService;
  onEvent(sink: EventSink): () => void;
  /** The link's state now (events only report changes; a new window needs the current one). */
  connection(): EventPayload<'connection'>;
  /** Answers media URLs (the bridge server's /media/…, Electron's app://qixin/media/…). */
  media: MediaSource;
  /** File URLs (downloads, previews, browser staging) and dragging a download out (Electron). */
  files: CoreFiles;
  close(): Promise<void>;
}

type StoredSession = { token: string; deviceId: string; user: User; enterprise: Enterprise };

export async function startDesktopCore(options: DesktopCoreOptions): Promise<DesktopCore> {
  mkdirSync(options.dataDir, { recursive: true });
  const settings = options.settings ?? new FileSettings(options.dataDir);
  // Read once here: notifications are decided synchronously as messages arrive.
  const current = await settings.get();
  const cache = openLocalCache({ path: join(options.dataDir, 'cache.db'), nativeBinding: options.nativeBinding });
  return new Core(options, cache, settings, current);
}

class Core implements DesktopCore {
  readonly service: ContractService;
  readonly media: CoreMedia;
  readonly files: CoreFiles;
  private readonly sinks = new Set<EventSink>();
  private readonly link: RelayLink;
  private readonly http: RelayHttp;
  private readonly sync: Sync;
  private readonly outbox: Outbox;
  private readonly adminHttp: AdminHttp;
  private readonly imports: ImportJobs;
  private readonly reminders: CalendarReminders;
  private session: StoredSession | null;
  private focused: string | null = null;
  private closed = false;

  constructor(
    private readonly options: DesktopCoreOptions,
    private readonly cache: LocalCache,
    private readonly settings: SettingsStore,
    private currentSettings: Settings,
  ) {
    this.session = cache.read.kv<StoredSession>(SESSION_KEY);
    this.http = new RelayHttp(options.relayUrl);
    this.link = new RelayLink({
      url: relaySocketUrl(options.relayUrl),
      credentials: () => (this.session ? { token: this.session.token, deviceId: this.session.deviceId } : null),
      backoff: options.reconnect,
      heartbeatMs: options.heartbeatMs,
      requestTimeoutMs: options.requestTimeoutMs,
    });
    const emit: EventSink = (name, payload) => this.emit(name, payload);
    this.sync = new Sync(this.link, cache, {
      selfId: () => this.session?.user.id ?? null,
      emit,
      onMessages: (stored, live) => this.onMessages(stored, live),
      onSessionChanged: () => this.refreshSession(),
      onCalendarChanged: () => {
        this.emit('calendar.changed', {});
        void this.reminders.refresh();
      },
    });
    this.outbox = new Outbox(this.link, cache, {
      selfId: () => this.session?.user.id ?? null,
      onAcked: (stored, conversationId) => {
        this.emit('messages.changed', { conversationId });
        if (stored.length > 0) this.emit('conversations.changed', {});
      },
      onFailed: (row) => {
        this.emit('messages.changed', { conversationId: row.send.conversationId });
        this.emit('conversations.changed', {});
      },
    });

    this.adminHttp = new AdminHttp(options.relayUrl, () => this.session?.token ?? null);
    this.imports = new ImportJobs(this.adminHttp, emit);
    this.reminders = new CalendarReminders({
      cache,
      expand: expandOccurrences,
      now: options.now ?? Date.now,
      selfId: () => this.session?.user.id ?? null,
      online: () => this.link.online,
      ask: (type, params) => this.ask(type, params),
      fire: (reminder) => this.emit('calendar.reminder', { reminder }),
    });

    this.link.onState((s) => this.emit('connection', s));
    this.link.onOnline((_hello, generation) => this.onOnline(generation));
    this.link.onRejected((code, message) => {
      // A revoked token ends the session; a protocol mismatch only stops reconnecting (update needed).
      if (code === 'unauthenticated') this.endSession('the relay refused this session');
      else log.error({ code, message }, 'the relay refused this client');
    });
    this.link.onEvent((event) => {
      if (this.closed) return;
      if (event.type === 'session.revoked') this.endSession(event.payload.reason);
      else this.sync.handleEvent(event);
    });

    this.media = new CoreMedia({
      dataDir: options.dataDir,
      mode: options.mode,
      relay: new MediaRelay(options.relayUrl, () => this.session?.token ?? null),
      userId: () => this.session?.user.id ?? null,
    });
    this.files = new CoreFiles({
      dataDir: options.dataDir,
      relayUrl: options.relayUrl,
      mode: options.mode,
      cache,
      outbox: this.outbox,
      shell: options.shell ?? null,
      emit,
      token: () => this.session?.token ?? null,
      settings: () => this.currentSettings.files,
      requireSession: () => this.requireSession(),
      ask: (type, params) => this.ask(type, params),
    });
    this.service = this.buildService();
    if (this.session) {
      this.link.start();
      this.files.start(this.session.user.id);
      this.reminders.start();
    }
  }

  connection(): EventPayload<'connection'> {
    return this.link.state;
  }

  onEvent(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.outbox.stop();
    this.files.stop();
    this.imports.stop();
    this.reminders.stop();
    this.sync.stop();
    await this.link.stop();
    this.cache.close();
    this.sinks.clear();
  }

  private emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    if (this.closed) return;
    for (const sink of this.sinks) {
      try {
        sink(name, payload);
      } catch (err) {
        log.error({ err, event: name }, 'event sink failed');
      }
    }
  }

  // --- connection and session ------------------------------------------------------------

  private onOnline(generation: number): void {
    this.outbox.resume(generation);
    this.files.online();
    // A fresh cache's snapshot replays no calendar changes: the coming days are read on every connect.
    void this.reminders.refresh();
    void (async () => {
      try {
        await this.sync.catchUp();
        if (this.closed || this.link.generation !== generation) return;
        await this.flushPendingReads();
        if (this.focused) {
          this.markRead(this.focused);
          await this.refreshReadStates(this.focused);
        }
      } catch (err) {
        if (!this.closed) log.info({ err: (err as Error).message }, 'catch-up interrupted');
      }
    })();
  }

  private info(): SessionInfo {
    const s = this.session;
    return { state: 'signed-in', user: s!.user, enterprise: s!.enterprise, deviceId: s!.deviceId };
  }

  private refreshSession(): void {
    if (!this.session) return;
    const stored = this.cache.read.kv<StoredSession>(SESSION_KEY);
    const me = this.cache.read.user(this.session.user.id);
    if (!stored) return;
    this.session = { ...stored, user: me ?? stored.user };
    this.cache.write.setKv(SESSION_KEY, this.session);
    this.emit('session', this.info());
  }

  private async adoptGrant(grant: StoredSession): Promise<SessionInfo> {
    await this.link.stop();
    const previous = this.cache.read.kv<string>(LAST_USER_KEY);
    this.cache.transaction(() => {
      // The cache belongs to one user: someone else signing in starts from an empty one.
      if (previous && previous !== grant.user.id) this.cache.write.wipe();
      this.cache.write.setKv(SESSION_KEY, grant);
      this.cache.write.setKv(LAST_USER_KEY, grant.user.id);
      this.cache.write.upsertUser(grant.user);
    });
    this.session = grant;
    const info = this.info();
    this.emit('session', info);
    this.emit('conversations.changed', {});
    this.emit('directory.changed', {});
    this.link.start();
    this.files.start(grant.user.id);
    this.reminders.start();
    return info;
  }

  private endSession(reason: string): void {
    if (!this.session || this.closed) return;
    log.info({ reason }, 'session ended');
    const enterprise = this.session.enterprise;
    this.session = null;
    this.cache.write.deleteKv(SESSION_KEY);
    this.focused = null;
    this.imports.forget();
    this.files.stop();
    this.reminders.stop();
    void this.link.stop();
    this.emit('session', { state: 'signed-out', user: null, enterprise, deviceId: null });
  }

  /** A relay request on behalf of the user: waits out a connection attempt under way. */
  private async ask<T extends RequestType>(type: T, params: RequestParams<T>): Promise<RequestResult<T>> {
    await this.link.whenOnline();
    return this.link.request(type, params);
  }

  private requireSession(): StoredSession {
    if (!this.session) throw new QixinError('unauthenticated', 'not signed in');
    return this.session;
  }

  // --- conversations and messages -------------------------------------------------------

  private item(c: Conversation): ConversationItem {
    const selfId = this.session?.user.id ?? '';
    const pending = this.cache.read.outboxFor(c.id);
    const lastPending = pending[pending.length - 1];
    const last = this.cache.read.lastMessage(c.id);
    const lastMessage: ChatMessage | null = lastPending
      ? pendingMessage(lastPending, selfId, (id) => this.cache.read.message(id))
      : last
        ? chatMessage(last)
        : null;
    return {
      ...c,
      lastActivityAt: Math.max(c.lastActivityAt, lastPending?.createdAt ?? 0),
      unread: this.cache.read.unreadCount(c.id, c.readSeq, c.lastSeq, selfId),
      lastMessage,
      mentionedMe: this.cache.read.mentionedMe(c.id, c.readSeq, selfId),
    };
  }

  private conversationItem(id: string): ConversationItem {
    const c = this.cache.read.conversation(id);
    if (!c) throw new QixinError('not_found', 'no such conversation');
    return this.item(c);
  }

  /** Stores a conversation the relay just returned, so the caller sees it at once. */
  private adoptConversation(c: Conversation): ConversationItem {
    this.cache.write.upsertConversation(c, this.session?.user.id ?? null);
    this.emit('conversations.changed', {});
    if (c.lastSeq > this.cache.read.syncedSeq(c.id)) void this.sync.gapFill(c.id).catch(() => undefined);
    return this.item(this.cache.read.conversation(c.id)!);
  }

  private onMessages(stored: Message[], live: boolean): void {
    const selfId = this.session?.user.id;
    const conversations = new Set(stored.map((m) => m.conversationId));
    if (this.focused && conversations.has(this.focused)) this.markRead(this.focused);
    if (!live || !selfId) return;
    const unknown = this.cache.read.unknownUserIds(stored.map((m) => m.senderId));
    const send = () => {
      if (this.closed) return;
      for (const m of stored) {
        const note = notificationFor({
          message: m,
          selfId,
          conversation: this.cache.read.conversation(m.conversationId),
          focusedId: this.focused,
          settings: this.currentSettings,
          senderName: this.cache.read.user(m.senderId)?.name ?? '',
          now: new Date(),
        });
        if (note) this.emit('notification', note);
      }
    };
    if (unknown.length === 0 || !this.link.online) return send();
    // A sender the cache does not know yet (a chat with someone outside one's directory view):
    // the profile is fetched first, so the notification carries a name.
    this.sync.directory
      .fetchUsers(unknown)
      .catch((err: Error) => log.debug({ err: err.message }, 'sender profiles'))
      .finally(send);
  }

  /** Marks everything held as read locally, and tells the relay (now, or after reconnecting). */
  private markRead(conversationId: string): void {
    const selfId = this.session?.user.id;
    if (!selfId) return;
    const seq = this.cache.read.maxSeq(conversationId);
    if (seq === 0) return;
    const moved = this.cache.transaction(() => {
      this.cache.write.raiseReadState(conversationId, selfId, seq);
      return this.cache.write.raiseReadSeq(conversationId, seq);
    });
    if (!moved) return;
    this.emit('conversations.changed', {});
    this.emit('readStates.changed', { conversationId });
    this.sendRead(conversationId, seq);
  }

  private sendRead(conversationId: string, seq: number): void {
    const remember = () => {
      if (this.closed) return;
      const pending = new Set(this.cache.read.kv<string[]>(PENDING_READS_KEY) ?? []);
      pending.add(conversationId);
      this.cache.write.setKv(PENDING_READS_KEY, [...pending]);
    };
    if (!this.link.online) return remember();
    this.link.request('msg.read', { conversationId, seq }).catch(remember);
  }

  private async flushPendingReads(): Promise<void> {
    const pending = this.cache.read.kv<string[]>(PENDING_READS_KEY) ?? [];
    if (pending.length === 0) return;
    this.cache.write.deleteKv(PENDING_READS_KEY);
    for (const id of pending) {
      const c = this.cache.read.conversation(id);
      if (c && c.readSeq > 0) this.sendRead(id, c.readSeq);
    }
  }

  private async refreshReadStates(conversationId: string): Promise<void> {
    const { states } = await this.link.request('conv.readStates', { conversationId });
    this.cache.write.replaceReadStates(conversationId, states);
    this.emit('readStates.changed', { conversationId });
  }

  // --- the contract ---------------------------------------------------------------------

  private buildService(): ContractService {
    return {
      'app.info': async () => {
        return { version: this.options.version ?? '0.1.0', mode: this.options.mode, relayUrl: this.options.relayUrl };
      },
      'app.connection': async () => this.link.state,
      'settings.get': async () => this.currentSettings,
      'settings.set': async (args) => {
        this.currentSettings = await this.settings.set(args);
        this.emit('settings.changed', this.currentSettings);
        return this.currentSettings;
      },

      'session.status': async () => {
        if (this.session) return this.info();
        const enterprise = null;
        try {
          const status = await this.http.setupStatus();
          return status.initialized
            ? { state: 'signed-out', user: null, enterprise: status.enterprise, deviceId: null }
            : { state: 'needs-setup', user: null, enterprise, deviceId: null };
        } catch {
          return { state: 'relay-unreachable', user: null, enterprise, deviceId: null };
        }
      },
      'session.createEnterprise': async (args) => {
        const grant = await this.http.createEnterprise({ ...args, deviceName: this.options.deviceName });
        return this.adoptGrant(grant);
      },
      'session.signIn': async (args) => {
        const grant = await this.http.signIn({ ...args, deviceName: this.options.deviceName });
        // Only once the new session exists is the old one given up.
        if (this.session) await this.service['session.signOut']({});
        return this.adoptGrant(grant);
      },
      'session.activate': async (args) => {
        const grant = await this.http.activate({ ...args, deviceName: this.options.deviceName });
        // Like a sign-in: whoever was signed in here gives way to the newly activated member.
        if (this.session) await this.service['session.signOut']({});
        return this.adoptGrant(grant);
      },
      'session.signOut': async () => {
        if (this.session && this.link.online) {
          await this.ask('auth.signOut', {}).catch((err: Error) => log.info({ err: err.message }, 'sign-out'));
        }
        const enterprise = this.session?.enterprise ?? null;
        this.endSession('signed out');
        return { state: 'signed-out', user: null, enterprise, deviceId: null };
      },
      'session.changePassword': async (args) => {
        this.requireSession();
        await this.ask('auth.changePassword', args);
        return {};
      },
      'session.devices': async () => {
        this.requireSession();
        return this.ask('auth.devices', {});
      },
      'session.revokeDevice': async (args) => {
        this.requireSession();
        await this.ask('auth.revoke', args);
        return {};
      },

      ...directoryCalls({
        cache: this.cache,
        link: this.link,
        directory: this.sync.directory,
        emit: (name, payload) => this.emit(name, payload),
        requireSession: () => this.requireSession(),
      }),
      ...mediaCalls({ media: this.media, requireSession: () => this.requireSession() }),
      ...this.files.calls,
      ...adminCalls({
        cache: this.cache,
        link: this.link,
        http: this.adminHttp,
        imports: this.imports,
        emit: (name, payload) => this.emit(name, payload),
        requireSession: () => this.requireSession(),
      }),

      ...messageCalls({
        cache: this.cache,
        sync: this.sync,
        outbox: this.outbox,
        emit: (name, payload) => this.emit(name, payload),
        online: () => this.link.online,
        requireSession: () => this.requireSession(),
        ask: (type, params) => this.ask(type, params),
      }),
      ...searchCalls({
        cache: this.cache,
        online: () => this.link.online,
        requireSession: () => this.requireSession(),
        ask: (type, params) => this.ask(type, params),
        conversationItem: (c) => this.item(c),
      }),
      ...calendarCalls({
        http: this.adminHttp,
        reminders: this.reminders,
        requireSession: () => this.requireSession(),
        ask: (type, params) => this.ask(type, params),
      }),
      ...groupCalls({
        requireSession: () => this.requireSession(),
        ask: (type, params) => this.ask(type, params),
        adoptConversation: (c) => this.adoptConversation(c),
      }),

      'conversations.list': async () => {
        this.requireSession();
        const items = this.cache.read.conversations().map((c) => this.item(c));
        items.sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.lastActivityAt - a.lastActivityAt);
        return { conversations: items };
      },
      'conversations.openDirect': async (args) => {
        const { user } = this.requireSession();
        const pair = new Set([user.id, args.userId]);
        const existing = this.cache.read
          .conversations()
          .find(
            (c) => c.type === 'direct' && c.memberIds.length === pair.size && c.memberIds.every((m) => pair.has(m)),
          );
        if (existing) return { conversation: this.item(existing) };
        const { conversation } = await this.ask('conv.create', { type: 'direct', memberIds: [args.userId] });
        return { conversation: this.adoptConversation(conversation) };
      },
      'conversations.createGroup': async (args) => {
        this.requireSession();
        const { conversation } = await this.ask('conv.create', { type: 'group', ...args });
        return { conversation: this.adoptConversation(conversation) };
      },
      'conversations.rename': async (args) => {
        this.requireSession();
        this.adoptConversation((await this.ask('conv.rename', args)).conversation);
        return {};
      },
      'conversations.addMembers': async (args) => {
        this.requireSession();
        this.adoptConversation((await this.ask('conv.addMembers', args)).conversation);
        return {};
      },
      'conversations.removeMember': async (args) => {
        this.requireSession();
        this.adoptConversation((await this.ask('conv.removeMember', args)).conversation);
        return {};
      },
      'conversations.leave': async (args) => {
        this.requireSession();
        this.adoptConversation((await this.ask('conv.leave', args)).conversation);
        return {};
      },
      'conversations.setPrefs': async (args) => {
        this.requireSession();
        this.adoptConversation((await this.ask('conv.setPrefs', args)).conversation);
        return {};
      },
      'conversations.focus': async ({ conversationId }) => {
        this.requireSession();
        this.focused = conversationId;
        if (conversationId) {
          this.markRead(conversationId);
          if (this.link.online) void this.refreshReadStates(conversationId).catch(() => undefined);
        }
        return {};
      },

      'messages.markRead': async ({ conversationId }) => {
        this.requireSession();
        this.markRead(conversationId);
        return {};
      },
      'messages.readStates': async ({ conversationId }): Promise<CallResult<'messages.readStates'>> => {
        this.requireSession();
        if (this.link.online) {
          try {
            await this.refreshReadStates(conversationId);
          } catch (err) {
            log.debug({ err: (err as Error).message }, 'read states from cache');
          }
        }
        return { states: this.cache.read.readStates(conversationId) };
      },
    };
  }
}

export { CURSOR_KEY };
