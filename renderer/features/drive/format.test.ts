import { describe, expect, it } from 'vitest';
import { previewKind } from './format';

describe('previewKind', () => {
  it('goes by the declared type first, then by the extension', () => {
    expect(previewKind('application/pdf', 'x.bin')).toBe('pdf');
    expect(previewKind('image/png', '截图')).toBe('image');
    expect(previewKind('video/mp4', 'a')).toBe('video');
    expect(previewKind('text/plain; charset=utf-8', 'a')).toBe('text');
    expect(previewKind('application/json', 'a')).toBe('text');
    expect(previewKind('application/octet-stream', '会议纪要.TXT')).toBe('text');
    expect(previewKind(null, '报表.csv')).toBe('text');
    expect(previewKind(null, '报告.pdf')).toBe('pdf');
  });

  it('offers no preview for office files, archives, unknown names and SVG (scripts)', () => {
    expect(previewKind(null, '方案.docx')).toBeNull();
    expect(previewKind('application/zip', '包.zip')).toBeNull();
    expect(previewKind(null, 'README')).toBeNull();
    expect(previewKind('image/svg+xml', 'logo.svg')).toBeNull();
  });
});
