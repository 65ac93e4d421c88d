import { describe, expect, it } from 'vitest';
import { fileKind, formatBytes, formatClock, middleEllipsis, percentOf, secondsLeft } from './format';

describe('file card formatting', () => {
  it('says sizes in B, KB, MB and GB with three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.00 KB');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(3 * 1024 * 1024 + 200 * 1024)).toBe('3.20 MB');
    expect(formatBytes(123.4 * 1024 * 1024)).toBe('123 MB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.00 GB');
    expect(formatBytes(1024 * 1024 - 1)).toBe('1.00 MB');
  });

  it('tells the time left from the speed, and nothing without a speed', () => {
    expect(secondsLeft(10_000, 4_000, 1_000)).toBe(6);
    expect(secondsLeft(10_000, 4_000, 0)).toBeNull();
    expect(secondsLeft(10_000, 10_000, 500)).toBeNull();
    expect(formatClock(5)).toBe('0:05');
    expect(formatClock(754)).toBe('12:34');
    expect(formatClock(3723)).toBe('1:02:03');
  });

  it('counts percent in whole numbers, a zero-byte file complete when done', () => {
    expect(percentOf(0, 0)).toBe(0);
    expect(percentOf(999, 1000)).toBe(99);
    expect(percentOf(1000, 1000)).toBe(100);
  });

  it('picks the icon by extension first, then by media type', () => {
    expect(fileKind('季度报告.PDF', 'application/octet-stream')).toBe('pdf');
    expect(fileKind('预算表.xlsx', '')).toBe('excel');
    expect(fileKind('照片', 'image/jpeg')).toBe('image');
    expect(fileKind('.bashrc', 'application/octet-stream')).toBe('other');
    expect(fileKind('归档.tar.gz', '')).toBe('archive');
  });

  it('shortens long names in the middle by width, keeping the extension and whole emoji', () => {
    const width = (text: string) =>
      Array.from(text).reduce((n, c) => n + ((c.codePointAt(0) ?? 0) >= 0x2e80 ? 2 : 1), 0);
    expect(middleEllipsis('短名.txt', 30)).toBe('短名.txt');
    const long = '2024年第三季度华东区销售与市场推广联合复盘会议纪要（终稿）.docx';
    const short = middleEllipsis(long, 30);
    expect(width(short)).toBeLessThanOrEqual(30);
    expect(short.endsWith('.docx')).toBe(true);
    expect(short.startsWith('2024年')).toBe(true);
    expect(short).toContain('…');
    const emoji = middleEllipsis('🎉'.repeat(24) + '.png', 16);
    expect(width(emoji)).toBeLessThanOrEqual(16);
    expect(emoji.endsWith('.png')).toBe(true);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(middleEllipsis('a'.repeat(80), 30)).toHaveLength(30);
  });
});
