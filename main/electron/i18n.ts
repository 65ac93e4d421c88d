// The few strings the main process shows itself (tray, dialogs, reminders), keyed by the settings language.
import type { Language } from '../../shared/contract';

const strings = {
  'zh-CN': {
    appName: '企信',
    open: '打开企信',
    quit: '退出',
    unread: (n: number) => `企信 — ${n} 条未读`,
    startFailedTitle: '企信无法启动',
    startFailed: (reason: string) => `企信启动失败：${reason}`,
    reminderSnooze: '稍后提醒',
    reminderClose: '关闭',
    reminderMissed: '已错过',
    allDay: '全天',
    today: '今天',
    tomorrow: '明天',
  },
  'en-US': {
    appName: 'Qixin',
    open: 'Open Qixin',
    quit: 'Quit',
    unread: (n: number) => `Qixin — ${n} unread`,
    startFailedTitle: 'Qixin could not start',
    startFailed: (reason: string) => `Qixin failed to start: ${reason}`,
    reminderSnooze: 'Snooze',
    reminderClose: 'Close',
    reminderMissed: 'Missed',
    allDay: 'All day',
    today: 'Today',
    tomorrow: 'Tomorrow',
  },
} satisfies Record<Language, unknown>;

export type MainStrings = (typeof strings)['zh-CN'];

export function stringsFor(language: Language): MainStrings {
  return strings[language] ?? strings['zh-CN'];
}
