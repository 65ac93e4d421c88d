import { useCallback, useEffect, useState } from 'react';
import { App, Button, Descriptions, Drawer, Segmented, Space, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AttendeeResponse, CalendarEvent, CalendarInfo, EditScope } from '../../../shared/protocol/calendar';
import { useQixin, useQixinEvent } from '../../bridge/context';
import { useUsers } from '../contacts/directory';
import { useMe } from '../session/context';
import { errorText } from '../session/errors';
import { AttachmentList } from './EventAttachments';
import { reminderLabel } from './EventForm';
import type { EditedOccurrence } from './formValues';
import { canEdit, eventSpan, responseFor } from './occurrences';
import { useRooms } from './RoomSelect';
import { formatSpan } from './when';

/** The occurrence whose details are shown (from a click, a notice or 今日日程). */
export type OpenOccurrence = { eventId: string; recurrenceId: number | null; start: number };

const RESPONSE_COLORS: Record<AttendeeResponse, string> = {
  accepted: 'green',
  tentative: 'orange',
  declined: 'red',
  needs_action: 'default',
};

/**
 * 日程详情: time, place, room, organizer, attendees with their answers; an attendee answers
 * (接受 / 暂定 / 拒绝, for this occurrence or the series); the organizer edits or cancels.
 */
