// The preload against a fake electron: what reaches the page, and what it may send.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_GLOBAL, callChannel, eventChannel, events, type ContractTransport } from '../shared/contract';

const exposed = new Map<string, unknown>();
const listeners = new Map<string, (event: unknown, payload: unknown) => void>();
const invoke = vi.fn(async (channel: string, args: unknown) => ({ ok: true, value: { channel, args } }));
const getPathForFile = vi.fn((file: { name: string }) => `/home/zhang/桌面/${file.name}`);

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke,
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => listeners.set(channel, listener),
    removeListener: (channel: string) => listeners.delete(channel),
  },
  webUtils: { getPathForFile },
}));

let bridge: ContractTransport;
beforeAll(async () => {
  await import('./index');
  bridge = exposed.get(BRIDGE_GLOBAL) as ContractTransport;
});

describe('preload bridge', () => {
  it('exposes only invoke, subscribe and pathForFile under the contract global', () => {
    expect([...exposed.keys()]).toEqual([BRIDGE_GLOBAL]);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'pathForFile', 'subscribe']);
  });

  it('gives a dropped file its path on disk through webUtils', () => {
    expect(bridge.pathForFile?.({ name: '季度报告 📊.xlsx' })).toBe('/home/zhang/桌面/季度报告 📊.xlsx');
    expect(getPathForFile).toHaveBeenCalledTimes(1);
  });

  it('invokes contract calls on their channel and refuses other names', async () => {
    await expect(bridge.invoke('session.status', {})).resolves.toEqual({
      ok: true,
      value: { channel: callChannel('session.status'), args: {} },
    });
    const refused = await bridge.invoke('fs.readFile' as never, { path: '/etc/passwd' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'unknown_type' } });
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  it('subscribes to every contract event and passes on the payload, never the IPC event', () => {
    const seen: unknown[] = [];
    const unsubscribe = bridge.subscribe((name, payload) => seen.push([name, payload]));
    expect([...listeners.keys()].sort()).toEqual(
      Object.keys(events)
        .map((n) => eventChannel(n as keyof typeof events))
        .sort(),
    );
    listeners.get(eventChannel('conversation.open'))?.({ sender: 'ipcRenderer' }, { conversationId: 'c1' });
    expect(seen).toEqual([['conversation.open', { conversationId: 'c1' }]]);
    unsubscribe();
    expect(listeners.size).toBe(0);
  });
});
