/** A piece of a text message as it is drawn: plain, a clickable link, or a highlighted @mention. */
export type TextRun =
  { type: 'text'; text: string } | { type: 'link'; text: string; url: string } | { type: 'mention'; text: string };

// http(s) links and bare www. hosts; trailing punctuation (Chinese included) stays outside the link.
const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"'，。！？；：、）】》“”‘’]+/gi;
const TRAILING = /[.,;:!?)\]}'"]+$/;

/** The http(s) URL a link run opens, or null for anything else (javascript:, file:, …). */
export function safeUrl(raw: string): string | null {
  const candidate = /^www\./i.test(raw) ? `https://${raw}` : raw;
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function linkRuns(text: string): TextRun[] {
  const runs: TextRun[] = [];
  let at = 0;
  for (const match of text.matchAll(LINK)) {
    let raw = match[0];
    raw = raw.replace(TRAILING, '');
    const start = match.index;
    const url = safeUrl(raw);
    if (!url || !raw) continue;
    if (start > at) runs.push({ type: 'text', text: text.slice(at, start) });
    runs.push({ type: 'link', text: raw, url });
    at = start + raw.length;
  }
  if (at < text.length) runs.push({ type: 'text', text: text.slice(at) });
  return runs;
}

/**
 * Splits a message's text into runs: links (clickable) and "@name" of the people it mentions
 * (highlighted). Only names the message really mentions are marked, so "@" typed by hand stays plain.
 */
export function textRuns(text: string, mentionedNames: readonly string[]): TextRun[] {
  const names = [...new Set(mentionedNames.filter((n) => n.length > 0))].sort((a, b) => b.length - a.length);
  const runs: TextRun[] = [];
  let plain = '';
  const flush = () => {
    if (plain) runs.push(...linkRuns(plain));
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    // "a@b.com" is an address, not a mention: an @ right after a letter or digit stays plain.
    if (text[i] === '@' && (i === 0 || !/[A-Za-z0-9._%+-]/.test(text[i - 1] ?? ''))) {
      const name = names.find((n) => text.startsWith(n, i + 1));
      if (name) {
        flush();
        runs.push({ type: 'mention', text: `@${name}` });
        i += name.length + 1;
        continue;
      }
    }
    plain += text[i];
    i += 1;
  }
  flush();
  return runs;
}