export function EventDetails(props: {
  open: OpenOccurrence | null;
  calendars: ReadonlyMap<string, CalendarInfo>;
  onClose: () => void;
  onEdit: (event: CalendarEvent, occurrence: EditedOccurrence) => void;
  onChanged: () => void;
  askScope: (action: 'cancel', scopes?: readonly EditScope[]) => Promise<EditScope | null>;
}) {
  const { t, i18n } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const { message, modal } = App.useApp();
  const [event, setEvent] = useState<CalendarEvent | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [answerFor, setAnswerFor] = useState<'this' | 'all'>('all');
  const [busy, setBusy] = useState(false);
  const rooms = useRooms();
  const { open } = props;
  const eventId = open?.eventId ?? null;

  const load = useCallback(async () => {
    if (!eventId) return;
    try {
      setEvent((await qixin.call('calendar.get', { eventId })).event);
      setFailed(null);
    } catch (err) {
      setFailed(errorText(t, err));
    }
  }, [qixin, eventId, t]);
  useEffect(() => {
    setEvent(null);
    setFailed(null);
    setAnswerFor('all');
    void load();
  }, [load]);
  useQixinEvent('calendar.changed', () => void load());

  const people = useUsers(event ? [event.organizerId, ...event.attendees.map((a) => a.userId)] : []);
  const name = (id: string) =>
    id === me.id ? t('chat.system.you') : (people.get(id)?.name ?? t('common.unknownUser'));

  // The occurrence shown: its own span when opened from a view, else the event's.
  const span = event ? eventSpan(event) : null;
  const recurring = event ? event.rrule !== null || event.seriesId !== null : false;
  const occurrence: EditedOccurrence | null =
    event && span && open
      ? {
          eventId: event.id,
          seriesId: recurring ? (event.seriesId ?? event.id) : null,
          // Opened by day (a notice, 今日日程): an unmoved occurrence's original start is its start.
          recurrenceId: recurring ? (open.recurrenceId ?? event.recurrenceId ?? open.start) : null,
          start: open.start,
          end: open.start + (span.end - span.start),
        }
      : null;
  const myAnswer = event ? responseFor(event, me.id, occurrence?.recurrenceId ?? null) : null;
  const editable = event ? canEdit(event, me.id, props.calendars) : false;
  const room = event?.roomId ? rooms?.find((r) => r.id === event.roomId) : null;

  const respond = async (response: Exclude<AttendeeResponse, 'needs_action'>) => {
    if (!event || !occurrence) return;
    setBusy(true);
    try {
      const one = recurring && answerFor === 'this';
      const answered = await qixin.call('calendar.respond', {
        eventId: one ? event.id : (event.seriesId ?? event.id),
        response,
        recurrenceId: one ? occurrence.recurrenceId : null,
      });
      setEvent(answered.event.id === event.id ? answered.event : event);
      props.onChanged();
    } catch (err) {
      message.error(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    if (!event || !occurrence) return;
    let scope: EditScope = 'all';
    if (recurring) {
      const asked = await props.askScope('cancel');
      if (!asked) return;
      scope = asked;
    } else {
      const sure = await modal.confirm({
        title: t('calendar.details.cancelTitle', { title: event.title }),
        content: t('calendar.details.cancelBody'),
        okText: t('calendar.details.cancelEvent'),
        okButtonProps: { danger: true },
        cancelText: t('calendar.details.keep'),
      });
      if (!sure) return;
    }
    try {
      await qixin.call('calendar.cancel', {
        eventId: scope === 'this' ? event.id : (event.seriesId ?? event.id),
        scope: recurring ? scope : 'all',
        recurrenceId: recurring ? occurrence.recurrenceId : null,
      });
      props.onChanged();
      props.onClose();
    } catch (err) {
      message.error(errorText(t, err));
    }
  };

  return (
    <Drawer
      open={open !== null}
      onClose={props.onClose}
      title={event ? (event.busyOnly ? t('calendar.busy') : event.title) : t('calendar.details.title')}
      size={420}
      destroyOnHidden
      className="cal-details"
      extra={
        event && editable && !event.cancelled && occurrence ? (
          <Space>
            <Button onClick={() => props.onEdit(event, occurrence)}>{t('calendar.details.edit')}</Button>
            <Button danger onClick={() => void cancel()}>
              {t('calendar.details.cancelEvent')}
            </Button>
          </Space>
        ) : null
      }
    >
      {!event ? (
        failed ? (
          <div className="cal-hint">{failed}</div>
        ) : (
          <Spin />
        )
      ) : (
        <>
          {event.cancelled ? (
            <Tag color="default" className="cal-cancelled-tag">
              {t('calendar.cancelled')}
            </Tag>
          ) : null}
          <Descriptions column={1} size="small" colon={false} styles={{ label: { width: 72 } }}>
            <Descriptions.Item label={t('calendar.field.time')}>
              <span data-testid="event-time">
                {occurrence ? formatSpan(occurrence.start, occurrence.end, event.time.allDay, i18n.language) : ''}
              </span>
              {event.rrule ? <Tag className="cal-repeat-tag">{t('calendar.details.repeats')}</Tag> : null}
            </Descriptions.Item>
            {event.location ? (
              <Descriptions.Item label={t('calendar.field.location')}>{event.location}</Descriptions.Item>
            ) : null}
            {event.roomId ? (
              <Descriptions.Item label={t('calendar.field.room')}>
                {room ? `${room.name}${room.location ? ` · ${room.location}` : ''}` : t('calendar.room.unknown')}
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t('calendar.details.organizer')}>{name(event.organizerId)}</Descriptions.Item>
            {event.attendees.length > 0 ? (
              <Descriptions.Item label={t('calendar.field.attendees')}>
                <ul className="cal-attendees" aria-label={t('calendar.field.attendees')}>
                  {event.attendees.map((a) => {
                    const answer = responseFor(event, a.userId, occurrence?.recurrenceId ?? null) ?? a.response;
                    return (
                      <li key={a.userId} data-testid="attendee" data-name={people.get(a.userId)?.name ?? ''}>
                        <span>{name(a.userId)}</span>
                        <Tag color={RESPONSE_COLORS[answer]}>{t(`calendar.response.${answer}`)}</Tag>
                      </li>
                    );
                  })}
                </ul>
              </Descriptions.Item>
            ) : null}
            {event.reminders.length > 0 ? (
              <Descriptions.Item label={t('calendar.field.reminder')}>
                {event.reminders.map((m) => reminderLabel(t, m)).join(t('common.listSeparator'))}
              </Descriptions.Item>
            ) : null}
            {event.description ? (
              <Descriptions.Item label={t('calendar.field.description')}>
                <div className="cal-description">{event.description}</div>
              </Descriptions.Item>
            ) : null}
            {event.attachments?.length ? (
              <Descriptions.Item label={t('calendar.field.attachments')}>
                <AttachmentList attachments={event.attachments} />
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          {myAnswer && !event.cancelled ? (
            <div className="cal-respond">
              <div className="cal-respond-label">{t('calendar.details.yourAnswer')}</div>
              {recurring ? (
                <Segmented
                  size="small"
                  value={answerFor}
                  onChange={(v) => setAnswerFor(v as 'this' | 'all')}
                  options={[
                    { value: 'this', label: t('calendar.scope.this') },
                    { value: 'all', label: t('calendar.scope.all') },
                  ]}
                />
              ) : null}
              <Space>
                {(['accepted', 'tentative', 'declined'] as const).map((r) => (
                  <Button
                    key={r}
                    type={myAnswer === r ? 'primary' : 'default'}
                    loading={busy}
                    onClick={() => void respond(r)}
                  >
                    {t(`calendar.respond.${r}`)}
                  </Button>
                ))}
              </Space>
            </div>
          ) : null}
        </>
      )}
    </Drawer>
  );
}
