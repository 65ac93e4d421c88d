// The upload speed limit (settings.files.maxUploadBytesPerSec) for all uploads together: every
// chunk read for an upload waits for its turn, so the file is read no faster than it may be sent.
import { Transform, type TransformCallback } from 'node:stream';

/** Up to this much sending time may be saved up (a short burst after a pause). */
const BURST_MS = 200;

export class UploadThrottle {
  /** When the bytes handed out so far have been "paid for" at the current rate. */
  private paidUntil = 0;

  constructor(private readonly rate: () => number | null) {}

  /** Resolves when `bytes` more may go out. */
  async take(bytes: number): Promise<void> {
    const rate = this.rate();
    if (!rate) return;
    const now = Date.now();
    const start = Math.max(this.paidUntil, now - BURST_MS);
    this.paidUntil = start + (bytes / rate) * 1000;
    const wait = this.paidUntil - now;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /** A pass-through stream that holds each chunk until the limit lets it go. */
  stream(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, done: TransformCallback) => {
        this.take(chunk.length).then(
          () => done(null, chunk),
          (err: Error) => done(err),
        );
      },
    });
  }
}
