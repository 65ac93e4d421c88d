import { createLogger } from '../log';
import type { Bus } from '../bus/bus';

const log = createLogger('relay.fanout');

/**
 * Sends pre-serialized frames to users' sockets on every node through the bus.
 * Called after a transaction commits; a failed publish is logged, never thrown,
 * because the data is stored and clients will catch up by sync.
 */
export class Fanout {
  constructor(private readonly bus: Bus) {}

  toUsers(userIds: Iterable<string>, frame: string): void {
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return;
    this.send({ kind: 'deliver', userIds: ids, frame });
  }

  /** Frames that differ per user only around one long shared middle (see BusMessage 'deliverEach'). */
  toEach(shared: string, frames: { userId: string; head: string; tail: string }[]): void {
    if (frames.length === 0) return;
    this.send({ kind: 'deliverEach', shared, frames });
  }

  toEveryone(frame: string): void {
    this.send({ kind: 'deliver', userIds: 'everyone', frame });
  }

  kick(deviceIds: string[], reason: string): void {
    if (deviceIds.length === 0) return;
    this.send({ kind: 'kick', deviceIds, reason });
  }

  private send(message: Parameters<Bus['publish']>[0]): void {
    this.bus.publish(message).catch((err) => log.error({ err, kind: message.kind }, 'bus publish failed'));
  }
}
