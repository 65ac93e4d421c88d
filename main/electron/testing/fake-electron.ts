// Just enough of Electron's main-process API, in memory, to run the shell under vitest
// (there is no Electron binary on the build machines). Records what the shell does.
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import os from 'node:os';

export const calls: unknown[][] = [];
export const ipcHandlers = new Map<string, (event: unknown, args: unknown) => Promise<unknown>>();
export const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
export const windows: FakeBrowserWindow[] = [];
export const notifications: FakeNotification[] = [];
export const trays: FakeTray[] = [];
export const paths = { userData: os.tmpdir(), appPath: process.cwd() };

class FakeApp extends EventEmitter {
  exitCode: number | null = null;
  whenReady() {
    return Promise.resolve();
  }
  requestSingleInstanceLock() {
    return true;
  }
  setPath(name: string, value: string) {
    if (name === 'userData') paths.userData = value;
  }
  getPath(name: string) {
    return name === 'userData' ? paths.userData : os.tmpdir();
  }
  getAppPath() {
    return paths.appPath;
  }
  getVersion() {
    return '0.0.0-test';
  }
  setAppUserModelId() {}
  setAsDefaultProtocolClient(...args: unknown[]) {
    calls.push(['setAsDefaultProtocolClient', ...args]);
    return true;
  }
  setBadgeCount(count: number) {
    calls.push(['setBadgeCount', count]);
    return true;
  }
  quit() {
    this.emit('before-quit');
    this.emit('will-quit', { preventDefault() {} });
  }
  exit(code: number) {
    this.exitCode = code;
    this.emit('test-exit', code);
  }
}
export const app = new FakeApp();

export const ipcMain = {
  handle: (channel: string, handler: (event: unknown, args: unknown) => Promise<unknown>) =>
    ipcHandlers.set(channel, handler),
  removeHandler: (channel: string) => ipcHandlers.delete(channel),
};

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown) => calls.push(['registerSchemesAsPrivileged', schemes]),
  handle: (scheme: string, handler: (request: Request) => Promise<Response>) => protocolHandlers.set(scheme, handler),
};

export const net = {
  async fetch(url: string) {
    return new Response(await readFile(new URL(url)));
  },
};

class FakeWebContents extends EventEmitter {
  sent: [string, unknown][] = [];
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  session = { setPermissionRequestHandler() {}, setPermissionCheckHandler() {} };
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  isDestroyed() {
    return false;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  webContents = new FakeWebContents();
  url = '';
  visible = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    windows.push(this);
  }
  loadURL(url: string) {
    this.url = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  maximize() {}
  restore() {}
  focus() {}
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  getNormalBounds() {
    return { x: 40, y: 30, width: 1100, height: 760 };
  }
}
export const BrowserWindow = FakeBrowserWindow;

export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
export const shell = { openExternal: async (url: string) => calls.push(['openExternal', url]) };
export const dialog = { showErrorBox: (title: string, body: string) => calls.push(['showErrorBox', title, body]) };
export const Menu = { buildFromTemplate: (template: unknown) => template };
export const nativeImage = { createFromBitmap: (buffer: Buffer, size: unknown) => ({ buffer, size }) };

export class FakeTray extends EventEmitter {
  menu: { label?: string; click?: () => void }[] = [];
  tooltip = '';
  constructor() {
    super();
    trays.push(this);
  }
  setContextMenu(menu: { label?: string; click?: () => void }[]) {
    this.menu = menu;
  }
  setToolTip(tooltip: string) {
    this.tooltip = tooltip;
  }
  setTitle() {}
  destroy() {
    calls.push(['trayDestroyed']);
  }
}
export const Tray = FakeTray;

export class FakeNotification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
    notifications.push(this);
  }
  show() {}
  close() {}
}
export const Notification = FakeNotification;

export const utilityProcess = {
  fork() {
    throw new Error('the embedded relay is not used in this test (QIXIN_RELAY_URL is set)');
  },
};
