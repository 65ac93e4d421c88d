/**
 * Calendar (日程) test helpers over a real relay (tests/support/relay.ts):
 *
 *   startCalendarRelay(opts?) → CalendarRelay: a relay, its admin client (a super admin), and
 *     person(name, departmentIds?) → TestClient of an activated member (in the enterprise by default),
 *     department(name, parentId?) → department id,
 *     primary(client) → the id of the client's primary calendar (我的日历),
 *     event(client, fields) → cal.create with defaults (primary calendar, Asia/Shanghai, no reminders),
 *     http(method, path, {token?, body?, headers?}) → {status, headers, text, json} over real HTTP.
 *   at(iso) → UTC millis of an ISO date-time ('2030-03-04T09:00:00+08:00').
 *   calendarChange(client, eventId) → waits for a `calendar` change naming the event.
 *   systemNotice(client, action, eventId) → waits for msg.new carrying that calendar notice.
 *   expectRefused(promise, reason) → asserts a request failed with that error reason.
 *   thirdPartyIcs(text) → the VEVENTs Python's icalendar reads from the text (throws if it refuses it).
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { expect } from 'vitest';
import { newId } from '../../shared/lib/ids';
import type { CalendarEvent, ErrorReason, Message, RequestParams, RequestResult } from '../../shared/protocol';
import {
  activate,
  createEnterprise,
  createMember,
  openClient,
  RequestError,
  startTestRelay,
  type TestClient,
  type TestRelay,
  type TestRelayOptions,
} from './relay';

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on whatever came back
  json: any;
}

export interface CalendarRelay {
  relay: TestRelay;
  url: string;
  admin: TestClient;
  enterpriseId: string;
  person(name: string, departmentIds?: string[]): Promise<TestClient>;
  department(name: string, parentId?: string): Promise<string>;
  primary(client: TestClient): Promise<string>;
  event(
    client: TestClient,
    fields: Partial<RequestParams<'cal.create'>> & Pick<RequestParams<'cal.create'>, 'title' | 'time'>,
  ): Promise<RequestResult<'cal.create'>>;
  http(
    method: string,
    path: string,
    o?: { token?: string; body?: string | Buffer; headers?: http.OutgoingHttpHeaders },
  ): Promise<HttpReply>;
  close(): Promise<void>;
}

export async function startCalendarRelay(opts: TestRelayOptions = {}): Promise<CalendarRelay> {
  const relay = await startTestRelay(opts);
  const grant = await createEnterprise(relay.url);
  const admin = await openClient(relay.url, grant);
  const clients: TestClient[] = [admin];
  const world: CalendarRelay = {
    relay,
    url: relay.url,
    admin,
    enterpriseId: grant.enterprise.id,
    async person(name, departmentIds = [grant.enterprise.id]) {
      const { activation } = await createMember(admin, { name, departmentIds });
      const client = await openClient(relay.url, await activate(relay.url, activation.code));
      clients.push(client);
      return client;
    },
    async department(name, parentId = grant.enterprise.id) {
      return (await admin.request('admin.dept.create', { parentId, name })).department.id;
    },
    async primary(client) {
      const { calendars } = await client.request('cal.calendars', {});
      return calendars.find((c) => c.primary && c.ownerId === client.userId)!.id;
    },
    async event(client, fields) {
      return client.request('cal.create', {
        id: newId(),
        calendarId: fields.calendarId ?? (await world.primary(client)),
        location: '',
        description: '',
        rrule: null,
        attendeeIds: [],
        departmentIds: [],
        roomId: null,
        reminders: [],
        ...fields,
      });
    },
    http: (method, path, o = {}) => httpRequest(relay.url, method, path, o),
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await relay.close();
    },
  };
  return world;
}

/** UTC millis of an ISO date-time with its offset. */
export const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${iso}`);
  return ms;
};

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A timed event in Asia/Shanghai from `start` (ISO) for `hours`. */
export function shanghai(start: string, hours = 1): CalendarEvent['time'] {
  const s = at(start);
  return { allDay: false, start: s, end: s + hours * HOUR, timeZone: 'Asia/Shanghai' };
}

/** Waits for a `calendar` change naming the event. */
export async function calendarChange(client: TestClient, eventId: string, timeoutMs = 5_000) {
  return client.nextEvent(
    'change',
    (p) => p.change.kind === 'calendar' && p.change.eventIds.includes(eventId),
    timeoutMs,
  );
}

/** Waits for the chat notice of a calendar action about the event. */
export async function systemNotice(
  client: TestClient,
  action: 'eventInvited' | 'eventChanged' | 'eventCancelled',
  eventId: string,
  timeoutMs = 5_000,
): Promise<Message> {
  const { message } = await client.nextEvent(
    'msg.new',
    (p) => p.message.system?.action === action && p.message.system.event?.eventId === eventId,
    timeoutMs,
  );
  return message;
}

export async function expectRefused(promise: Promise<unknown>, reason: ErrorReason): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected a refusal with ${reason}`).not.toBeNull();
  expect(err instanceof RequestError ? err.error.reason : err).toBe(reason);
}

function httpRequest(
  url: string,
  method: string,
  path: string,
  o: { token?: string; body?: string | Buffer; headers?: http.OutgoingHttpHeaders },
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    const body = o.body === undefined ? undefined : Buffer.from(o.body);
    if (body) headers['content-length'] = String(body.length);
    const req = http.request(new URL(path, url), { method, headers });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = undefined;
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON (an .ics file)
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    // A refused upload may be cut off by the relay while we still send: the answer counts.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.end(body);
  });
}

/**
 * Reads an .ics text with a third-party parser (Python's icalendar, Debian's python3-icalendar) and
 * returns each VEVENT's UID, SUMMARY, RECURRENCE-ID presence and STATUS. Throws with the parser's
 * complaint when it refuses the file.
 */
export function thirdPartyIcs(text: string): { uid: string; summary: string; exception: boolean; status: string }[] {
  const script = [
    'import icalendar, json, sys',
    'cal = icalendar.Calendar.from_ical(sys.stdin.read())',
    'print(json.dumps([{"uid": str(e.get("UID")), "summary": str(e.get("SUMMARY", "")),',
    '  "exception": e.get("RECURRENCE-ID") is not None, "status": str(e.get("STATUS", ""))}',
    '  for e in cal.walk("VEVENT")]))',
  ].join('\n');
  // The Debian package lives beside the system's python3; a pyenv python3 may shadow it on PATH.
  const pythons = ['/usr/bin/python3', 'python3'];
  let last = '';
  for (const python of pythons) {
    const run = spawnSync(python, ['-c', script], { input: text, encoding: 'utf8' });
    if (run.status === 0) return JSON.parse(run.stdout) as ReturnType<typeof thirdPartyIcs>;
    last = `${python}: ${run.error?.message ?? run.stderr}`;
    if (!/No module named 'icalendar'|ENOENT/.test(last)) break;
  }
  throw new Error(`python icalendar refused the file: ${last}`);
}
