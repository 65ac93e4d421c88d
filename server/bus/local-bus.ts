import type { Bus, BusMessage } from './bus';

/** The bus of a single relay process: deliveries stay in memory. */
export class LocalBus implements Bus {
  private handlers: ((message: BusMessage) => void)[] = [];

  async publish(message: BusMessage): Promise<void> {
    // Delivered on a later turn, as over Redis: a request's own result goes out first
    // (signing out answers before the socket closes).
    setImmediate(() => {
      for (const handler of this.handlers) handler(message);
    });
  }

  onMessage(handler: (message: BusMessage) => void): void {
    this.handlers.push(handler);
  }

  async close(): Promise<void> {
    this.handlers = [];
  }
}
