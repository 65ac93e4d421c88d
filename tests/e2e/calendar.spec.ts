// 日程 through the UI with a real relay and one desktop client per person: the organizer drags out
// a meeting in the week view, invites two colleagues and books a room; one accepts (from the chat
// notice), one declines (from their calendar), and the organizer sees both answers; the room
// cannot be booked twice; a drag moves the meeting and an attendee's calendar shows the new time.
import { test, expect, type Page } from '@playwright/test';
import { removeTempDirs } from '../support/core';
import { startRelayForCores, type RelayForCores } from '../support/core-relay';
import {
  calendarEvent,
  conversation,
  openCalendarPage,
  readmeShot,
  startDesktop,
  timeGridPoint,
  type Desktop,
  browserClients,
} from './harness';

let relay: RelayForCores;
let aDesktop: Desktop;
let bDesktop: Desktop;
let cDesktop: Desktop;
const A_NAME = '王雨桐';
const B_NAME = '李明轩';
const C_NAME = '陈思远';
const ROOM = '301 会议室';
const MEETING = '季度规划会';

/** Today in the browsers' zone (the config's Asia/Shanghai), as the time grid names its columns. */
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

test.beforeAll(async () => {
  relay = await startRelayForCores();
  aDesktop = await startDesktop(relay.url, 'a-pc');
  bDesktop = await startDesktop(relay.url, 'b-pc');
  cDesktop = await startDesktop(relay.url, 'c-pc');
  await aDesktop.call('session.createEnterprise', {
    enterpriseName: '云帆科技',
    adminName: A_NAME,
    account: 'organizer',
    password: 'organizer-pass-1',
  });
  for (const [name, account] of [
    [B_NAME, 'mingxuan'],
    [C_NAME, 'siyuan'],
  ] as const) {
    await aDesktop.call('directory.addMember', { name, account, password: `${account}-pass-1` });
  }
  await bDesktop.call('session.signIn', { login: 'mingxuan', password: 'mingxuan-pass-1' });
  await cDesktop.call('session.signIn', { login: 'siyuan', password: 'siyuan-pass-1' });
  // The admin sets the room up (the admin console's 会议室 card does the same call).
  await aDesktop.call('calendar.saveRoom', { name: ROOM, capacity: 8, location: '3 楼东侧', equipment: ['投影仪'] });
});

const clients = browserClients();
test.afterEach(async () => {
  await clients.closeAll();
});

test.afterAll(async () => {
  for (const desktop of [aDesktop, bDesktop, cDesktop]) await desktop?.close();
  await relay?.close();
  removeTempDirs();
});

/**
 * Presses at `from`, moves in steps and lets go at `to`, pausing as a hand does: FullCalendar starts
 * a drag after a few pixels and draws its mirror on the next frames.
 */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.waitForTimeout(100);
  await page.mouse.move(from.x, from.y + 10, { steps: 3 });
  await page.waitForTimeout(100);
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.waitForTimeout(200);
  await page.mouse.up();
}

/** Types `query` into the form's 参与人 field and picks the person named `name`. */
async function pickPerson(page: Page, dialog: ReturnType<Page['getByRole']>, query: string, name: string) {
  await dialog.getByLabel('参与人').fill(query);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: name }).click();
}

