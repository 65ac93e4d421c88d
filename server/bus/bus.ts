/** What relay nodes tell each other. Frames are serialized once, by the publisher. */
export type BusMessage =
  | { kind: 'deliver'; userIds: string[] | 'everyone'; frame: string }
  | { kind: 'kick'; deviceIds: string[]; reason: string };

export interface Bus {
  publish(message: BusMessage): Promise<void>;
  /** Every node (the publisher included) receives every message once. */
  onMessage(handler: (message: BusMessage) => void): void;
  close(): Promise<void>;
}
