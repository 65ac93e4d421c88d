import { describe, expect, it } from 'vitest';
import { QixinError } from '../protocol/errors';
import { createContractClient, dispatchCall, type ContractService, type ContractTransport } from './service';
import type { EventName } from './calls';

// Only the calls a test touches are implemented; dispatchCall must never reach the rest.
const service = {
  async 'settings.set'(args: { language: 'zh-CN' | 'en-US' }) {
    return { language: args.language };
  },
  async 'session.signOut'() {
    throw new QixinError('unavailable', 'relay unreachable');
  },
  async 'app.info'() {
    throw new Error('disk on fire');
  },
} as unknown as ContractService;

describe('dispatchCall', () => {
  it('validates arguments before the handler runs', async () => {
    const bad = await dispatchCall(service, 'settings.set', { language: 'fr-FR' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await dispatchCall(service, 'settings.set', { language: 'en-US' })).toEqual({
      ok: true,
      value: { language: 'en-US' },
    });
  });

  it('refuses names outside the contract', async () => {
    expect(await dispatchCall(service, 'constructor', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_type' },
    });
    expect(await dispatchCall(service, 'fs.readFile', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_type' },
    });
  });

  it('turns thrown errors into envelopes, keeping QixinError codes', async () => {
    expect(await dispatchCall(service, 'session.signOut', {})).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'relay unreachable' },
    });
    expect(await dispatchCall(service, 'app.info', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'disk on fire' },
    });
  });
});

describe('createContractClient', () => {
  it('throws QixinError for failed envelopes and filters events by name and schema', async () => {
    let emit: (name: EventName, payload: unknown) => void = () => {};
    const transport: ContractTransport = {
      invoke: (name, args) => dispatchCall(service, name, args),
      subscribe(listener) {
        emit = listener;
        return () => {};
      },
    };
    const client = createContractClient(transport);
    await expect(client.call('session.signOut', {})).rejects.toMatchObject({ code: 'unavailable' });
    expect(await client.call('settings.set', { language: 'zh-CN' })).toEqual({ language: 'zh-CN' });

    const seen: unknown[] = [];
    client.on('connection', (p) => seen.push(p));
    emit('connection', { state: 'online', retryAt: null });
    emit('connection', { state: 'bogus' });
    emit('directory.changed', {});
    expect(seen).toEqual([{ state: 'online', retryAt: null }]);
  });
});
