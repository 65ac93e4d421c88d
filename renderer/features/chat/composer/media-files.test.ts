import { describe, expect, it } from 'vitest';
import { classifyFile, fitWithin, plainMime } from './media-files';

describe('fitWithin', () => {
  it('scales the longest side down to the limit and keeps the ratio', () => {
    expect(fitWithin(4000, 3000, 480)).toEqual({ width: 480, height: 360 });
    expect(fitWithin(300, 1200, 480)).toEqual({ width: 120, height: 480 });
  });
  it('never scales a small image up', () => {
    expect(fitWithin(200, 100, 480)).toEqual({ width: 200, height: 100 });
  });
});

describe('plainMime', () => {
  it('drops codec parameters', () => {
    expect(plainMime('audio/webm;codecs=opus')).toBe('audio/webm');
  });
});

describe('classifyFile', () => {
  it('sends images and videos within their limits as media, anything else as a file', () => {
    expect(classifyFile({ type: 'image/jpeg', size: 1000 })).toEqual({ kind: 'image' });
    expect(classifyFile({ type: 'video/mp4', size: 1000 })).toEqual({ kind: 'video' });
    expect(classifyFile({ type: 'image/png', size: 20 * 1024 * 1024 + 1 })).toEqual({ kind: 'file' });
    expect(classifyFile({ type: 'video/mp4', size: 50 * 1024 * 1024 + 1 })).toEqual({ kind: 'file' });
    expect(classifyFile({ type: 'application/pdf', size: 1000 })).toEqual({ kind: 'file' });
    expect(classifyFile({ type: 'image/png', size: 0 })).toEqual({ kind: 'file' });
  });
});