test('invite, answer, no double booking, drag-move seen by an attendee', async ({ browser }) => {
  test.setTimeout(240_000);
  const a = await clients.open(browser, aDesktop);
  const b = await clients.open(browser, bDesktop);
  const c = await clients.open(browser, cDesktop);

  await test.step('the zh-CN week starts on Monday', async () => {
    await openCalendarPage(a);
    await expect(a.locator('.fc-col-header-cell').first()).toContainText('周一');
    await expect(a.locator('.fc-col-header-cell').last()).toContainText('周日');
  });

  await test.step('A drags out 10:00–11:00 today, invites B and C and books the room', async () => {
    await drag(a, await timeGridPoint(a, today, '10:00'), await timeGridPoint(a, today, '10:30'));
    const form = a.getByRole('dialog', { name: '新建日程' });
    await expect(form).toBeVisible();
    await expect(form.getByLabel('开始日期')).toHaveValue(today);
    await expect(form.getByLabel('开始时间')).toHaveValue('10:00');
    await expect(form.getByLabel('结束时间')).toHaveValue('11:00');
    await form.getByLabel('主题').fill(MEETING);
    await pickPerson(a, form, 'mingxuan', B_NAME);
    await pickPerson(a, form, 'siyuan', C_NAME);
    // Both invitees get a row in the availability strip (with the organizer's).
    await expect(form.getByTestId('availability-row')).toHaveCount(3);
    await form.getByLabel('会议室').click();
    const roomOption = a.locator('.ant-select-dropdown:visible [data-testid="room-option"]').filter({ hasText: ROOM });
    await expect(roomOption).toHaveAttribute('data-busy', 'false');
    await expect(roomOption).toContainText('8 人');
    await roomOption.click();
    await form.getByLabel('提醒').click();
    await a.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '不提醒' }).click();
    await form.getByRole('button', { name: '保存' }).click();
    await expect(form).toBeHidden();
    await expect(calendarEvent(a, MEETING)).toContainText('10:00');
  });

  await test.step('B sees the invitation in the chat and accepts it from there', async () => {
    await conversation(b, A_NAME).click();
    const notice = b.getByTestId('system-notice').filter({ hasText: MEETING });
    await expect(notice).toContainText('邀请你参加日程');
    await notice.getByRole('button', { name: '查看日程' }).click();
    const details = b.getByRole('dialog', { name: MEETING });
    await expect(details.getByTestId('event-time')).toContainText('10:00–11:00');
    await expect(details).toContainText(ROOM);
    await details.getByRole('button', { name: '接受' }).click();
    await expect(details.getByTestId('attendee').filter({ hasText: '你' })).toContainText('已接受');
    await b.keyboard.press('Escape');
    await expect(details).toBeHidden();
  });

  await test.step('C finds it in their week and declines', async () => {
    await openCalendarPage(c);
    await calendarEvent(c, MEETING).click();
    const details = c.getByRole('dialog', { name: MEETING });
    await details.getByRole('button', { name: '拒绝' }).click();
    await expect(details.getByTestId('attendee').filter({ hasText: '你' })).toContainText('已拒绝');
  });

  await test.step('A opens the meeting and sees both answers', async () => {
    await calendarEvent(a, MEETING).click();
    const details = a.getByRole('dialog', { name: MEETING });
    await expect(details.getByTestId('attendee').filter({ hasText: B_NAME })).toContainText('已接受');
    await expect(details.getByTestId('attendee').filter({ hasText: C_NAME })).toContainText('已拒绝');
    await readmeShot(a, 'calendar.png');
    await a.keyboard.press('Escape');
    await expect(details).toBeHidden();
  });

  await test.step('B cannot book the same room at an overlapping time', async () => {
    await expect(calendarEvent(b, MEETING)).toBeVisible();
    await b.getByRole('button', { name: '新建日程' }).last().click();
    const form = b.getByRole('dialog', { name: '新建日程' });
    await form.getByLabel('主题').fill('产品评审');
    await form.getByLabel('开始日期').fill(today);
    await form.getByLabel('开始时间').fill('10:30');
    await form.getByLabel('结束日期').fill(today);
    await form.getByLabel('结束时间').fill('11:30');
    await form.getByLabel('会议室').click();
    const roomOption = b.locator('.ant-select-dropdown:visible [data-testid="room-option"]').filter({ hasText: ROOM });
    await expect(roomOption).toHaveAttribute('data-busy', 'true');
    await expect(roomOption).toContainText('已占用');
    await roomOption.click();
    await form.getByRole('button', { name: '保存' }).click();
    await expect(form.getByTestId('event-form-error')).toContainText('该会议室在此时间已被预订');
    await form.getByRole('button', { name: '取消' }).click();
    await expect(form).toBeHidden();
    await expect(calendarEvent(b, '产品评审')).toHaveCount(0);
  });

  await test.step('A drags the meeting to 14:00; B’s calendar shows the new time', async () => {
    await drag(a, await timeGridPoint(a, today, '10:00'), await timeGridPoint(a, today, '14:00'));
    await expect(calendarEvent(a, MEETING)).toContainText('14:00');
    await expect(calendarEvent(b, MEETING)).toContainText('14:00');
    await expect(calendarEvent(b, MEETING)).not.toContainText('10:00');
    const { events } = await bDesktop.call('calendar.events', {
      from: Date.parse(`${today}T00:00:00+08:00`),
      to: Date.parse(`${today}T23:59:59+08:00`),
    });
    const meeting = events.find((e) => e.title === MEETING);
    expect(meeting?.time).toMatchObject({ allDay: false, start: Date.parse(`${today}T14:00:00+08:00`) });
  });
});
