// Who may use and read a media id. An id is usable in a message (and readable) by its uploader
// and by anyone who can read a message that references it; the content hash never grants access.
import { QixinError } from '../../shared/protocol';
import type { Reader, Tx } from '../domain/context';
import type { Selectable } from 'kysely';
import type { MediaRow } from '../store/schema';

type Media = Selectable<MediaRow>;

export interface MessageMediaLink {
  mediaId: string;
  messageId: string;
  conversationId: string;
  seq: number;
}

/**
 * The media rows for `mediaIds`, each of which `userId` may reference in a new message (their own
 * upload, or media in a message they can read, as when forwarding). Refuses the whole list otherwise.
 */
export async function assertUsableMedia(db: Reader, userId: string, mediaIds: string[]): Promise<Media[]> {
  const wanted = [...new Set(mediaIds)];
  if (wanted.length === 0) return [];
  const rows = await db.selectFrom('media').selectAll().where('id', 'in', wanted).execute();
  const found = new Map(rows.map((row) => [row.id, row]));
  const notOwn = rows.filter((row) => row.uploader_id !== userId).map((row) => row.id);
  const readable = notOwn.length > 0 ? await readableAmong(db, userId, notOwn) : new Set<string>();
  for (const id of wanted) {
    const row = found.get(id);
    if (!row || (row.uploader_id !== userId && !readable.has(id))) {
      throw new QixinError('invalid', `media ${id} does not exist or is not yours to send`, 'media_not_found');
    }
  }
  return wanted.map((id) => found.get(id)!);
}

/** Records which media a stored message references; a link that exists already is kept as it is. */
export async function linkMessageMedia(trx: Tx, rows: MessageMediaLink[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('message_media')
    .values(
      rows.map((row) => ({
        media_id: row.mediaId,
        message_id: row.messageId,
        conversation_id: row.conversationId,
        seq: row.seq,
      })),
    )
    .onConflict((oc) => oc.columns(['media_id', 'message_id']).doNothing())
    .execute();
}

/** The media row if `userId` may download it, else null (the caller answers 404 either way). */
export async function canReadMedia(db: Reader, userId: string, mediaId: string): Promise<Media | null> {
  const row = await db.selectFrom('media').selectAll().where('id', '=', mediaId).executeTakeFirst();
  if (!row) return null;
  if (row.uploader_id === userId) return row;
  return (await readableAmong(db, userId, [mediaId])).has(mediaId) ? row : null;
}

/** Those of `mediaIds` referenced by a message `userId` can read: active member, or a former one up to their leaving. */
async function readableAmong(db: Reader, userId: string, mediaIds: string[]): Promise<Set<string>> {
  const rows = await db
    .selectFrom('message_media')
    .innerJoin('members', (join) =>
      join.onRef('members.conversation_id', '=', 'message_media.conversation_id').on('members.user_id', '=', userId),
    )
    .select('message_media.media_id')
    .where('message_media.media_id', 'in', mediaIds)
    .where((eb) =>
      eb.or([
        eb('members.active', '=', 1),
        eb.and([eb('members.left_seq', 'is not', null), eb('message_media.seq', '<=', eb.ref('members.left_seq'))]),
      ]),
    )
    .distinct()
    .execute();
  return new Set(rows.map((row) => row.media_id));
}
