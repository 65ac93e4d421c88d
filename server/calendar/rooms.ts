// Meeting rooms (会议室): the enterprise's bookable rooms, each with a capacity. Super admins add,
// change and remove them (audited). A room is booked by an event (`room_id`); a booking is refused
// if any occurrence of the event overlaps a live occurrence of another event in that room. The
// check and the write share one transaction that first locks the room, so two people booking at
// the same moment cannot both win.
import { sql, type Selectable } from 'kysely';
import { newId } from '../../shared/lib/ids';
import { QixinError, type MeetingRoom, type RequestResult } from '../../shared/protocol';
import { audit } from '../domain/audit';
import type { DomainContext, Reader, Tx } from '../domain/context';
import { loadAdminScope } from '../domain/directory/scope';
import * as policy from '../domain/policy';
import type { MeetingRoomRow } from '../store/schema';
import { familyOf, liveOccurrences, overlapsAny } from './busy';

type StoredRoom = Selectable<MeetingRoomRow>;

const roomNotFound = () => new QixinError('not_found', 'no such meeting room', 'room_not_found');

function roomView(row: StoredRoom): MeetingRoom {
  return {
    id: row.id,
    name: row.name,
    capacity: Number(row.capacity),
    location: row.location,
    equipment: JSON.parse(row.equipment) as string[],
  };
}

export class Rooms {
  constructor(private readonly ctx: DomainContext) {}

  async list(): Promise<{ rooms: MeetingRoom[] }> {
    const rows = await this.ctx.db
      .selectFrom('meeting_rooms')
      .selectAll()
      .where('deleted_at', 'is', null)
      .orderBy('name')
      .orderBy('id')
      .execute();
    return { rooms: rows.map(roomView) };
  }

  async save(actorId: string, input: Omit<MeetingRoom, 'id'> & { id?: string }): Promise<{ room: MeetingRoom }> {
    policy.assertCanManageRooms(await loadAdminScope(this.ctx.db, actorId));
    const now = this.ctx.now();
    const fields = {
      name: input.name.trim(),
      capacity: input.capacity,
      location: input.location.trim(),
      equipment: JSON.stringify([...new Set(input.equipment.map((e) => e.trim()).filter(Boolean))]),
    };
    if (!fields.name) throw new QixinError('invalid', 'a meeting room needs a name');
    const room = await this.ctx.transaction(async (trx) => {
      let before: MeetingRoom | null = null;
      let id = input.id;
      if (id) {
        const row = await lockRoom(trx, this.ctx, id);
        before = roomView(row);
        await trx.updateTable('meeting_rooms').set(fields).where('id', '=', id).execute();
      } else {
        id = newId();
        await trx
          .insertInto('meeting_rooms')
          .values({ id, ...fields, created_at: now })
          .execute();
      }
      const after = roomView(
        (await trx.selectFrom('meeting_rooms').selectAll().where('id', '=', id).executeTakeFirst())!,
      );
      await audit(trx, now, { actorId, action: 'calendar.room_saved', targetId: id, detail: { before, after } });
      return after;
    });
    return { room };
  }

  /** A removed room keeps its past bookings (events still name it) but takes no new ones. */
  async remove(actorId: string, roomId: string): Promise<Record<string, never>> {
    policy.assertCanManageRooms(await loadAdminScope(this.ctx.db, actorId));
    await this.ctx.transaction(async (trx) => {
      const row = await lockRoom(trx, this.ctx, roomId);
      const now = this.ctx.now();
      await trx.updateTable('meeting_rooms').set({ deleted_at: now }).where('id', '=', roomId).execute();
      await audit(trx, now, {
        actorId,
        action: 'calendar.room_deleted',
        targetId: roomId,
        detail: { before: roomView(row) },
      });
    });
    return {};
  }

  /** The room's bookings in [from, to): live occurrences of events in it. */
  async busy(roomId: string, from: number, to: number): Promise<RequestResult<'cal.roomBusy'>> {
    const room = await this.ctx.db.selectFrom('meeting_rooms').select('id').where('id', '=', roomId).executeTakeFirst();
    if (!room) throw roomNotFound();
    const { events, occurrences } = await liveOccurrences(this.ctx.db, { roomId }, from, to);
    return {
      busy: occurrences
        .filter((o) => events.get(o.eventId)?.row.room_id === roomId && o.end > from && o.start < to)
        .map((o) => ({ start: o.start, end: o.end, tentative: false })),
    };
  }
}

/** Locks the room for the rest of the transaction (SQLite write transactions are serial already). */
export async function lockRoom(trx: Tx, ctx: DomainContext, roomId: string): Promise<StoredRoom> {
  if (ctx.dialect === 'postgres') await sql`select id from meeting_rooms where id = ${roomId} for update`.execute(trx);
  const row = await trx
    .selectFrom('meeting_rooms')
    .selectAll()
    .where('id', '=', roomId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw roomNotFound();
  return row;
}

/**
 * Refuses the booking when an occurrence of the families (series or single events, as written in
 * this transaction) overlaps a live occurrence of another event in the room, within [from, to).
 */
export async function assertRoomFree(
  db: Reader,
  room: StoredRoom,
  families: ReadonlySet<string>,
  from: number,
  to: number,
): Promise<void> {
  const { events, occurrences } = await liveOccurrences(db, { roomId: room.id }, from, to);
  const inRoom = occurrences.filter((o) => events.get(o.eventId)?.row.room_id === room.id);
  const mine = inRoom.filter((o) => families.has(familyOf(events.get(o.eventId)!.row)));
  const others = inRoom.filter((o) => !families.has(familyOf(events.get(o.eventId)!.row)));
  policy.assertRoomFree(room, overlapsAny(mine, others)[0]);
}
