// HTTP byte ranges (RFC 9110 §14): the one range of a `Range: bytes=…` header we serve.
// Used by the relay's media downloads and the desktop core's media serving alike.

export type ByteRange = { start: number; end: number };

/**
 * The inclusive range asked for, null when the whole body should be sent (no header, another unit,
 * several ranges, or a malformed header: the standard lets a server ignore those), and
 * 'unsatisfiable' when the range lies outside a body of `size` bytes (answer 416).
 */
export function parseByteRange(header: string | undefined | null, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from, to] = match;
  if (from === '' && to === '') return null;
  if (from === '') {
    // A suffix: the last N bytes.
    const length = Number(to);
    if (length === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return { start, end };
}

/** True when an `If-None-Match` header names `etag` (or is `*`). */
export function etagMatches(header: string | undefined | null, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === '*' || t === etag;
  });
}
