// 日程 calls. Calendars and events live on the relay (online only; it checks every rule): the
// cal.* requests go as they are, and after a change the caller's reminders are fetched again.
// .ics files go through the relay's HTTP (import up to 10 MB, export as bytes); reminders are
// answered by the core's scheduler.
import type { CallName, ContractService } from '../../../shared/contract';
import {
  CalendarHttpPaths,
  CalendarLimits,
  ImportReport,
  QixinError,
  type RequestParams,
  type RequestResult,
  type RequestType,
} from '../../../shared/protocol';
import type { AdminHttp } from '../relay/admin-http';
import type { CalendarReminders } from './reminders';

type CalendarCallName = Extract<CallName, `calendar.${string}`>;

export type CalendarCallDeps = {
  http: AdminHttp;
  reminders: CalendarReminders;
  requireSession(): void;
  ask<T extends RequestType>(type: T, params: RequestParams<T>): Promise<RequestResult<T>>;
};

export function calendarCalls(deps: CalendarCallDeps): Pick<ContractService, CalendarCallName> {
  const relay = async <T extends RequestType>(type: T, params: RequestParams<T>) => {
    deps.requireSession();
    return deps.ask(type, params);
  };
  /** A change of events or calendars: the reminders follow at once (the change stream would, a moment later). */
  const changing = async <T extends RequestType>(type: T, params: RequestParams<T>) => {
    const result = await relay(type, params);
    void deps.reminders.refresh();
    return result;
  };

  return {
    'calendar.calendars': (args) => relay('cal.calendars', args),
    'calendar.createCalendar': (args) => changing('cal.createCalendar', args),
    'calendar.updateCalendar': (args) => changing('cal.updateCalendar', args),
    'calendar.deleteCalendar': (args) => changing('cal.deleteCalendar', args),
    'calendar.events': (args) => relay('cal.events', args),
    'calendar.get': (args) => relay('cal.get', args),
    'calendar.create': (args) => changing('cal.create', args),
    'calendar.update': (args) => changing('cal.update', args),
    'calendar.cancel': (args) => changing('cal.cancel', args),
    'calendar.respond': (args) => changing('cal.respond', args),
    'calendar.freeBusy': (args) => relay('cal.freeBusy', args),
    'calendar.rooms': (args) => relay('cal.rooms', args),
    'calendar.saveRoom': (args) => relay('cal.saveRoom', args),
    'calendar.deleteRoom': (args) => relay('cal.deleteRoom', args),
    'calendar.roomBusy': (args) => relay('cal.roomBusy', args),
    'calendar.feed': (args) => relay('cal.feed', args),
    'calendar.revokeFeed': (args) => relay('cal.revokeFeed', args),

    'calendar.import': async ({ calendarId, base64 }) => {
      deps.requireSession();
      const bytes = Buffer.from(base64, 'base64');
      if (bytes.length > CalendarLimits.icsMaxBytes) {
        throw new QixinError('too_large', 'an .ics file to import is at most 10 MB', 'ics_too_large');
      }
      const answer = await deps.http.upload(CalendarHttpPaths.import, { calendarId }, bytes, 'text/calendar');
      const report = ImportReport.safeParse(answer);
      if (!report.success) throw new QixinError('internal', 'unexpected answer to an .ics import');
      void deps.reminders.refresh();
      return report.data;
    },
    'calendar.export': async ({ calendarId }) => {
      deps.requireSession();
      const file = await deps.http.download(CalendarHttpPaths.export(calendarId));
      return { fileName: file.fileName ?? 'calendar.ics', base64: file.bytes.toString('base64') };
    },

    'calendar.reminders': async () => {
      deps.requireSession();
      return { reminders: deps.reminders.shown() };
    },
    'calendar.snooze': async ({ reminderId, minutes }) => {
      deps.requireSession();
      deps.reminders.snooze(reminderId, minutes);
      return {};
    },
    'calendar.dismiss': async ({ reminderId }) => {
      deps.requireSession();
      deps.reminders.dismiss(reminderId);
      return {};
    },
  };
}
