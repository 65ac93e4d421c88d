// One Qixin per user session: a second launch (or a qixin:// link) goes to the running one.
import { app } from 'electron';
import path from 'node:path';
import { DEEP_LINK_SCHEME, deepLinkFromArgv, parseDeepLink, type DeepLink } from './deep-link';

/**
 * Takes the single-instance lock and routes deep links to `onLink` (Windows/Linux: argv of the
 * second instance; macOS: `open-url`). Returns false when another instance holds the lock:
 * then this one should quit at once. Call before the app is ready (open-url fires early).
 */
export function claimSingleInstance(handlers: { onActivate: () => void; onLink: (link: DeepLink) => void }): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', (_event, argv) => {
    handlers.onActivate();
    const link = deepLinkFromArgv(argv);
    if (link) handlers.onLink(link);
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseDeepLink(url);
    if (link) handlers.onLink(link);
  });
  return true;
}

/** Registers qixin:// with the OS; in development it must name the script to run. */
export function registerDeepLinkScheme(): void {
  if (process.defaultApp && process.argv[1]) {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [path.resolve(process.argv[1])]);
  } else {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  }
}
