// The tray icon (打开企信 / 退出) and the unread total on the tray and the dock/taskbar badge.
import { app, Menu, nativeImage, Tray, type NativeImage } from 'electron';
import type { Language } from '../../shared/contract';
import { stringsFor } from './i18n';

export interface AppTray {
  setUnread(total: number): void;
  setLanguage(language: Language): void;
  destroy(): void;
}

export function createAppTray(options: { language: Language; onOpen: () => void; onQuit: () => void }): AppTray {
  const tray = new Tray(trayIcon());
  let language = options.language;
  let unread = 0;

  const render = () => {
    const t = stringsFor(language);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: t.open, click: options.onOpen },
        { type: 'separator' },
        { label: t.quit, click: options.onQuit },
      ]),
    );
    tray.setToolTip(unread > 0 ? t.unread(unread) : t.appName);
    // macOS shows a title beside the icon; elsewhere this is a no-op.
    tray.setTitle(unread > 0 ? String(unread) : '');
    app.setBadgeCount(unread);
  };

  tray.on('click', options.onOpen);
  render();
  return {
    setUnread(total) {
      if (total === unread) return;
      unread = total;
      render();
    },
    setLanguage(next) {
      language = next;
      render();
    },
    destroy() {
      tray.destroy();
    },
  };
}

/** A 32×32 rounded blue square with a white speech bubble, drawn in memory: no asset to ship. */
function trayIcon(): NativeImage {
  const size = 32;
  const pixels = Buffer.alloc(size * size * 4);
  const inRoundedSquare = (x: number, y: number) => {
    const r = 7;
    const cx = Math.min(Math.max(x, r), size - 1 - r);
    const cy = Math.min(Math.max(y, r), size - 1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
  const inBubble = (x: number, y: number) =>
    ((x - 16) / 10) ** 2 + ((y - 14.5) / 7.5) ** 2 <= 1 || (x >= 9 && x <= 13 && y >= 19 && y <= 24 && x - 9 >= y - 19);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      if (!inRoundedSquare(x, y)) continue;
      const white = inBubble(x, y);
      // BGRA
      pixels[i] = 0xff;
      pixels[i + 1] = white ? 0xff : 0x77;
      pixels[i + 2] = white ? 0xff : 0x16;
      pixels[i + 3] = 0xff;
    }
  }
  return nativeImage.createFromBitmap(pixels, { width: size, height: size });
}
