/** What relay nodes tell each other. Frames are serialized once, by the publisher. */
export type BusMessage =
  | { kind: 'deliver'; userIds: string[] | 'everyone'; frame: string }
  /** A frame per user, each `head + shared + tail`: a big group's view crosses the bus once, not once per member. */
  | { kind: 'deliverEach'; shared: string; frames: { userId: string; head: string; tail: string }[] }
  | { kind: 'kick'; deviceIds: string[]; reason: string };

export interface Bus {
  publish(message: BusMessage): Promise<void>;
  /** Every node (the publisher included) receives every message once. */
  onMessage(handler: (message: BusMessage) => void): void;
  close(): Promise<void>;
}
