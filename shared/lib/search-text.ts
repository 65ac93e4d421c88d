// Search over Chinese, English and everything between (DESIGN §7). A query matches a text when
// the lower-cased text contains the lower-cased query — any script, any punctuation. Indexes
// hold every overlapping pair of characters (bigrams) in order, so a query of n ≥ 2 characters is
// the phrase of its n−1 bigrams at consecutive positions: exactly a substring. One-character
// queries use a second column of the distinct characters. Both SQLite FTS5 and PostgreSQL's
// tsvector index them; tokens are spelled in letters a–z so neither tokenizer splits them.
import type { MessageBody, MessageKind } from '../protocol/message-content';

/** What search compares: lower-cased (Latin is case-insensitive), nothing else changed. */
export function normalizeForSearch(text: string): string {
  return text.toLowerCase();
}

// 26^5 = 11,881,376 > U+10FFFF: five letters name any code point.
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
function spell(codePoint: number): string {
  let out = '';
  for (let i = 0; i < 5; i++) {
    out = LETTERS[codePoint % 26] + out;
    codePoint = Math.floor(codePoint / 26);
  }
  return out;
}

const spelled = new Map<number, string>();
function token(codePoint: number): string {
  let t = spelled.get(codePoint);
  if (t === undefined) {
    t = spell(codePoint);
    if (spelled.size < 50_000) spelled.set(codePoint, t);
  }
  return t;
}

function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of normalizeForSearch(text)) out.push(ch.codePointAt(0)!);
  return out;
}

export interface IndexTokens {
  /** Every bigram in text order, space-separated (position i = characters i and i+1). */
  bigrams: string;
  /** The distinct characters, space-separated. */
  unigrams: string;
}

/** The two index columns of a text. */
export function indexTokens(text: string): IndexTokens {
  const cps = codePoints(text);
  const bi: string[] = [];
  for (let i = 0; i + 1 < cps.length; i++) bi.push(token(cps[i]!) + token(cps[i + 1]!));
  const uni = [...new Set(cps)].map(token);
  return { bigrams: bi.join(' '), unigrams: uni.join(' ') };
}

/**
 * How to look a query up: one character → that unigram; longer → the phrase of its bigrams,
 * in order. null for a query that is empty after trimming.
 */
export type QueryTokens = { kind: 'unigram'; token: string } | { kind: 'phrase'; tokens: string[] };

export function queryTokens(query: string): QueryTokens | null {
  const cps = codePoints(query.trim());
  if (cps.length === 0) return null;
  if (cps.length === 1) return { kind: 'unigram', token: token(cps[0]!) };
  const tokens: string[] = [];
  for (let i = 0; i + 1 < cps.length; i++) tokens.push(token(cps[i]!) + token(cps[i + 1]!));
  return { kind: 'phrase', tokens };
}

/** The oracle every index must agree with: a plain substring test. */
export function matchesQuery(text: string, query: string): boolean {
  const q = query.trim();
  return q.length > 0 && normalizeForSearch(text).includes(normalizeForSearch(q));
}

/**
 * The text a message is found by: its text, plus the names its payload carries (location name
 * and address, a card's name, the texts inside a forwarded chat history).
 */
export function searchableText(message: { kind: MessageKind; text: string; body: MessageBody | null }): string {
  const body = message.body;
  if (!body) return message.text;
  switch (body.kind) {
    case 'location':
      return [message.text, body.name, body.address].filter(Boolean).join('\n');
    case 'card':
      return [message.text, body.name].filter(Boolean).join('\n');
    case 'history':
      return [message.text, ...body.items.map((i) => i.text)].filter(Boolean).join('\n');
    default:
      return message.text;
  }
}

/** Does the text hold a web link (the 链接 filter)? */
export function hasLink(text: string): boolean {
  return /https?:\/\/[^\s]/i.test(text);
}
