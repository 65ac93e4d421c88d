// 日程附件 on a real relay: an event links drive files. The organizer may attach only what they may
// share (as when sending a drive file into a chat); attendees see the attachment on the event but
// open the file through the drive with their own level, so without access the drive refuses it and
// once granted 可下载 the same bytes come down. Edits that do not name attachments keep them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/lib/ids';
import type { RequestParams } from '../../shared/protocol';
import { at, HOUR, shanghai } from '../support/calendar';
import { expectRefused, personalRoot, sha256, startDriveRelay, type DriveRelay } from '../support/drive';
import type { TestClient } from '../support/relay';

let w: DriveRelay;
let organizer: TestClient; // 张三
let attendee: TestClient; // 李四, invited, no drive access at first
let colleague: TestClient; // 王五, owns files of their own
let watcher: TestClient; // 赵六, sees the organizer's calendar as free/busy only

beforeAll(async () => {
  w = await startDriveRelay();
  organizer = await w.person('张三');
  attendee = await w.person('李四');
  colleague = await w.person('王五');
  watcher = await w.person('赵六');
});

afterAll(async () => {
  await w?.close();
});

async function primary(client: TestClient): Promise<string> {
  const { calendars } = await client.request('cal.calendars', {});
  return calendars.find((c) => c.primary && c.ownerId === client.userId)!.id;
}

function create(
  client: TestClient,
  fields: Partial<RequestParams<'cal.create'>> & Pick<RequestParams<'cal.create'>, 'title' | 'time'>,
) {
  return primary(client).then((calendarId) =>
    client.request('cal.create', {
      id: newId(),
      calendarId,
      location: '',
      description: '',
      rrule: null,
      attendeeIds: [],
      departmentIds: [],
      roomId: null,
      reminders: [],
      attachmentIds: [],
      ...fields,
    }),
  );
}

const pdf = (text: string) => Buffer.from(`%PDF-1.4 ${text} `.repeat(200));

describe('an event with a drive file attached', () => {
  it('shows the attachment to attendees, who open it only with their own drive level', async () => {
    const bytes = pdf('季度评审议程');
    const file = await w.putFile(organizer, await personalRoot(organizer), '议程.pdf', bytes, 'application/pdf');
    const { event } = await create(organizer, {
      title: '季度评审',
      time: shanghai('2030-03-04T10:00:00+08:00'),
      attendeeIds: [attendee.userId],
      attachmentIds: [file.id],
    });
    const attachment = { nodeId: file.id, name: '议程.pdf', size: bytes.length, mime: 'application/pdf' };
    expect(event.attachments).toEqual([attachment]);

    // The attendee sees it on the event, in the range read and alone.
    expect((await attendee.request('cal.get', { eventId: event.id })).event.attachments).toEqual([attachment]);
    const { events } = await attendee.request('cal.events', {
      from: at('2030-03-04T00:00:00+08:00'),
      to: at('2030-03-05T00:00:00+08:00'),
    });
    expect(events.find((e) => e.id === event.id)?.attachments).toEqual([attachment]);

    // …but holds no level on the file: the drive refuses both download and preview.
    expect([403, 404]).toContain((await w.content(attendee, file.id)).status);
    expect([403, 404]).toContain((await w.content(attendee, file.id, { inline: true })).status);
    await expectRefused(attendee.request('drive.get', { nodeId: file.id }), 'file_not_found');

    // 可下载 granted: the same bytes come down.
    await organizer.request('drive.setGrants', {
      nodeId: file.id,
      grants: [{ principal: { type: 'user', id: attendee.userId }, level: 'download' }],
    });
    const download = await w.content(attendee, file.id);
    expect(download.status).toBe(200);
    expect(sha256(download.bytes)).toBe(sha256(bytes));

    // The file's history says the organizer shared it.
    const log = (await organizer.request('drive.accessLog', { nodeId: file.id })).entries;
    expect(log.some((e) => e.action === 'share' && e.userId === organizer.userId)).toBe(true);
  });

  it('shows no attachments to someone who sees the calendar as free/busy only', async () => {
    const file = await w.putFile(organizer, await personalRoot(organizer), '预算.pdf', pdf('预算'), 'application/pdf');
    const calendarId = await primary(organizer);
    await organizer.request('cal.updateCalendar', {
      calendarId,
      shares: [{ userId: watcher.userId, level: 'freebusy' }],
    });
    const { event } = await create(organizer, {
      title: '预算会',
      time: shanghai('2030-03-05T10:00:00+08:00'),
      attachmentIds: [file.id],
    });
    const { events } = await watcher.request('cal.events', {
      from: at('2030-03-05T00:00:00+08:00'),
      to: at('2030-03-06T00:00:00+08:00'),
      calendarIds: [calendarId],
    });
    const seen = events.find((e) => e.id === event.id)!;
    expect(seen.busyOnly).toBe(true);
    expect(seen.attachments ?? []).toEqual([]);
  });
});

