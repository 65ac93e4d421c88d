// The main window: sandboxed, isolated, no Node, our app:// page only (DESIGN §8).
// Closing it hides it to the tray; bounds are remembered in the settings.
import { BrowserWindow, screen, shell, type Rectangle } from 'electron';
import { APP_ENTRY, isAppUrl } from './app-protocol';
import type { DesktopSettings, WindowBounds } from './settings';

const PAGE_PERMISSIONS = new Set<string>(['clipboard-sanitized-write']);
const DEFAULT_SIZE = { width: 1200, height: 800 };

export interface MainWindowOptions {
  preloadPath: string;
  settings: DesktopSettings;
  title: string;
  /** True once the app is quitting: then closing really closes. */
  isQuitting: () => boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const saved = visibleBounds(options.settings.get('windowBounds'));
  const win = new BrowserWindow({
    ...(saved ? { x: saved.x, y: saved.y, width: saved.width, height: saved.height } : DEFAULT_SIZE),
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: options.title,
    backgroundColor: '#f5f5f5',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (saved?.maximized) win.maximize();
  hardenWebContents(win);

  win.once('ready-to-show', () => win.show());

  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const saveBounds = () => {
    if (win.isDestroyed() || win.isMinimized()) return;
    const b = win.getNormalBounds();
    options.settings.set('windowBounds', { ...b, maximized: win.isMaximized() });
  };
  const saveSoon = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveBounds, 500);
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  win.on('maximize', saveSoon);
  win.on('unmaximize', saveSoon);
  win.on('close', (event) => {
    clearTimeout(saveTimer);
    saveBounds();
    if (!options.isQuitting()) {
      event.preventDefault();
      win.hide();
    }
  });

  void win.loadURL(APP_ENTRY);
  return win;
}

/** Navigation stays on our page; links to the web open in the user's browser. */
function hardenWebContents(win: BrowserWindow): void {
  const contents = win.webContents;
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isWebUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  // The page asks for nothing beyond copying text: notifications come from the main process.
  contents.session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(PAGE_PERMISSIONS.has(permission)),
  );
  contents.session.setPermissionCheckHandler((_contents, permission) => PAGE_PERMISSIONS.has(permission));
}

export function isWebUrl(raw: string): boolean {
  try {
    const { protocol } = new URL(raw);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export function showWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

/** Saved bounds, unless the display they were on is gone (then the OS places the window). */
function visibleBounds(saved: WindowBounds | null): WindowBounds | null {
  if (!saved) return null;
  const visible = screen.getAllDisplays().some((d) => overlaps(d.workArea, saved));
  return visible ? saved : null;
}

function overlaps(a: Rectangle, b: Rectangle): boolean {
  const minOverlap = 50;
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w >= minOverlap && h >= minOverlap;
}
