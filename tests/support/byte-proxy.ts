// A TCP proxy between a desktop core and a relay (real sockets) that counts the bytes each way and
// can cut every connection or refuse new ones: network loss without touching either side.
import net from 'node:net';

export interface ByteProxy {
  /** http://127.0.0.1:<port>: give this to the core as its relay URL. */
  url: string;
  /** Bytes the core sent towards the relay / the relay sent towards the core, since the start or the last reset. */
  readonly up: number;
  readonly down: number;
  reset(): void;
  /** Destroys every open connection (both sides see a reset). */
  cut(): void;
  /** Cuts and refuses new connections until `restore` (the network is gone). */
  block(): void;
  /** Lets the relay's bytes through at most this fast (null: as fast as they come). */
  limitDown(bytesPerSec: number | null): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startByteProxy(target: { host?: string; port: number }): Promise<ByteProxy> {
  const sockets = new Set<net.Socket>();
  let up = 0;
  let down = 0;
  let blocked = false;
  let downRate: number | null = null;
  const server = net.createServer((client) => {
    if (blocked) return void client.destroy();
    const relay = net.connect(target.port, target.host ?? '127.0.0.1');
    sockets.add(client);
    sockets.add(relay);
    client.on('data', (chunk: Buffer) => {
      up += chunk.length;
      if (!relay.write(chunk)) client.pause();
    });
    relay.on('drain', () => client.resume());
    let held = false;
    relay.on('data', (chunk: Buffer) => {
      down += chunk.length;
      const full = !client.write(chunk);
      if (downRate) {
        // Hold the relay side for as long as these bytes take at the allowed rate.
        held = true;
        relay.pause();
        setTimeout(
          () => {
            held = false;
            if (!client.writableNeedDrain) relay.resume();
          },
          (chunk.length / downRate) * 1000,
        );
      } else if (full) relay.pause();
    });
    client.on('drain', () => {
      if (!held) relay.resume();
    });
    const close = () => {
      client.destroy();
      relay.destroy();
      sockets.delete(client);
      sockets.delete(relay);
    };
    client.on('end', () => relay.end());
    relay.on('end', () => client.end());
    client.on('close', close);
    relay.on('close', close);
    client.on('error', close);
    relay.on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const cut = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    get up() {
      return up;
    },
    get down() {
      return down;
    },
    reset() {
      up = 0;
      down = 0;
    },
    cut,
    block() {
      blocked = true;
      cut();
    },
    restore() {
      blocked = false;
    },
    limitDown(bytesPerSec) {
      downRate = bytesPerSec;
    },
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
