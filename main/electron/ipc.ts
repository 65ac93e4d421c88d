// The contract over Electron IPC: one ipcMain handler per call in the table, one channel per
// event. Each call checks that it comes from our app:// page, then `dispatchCall` validates
// the arguments before the core's handler runs (DESIGN §3).
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
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

/**
 * Calls that need the page that made them (files.startDrag drags out of the sender's window): the
 * shell answers them itself, with the sender's webContents; arguments are validated all the same.
 */
export type SenderCalls = {
  [N in CallName]?: (args: Parameters<ContractService[N]>[0], sender: WebContents) => ReturnType<ContractService[N]>;
};

/** Registers the handlers; returns the function that removes them. */
export function registerContractHandlers(service: ContractService, senderCalls: SenderCalls = {}): () => void {
  for (const name of callNames) {
    const withSender = senderCalls[name] as ((args: unknown, sender: WebContents) => Promise<unknown>) | undefined;
    ipcMain.handle(callChannel(name), (event, args: unknown): Promise<Envelope<unknown>> => {
      if (!isTrustedSender(event)) {
        return Promise.resolve({ ok: false, error: { code: 'forbidden', message: `${name}: untrusted sender` } });
      }
      if (!withSender) return dispatchCall(service, name, args);
      const bound = { [name]: (valid: unknown) => withSender(valid, event.sender) } as unknown as ContractService;
      return dispatchCall(bound, name, args);
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
