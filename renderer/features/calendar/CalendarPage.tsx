import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { App, Button, Segmented, Space, Tooltip } from 'antd';
import { LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import FullCalendar from '@fullcalendar/react';
import type { DateSelectArg, DatesSetArg, EventClickArg, EventDropArg } from '@fullcalendar/core';
import zhCnLocale from '@fullcalendar/core/locales/zh-cn';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin, { type EventResizeDoneArg } from '@fullcalendar/interaction';
import listPlugin from '@fullcalendar/list';
import timeGridPlugin from '@fullcalendar/timegrid';
import type { CalendarEvent, EditScope } from '../../../shared/protocol/calendar';
import { useQixin } from '../../bridge/context';
import { useDirectory, useUsers } from '../contacts/directory';
import { useMe } from '../session/context';
import { errorText } from '../session/errors';
import { useNavigation } from '../shell/navigation';
import { CalendarSidebar } from './CalendarSidebar';
import { conflictText } from './conflicts';
import { EventDetails, type OpenOccurrence } from './EventDetails';
import { EventForm, type FormTarget } from './EventForm';
import { mayDrop, movedTime, type Dropped } from './moves';
import { toShown, type ShownProps } from './occurrences';
import { useScopeQuestion } from './ScopeQuestion';
import { useCalendars, useEventsIn, type Range } from './useCalendarData';
import './calendar.css';

type View = 'timeGridDay' | 'timeGridWeek' | 'dayGridMonth' | 'listWeek';
const VIEWS: readonly View[] = ['timeGridDay', 'timeGridWeek', 'dayGridMonth', 'listWeek'];
const HOUR = 3_600_000;
// Stable option objects: FullCalendar re-applies options whose identity changes (and reports the dates again).
const PLUGINS = [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin];
const LOCALES = [zhCnLocale];
const HOURS_FORMAT = { hour: '2-digit', minute: '2-digit', hour12: false } as const;

/** 日程: calendars on the left; day, week, month and agenda views; drag to create, move and resize. */
export function CalendarPage() {
  const { t, i18n } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const { message } = App.useApp();
  const { calendarTarget } = useNavigation();
  const { byId } = useDirectory();
  const fc = useRef<FullCalendar>(null);
  const { calendars, reload: reloadCalendars, setLocal } = useCalendars();
  const [range, setRange] = useState<Range | null>(null);
  const [title, setTitle] = useState('');
  const [view, setView] = useState<View>('timeGridWeek');
  const [focusDate, setFocusDate] = useState(() => Date.now());
  const { events, occurrences, reload } = useEventsIn(range);
  const [form, setForm] = useState<FormTarget | null>(null);
  const [details, setDetails] = useState<OpenOccurrence | null>(null);
  const { ask, dialog: scopeDialog } = useScopeQuestion();

  const byCalendar = useMemo(() => new Map((calendars ?? []).map((c) => [c.id, c])), [calendars]);
  const primary = useMemo(() => calendars?.find((c) => c.primary && c.level === 'owner') ?? null, [calendars]);
  const shown = useMemo(
    () => toShown(occurrences, events, byCalendar, primary, me.id, t('calendar.busy')),
    [occurrences, events, byCalendar, primary, me.id, t],
  );
  useUsers(useMemo(() => [...new Set([...events.values()].map((e) => e.organizerId))].sort(), [events]));

  // A chat notice or 今日日程 asked for a day (and an event): go there and open it.
  useEffect(() => {
    if (!calendarTarget) return;
    fc.current?.getApi().gotoDate(new Date(calendarTarget.at));
    if (calendarTarget.eventId) {
      setDetails({ eventId: calendarTarget.eventId, recurrenceId: null, start: calendarTarget.at });
    }
  }, [calendarTarget]);

  const api = () => fc.current?.getApi();
  const changeView = (next: View) => {
    setView(next);
    api()?.changeView(next);
  };

  const onDatesSet = useCallback((arg: DatesSetArg) => {
    const from = arg.start.getTime();
    const to = arg.end.getTime();
    setRange((prev) => (prev && prev.from === from && prev.to === to ? prev : { from, to }));
    setTitle(arg.view.title);
    setFocusDate(arg.view.currentStart.getTime());
  }, []);

  const newEvent = () => {
    // The next full hour of the day in view (today when it is in view).
    const now = Date.now();
    const inView = range && now >= range.from && now < range.to;
    const base = new Date(inView ? now : (range?.from ?? now) + 9 * HOUR);
    base.setMinutes(0, 0, 0);
    const start = base.getTime() + (inView ? HOUR : 0);
    setForm({ mode: 'create', start, end: start + HOUR, allDay: false });
  };

  const onSelect = (arg: DateSelectArg) => {
    setForm({ mode: 'create', start: arg.start.getTime(), end: arg.end.getTime(), allDay: arg.allDay });
    arg.view.calendar.unselect();
  };

  const onClick = (arg: EventClickArg) => {
    arg.jsEvent.preventDefault();
    const props = arg.event.extendedProps as ShownProps;
    setDetails({ eventId: props.eventId, recurrenceId: props.recurrenceId, start: props.start });
  };

  /** A drag or resize: asks the scope of a recurring event, then `calendar.update`; undone on refusal. */
  const onMoved = async (arg: EventDropArg | EventResizeDoneArg) => {
    const props = arg.event.extendedProps as ShownProps;
    const event = events.get(props.eventId);
    if (!event || !arg.event.start) return arg.revert();
    const dropped: Dropped = { start: arg.event.start, end: arg.event.end, allDay: arg.event.allDay };
    let scope: EditScope = 'all';
    if (props.seriesId) {
      const asked = await ask('edit');
      if (!asked) return arg.revert();
      scope = asked;
    }
    const series = props.seriesId && scope !== 'this' ? (events.get(props.seriesId) ?? event) : event;
    try {
      const { conflicts } = await qixin.call('calendar.update', {
        eventId: scope === 'this' ? props.eventId : series.id,
        scope: props.seriesId ? scope : 'all',
        recurrenceId: props.seriesId ? props.recurrenceId : null,
        patch: { time: movedTime(series, { start: props.start, end: props.end }, dropped, scope) },
      });
      // A moved occurrence keeps its own time when its series shifts: put the dragged one where it was dropped.
      if (scope === 'all' && props.eventId !== series.id) {
        await qixin.call('calendar.update', {
          eventId: props.eventId,
          scope: 'this',
          recurrenceId: props.recurrenceId,
          patch: { time: movedTime(event, { start: props.start, end: props.end }, dropped, 'this') },
        });
      }
      if (conflicts.length > 0) message.warning(conflictText(t, conflicts, (id) => byId.get(id)?.name, me.id));
      await reload();
    } catch (err) {
      arg.revert();
      message.error(errorText(t, err));
    }
  };

  return (
    <div className="calendar-page" data-testid="calendar-page">
      <CalendarSidebar
        calendars={calendars}
        focusDate={focusDate}
        range={range}
        onPickDate={(date) => api()?.gotoDate(date)}
        onCreateEvent={newEvent}
        onCalendarChanged={(calendar) => {
          setLocal(calendar);
          reloadCalendars();
        }}
        reloadCalendars={reloadCalendars}
      />
      <section className="calendar-main" aria-label={t('calendar.title')}>
        <header className="calendar-toolbar">
          <Space>
            <Button onClick={() => api()?.today()}>{t('calendar.goToday')}</Button>
            <Tooltip title={t('calendar.prev')}>
              <Button icon={<LeftOutlined />} aria-label={t('calendar.prev')} onClick={() => api()?.prev()} />
            </Tooltip>
            <Tooltip title={t('calendar.next')}>
              <Button icon={<RightOutlined />} aria-label={t('calendar.next')} onClick={() => api()?.next()} />
            </Tooltip>
            <span className="calendar-title" data-testid="calendar-title">
              {title}
            </span>
          </Space>
          <Space>
            <Segmented
              value={view}
              onChange={(v) => changeView(v as View)}
              options={VIEWS.map((v) => ({ value: v, label: t(`calendar.view.${v}`) }))}
              aria-label={t('calendar.viewLabel')}
            />
            <Button type="primary" icon={<PlusOutlined />} onClick={newEvent}>
              {t('calendar.newEvent')}
            </Button>
          </Space>
        </header>
        <div className="calendar-grid">
          <FullCalendar
            ref={fc}
            plugins={PLUGINS}
            initialView="timeGridWeek"
            headerToolbar={false}
            locales={LOCALES}
            locale={i18n.language === 'zh-CN' ? 'zh-cn' : 'en'}
            firstDay={1}
            height="100%"
            nowIndicator
            selectable
            selectMirror
            editable
            eventResizableFromStart={false}
            dayMaxEvents
            scrollTime="08:00:00"
            slotLabelFormat={HOURS_FORMAT}
            eventTimeFormat={HOURS_FORMAT}
            allDayText={t('calendar.allDay')}
            noEventsText={t('calendar.noEvents')}
            events={shown}
            datesSet={onDatesSet}
            select={onSelect}
            eventClick={onClick}
            eventAllow={(drop, dragged) =>
              mayDrop(Boolean(dragged?.extendedProps.seriesId), Boolean(dragged?.allDay), drop.allDay)
            }
            eventDrop={(arg) => void onMoved(arg)}
            eventResize={(arg) => void onMoved(arg)}
          />
        </div>
      </section>
      <EventForm
        target={form}
        calendars={calendars ?? []}
        events={events}
        onClose={() => setForm(null)}
        onSaved={() => {
          setForm(null);
          void reload();
        }}
        askScope={ask}
      />
      <EventDetails
        open={details}
        calendars={byCalendar}
        onClose={() => setDetails(null)}
        onEdit={(event: CalendarEvent, occurrence) => {
          setDetails(null);
          setForm({ mode: 'edit', event, occurrence });
        }}
        onChanged={() => void reload()}
        askScope={ask}
      />
      {scopeDialog}
    </div>
  );
}
