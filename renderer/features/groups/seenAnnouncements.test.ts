import { describe, expect, it } from 'vitest';
import { markAnnouncementSeen, seenAnnouncementVersion } from './seenAnnouncements';

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
}

describe('seen announcement versions', () => {
  it('remembers the newest version per person and group, never going back', () => {
    const storage = new MemoryStorage();
    expect(seenAnnouncementVersion(storage, 'u1', 'g1')).toBe(0);
    markAnnouncementSeen(storage, 'u1', 'g1', 3);
    markAnnouncementSeen(storage, 'u1', 'g1', 2);
    expect(seenAnnouncementVersion(storage, 'u1', 'g1')).toBe(3);
    expect(seenAnnouncementVersion(storage, 'u2', 'g1')).toBe(0);
    expect(seenAnnouncementVersion(storage, 'u1', 'g2')).toBe(0);
  });

  it('reads a damaged entry as never seen', () => {
    const storage = new MemoryStorage();
    storage.setItem('qixin.announcementSeen.u1.g1', 'garbage');
    expect(seenAnnouncementVersion(storage, 'u1', 'g1')).toBe(0);
  });
});
