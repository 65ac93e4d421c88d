// The IPC handlers against a fake ipcMain: sender check, validation, envelopes.
import { describe, expect, it, vi } from 'vitest';
import { callChannel, calls, type ContractService } from '../../shared/contract';

type Handler = (event: unknown, args: unknown) => Promise<unknown>;
const handlers = new Map<string, Handler>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerContractHandlers } = await import('./ipc');

const service = {
  'settings.get': async () => ({ language: 'zh-CN' }),
  'settings.set': async (args: { language: string }) => args,
} as unknown as ContractService;

const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

describe('contract IPC handlers', () => {
  const remove = registerContractHandlers(service);

  it('registers one handler per contract call', () => {
    expect(handlers.size).toBe(Object.keys(calls).length);
    expect(handlers.has(callChannel('messages.send'))).toBe(true);
  });

  it('answers our app:// page and validates the arguments first', async () => {
    const get = handlers.get(callChannel('settings.get'))!;
    await expect(get(frame('app://qixin/index.html'), {})).resolves.toEqual({ ok: true, value: { language: 'zh-CN' } });
    const set = handlers.get(callChannel('settings.set'))!;
    await expect(set(frame('app://qixin/index.html'), { language: 'fr-FR' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
  });

  it('refuses other origins, subframes and destroyed frames', async () => {
    const get = handlers.get(callChannel('settings.get'))!;
    for (const event of [
      frame('https://evil.example/'),
      frame('file:///tmp/index.html'),
      frame('app://other/index.html'),
      frame('app://qixin/index.html', { url: 'app://qixin/index.html' }),
      { senderFrame: null },
    ]) {
      await expect(get(event, {})).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('removes its handlers', () => {
    remove();
    expect(handlers.size).toBe(0);
  });
});

describe('calls that need their sender', () => {
  it('hands files.startDrag the webContents of the page that asked, after validating the arguments', async () => {
    const seen: unknown[] = [];
    const remove = registerContractHandlers(service, {
      'files.startDrag': async (args, sender) => {
        seen.push([args, sender]);
        return {};
      },
    });
    const drag = handlers.get(callChannel('files.startDrag'))!;
    const transferId = '0190a5b2-7c3e-7d41-8a2b-3c4d5e6f7a8b';
    const sender = { id: 7 };
    await expect(drag({ ...frame('app://qixin/index.html'), sender }, { transferId })).resolves.toEqual({
      ok: true,
      value: {},
    });
    expect(seen).toEqual([[{ transferId }, sender]]);
    await expect(drag({ ...frame('app://qixin/index.html'), sender }, { transferId: 'x' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    await expect(drag({ ...frame('https://evil.example/'), sender }, { transferId })).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(seen).toHaveLength(1);
    remove();
  });
});
