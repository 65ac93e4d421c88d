// qixin:// links: `qixin://chat/<conversationId>` opens a chat. Pure, so it is unit-tested.
import { Id } from '../../shared/protocol/entities';

export const DEEP_LINK_SCHEME = 'qixin';

export type DeepLink = { kind: 'chat'; conversationId: string };

export function parseDeepLink(raw: string): DeepLink | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return null;
  // `qixin://chat/<id>` parses as host "chat", path "/<id>".
  const segments = `${url.host}${url.pathname}`.split('/').filter(Boolean);
  if (segments.length !== 2 || segments[0] !== 'chat') return null;
  const conversationId = Id.safeParse(decodeURIComponent(segments[1] ?? ''));
  return conversationId.success ? { kind: 'chat', conversationId: conversationId.data } : null;
}

/** The first qixin:// link among command-line arguments (Windows/Linux pass links that way). */
export function deepLinkFromArgv(argv: readonly string[]): DeepLink | null {
  for (const arg of argv) {
    if (!arg.startsWith(`${DEEP_LINK_SCHEME}://`)) continue;
    const link = parseDeepLink(arg);
    if (link) return link;
  }
  return null;
}
