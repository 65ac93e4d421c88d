import { Redis } from 'ioredis';
import { createLogger } from '../log';
import type { Bus, BusMessage } from './bus';

const log = createLogger('relay.bus.redis');

/**
 * Redis pub/sub on one channel shared by every relay node; each node filters
 * deliveries down to its own sockets. One connection publishes, one subscribes.
 */
export class RedisBus implements Bus {
  private handlers: ((message: BusMessage) => void)[] = [];

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly channel: string,
  ) {
    sub.on('message', (channel: string, text: string) => {
      if (channel !== this.channel) return;
      let message: BusMessage;
      try {
        message = JSON.parse(text) as BusMessage;
      } catch (err) {
        log.warn({ err }, 'dropped a bus message that is not JSON');
        return;
      }
      for (const handler of this.handlers) handler(message);
    });
  }

  static async connect(url: string, channel: string): Promise<RedisBus> {
    const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const sub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    for (const client of [pub, sub]) client.on('error', (err) => log.warn({ err }, 'redis connection error'));
    await Promise.all([pub.connect(), sub.connect()]);
    await sub.subscribe(channel);
    log.info({ channel }, 'bus subscribed');
    return new RedisBus(pub, sub, channel);
  }

  async publish(message: BusMessage): Promise<void> {
    await this.pub.publish(this.channel, JSON.stringify(message));
  }

  onMessage(handler: (message: BusMessage) => void): void {
    this.handlers.push(handler);
  }

  async close(): Promise<void> {
    this.handlers = [];
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }
}
