// How a file card says sizes, speeds and times, and which icon a file gets. Pure, unit-tested.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 0 B, 999 B, 1.5 KB, 12.3 MB, 2.00 GB: three significant digits from KB up (1024-based, as OSes show). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  // 1023.9 KB would print as "1024 KB": show the next unit instead.
  if (value >= 999.95 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function formatSpeed(bytesPerSec: number): string {
  return `${formatBytes(bytesPerSec)}/s`;
}

/** Seconds left at the current speed, or null when it cannot be told (no speed yet). */
export function secondsLeft(size: number, done: number, bytesPerSec: number): number | null {
  if (bytesPerSec <= 0 || done >= size) return null;
  return Math.ceil((size - done) / bytesPerSec);
}

/** 0:05, 12:34, 1:02:03 */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** 0–100, whole numbers; a zero-byte file is complete once it is done. */
export function percentOf(done: number, size: number): number {
  if (size <= 0) return done > 0 ? 100 : 0;
  return Math.min(100, Math.floor((done / size) * 100));
}

export type FileKind =
  'pdf' | 'word' | 'excel' | 'ppt' | 'archive' | 'image' | 'video' | 'audio' | 'text' | 'code' | 'other';

const BY_EXTENSION: Record<string, FileKind> = {
  pdf: 'pdf',
  doc: 'word',
  docx: 'word',
  wps: 'word',
  rtf: 'word',
  odt: 'word',
  xls: 'excel',
  xlsx: 'excel',
  csv: 'excel',
  et: 'excel',
  ods: 'excel',
  ppt: 'ppt',
  pptx: 'ppt',
  dps: 'ppt',
  key: 'ppt',
  odp: 'ppt',
  zip: 'archive',
  rar: 'archive',
  '7z': 'archive',
  tar: 'archive',
  gz: 'archive',
  tgz: 'archive',
  bz2: 'archive',
  xz: 'archive',
  txt: 'text',
  md: 'text',
  log: 'text',
  json: 'code',
  xml: 'code',
  yml: 'code',
  yaml: 'code',
  js: 'code',
  ts: 'code',
  py: 'code',
  java: 'code',
  c: 'code',
  cpp: 'code',
  go: 'code',
  rs: 'code',
  sh: 'code',
  sql: 'code',
  html: 'code',
  css: 'code',
};

/** The icon's kind: by the name's extension first (mime types of uploads are often generic), then by mime. */
export function fileKind(name: string, mime: string): FileKind {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const known = BY_EXTENSION[ext];
  if (known) return known;
  const type = mime.toLowerCase();
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  if (type === 'application/pdf') return 'pdf';
  if (type.startsWith('text/')) return 'text';
  return 'other';
}

/** Display width: CJK, full-width forms and emoji take two columns, other characters one. */
function columns(char: string): number {
  return (char.codePointAt(0) ?? 0) >= 0x2e80 ? 2 : 1;
}

/**
 * A long name shortened in the middle so its end and extension stay readable:
 * "2024年第三季度…纪要.docx". Measured in columns (a Chinese character or emoji counts two), and
 * cut between code points, so an emoji is never split.
 */
export function middleEllipsis(name: string, maxColumns: number): string {
  const chars = Array.from(name);
  const total = chars.reduce((sum, c) => sum + columns(c), 0);
  if (total <= maxColumns) return name;
  const dot = name.lastIndexOf('.');
  const extColumns = dot > 0 ? Array.from(name.slice(dot)).reduce((sum, c) => sum + columns(c), 0) : 0;
  // The tail keeps the extension and a little before it; the head gets the rest (minus the "…").
  const tailBudget = Math.min(Math.max(extColumns + 6, Math.floor(maxColumns / 3)), Math.floor(maxColumns / 2));
  const headBudget = maxColumns - 1 - tailBudget;
  let head = '';
  let used = 0;
  for (const c of chars) {
    if (used + columns(c) > headBudget) break;
    head += c;
    used += columns(c);
  }
  let tail = '';
  used = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const c = chars[i] ?? '';
    if (used + columns(c) > tailBudget) break;
    tail = c + tail;
    used += columns(c);
  }
  return `${head}…${tail}`;
}
