import { describe, expect, it } from 'vitest';
import type { Reminder } from '../../shared/contract';
import { stringsFor } from './i18n';
import { reminderText } from './reminder-text';

const now = new Date(2026, 10, 25, 9, 0).getTime();
const base: Reminder = {
  id: 'x',
  eventId: '0190a5b2-7c3e-7d41-8a2b-3c4d5e6f7a8b',
  title: '周会',
  location: '3 楼会议室',
  start: new Date(2026, 10, 25, 14, 0).getTime(),
  end: new Date(2026, 10, 25, 15, 30).getTime(),
  allDay: false,
  fireAt: now,
  missed: false,
};

describe('reminder notification text', () => {
  it('says when and where in the app’s language', () => {
    expect(reminderText(base, stringsFor('zh-CN'), 'zh-CN', now)).toEqual({
      title: '周会',
      body: '今天 14:00–15:30 · 3 楼会议室',
    });
    const tomorrow = { ...base, start: base.start + 86_400_000, end: base.end + 86_400_000, location: '' };
    expect(reminderText(tomorrow, stringsFor('en-US'), 'en-US', now).body).toBe('Tomorrow 14:00–15:30');
  });

  it('shows all-day events by their dates, and marks a missed reminder', () => {
    const allDay = {
      ...base,
      allDay: true,
      start: Date.UTC(2026, 10, 27),
      end: Date.UTC(2026, 10, 29),
      missed: true,
    };
    const { body } = reminderText(allDay, stringsFor('zh-CN'), 'zh-CN', now);
    expect(body).toMatch(/^\[已错过\] 11月27日周五–11月28日周六 全天 · 3 楼会议室$/);
  });
});
