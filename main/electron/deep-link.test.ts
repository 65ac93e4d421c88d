import { describe, expect, it } from 'vitest';
import { deepLinkFromArgv, parseDeepLink } from './deep-link';

const id = '0190a5b2-7c3e-7d41-8a2b-3c4d5e6f7a8b';

describe('deep links', () => {
  it('opens a chat from qixin://chat/<id>', () => {
    expect(parseDeepLink(`qixin://chat/${id}`)).toEqual({ kind: 'chat', conversationId: id });
    expect(parseDeepLink(`qixin://chat/${id}/`)).toEqual({ kind: 'chat', conversationId: id });
  });

  it('refuses other schemes, other verbs and ids that are not ids', () => {
    expect(parseDeepLink(`https://chat/${id}`)).toBeNull();
    expect(parseDeepLink(`qixin://call/${id}`)).toBeNull();
    expect(parseDeepLink('qixin://chat/../../etc/passwd')).toBeNull();
    expect(parseDeepLink('qixin://chat/')).toBeNull();
    expect(parseDeepLink('not a url')).toBeNull();
  });

  it('finds the link among command-line arguments', () => {
    expect(deepLinkFromArgv(['/opt/qixin/qixin', '--no-sandbox', `qixin://chat/${id}`])).toEqual({
      kind: 'chat',
      conversationId: id,
    });
    expect(deepLinkFromArgv(['/opt/qixin/qixin'])).toBeNull();
  });
});
