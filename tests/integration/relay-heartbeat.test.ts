// Dead sockets are dropped: a client that stops answering pings, or never says hello,
// is disconnected, while a healthy client stays connected.
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { createEnterprise, openClient, openSocket, startTestRelay, type TestRelay } from '../support/relay';

let relay: TestRelay;
beforeAll(async () => {
  relay = await startTestRelay({ heartbeatMs: 100 });
});
afterAll(async () => {
  await relay?.close();
});

it('drops a socket that misses a pong and one that never says hello; keeps a healthy one', async () => {
  const grant = await createEnterprise(relay.url);
  const healthy = await openClient(relay.url, grant);

  // A client whose process hangs: connected, authenticated, but never answers pings.
  const frozen = new WebSocket(relay.url.replace('http', 'ws'), { autoPong: false });
  await new Promise((r) => frozen.once('open', r));
  const helloAnswer = new Promise((r) => frozen.once('message', r));
  frozen.send(
    JSON.stringify({
      id: 'h',
      type: 'hello',
      payload: { protocolVersion: PROTOCOL_VERSION, token: grant.token, deviceId: grant.deviceId },
    }),
  );
  await helloAnswer;
  const frozenClosed = new Promise<number>((r) => frozen.once('close', (code) => r(code)));

  const silent = await openSocket(relay.url);

  const started = Date.now();
  expect(await frozenClosed).toBe(1006); // terminated, no closing handshake
  const silentClose = await silent.closed;
  expect(silentClose.code).toBe(4001);
  expect(silentClose.reason).toMatch(/hello/);
  expect(Date.now() - started).toBeLessThan(2_000);

  await new Promise((r) => setTimeout(r, 300));
  expect((await healthy.request('sync.heads', {})).heads).toEqual([]);
  await healthy.close();
});
