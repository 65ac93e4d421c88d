// The contract over Electron IPC: one ipcMain handler per call in the table, one channel per
// event. Each call checks that it comes from our app:// page, then `dispatchCall` validates
// the arguments before the core's handler runs (DESIGN §3).
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import {
  callChannel,
  calls,
  dispatchCall,
  eventChannel,
  type CallName,
  type ContractService,
  type EventName,
  type EventPayload,
} from '../../shared/contract';
import type { Envelope } from '../../shared/protocol/errors';
import { isAppUrl } from './app-protocol';

const callNames = Object.keys(calls) as CallName[];

/** Registers the handlers; returns the function that removes them. */
export function registerContractHandlers(service: ContractService): () => void {
  for (const name of callNames) {
    ipcMain.handle(callChannel(name), (event, args: unknown): Promise<Envelope<unknown>> => {
      if (!isTrustedSender(event)) {
        return Promise.resolve({ ok: false, error: { code: 'forbidden', message: `${name}: untrusted sender` } });
      }
      return dispatchCall(service, name, args);
    });
  }
  return () => {
    for (const name of callNames) ipcMain.removeHandler(callChannel(name));
  };
}

/** Only our own page, in its main frame, may call the core: not iframes, not other origins. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

/** Sends one contract event to the window's page, if it is still there. */
export function sendEvent<N extends EventName>(win: BrowserWindow | null, name: N, payload: EventPayload<N>): void {
  if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
  win.webContents.send(eventChannel(name), payload);
}
