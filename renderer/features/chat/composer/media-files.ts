// Reading what a person drops, pastes or records in the browser: sizes, dimensions, durations,
// thumbnails. Pure sizing rules are separate so they can be tested without a DOM.
import { MediaLimits } from '../../../../shared/protocol/message-content';

/** Image previews are at most this long on their longest side (ImageBody.thumbId). */
export const THUMB_MAX_SIDE = 480;

/** Scales (width, height) down to fit `max` on the longest side, never up. */
export function fitWithin(width: number, height: number, max: number): { width: number; height: number } {
  const longest = Math.max(width, height);
  if (longest <= max) return { width, height };
  const scale = max / longest;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** "audio/webm;codecs=opus" → "audio/webm": the relay takes the bare media type. */
export function plainMime(mime: string): string {
  return mime.split(';')[0]?.trim().toLowerCase() ?? '';
}

export type MediaKind = 'image' | 'video' | 'file';
/**
 * How a dropped or pasted file is sent: images and videos within their limits as image or video
 * messages (with a preview); anything else, or larger, or empty, as a file message (文件).
 */
export function classifyFile(file: { type: string; size: number }): { kind: MediaKind } {
  const type = plainMime(file.type);
  if (file.size === 0) return { kind: 'file' };
  if (type.startsWith('image/') && file.size <= MediaLimits.imageMaxBytes) return { kind: 'image' };
  if (type.startsWith('video/') && file.size <= MediaLimits.videoMaxBytes) return { kind: 'video' };
  return { kind: 'file' };
}

function canvasBlob(canvas: HTMLCanvasElement, type: string): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('canvas export failed'))), type, 0.85),
  );
}

/** Draws a source scaled to fit THUMB_MAX_SIDE into a JPEG (PNG keeps transparency). */
async function drawThumbnail(
  source: CanvasImageSource,
  width: number,
  height: number,
  type: 'image/jpeg' | 'image/png',
): Promise<Blob> {
  const size = fitWithin(width, height, THUMB_MAX_SIDE);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d canvas');
  if (type === 'image/jpeg') {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, size.width, size.height);
  }
  ctx.drawImage(source, 0, 0, size.width, size.height);
  return canvasBlob(canvas, type);
}

/** An image's dimensions and its preview (longest side ≤ 480 px, made with a canvas). */
export async function readImage(file: Blob): Promise<{ width: number; height: number; thumb: Blob }> {
  const bitmap = await createImageBitmap(file);
  try {
    const type = plainMime(file.type) === 'image/png' ? 'image/png' : 'image/jpeg';
    const thumb = await drawThumbnail(bitmap, bitmap.width, bitmap.height, type);
    return { width: bitmap.width, height: bitmap.height, thumb };
  } finally {
    bitmap.close();
  }
}

/** A video's duration and size from a <video> element, and a poster from its first frame when one decodes. */
export async function readVideo(
  file: Blob,
): Promise<{ durationMs: number; width: number; height: number; poster: Blob | null }> {
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  try {
    await new Promise<void>((resolve, reject) => {
      video.onloadeddata = () => resolve();
      video.onerror = () => reject(new Error('video cannot be read'));
      video.src = url;
    });
    const width = video.videoWidth || 1;
    const height = video.videoHeight || 1;
    const durationMs = Number.isFinite(video.duration) ? Math.round(video.duration * 1000) : 0;
    let poster: Blob | null = null;
    try {
      poster = await drawThumbnail(video, width, height, 'image/jpeg');
    } catch {
      poster = null; // some codecs decode no frame here; the player shows its own first frame
    }
    return { durationMs, width, height, poster };
  } finally {
    video.removeAttribute('src');
    URL.revokeObjectURL(url);
  }
}
