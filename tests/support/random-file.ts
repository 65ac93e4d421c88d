// Files of random bytes for transfer tests, written in blocks (a 1 GB file never sits in memory),
// and their sha256 read back the same way.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';

const BLOCK = 4 * 1024 * 1024;

/** Writes `size` random bytes to `file`; returns their sha256. */
export async function writeRandomFile(file: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const handle = await fs.promises.open(file, 'w');
  try {
    for (let at = 0; at < size; at += BLOCK) {
      const block = randomBytes(Math.min(BLOCK, size - at));
      hash.update(block);
      await handle.write(block);
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: BLOCK }) as AsyncIterable<Buffer>)
    hash.update(chunk);
  return hash.digest('hex');
}
