import { describe, expect, it } from 'vitest';
import { stringsFor } from './i18n';

describe('main-process strings', () => {
  it('speaks Chinese by default and English on request', () => {
    expect(stringsFor('zh-CN').open).toBe('打开企信');
    expect(stringsFor('zh-CN').unread(3)).toBe('企信 — 3 条未读');
    expect(stringsFor('en-US').quit).toBe('Quit');
  });
});
