import { useEffect, useMemo, useState } from 'react';
import { Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MeetingRoom } from '../../../shared/protocol/calendar';
import { useQixin, useQixinEvent } from '../../bridge/context';

type Busy = { start: number; end: number };

/** The enterprise's meeting rooms, fetched once per form and again on `calendar.changed`. */
export function useRooms(): MeetingRoom[] | null {
  const qixin = useQixin();
  const [rooms, setRooms] = useState<MeetingRoom[] | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    qixin.call('calendar.rooms', {}).then(
      ({ rooms: next }) => live && setRooms(next),
      () => live && setRooms((prev) => prev ?? []),
    );
    return () => {
      live = false;
    };
  }, [qixin, tick]);
  useQixinEvent('calendar.changed', () => setTick((n) => n + 1));
  return rooms;
}

/**
 * 会议室: each room with its capacity and whether it is free over [from, to) (`calendar.roomBusy`).
 * A booked room stays selectable: the relay is the one that refuses a double booking, and says so.
 * `own` is this event's booking when editing it, which does not make the room busy for itself.
 */
export function RoomSelect(props: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  from: number;
  to: number;
  own: { roomId: string; start: number; end: number } | null;
  attendees: number;
}) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const rooms = useRooms();
  const [busy, setBusy] = useState<Map<string, Busy[]>>(new Map());
  const { from, to, own } = props;
  const valid = to > from;

  const roomIds = (rooms ?? []).map((r) => r.id).join(',');
  useEffect(() => {
    if (!roomIds || !valid) return;
    let live = true;
    const timer = setTimeout(() => {
      void Promise.all(
        roomIds.split(',').map(async (roomId): Promise<[string, Busy[]]> => {
          try {
            return [roomId, (await qixin.call('calendar.roomBusy', { roomId, from, to })).busy];
          } catch {
            return [roomId, []];
          }
        }),
      ).then((entries) => live && setBusy(new Map(entries)));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [qixin, roomIds, from, to, valid]);

  const isBusy = useMemo(
    () => (roomId: string) =>
      (busy.get(roomId) ?? []).some(
        (b) =>
          b.start < to && b.end > from && !(own && own.roomId === roomId && own.start === b.start && own.end === b.end),
      ),
    [busy, from, to, own],
  );

  const options = (rooms ?? []).map((room) => {
    const taken = isBusy(room.id);
    const small = room.capacity < props.attendees;
    return {
      value: room.id,
      title: room.name,
      label: (
        <span className="cal-room-option" data-testid="room-option" data-busy={taken ? 'true' : 'false'}>
          <span className="cal-room-name">{room.name}</span>
          <span className="cal-room-meta">
            {t('calendar.room.capacity', { count: room.capacity })}
            {room.location ? ` · ${room.location}` : ''}
          </span>
          {taken ? (
            <Tag color="red">{t('calendar.room.busy')}</Tag>
          ) : (
            <Tag color="green">{t('calendar.room.free')}</Tag>
          )}
          {small ? <Tag color="orange">{t('calendar.room.tooSmall')}</Tag> : null}
        </span>
      ),
    };
  });

  return (
    <Select
      value={props.value ?? null}
      onChange={(v) => props.onChange?.((v as string | undefined) ?? null)}
      options={options}
      allowClear
      loading={rooms === null}
      placeholder={rooms && rooms.length === 0 ? t('calendar.room.none') : t('calendar.room.pick')}
      aria-label={t('calendar.field.room')}
      optionLabelProp="title"
      notFoundContent={t('calendar.room.none')}
      style={{ width: '100%' }}
    />
  );
}
