// Pure helpers for showing drive items: how a file previews, and times as the table shows them.

/** What the in-app preview can show; null: 不支持预览 (offer 下载). */
export type PreviewKind = 'image' | 'video' | 'audio' | 'pdf' | 'text';

const BY_EXTENSION: Record<string, PreviewKind> = {
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
  bmp: 'image',
  mp4: 'video',
  webm: 'video',
  mov: 'video',
  mp3: 'audio',
  wav: 'audio',
  m4a: 'audio',
  ogg: 'audio',
  pdf: 'pdf',
  txt: 'text',
  md: 'text',
  csv: 'text',
  log: 'text',
  json: 'text',
  xml: 'text',
  yaml: 'text',
  yml: 'text',
  ini: 'text',
  conf: 'text',
  ts: 'text',
  js: 'text',
  py: 'text',
  go: 'text',
  java: 'text',
  c: 'text',
  h: 'text',
  cpp: 'text',
  rs: 'text',
  sh: 'text',
  sql: 'text',
  html: 'text',
  css: 'text',
};

const TEXT_MIMES = new Set(['application/json', 'application/xml', 'application/javascript', 'application/sql']);

/**
 * By the declared media type first, then by the name's extension (uploads of unknown types come
 * as application/octet-stream). SVG is left out: a script inside it must never run in the app.
 */
export function previewKind(mime: string | null, name: string): PreviewKind | null {
  const type = (mime ?? '').toLowerCase();
  if (type === 'application/pdf') return 'pdf';
  if (type.startsWith('image/') && type !== 'image/svg+xml') return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('text/') || TEXT_MIMES.has(type)) return 'text';
  const dot = name.lastIndexOf('.');
  return BY_EXTENSION[dot > 0 ? name.slice(dot + 1).toLowerCase() : ''] ?? null;
}

/** 2025/03/08 14:05 in the user's language and time zone. */
export function formatTime(at: number, language: string): string {
  return new Intl.DateTimeFormat(language, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(at);
}
