// Browser mode: files the renderer streamed to the core before sending them (the page cannot hand
// over a path). `<dataDir>/staging/<id>` holds the bytes and `<id>.json` the name; a staged file is
// removed once its upload commits, and stale ones (never sent) after STALE_MS.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { QixinError } from '../../../shared/protocol';
import { newId } from '../../../shared/lib/ids';
import { createLogger } from '../log';

const log = createLogger('core.staging');

export const STALE_MS = 7 * 24 * 60 * 60 * 1000;

const STAGED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type StagedFile = { id: string; name: string; path: string; size: number };

export class Staging {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'staging');
  }

  /**
   * Streams `body` into a new staged file of at most `maxBytes`. Over the limit, or when the body
   * breaks off, nothing is left behind.
   */
  async receive(body: Readable, name: string, maxBytes: number): Promise<StagedFile> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const id = newId();
    const file = path.join(this.dir, id);
    const temp = path.join(this.dir, `.${randomUUID()}.part`);
    let size = 0;
    const out = fs.createWriteStream(temp, { flags: 'wx' });
    try {
      // Not a pipeline: a refusal must leave the request open, so the route can still answer 413.
      for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) {
          throw new QixinError('too_large', 'the file is larger than the relay allows', 'file_too_large');
        }
        if (!out.write(chunk)) await once(out, 'drain');
      }
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      await fs.promises.writeFile(`${file}.json`, JSON.stringify({ name, size, stagedAt: Date.now() }));
      await fs.promises.rename(temp, file);
      return { id, name, path: file, size };
    } catch (err) {
      out.destroy();
      await fs.promises.rm(temp, { force: true });
      await fs.promises.rm(`${file}.json`, { force: true });
      throw err;
    }
  }

  async get(id: string): Promise<StagedFile> {
    if (!STAGED_ID.test(id)) throw new QixinError('not_found', 'no such staged file');
    const file = path.join(this.dir, id);
    try {
      const meta = JSON.parse(await fs.promises.readFile(`${file}.json`, 'utf8')) as { name: string };
      const info = await fs.promises.stat(file);
      return { id, name: meta.name, path: file, size: info.size };
    } catch {
      throw new QixinError('not_found', 'no such staged file (it was sent already, or removed)');
    }
  }

  async remove(id: string): Promise<void> {
    if (!STAGED_ID.test(id)) return;
    const file = path.join(this.dir, id);
    await fs.promises.rm(file, { force: true });
    await fs.promises.rm(`${file}.json`, { force: true });
  }

  /** Removes staged files older than STALE_MS that no unfinished transfer uses, and broken leftovers. */
  async sweep(inUse: Set<string>, now = Date.now()): Promise<number> {
    const names = await fs.promises.readdir(this.dir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const id = name.replace(/\.json$/, '');
      if (inUse.has(id)) continue;
      const file = path.join(this.dir, name);
      const info = await fs.promises.stat(file).catch(() => null);
      if (!info || now - info.mtimeMs < STALE_MS) continue;
      await fs.promises.rm(file, { force: true });
      removed += 1;
    }
    if (removed > 0) log.info({ removed }, 'stale staged files removed');
    return removed;
  }
}
