// Which media types each upload kind accepts, and a check of an image's first bytes against its
// declared type: a browser shown a mislabelled file could guess another type (we also send nosniff).
import { Transform } from 'node:stream';
import { MediaLimits, QixinError, type MediaUploadKind } from '../../shared/protocol';

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export const MAX_BYTES: Record<MediaUploadKind, number> = {
  image: MediaLimits.imageMaxBytes,
  voice: MediaLimits.voiceMaxBytes,
  video: MediaLimits.videoMaxBytes,
};

/** `audio/webm; codecs=opus` → `audio/webm`; what the row stores and messages carry. */
export function bareMime(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function mimeFitsKind(kind: MediaUploadKind, mime: string): boolean {
  if (kind === 'image') return (IMAGE_TYPES as readonly string[]).includes(mime);
  const family = kind === 'voice' ? 'audio' : 'video';
  return new RegExp(`^${family}/[a-z0-9.+-]+$`).test(mime);
}

/** The image type the first bytes announce (12 are enough for all four), or null. */
export function sniffImage(head: Buffer): (typeof IMAGE_TYPES)[number] | null {
  const starts = (bytes: number[], at = 0) => bytes.every((b, i) => head[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (
    head
      .subarray(0, 6)
      .toString('latin1')
      .match(/^GIF8[79]a$/)
  )
    return 'image/gif';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') {
    return 'image/webp';
  }
  return null;
}

export function typeMismatch(message: string): QixinError {
  return new QixinError('invalid', message, 'media_type_mismatch');
}

const HEAD_BYTES = 12;

/** Passes an image through once its first bytes proved the declared type; fails the stream otherwise. */
export function imageHeadCheck(mime: string): Transform {
  let head = Buffer.alloc(0);
  let checked = false;
  const verify = (): QixinError | null => {
    checked = true;
    const found = sniffImage(head);
    return found === mime ? null : typeMismatch(`the file is not ${mime} (its first bytes say ${found ?? 'unknown'})`);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (checked) return done(null, chunk);
      head = Buffer.concat([head, chunk]);
      if (head.length < HEAD_BYTES) return done();
      done(verify(), head);
    },
    flush(done) {
      if (checked) return done();
      done(verify(), head);
    },
  });
}

/** Counts bytes and fails the stream the moment they pass the kind's limit, so the rest is never read; and refuses nothing at all. */
export function sizeLimit(kind: MediaUploadKind): Transform {
  const max = MAX_BYTES[kind];
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > max ? tooLarge(kind) : null, chunk);
    },
    flush(done) {
      done(size === 0 ? new QixinError('invalid', 'the upload is empty') : null);
    },
  });
}

export function tooLarge(kind: MediaUploadKind): QixinError {
  const mb = MAX_BYTES[kind] / 1024 / 1024;
  const what = { image: '图片', voice: '语音', video: '视频' }[kind];
  return new QixinError('too_large', `${what}不能超过 ${mb} MB`, 'media_too_large');
}