describe('what may be attached', () => {
  it('refuses files the organizer may not share, each with its reason, and stores nothing', async () => {
    const theirs = await w.putFile(colleague, await personalRoot(colleague), '王五的.pdf', pdf('私有'));
    const viewOnly = await w.putFile(colleague, await personalRoot(colleague), '只读.pdf', pdf('只读'));
    const secret = await w.putFile(colleague, await personalRoot(colleague), '机密.pdf', pdf('机密'));
    await colleague.request('drive.setGrants', {
      nodeId: viewOnly.id,
      grants: [{ principal: { type: 'user', id: organizer.userId }, level: 'view' }],
    });
    await colleague.request('drive.setGrants', {
      nodeId: secret.id,
      grants: [{ principal: { type: 'user', id: organizer.userId }, level: 'edit' }],
    });
    await colleague.request('drive.setNoForward', { nodeId: secret.id, noForward: true });
    const time = shanghai('2030-03-06T10:00:00+08:00');

    await expectRefused(create(organizer, { title: 'x', time, attachmentIds: [theirs.id] }), 'file_not_found');
    await expectRefused(create(organizer, { title: 'x', time, attachmentIds: [viewOnly.id] }), 'drive_forbidden');
    await expectRefused(create(organizer, { title: 'x', time, attachmentIds: [secret.id] }), 'drive_no_forward');
    await expectRefused(create(organizer, { title: 'x', time, attachmentIds: [newId()] }), 'file_not_found');
    // A folder is not a file to attach.
    await expectRefused(
      create(organizer, { title: 'x', time, attachmentIds: [await personalRoot(organizer)] }),
      'file_not_found',
    );
    // The owner (可管理) attaches their own 禁止转发 file.
    const { event } = await create(colleague, { title: '机密评审', time, attachmentIds: [secret.id] });
    expect(event.attachments?.map((a) => a.name)).toEqual(['机密.pdf']);

    // None of the refused creates left an event behind; the relay keeps serving.
    const { events } = await organizer.request('cal.events', {
      from: at('2030-03-06T00:00:00+08:00'),
      to: at('2030-03-07T00:00:00+08:00'),
    });
    expect(events.filter((e) => e.title === 'x')).toEqual([]);

    // An update is checked the same way and changes nothing when refused.
    const mine = await w.putFile(organizer, await personalRoot(organizer), '纪要.pdf', pdf('纪要'));
    const made = await create(organizer, { title: '周会', time, attachmentIds: [mine.id] });
    await expectRefused(
      organizer.request('cal.update', {
        eventId: made.event.id,
        patch: { title: '改名', attachmentIds: [mine.id, secret.id] },
      }),
      'drive_no_forward',
    );
    const after = (await organizer.request('cal.get', { eventId: made.event.id })).event;
    expect([after.title, after.attachments?.map((a) => a.nodeId)]).toEqual(['周会', [mine.id]]);
  });
});

