// The Electron shell's entry (bundled to out/main.js). It starts, in order: the app:// scheme,
// the single-instance lock, the relay (QIXIN_RELAY_URL, the settings' relay, or an embedded
// one), the desktop core, the IPC handlers, the window, the tray and notifications.
import { app, dialog, type BrowserWindow } from 'electron';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventName, EventPayload, Reminder } from '../../shared/contract';
import { startDesktopCore, type DesktopCore } from '../core/desktop-core';
import { createLogger } from '../core/log';
import type { SettingsStore } from '../core/settings';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { ElectronFileShell } from './file-shell';
import { startEmbeddedRelay, type EmbeddedRelay } from './embedded-relay';
import { stringsFor } from './i18n';
import { registerContractHandlers, sendEvent } from './ipc';
import { createNotifier, type Notifier } from './notifications';
import { coreSettingsStore, openSettings, type DesktopSettings } from './settings';
import { deepLinkFromArgv } from './deep-link';
import { claimSingleInstance, registerDeepLinkScheme } from './single-instance';
import { createAppTray, type AppTray } from './tray';
import { createMainWindow, showWindow } from './window';

const log = createLogger('electron.main');
const here = path.dirname(fileURLToPath(import.meta.url));
/** Set by `npm start` (build/start.mjs): a better-sqlite3 built for Electron's ABI. Packaged apps leave it unset. */
const nativeBinding = process.env.QIXIN_SQLITE_BINDING || undefined;
/** The renderer subscribes to events once React has mounted, a moment after the page loads. */
const PAGE_SETTLE_MS = 500;

let win: BrowserWindow | null = null;
let pageReady = false;
let pendingConversation: string | null = deepLinkFromArgv(process.argv)?.conversationId ?? null;
let pendingCalendar: EventPayload<'calendar.open'> | null = null;
let quitting = false;
let shutdown: (() => Promise<void>) | null = null;

// Tests and side-by-side runs use their own profile (and so their own single-instance lock).
if (process.env.QIXIN_USER_DATA_DIR) app.setPath('userData', process.env.QIXIN_USER_DATA_DIR);
registerAppScheme();

if (
  !claimSingleInstance({ onActivate: () => showWindow(win), onLink: (link) => openConversation(link.conversationId) })
) {
  app.quit();
} else {
  app.setAppUserModelId('org.qixin.desktop');
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', (event) => {
    if (!shutdown) return;
    const stop = shutdown;
    shutdown = null;
    event.preventDefault();
    stop().then(
      () => app.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        app.exit(1);
      },
    );
  });
  app.on('activate', () => showWindow(win));
  app.whenReady().then(start, fail);
}

function openConversation(conversationId: string): void {
  showWindow(win);
  if (pageReady) sendEvent(win, 'conversation.open', { conversationId });
  else pendingConversation = conversationId;
}

/** A reminder's notification was clicked: the window comes up showing the calendar at that event. */
function openCalendar(reminder: Reminder): void {
  showWindow(win);
  const at = { eventId: reminder.eventId, start: reminder.start };
  if (pageReady) sendEvent(win, 'calendar.open', at);
  else pendingCalendar = at;
}

