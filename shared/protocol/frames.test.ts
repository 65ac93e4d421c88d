import { describe, expect, it } from 'vitest';
import { QixinError } from './errors';
import { errorFrame, eventFrame, okFrame, parseFrame, parseRequest } from './frames';
import { newId } from '../lib/ids';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof QixinError) return err.code;
    throw err;
  }
  return undefined;
}

describe('frames', () => {
  it('rejects text that is not JSON with bad_frame', () => {
    expect(codeOf(() => parseFrame('{not json'))).toBe('bad_frame');
  });

  it('rejects JSON that is not a frame envelope', () => {
    expect(codeOf(() => parseFrame('[1,2,3]'))).toBe('bad_frame');
    expect(codeOf(() => parseFrame('{"type": 42}'))).toBe('bad_frame');
  });

  it('accepts a well-formed request envelope', () => {
    expect(parseFrame('{"id":"1","type":"msg.send","payload":{}}')).toEqual({ id: '1', type: 'msg.send', payload: {} });
  });

  it('validates payloads per request type and names the bad field', () => {
    const id = newId();
    const ok = parseRequest('msg.send', { id, conversationId: newId(), text: '  你好  ' });
    expect(ok.text).toBe('你好');
    try {
      parseRequest('msg.send', { id, conversationId: newId(), text: 42 });
      expect.unreachable();
    } catch (err) {
      expect((err as QixinError).code).toBe('invalid');
      expect((err as QixinError).message).toContain('text');
    }
  });

  it('refuses empty and oversized text', () => {
    const base = { id: newId(), conversationId: newId() };
    expect(codeOf(() => parseRequest('msg.send', { ...base, text: '   ' }))).toBe('invalid');
    expect(codeOf(() => parseRequest('msg.send', { ...base, text: '字'.repeat(10_001) }))).toBe('invalid');
  });

  it('serializes results and events as the other side parses them', () => {
    expect(JSON.parse(okFrame('7', { a: 1 }))).toEqual({
      id: '7',
      type: 'result',
      payload: { ok: true, value: { a: 1 } },
    });
    expect(JSON.parse(errorFrame(undefined, { code: 'bad_frame', message: 'x' })).id).toBeNull();
    const frame = parseFrame(eventFrame('session.revoked', { reason: 'revoked' }));
    expect(frame).toEqual({ type: 'session.revoked', payload: { reason: 'revoked' } });
  });
});

describe('ids', () => {
  it('are time-sortable UUIDv7', () => {
    const ids = Array.from({ length: 100 }, () => newId());
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
