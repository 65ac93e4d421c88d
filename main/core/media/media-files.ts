// The core's media cache on disk: `<dataDir>/media/<userId>/<mediaId>` plus `<mediaId>.json` (type,
// size, sha256). One folder per user, like the cache DB belongs to one user. Files appear by rename,
// so a half-written download is never served; concurrent requests for one id share one download.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DownloadedMedia } from './media-relay';

export type CachedMedia = DownloadedMedia & { file: string };

const MEDIA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isMediaId(id: string): boolean {
  return MEDIA_ID.test(id);
}

export class MediaFiles {
  private readonly downloads = new Map<string, Promise<CachedMedia>>();
  private readonly tempDir: string;

  constructor(private readonly root: string) {
    this.tempDir = path.join(root, 'tmp');
  }

  async lookup(userId: string, mediaId: string): Promise<CachedMedia | null> {
    const file = this.fileOf(userId, mediaId);
    const [info, meta] = await Promise.all([
      fs.promises.stat(file).catch(() => null),
      fs.promises.readFile(`${file}.json`, 'utf8').catch(() => null),
    ]);
    if (!info?.isFile() || meta === null) return null;
    try {
      const { mime, sha256 } = JSON.parse(meta) as DownloadedMedia;
      return { file, mime, sha256, size: info.size };
    } catch {
      return null;
    }
  }

  /** Keeps the bytes of one's own upload, so they show at once and offline. */
  async save(userId: string, mediaId: string, bytes: Buffer, meta: DownloadedMedia): Promise<void> {
    await this.place(userId, mediaId, meta, async (temp) => fs.promises.writeFile(temp, bytes));
  }

  /**
   * The cached file, else the one `download` writes into a temp file. Concurrent calls for the same
   * id wait for one download; a failed one is forgotten so the next request tries again.
   */
  async fetch(
    userId: string,
    mediaId: string,
    download: (tempFile: string) => Promise<DownloadedMedia>,
  ): Promise<CachedMedia> {
    const cached = await this.lookup(userId, mediaId);
    if (cached) return cached;
    const key = `${userId}/${mediaId}`;
    let running = this.downloads.get(key);
    if (!running) {
      running = (async () => {
        let meta: DownloadedMedia | null = null;
        await this.place(userId, mediaId, null, async (temp) => {
          meta = await download(temp);
          return meta;
        });
        return { ...meta!, file: this.fileOf(userId, mediaId) };
      })().finally(() => this.downloads.delete(key));
      this.downloads.set(key, running);
    }
    return running;
  }

  private fileOf(userId: string, mediaId: string): string {
    if (!isMediaId(mediaId) || !isMediaId(userId)) throw new Error(`not an id: ${userId}/${mediaId}`);
    return path.join(this.root, userId, mediaId);
  }

  /** Writes into a temp file, then the metadata, then renames the bytes into place. */
  private async place(
    userId: string,
    mediaId: string,
    known: DownloadedMedia | null,
    write: (temp: string) => Promise<DownloadedMedia | void>,
  ): Promise<void> {
    const file = this.fileOf(userId, mediaId);
    await fs.promises.mkdir(this.tempDir, { recursive: true });
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const temp = path.join(this.tempDir, randomUUID());
    try {
      const meta = (await write(temp)) ?? known!;
      await fs.promises.writeFile(
        `${file}.json`,
        JSON.stringify({ mime: meta.mime, size: meta.size, sha256: meta.sha256 }),
      );
      await fs.promises.rename(temp, file);
    } finally {
      await fs.promises.rm(temp, { force: true });
    }
  }
}
