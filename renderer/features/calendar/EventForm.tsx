import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { v7 as uuidv7 } from 'uuid';
import {
  CalendarLimits,
  type CalendarEvent,
  type CalendarInfo,
  type EditScope,
  type EventTime,
} from '../../../shared/protocol/calendar';
import { useQixin } from '../../bridge/context';
import { DepartmentSelect, UserSelect } from '../admin/pickers';
import { useDirectory } from '../contacts/directory';
import { useMe } from '../session/context';
import { errorText } from '../session/errors';
import { AvailabilityStrip } from './Availability';
import { conflictText } from './conflicts';
import { AttachmentsField } from './EventAttachments';
import { editValues, fieldsOf, newValues, spanOf, timeOf, type EditedOccurrence, type FormValues } from './formValues';
import { movedTime } from './moves';
import { WEEKDAYS } from './repeat';
import { RoomSelect } from './RoomSelect';
import { localDate, localMidnight, offsetLabel, systemTimeZone, zoneChoices } from './zones';

export type FormTarget =
  | { mode: 'create'; start: number; end: number; allDay: boolean }
  | { mode: 'edit'; event: CalendarEvent; occurrence: EditedOccurrence };

const REMINDERS = [-1, 0, 5, 15, 30, 60, 1440] as const;
const REPEATS = ['none', 'daily', 'weekdays', 'weekly', 'monthly', 'yearly', 'custom'] as const;

