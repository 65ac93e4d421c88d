import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bridgeUrl, createWebSocketTransport, tokenFromHash } from './transport';

describe('browser-mode bridge address', () => {
  it('reads the token from the hash and points at /bridge on the same host', () => {
    expect(tokenFromHash('#token=abc_-123')).toBe('abc_-123');
    expect(tokenFromHash('')).toBeNull();
    expect(bridgeUrl({ host: '127.0.0.1:5170', hash: '#token=a+b', protocol: 'http:' })).toBe(
      'ws://127.0.0.1:5170/bridge?token=a%2Bb',
    );
  });
});

/** Just enough of the browser's WebSocket for the transport. */
class FakeSocket {
  static readonly OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(frame: string) {
    this.sent.push(frame);
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
  reply(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

describe('createWebSocketTransport', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('queues calls until the socket opens and routes answers and events', async () => {
    const transport = createWebSocketTransport('ws://x/bridge?token=t');
    const events: unknown[] = [];
    transport.subscribe((name, payload) => events.push([name, payload]));
    const answer = transport.invoke('settings.get', {});
    const socket = FakeSocket.all[0]!;
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(JSON.parse(socket.sent[0]!)).toEqual({ id: 1, call: 'settings.get', args: {} });
    socket.reply({ event: 'directory.changed', payload: {} });
    socket.reply({ id: 1, result: { ok: true, value: { language: 'zh-CN' } } });
    await expect(answer).resolves.toEqual({ ok: true, value: { language: 'zh-CN' } });
    expect(events).toEqual([['directory.changed', {}]]);
  });

  it('fails calls in flight when the socket drops, then reconnects and sends what waited', async () => {
    const transport = createWebSocketTransport('ws://x/bridge?token=t');
    const states: string[] = [];
    transport.onSocketState((s) => states.push(s));
    FakeSocket.all[0]!.open();
    const inFlight = transport.invoke('session.status', {});
    FakeSocket.all[0]!.drop();
    await expect(inFlight).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });
    const waiting = transport.invoke('settings.get', {});
    await vi.advanceTimersByTimeAsync(300);
    const next = FakeSocket.all[1]!;
    next.open();
    expect(next.sent.map((f) => JSON.parse(f).call)).toEqual(['settings.get']);
    next.reply({ id: 2, result: { ok: true, value: { language: 'en-US' } } });
    await expect(waiting).resolves.toMatchObject({ ok: true });
    expect(states).toEqual(['closed', 'open']);
  });
});
