// The sandboxed preload: exposes the contract as a ContractTransport on `window.qixinBridge`.
// Only names in the contract's tables cross; raw ipcRenderer never reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_GLOBAL,
  callChannel,
  calls,
  eventChannel,
  events,
  type CallName,
  type ContractTransport,
  type EventName,
} from '../shared/contract';
import type { Envelope } from '../shared/protocol/errors';

const callNames = new Set(Object.keys(calls));
const eventNames = Object.keys(events) as EventName[];

const transport: ContractTransport = {
  invoke(name: CallName, args: unknown): Promise<Envelope<unknown>> {
    if (typeof name !== 'string' || !callNames.has(name)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_type', message: `unknown call: ${String(name)}` } });
    }
    return ipcRenderer.invoke(callChannel(name), args) as Promise<Envelope<unknown>>;
  },
  subscribe(listener: (name: EventName, payload: unknown) => void): () => void {
    const handlers = eventNames.map((name) => {
      // The IPC event object carries `sender` (the ipcRenderer itself): never pass it on.
      const handler = (_event: IpcRendererEvent, payload: unknown) => listener(name, payload);
      ipcRenderer.on(eventChannel(name), handler);
      return [name, handler] as const;
    });
    return () => {
      for (const [name, handler] of handlers) ipcRenderer.removeListener(eventChannel(name), handler);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, transport);