/** 新建日程 / 编辑日程: every field of an event, rooms with their free time, attendees with theirs. */
export function EventForm(props: {
  target: FormTarget | null;
  calendars: CalendarInfo[];
  events: ReadonlyMap<string, CalendarEvent>;
  onClose: () => void;
  onSaved: () => void;
  askScope: (action: 'edit', scopes?: readonly EditScope[]) => Promise<EditScope | null>;
}) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const { message } = App.useApp();
  const { byId } = useDirectory();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const raw = useRef<string | null>(null);
  const { target } = props;
  const systemZone = useMemo(() => systemTimeZone(), []);
  const writable = props.calendars.filter((c) => c.level === 'owner' || c.level === 'edit');
  const primaryId = writable.find((c) => c.primary && c.level === 'owner')?.id ?? writable[0]?.id ?? '';
  const series =
    target?.mode === 'edit' && target.occurrence.seriesId
      ? (props.events.get(target.occurrence.seriesId) ?? null)
      : null;

  const initial = useMemo<FormValues | null>(() => {
    if (!target) return null;
    if (target.mode === 'create') return newValues(target, primaryId, systemZone);
    return editValues(target.event, series, target.occurrence, systemZone);
    // Built once per opening: a refetch of calendars or events must not reset what the user typed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [target]);

  useEffect(() => {
    if (!initial) return;
    setError(null);
    raw.current = target?.mode === 'edit' ? ((series ?? target.event).rrule ?? null) : null;
    form.setFieldsValue(initial);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initial, form]);

  // What the fields hold now (empty until the form is filled for an opening).
  const watched = Form.useWatch([], form) as Partial<FormValues> | undefined;
  const values = useMemo<FormValues | null>(
    () => (initial ? { ...initial, ...stripUndefined(watched ?? {}) } : null),
    [initial, watched],
  );
  const span = useMemo(() => {
    if (!values?.startDate || !values.endDate) return null;
    try {
      return spanOf(timeOf(values));
    } catch {
      return null;
    }
  }, [values]);

  const save = async () => {
    let v: FormValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const fields = fieldsOf(v, raw.current);
    const s = spanOf(fields.time);
    if (s.end <= s.start) {
      setError(t('errors.reason.end_before_start'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      let conflicts: { userId: string; start: number; end: number }[];
      if (!target || target.mode === 'create') {
        ({ conflicts } = await qixin.call('calendar.create', { id: uuidv7(), ...fields }));
      } else {
        const { event, occurrence } = target;
        const recurring = occurrence.seriesId !== null;
        const scope: EditScope | null = recurring ? await props.askScope('edit') : 'all';
        if (!scope) return;
        const base = scope === 'this' ? event : (series ?? event);
        const { calendarId, rrule, time, ...rest } = fields;
        const timeChanged = JSON.stringify(time) !== JSON.stringify(timeOf(initial ?? v));
        const patch = {
          ...rest,
          ...(calendarId !== event.calendarId ? { calendarId } : {}),
          // An unchanged rule is not sent: the relay keeps what remains of a COUNT when it splits a series.
          ...(scope !== 'this' && rrule !== base.rrule ? { rrule } : {}),
          ...(timeChanged || !recurring
            ? { time: recurring && scope === 'all' ? shifted(base, occurrence, time) : time }
            : {}),
        };
        ({ conflicts } = await qixin.call('calendar.update', {
          eventId: scope === 'this' ? occurrence.eventId : base.id,
          scope: recurring ? scope : 'all',
          recurrenceId: recurring ? occurrence.recurrenceId : null,
          patch,
        }));
        // An edited exception keeps its own time when its series shifts: give it the time entered.
        if (scope === 'all' && timeChanged && occurrence.eventId !== base.id) {
          await qixin.call('calendar.update', {
            eventId: occurrence.eventId,
            scope: 'this',
            recurrenceId: occurrence.recurrenceId,
            patch: { time },
          });
        }
      }
      if (conflicts.length > 0)
        message.warning(
          conflictText(t, conflicts, (id) => byId.get(id)?.name, me.id),
          6,
        );
      props.onSaved();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const zones = zoneChoices(systemZone, initial?.timeZone ?? '');
  const now = Date.now();
  const own =
    target?.mode === 'edit' && target.event.roomId
      ? { roomId: target.event.roomId, start: target.occurrence.start, end: target.occurrence.end }
      : null;
  const attendeeCount = 1 + (values?.attendeeIds.length ?? 0);

  return (
    <Modal
      open={target !== null}
      title={target?.mode === 'edit' ? t('calendar.form.editTitle') : t('calendar.form.newTitle')}
      okText={t('common.save')}
      okButtonProps={{ loading: busy }}
      onOk={() => void save()}
      onCancel={props.onClose}
      width={720}
      forceRender
      className="cal-form-modal"
    >
      <Form<FormValues> form={form} layout="horizontal" labelCol={{ flex: '88px' }} colon={false} className="cal-form">
        <Form.Item
          name="title"
          label={t('calendar.field.title')}
          rules={[{ required: true, whitespace: true, message: t('calendar.form.titleRequired') }]}
        >
          <Input maxLength={CalendarLimits.titleMaxChars} placeholder={t('calendar.form.titlePlaceholder')} />
        </Form.Item>
        <Form.Item name="calendarId" label={t('calendar.field.calendar')}>
          <Select
            options={writable.map((c) => ({
              value: c.id,
              label: c.primary && c.level === 'owner' ? t('calendar.primaryName') : c.name,
            }))}
          />
        </Form.Item>
        <Form.Item name="allDay" label={t('calendar.field.allDay')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item label={t('calendar.field.start')} required>
          <Space>
            <Form.Item name="startDate" noStyle rules={[{ required: true }]}>
              <Input type="date" aria-label={t('calendar.field.startDate')} />
            </Form.Item>
            {values?.allDay ? null : (
              <Form.Item name="startTime" noStyle rules={[{ required: true }]}>
                <Input type="time" step={300} aria-label={t('calendar.field.startTime')} />
              </Form.Item>
            )}
          </Space>
        </Form.Item>
        <Form.Item label={t('calendar.field.end')} required>
          <Space>
            <Form.Item name="endDate" noStyle rules={[{ required: true }]}>
              <Input type="date" aria-label={t('calendar.field.endDate')} />
            </Form.Item>
            {values?.allDay ? null : (
              <Form.Item name="endTime" noStyle rules={[{ required: true }]}>
                <Input type="time" step={300} aria-label={t('calendar.field.endTime')} />
              </Form.Item>
            )}
          </Space>
        </Form.Item>
        {values?.allDay ? null : (
          <Form.Item name="timeZone" label={t('calendar.field.timeZone')}>
            <Select showSearch options={zones.map((z) => ({ value: z, label: `${z} (${offsetLabel(now, z)})` }))} />
          </Form.Item>
        )}
        <Form.Item name="repeat" label={t('calendar.field.repeat')}>
          <Select
            options={REPEATS.map((r) => ({ value: r, label: t(`calendar.repeat.${r}`) }))}
            onChange={() => (raw.current = null)}
            disabled={target?.mode === 'edit' && target.event.seriesId !== null && target.event.rrule === null}
          />
        </Form.Item>
        <RepeatDetails values={values} onTouched={() => (raw.current = null)} />
        <Form.Item name="location" label={t('calendar.field.location')}>
          <Input maxLength={CalendarLimits.locationMaxChars} />
        </Form.Item>
        <Form.Item name="roomId" label={t('calendar.field.room')}>
          <RoomSelect from={span?.start ?? 0} to={span?.end ?? 0} own={own} attendees={attendeeCount} />
        </Form.Item>
        <Form.Item name="attendeeIds" label={t('calendar.field.attendees')}>
          <UserSelect multiple excludeId={me.id} ariaLabel={t('calendar.field.attendees')} />
        </Form.Item>
        <Form.Item name="departmentIds" label={t('calendar.field.departments')}>
          <DepartmentSelect multiple ariaLabel={t('calendar.field.departments')} />
        </Form.Item>
        {span && span.end > span.start ? (
          <Form.Item label={t('calendar.field.availability')}>
            <AvailabilityStrip
              userIds={values?.attendeeIds ?? []}
              dayStart={localMidnight(localDate(span.start))}
              start={span.start}
              end={span.end}
            />
          </Form.Item>
        ) : null}
        <Form.Item name="reminder" label={t('calendar.field.reminder')}>
          <Select
            options={[...new Set([...REMINDERS, initial?.reminder ?? -1])].map((m) => ({
              value: m,
              label: reminderLabel(t, m),
            }))}
          />
        </Form.Item>
        <Form.Item name="description" label={t('calendar.field.description')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={CalendarLimits.descriptionMaxChars} />
        </Form.Item>
        <Form.Item name="attachments" label={t('calendar.field.attachments')}>
          <AttachmentsField />
        </Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon title={error} data-testid="event-form-error" /> : null}
    </Modal>
  );
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The series' own time moved as much as the edited occurrence moved (in the zone now chosen). */
function shifted(series: CalendarEvent, occurrence: EditedOccurrence, time: EventTime): EventTime {
  const s = spanOf(time);
  const moved = movedTime(
    series,
    occurrence,
    { start: new Date(s.start), end: new Date(s.end), allDay: time.allDay },
    'all',
  );
  return !moved.allDay && !time.allDay ? { ...moved, timeZone: time.timeZone } : moved;
}

/** "开始时", "15 分钟前", "1 小时前", "1 天前", "无". */
export function reminderLabel(t: (key: string, opts?: Record<string, unknown>) => string, minutes: number): string {
  if (minutes < 0) return t('calendar.reminder.none');
  if (minutes === 0) return t('calendar.reminder.atStart');
  if (minutes % 1440 === 0) return t('calendar.reminder.days', { count: minutes / 1440 });
  if (minutes % 60 === 0) return t('calendar.reminder.hours', { count: minutes / 60 });
  return t('calendar.reminder.minutes', { count: minutes });
}

/** 每周 (days), 自定义 (every n days/weeks/months/years), and how a repeat ends. */
function RepeatDetails(props: { values: FormValues | null; onTouched: () => void }) {
  const { t } = useTranslation();
  const v = props.values;
  if (!v || v.repeat === 'none') return null;
  const weekly = v.repeat === 'weekly' || (v.repeat === 'custom' && v.freq === 'WEEKLY');
  return (
    <>
      {v.repeat === 'custom' ? (
        <Form.Item label={t('calendar.repeat.every')}>
          <Space>
            <Form.Item name="interval" noStyle>
              <InputNumber
                min={1}
                max={99}
                precision={0}
                onChange={props.onTouched}
                aria-label={t('calendar.repeat.interval')}
              />
            </Form.Item>
            <Form.Item name="freq" noStyle>
              <Select
                style={{ width: 96 }}
                onChange={props.onTouched}
                options={(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const).map((f) => ({
                  value: f,
                  label: t(`calendar.repeat.unit.${f}`),
                }))}
              />
            </Form.Item>
          </Space>
        </Form.Item>
      ) : null}
      {weekly ? (
        <Form.Item name="byDay" label={t('calendar.repeat.onDays')}>
          <Checkbox.Group
            onChange={props.onTouched}
            options={WEEKDAYS.map((d) => ({ value: d, label: t(`calendar.weekday.${d}`) }))}
          />
        </Form.Item>
      ) : null}
      <Form.Item label={t('calendar.repeat.ends')}>
        <Space>
          <Form.Item name="endType" noStyle>
            <Select
              style={{ width: 120 }}
              onChange={props.onTouched}
              options={(['never', 'until', 'count'] as const).map((e) => ({
                value: e,
                label: t(`calendar.repeat.end.${e}`),
              }))}
            />
          </Form.Item>
          {v.endType === 'until' ? (
            <Form.Item name="untilDate" noStyle rules={[{ required: true }]}>
              <Input type="date" onChange={props.onTouched} aria-label={t('calendar.repeat.untilDate')} />
            </Form.Item>
          ) : null}
          {v.endType === 'count' ? (
            <Form.Item name="count" noStyle>
              <InputNumber
                min={1}
                max={CalendarLimits.countMax}
                precision={0}
                onChange={props.onTouched}
                aria-label={t('calendar.repeat.count')}
                suffix={t('calendar.repeat.times')}
              />
            </Form.Item>
          ) : null}
        </Space>
      </Form.Item>
    </>
  );
}
