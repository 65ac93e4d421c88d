import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { QixinError } from '../../shared/protocol';
import { bareMime, imageHeadCheck, mimeFitsKind, sizeLimit, sniffImage } from './media-types';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a46494600010100', 'hex');
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00', 'latin1');
const WEBP = Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1');

async function run(chunks: Buffer[], check: ReturnType<typeof imageHeadCheck>): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    check,
    new Writable({
      write(chunk: Buffer, _e, done) {
        out.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(out);
}

describe('media types', () => {
  it('recognizes the four image formats by their first bytes', () => {
    expect(sniffImage(PNG)).toBe('image/png');
    expect(sniffImage(JPEG)).toBe('image/jpeg');
    expect(sniffImage(GIF)).toBe('image/gif');
    expect(sniffImage(WEBP)).toBe('image/webp');
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
  });

  it('accepts only the Content-Types that fit the kind', () => {
    expect(bareMime('Audio/WebM; codecs=opus')).toBe('audio/webm');
    expect(mimeFitsKind('image', 'image/png')).toBe(true);
    expect(mimeFitsKind('image', 'image/svg+xml')).toBe(false);
    expect(mimeFitsKind('voice', 'audio/webm')).toBe(true);
    expect(mimeFitsKind('voice', 'video/mp4')).toBe(false);
    expect(mimeFitsKind('video', 'video/mp4')).toBe(true);
    expect(mimeFitsKind('video', 'text/html')).toBe(false);
  });

  it('passes an image through unchanged once its head proves the type, even split across chunks', async () => {
    const body = Buffer.concat([PNG, Buffer.alloc(1000, 7)]);
    const out = await run([body.subarray(0, 3), body.subarray(3, 5), body.subarray(5)], imageHeadCheck('image/png'));
    expect(out).toEqual(body);
  });

  it('refuses bytes that are not the declared image type with media_type_mismatch', async () => {
    const refused = run([JPEG, Buffer.alloc(100)], imageHeadCheck('image/png'));
    await expect(refused).rejects.toBeInstanceOf(QixinError);
    await expect(refused).rejects.toMatchObject({ reason: 'media_type_mismatch' });
    await expect(run([Buffer.from('tiny')], imageHeadCheck('image/gif'))).rejects.toMatchObject({
      reason: 'media_type_mismatch',
    });
  });

  it('fails a body the moment it passes the limit of its kind, and refuses an empty one', async () => {
    const mb = Buffer.alloc(1024 * 1024);
    const six = Array.from({ length: 6 }, () => mb);
    await expect(run(six, sizeLimit('voice'))).rejects.toMatchObject({ code: 'too_large', reason: 'media_too_large' });
    expect((await run(six.slice(0, 5), sizeLimit('voice'))).length).toBe(5 * mb.length);
    await expect(run([], sizeLimit('image'))).rejects.toMatchObject({ code: 'invalid' });
  });
});
