// The sandboxed preload: exposes the contract as a ContractTransport on `window.qixinBridge`.
// Only names in the contract's tables cross; raw ipcRenderer never reaches the page. Files the
// user drops or picks cross as paths (pathForFile); the core reads them, not the page.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
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
  // A dropped or picked File's path on disk, so the core reads the file itself (nothing else of
  // webUtils reaches the page).
  pathForFile(file: unknown): string {
    return webUtils.getPathForFile(file as File);
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, transport);
