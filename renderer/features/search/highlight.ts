/** A piece of a text, marked when it is an occurrence of the query. */
export type Piece = { text: string; hit: boolean };

/**
 * Splits `text` around every occurrence of `query`, case-insensitively (the same rule as search
 * itself: lower-cased substring). Occurrences do not overlap; an empty query marks nothing.
 */
export function highlightPieces(text: string, query: string): Piece[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return text ? [{ text, hit: false }] : [];
  const pieces: Piece[] = [];
  let plainFrom = 0;
  let i = 0;
  // Compared slice by slice on the original text, so a character whose lower case has another
  // length cannot shift the marked ranges.
  const width = query.trim().length;
  while (i + width <= text.length) {
    if (text.slice(i, i + width).toLowerCase() === needle) {
      if (i > plainFrom) pieces.push({ text: text.slice(plainFrom, i), hit: false });
      pieces.push({ text: text.slice(i, i + width), hit: true });
      i += width;
      plainFrom = i;
    } else {
      i += 1;
    }
  }
  if (plainFrom < text.length) pieces.push({ text: text.slice(plainFrom), hit: false });
  return pieces;
}

/**
 * A window of a long text around its first hit, so the snippet under a result shows the match:
 * up to `before` characters ahead of it, marked with an ellipsis when cut.
 */
export function snippetAround(text: string, query: string, before = 12, max = 80): string {
  const flat = text.replace(/\s+/g, ' ');
  const at = flat.toLowerCase().indexOf(query.trim().toLowerCase());
  const start = at > before ? at - before : 0;
  const cut = flat.slice(start, start + max);
  return `${start > 0 ? '…' : ''}${cut}${start + max < flat.length ? '…' : ''}`;
}
