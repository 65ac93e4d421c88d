// iCalendar over HTTP (CalendarHttpPaths): POST import?calendarId=… (an .ics body ≤ 10 MB →
// ImportReport) and GET export/<calendarId>.ics with `Authorization: Bearer <session token>`; GET
// feed/<token>.ics without a session (the token is the key, read-only, 404 once revoked).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CalendarHttpPaths, CalendarLimits, QixinError } from '../../shared/protocol';
import { replyJson, statusOf } from '../http/reply';
import { createLogger } from '../log';
import type { Calendar } from './calendar';
import { icsFileName, icsOf } from './ics-export';
import { importIcs } from './ics-import';
import type { DomainContext } from '../domain/context';

const log = createLogger('relay.calendar');

const PREFIX = '/api/calendar/';
const EXPORT_PATH = /^\/api\/calendar\/export\/([^/]+)\.ics$/;
const FEED_PATH = /^\/api\/calendar\/feed\/([^/]+)\.ics$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CalendarHttpDeps {
  ctx: DomainContext;
  calendar: Calendar;
  sessionOf(token: string): Promise<{ userId: string }>;
}

export class CalendarHttpApi {
  constructor(private readonly deps: CalendarHttpDeps) {}

  /** True for the paths this API answers (/api/calendar/…). */
  handles(req: IncomingMessage): boolean {
    return (req.url ?? '').startsWith(PREFIX);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((err: unknown) => {
      if (err instanceof QixinError) {
        if (err.code === 'too_large') req.resume();
        return replyJson(res, statusOf(err.code), { error: err.toBody() });
      }
      log.error({ err, url: req.url }, 'calendar request failed');
      replyJson(res, 500, { error: { code: 'internal', message: 'the relay could not process this request' } });
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://relay');
    const method = req.method ?? 'GET';
    if (url.pathname === CalendarHttpPaths.import) {
      if (method !== 'POST') throw new QixinError('invalid', `${method} is not allowed here`);
      const userId = await this.caller(req);
      const calendarId = url.searchParams.get('calendarId') ?? '';
      if (!UUID.test(calendarId)) throw new QixinError('not_found', 'no such calendar', 'calendar_not_found');
      const text = await readIcs(req);
      const { ctx, calendar } = this.deps;
      return replyJson(res, 200, await importIcs(ctx, calendar.effects, userId, calendarId, text));
    }
    const exported = EXPORT_PATH.exec(url.pathname)?.[1];
    const feed = FEED_PATH.exec(url.pathname)?.[1];
    if (exported === undefined && feed === undefined)
      throw new QixinError('not_found', `no such endpoint: ${url.pathname}`);
    if (method !== 'GET' && method !== 'HEAD') throw new QixinError('invalid', `${method} is not allowed here`);
    if (exported !== undefined) {
      const userId = await this.caller(req);
      const calendarId = decodeURIComponent(exported);
      if (!UUID.test(calendarId)) throw new QixinError('not_found', 'no such calendar', 'calendar_not_found');
      const calendar = await this.deps.calendar.readableCalendar(userId, calendarId);
      const text = await icsOf(this.deps.ctx.db, await this.deps.calendar.calendarEvents(calendarId), calendar.name);
      return sendIcs(req, res, text, {
        'cache-control': 'private, no-cache',
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(icsFileName(calendar.name))}`,
      });
    }
    const userId = await this.deps.calendar.feeds.ownerOf(decodeURIComponent(feed!));
    const owner = await this.deps.ctx.db.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirst();
    const events = await this.deps.calendar.feedEvents(userId, this.deps.ctx.now());
    // Subscribing programs poll; five minutes old is fresh enough and spares the relay.
    return sendIcs(req, res, await icsOf(this.deps.ctx.db, events, `${owner?.name ?? ''} · 企信日程`), {
      'cache-control': 'private, max-age=300',
    });
  }

  private async caller(req: IncomingMessage): Promise<string> {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) throw new QixinError('unauthenticated', 'send Authorization: Bearer <session token>');
    return (await this.deps.sessionOf(token)).userId;
  }
}

function sendIcs(req: IncomingMessage, res: ServerResponse, text: string, headers: Record<string, string>): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(200, {
    'content-type': 'text/calendar; charset=utf-8',
    'content-length': String(body.length),
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

const tooLarge = () =>
  new QixinError('too_large', `an .ics file is at most ${CalendarLimits.icsMaxBytes} bytes`, 'ics_too_large');

/** The body as UTF-8 text, at most icsMaxBytes; a bigger one is refused without reading the rest. */
function readIcs(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > CalendarLimits.icsMaxBytes) return reject(tooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > CalendarLimits.icsMaxBytes) {
        failed = true;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