describe('editing an event with attachments', () => {
  it('keeps them when an edit does not name them, adds, removes and clears them when it does', async () => {
    const root = await personalRoot(organizer);
    const a = await w.putFile(organizer, root, 'A.pdf', pdf('A'), 'application/pdf');
    const b = await w.putFile(organizer, root, 'B.xlsx', pdf('B'), 'application/vnd.ms-excel');
    const { event } = await create(organizer, {
      title: '周例会',
      time: shanghai('2030-03-11T09:00:00+08:00'),
      rrule: 'FREQ=WEEKLY;COUNT=4',
      attendeeIds: [attendee.userId],
      attachmentIds: [a.id],
    });

    // A patch without attachmentIds (a move, a rename) keeps them.
    const moved = await organizer.request('cal.update', {
      eventId: event.id,
      patch: { title: '周例会（改）', time: shanghai('2030-03-11T10:00:00+08:00') },
    });
    expect(moved.event.attachments?.map((x) => x.nodeId)).toEqual([a.id]);

    // One occurrence changed: its exception carries the series' attachments.
    const second = at('2030-03-18T10:00:00+08:00');
    const one = await organizer.request('cal.update', {
      eventId: event.id,
      scope: 'this',
      recurrenceId: second,
      patch: { location: '3 楼' },
    });
    expect(one.event.id).not.toBe(event.id);
    expect(one.event.attachments?.map((x) => x.nodeId)).toEqual([a.id]);

    // Added to the series: the exception, which kept the series' list, follows.
    const added = await organizer.request('cal.update', { eventId: event.id, patch: { attachmentIds: [a.id, b.id] } });
    expect(added.event.attachments).toEqual([
      { nodeId: a.id, name: 'A.pdf', size: a.size, mime: 'application/pdf' },
      { nodeId: b.id, name: 'B.xlsx', size: b.size, mime: 'application/vnd.ms-excel' },
    ]);
    const exception = (await attendee.request('cal.get', { eventId: one.event.id })).event;
    expect(exception.attachments?.map((x) => x.nodeId)).toEqual([a.id, b.id]);

    // Removed, then cleared.
    const removed = await organizer.request('cal.update', { eventId: event.id, patch: { attachmentIds: [b.id] } });
    expect(removed.event.attachments?.map((x) => x.nodeId)).toEqual([b.id]);
    const cleared = await organizer.request('cal.update', { eventId: event.id, patch: { attachmentIds: [] } });
    expect(cleared.event.attachments ?? []).toEqual([]);
  });

  it('keeps a file already attached when it is named again after its 禁止转发 changed', async () => {
    const file = await w.putFile(colleague, await personalRoot(colleague), '方案.pdf', pdf('方案'));
    await colleague.request('drive.setGrants', {
      nodeId: file.id,
      grants: [{ principal: { type: 'user', id: organizer.userId }, level: 'download' }],
    });
    const { event } = await create(organizer, {
      title: '方案评审',
      time: shanghai('2030-03-20T14:00:00+08:00', 2),
      attachmentIds: [file.id],
    });
    await colleague.request('drive.setNoForward', { nodeId: file.id, noForward: true });
    // The form sends every field back: the file already on the event stays.
    const { event: edited } = await organizer.request('cal.update', {
      eventId: event.id,
      patch: { title: '方案评审（二）', attachmentIds: [file.id] },
    });
    expect(edited.attachments?.map((x) => x.nodeId)).toEqual([file.id]);
    // A new event cannot take it any more.
    await expectRefused(
      create(organizer, { title: '再评审', time: shanghai('2030-03-21T14:00:00+08:00'), attachmentIds: [file.id] }),
      'drive_no_forward',
    );
    expect(edited.time).toMatchObject({ end: at('2030-03-20T14:00:00+08:00') + 2 * HOUR });
  });
});