async function start(): Promise<void> {
  const settings = openSettings();
  registerDeepLinkScheme();
  // Media come from the core started below; the window, the only source of their requests, opens after it.
  serveAppProtocol(
    path.join(app.getAppPath(), 'dist', 'renderer'),
    () => core?.media ?? null,
    () => core?.files.routes ?? null,
  );

  const relay = await connectRelay(settings);
  let core: DesktopCore;
  try {
    core = await startDesktopCore({
      dataDir: path.join(app.getPath('userData'), 'desktop'),
      relayUrl: relay.url,
      deviceName: os.hostname(),
      mode: 'electron',
      version: app.getVersion(),
      nativeBinding,
      settings: coreSettings(settings),
      shell: new ElectronFileShell(() => win),
    });
  } catch (err) {
    await relay.stop();
    throw err;
  }
  const removeHandlers = registerContractHandlers(core.service, {
    // Dragging out needs the window the pointer is in: the one whose page asked.
    'files.startDrag': async ({ transferId }, sender) => {
      await core.files.startDrag(transferId, sender);
      return {};
    },
  });

  const t = () => stringsFor(settings.get('language'));
  win = createMainWindow({
    preloadPath: path.join(here, 'preload.cjs'),
    settings,
    title: t().appName,
    isQuitting: () => quitting,
  });
  win.webContents.on('did-start-loading', () => {
    pageReady = false;
  });
  win.webContents.on('did-finish-load', () => {
    setTimeout(() => {
      pageReady = true;
      if (pendingConversation) openConversation(pendingConversation);
      pendingConversation = null;
      if (pendingCalendar) sendEvent(win, 'calendar.open', pendingCalendar);
      pendingCalendar = null;
    }, PAGE_SETTLE_MS);
  });

  const tray: AppTray = createAppTray({
    language: settings.get('language'),
    onOpen: () => showWindow(win),
    onQuit: () => app.quit(),
  });
  const notifier: Notifier = createNotifier({
    settings,
    onOpenConversation: openConversation,
    onOpenCalendar: openCalendar,
    onSnooze: (reminderId, minutes) => void answerReminder(core.service['calendar.snooze']({ reminderId, minutes })),
    onDismiss: (reminderId) => void answerReminder(core.service['calendar.dismiss']({ reminderId })),
  });
  const stopLanguage = settings.onChange('language', (language) => tray.setLanguage(language));
  const unread = unreadCounter(core, (total) => tray.setUnread(total));

  const stopEvents = core.onEvent(<N extends EventName>(name: N, payload: EventPayload<N>) => {
    sendEvent(win, name, payload);
    if (name === 'notification') notifier.show(payload as EventPayload<'notification'>);
    if (name === 'calendar.reminder') notifier.reminder((payload as EventPayload<'calendar.reminder'>).reminder);
    if (name === 'conversations.changed' || name === 'messages.changed' || name === 'session') unread.refresh();
  });
  unread.refresh();

  shutdown = async () => {
    stopEvents();
    stopLanguage();
    unread.stop();
    notifier.closeAll();
    removeHandlers();
    tray.destroy();
    await core.close();
    await relay.stop();
    log.info('shut down');
  };
}

/** QIXIN_RELAY_URL first, then the relay named in the settings, else our own embedded relay. */
async function connectRelay(settings: DesktopSettings): Promise<EmbeddedRelay> {
  const external = process.env.QIXIN_RELAY_URL || settings.get('relayUrl');
  if (external) {
    log.info({ url: external }, 'using an external relay');
    return { url: external, stop: async () => {} };
  }
  return startEmbeddedRelay({
    scriptPath: path.join(here, 'relay.js'),
    dataDir: path.join(app.getPath('userData'), 'relay'),
    port: settings.get('relayPort'),
    nativeBinding,
  });
}

/** The core's settings interface, kept in electron-store (the tray follows the language). */
function coreSettings(settings: DesktopSettings): SettingsStore {
  return coreSettingsStore(settings);
}

/** Sums unread over chats that are not muted, at most every 300 ms. */
function unreadCounter(core: DesktopCore, onTotal: (total: number) => void) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const count = async () => {
    const result = await core.service['conversations.list']({}).catch(() => null);
    const total = result ? result.conversations.reduce((sum, c) => sum + (c.muted ? 0 : c.unread), 0) : 0;
    onTotal(total);
  };
  return {
    refresh() {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void count();
      }, 300);
    },
    stop() {
      clearTimeout(timer);
    },
  };
}

/** A reminder answered in its notification; one that is gone meanwhile (answered in the window) is fine. */
async function answerReminder(answer: Promise<unknown>): Promise<void> {
  try {
    await answer;
  } catch (err) {
    log.info({ err: (err as Error).message }, 'reminder answer');
  }
}

function fail(err: unknown): void {
  log.fatal({ err }, 'desktop failed to start');
  const t = stringsFor(openSettingsQuietly());
  const reason = err instanceof Error ? err.message : String(err);
  dialog.showErrorBox(t.startFailedTitle, t.startFailed(reason));
  app.exit(1);
}

function openSettingsQuietly() {
  try {
    return openSettings().get('language');
  } catch {
    return 'zh-CN' as const;
  }
}
