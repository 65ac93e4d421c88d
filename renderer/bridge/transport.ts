// Picks how the renderer reaches the desktop core: the preload global in Electron, or the
// loopback WebSocket the core serves in browser mode (`/bridge?token=…`).
import {
  BRIDGE_GLOBAL,
  BRIDGE_PATH,
  isCallName,
  type BridgeServerFrame,
  type CallName,
  type ContractTransport,
  type EventName,
} from '../../shared/contract';
import type { Envelope } from '../../shared/protocol/errors';

type Listener = (name: EventName, payload: unknown) => void;

export type BridgeSocketState = 'open' | 'closed';

export interface BrowserTransport extends ContractTransport {
  /** Socket to the local core (not the relay): lets the UI refetch after it comes back. */
  onSocketState(listener: (state: BridgeSocketState) => void): () => void;
}

const CALL_TIMEOUT_MS = 30_000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;

export function tokenFromHash(hash: string): string | null {
  // Not URLSearchParams: it would turn a '+' in the token into a space.
  const found = /(?:^#?|&)token=([^&]*)/.exec(hash);
  return found?.[1] ? decodeURIComponent(found[1]) : null;
}

export function bridgeUrl(location: Pick<Location, 'host' | 'hash' | 'protocol'>): string {
  const token = tokenFromHash(location.hash) ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${BRIDGE_PATH}?token=${encodeURIComponent(token)}`;
}

type Pending = {
  resolve: (envelope: Envelope<unknown>) => void;
  timer: ReturnType<typeof setTimeout>;
  frame: string;
  sent: boolean;
};

/** A ContractTransport over the browser-mode bridge socket, reconnecting when it drops. */
export function createWebSocketTransport(url: string): BrowserTransport {
  const listeners = new Set<Listener>();
  const stateListeners = new Set<(state: BridgeSocketState) => void>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let delay = RECONNECT_MIN_MS;
  let everOpened = false;

  const fail = (id: number, code: 'unavailable' | 'internal', message: string) => {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    clearTimeout(entry.timer);
    entry.resolve({ ok: false, error: { code, message } });
  };

  const connect = () => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      delay = RECONNECT_MIN_MS;
      for (const entry of pending.values()) {
        if (entry.sent) continue;
        ws.send(entry.frame);
        entry.sent = true;
      }
      if (everOpened) for (const listener of stateListeners) listener('open');
      everOpened = true;
    };
    ws.onmessage = (event) => {
      let frame: BridgeServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as BridgeServerFrame;
      } catch {
        return;
      }
      if ('id' in frame) {
        const entry = pending.get(frame.id);
        if (!entry) return;
        pending.delete(frame.id);
        clearTimeout(entry.timer);
        entry.resolve(frame.result as Envelope<unknown>);
      } else if ('event' in frame) {
        for (const listener of listeners) listener(frame.event as EventName, frame.payload);
      }
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      // Calls in flight may or may not have run: they fail and the caller decides. Calls not
      // sent yet wait for the next socket.
      for (const [id, entry] of [...pending]) if (entry.sent) fail(id, 'unavailable', 'bridge connection lost');
      for (const listener of stateListeners) listener('closed');
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, RECONNECT_MAX_MS);
    };
  };
  connect();

  return {
    invoke(name: CallName, args: unknown) {
      if (!isCallName(name)) {
        return Promise.resolve({ ok: false, error: { code: 'unknown_type', message: String(name) } });
      }
      const id = nextId++;
      const frame = JSON.stringify({ id, call: name, args: args ?? {} });
      return new Promise<Envelope<unknown>>((resolve) => {
        const timer = setTimeout(() => fail(id, 'unavailable', `${name}: no answer`), CALL_TIMEOUT_MS);
        const open = socket !== null && socket.readyState === WebSocket.OPEN;
        pending.set(id, { resolve, timer, frame, sent: open });
        if (open) socket?.send(frame);
      });
    },
    subscribe(listener: Listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onSocketState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
  };
}

/** The preload bridge when running inside Electron, else the browser-mode socket. */
export function pickTransport(): { transport: ContractTransport; browser: BrowserTransport | null } {
  const injected = (window as unknown as Record<string, unknown>)[BRIDGE_GLOBAL] as ContractTransport | undefined;
  if (injected && typeof injected.invoke === 'function' && typeof injected.subscribe === 'function') {
    return { transport: injected, browser: null };
  }
  const browser = createWebSocketTransport(bridgeUrl(window.location));
  return { transport: browser, browser };
}
