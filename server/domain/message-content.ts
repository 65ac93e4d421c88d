// What a send stores, worked out before it joins a batch: the body checked against the kind
// (the schema checked its shape), the card's name, the media the sender may use, the frozen
// quote, and a forward's copies or 聊天记录 card. Everything here needs reads; the per-row rules
// (membership, mute-all, dissolved, mentions) are decided in the batch against its snapshot.
import {
  HistoryLimits,
  Limits,
  MAX_FRAME_BYTES,
  QixinError,
  type FileBody,
  type HistoryItem,
  type MessageBody,
  type MessageKind,
  type Quote,
  type RichSegment,
  type SendParams,
  type User,
} from '../../shared/protocol';
import { resolveDriveLink } from '../drive/drive-links';
import { assertUsableMedia } from '../media/media-refs';
import type { Selectable } from 'kysely';
import type { MediaRow, MessageRow } from '../store/schema';
import type { Reader } from './context';
import * as policy from './policy';
import { loadConversation, loadUserRows } from './views';

/** The content of a message about to be stored (everything but its place in the chat). */
export interface MessageContent {
  kind: MessageKind;
  text: string;
  body: MessageBody | null;
  quote: Quote | null;
  mentions: string[];
  mentionAll: boolean;
  forwarded: boolean;
}

/** The directory as the sender sees it (a card names only someone the sender may see). */
export type VisibleUsers = (viewerId: string, ids: string[]) => Promise<User[]>;

const QUOTE_MAX_CHARS = 200;
// msg.new and every page carry the message whole: it must fit a frame with room for the envelope.
const MESSAGE_MAX_BYTES = MAX_FRAME_BYTES - 2 * 1024;

const invalid = (message: string) => new QixinError('invalid', message, 'content_invalid');

/** Does this send need reads before it can be batched? A plain text (with mentions) does not. */
export function needsResolution(send: Pick<SendParams, 'kind' | 'quoteId' | 'forward'>): boolean {
  return send.kind !== 'text' || send.quoteId !== null || send.forward !== null;
}

/** The content of a plain text send, which needs no reads. */
export function textContent(send: Pick<SendParams, 'text' | 'mentions' | 'mentionAll'>): MessageContent {
  return {
    kind: 'text',
    text: send.text,
    body: null,
    quote: null,
    mentions: unique(send.mentions),
    mentionAll: send.mentionAll,
    forwarded: false,
  };
}

export class MessageContentResolver {
  constructor(
    private readonly db: Reader,
    private readonly visibleUsers: VisibleUsers,
    /** The relay's clock: a chat file past its `expires_at` cannot be sent. */
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves one send (after its shape passed `sendShapeProblem`); throws the refusal a person would meet. */
  async resolve(senderId: string, send: SendParams): Promise<MessageContent> {
    const base = textContent(send);
    const content = send.forward
      ? await this.forward(senderId, send.forward)
      : { ...base, ...(await this.ownContent(senderId, send)) };
    content.mentions = base.mentions;
    content.mentionAll = base.mentionAll;
    if (send.quoteId) content.quote = await this.quote(senderId, send.conversationId, send.quoteId);
    assertFitsFrame(content);
    return content;
  }

  /** The sender's own content: the body checked and completed, and its searchable summary. */
  private async ownContent(
    senderId: string,
    send: SendParams,
  ): Promise<Pick<MessageContent, 'kind' | 'text' | 'body'>> {
    const body = send.body;
    switch (body?.kind) {
      case undefined:
        return { kind: 'text', text: send.text, body: null };
      case 'image':
      case 'video': {
        const media = await this.usableMedia(senderId, body);
        const main = media.get(body.mediaId)!;
        return { kind: body.kind, text: '', body: { ...body, mime: main.mime, size: Number(main.size) } };
      }
      case 'voice': {
        const main = (await this.usableMedia(senderId, body)).get(body.mediaId)!;
        return { kind: 'voice', text: '', body: { ...body, mime: main.mime, size: Number(main.size) } };
      }
      case 'card': {
        const [user] = await this.visibleUsers(senderId, [body.userId]);
        if (!user) throw new QixinError('not_found', 'no such member to share', 'member_not_found');
        return { kind: 'card', text: user.name, body: { ...body, name: user.name } };
      }
      case 'location':
        return { kind: 'location', text: body.name, body };
      case 'rich': {
        const text = plainText(body.segments);
        if (!text.trim()) throw invalid('the rich text is empty');
        if (text.length > Limits.textMaxChars)
          throw invalid(`a message holds at most ${Limits.textMaxChars} characters`);
        return { kind: 'rich', text, body };
      }
      case 'history':
        throw invalid('a chat history is made by forwarding messages (forward.merged)');
      case 'file': {
        const file = await this.fileBody(senderId, body);
        return { kind: 'file', text: file.name, body: file };
      }
    }
  }

  /**
   * A file body as the relay stored it: a chat file the sender may use (their upload, or one they
   * can read in a message, as when forwarding), not expired; or a drive file the sender may share.
   * Name, size, type, sha256 and expiry come from the relay, never from the sender.
   */
  private async fileBody(senderId: string, body: FileBody): Promise<FileBody> {
    if ((body.mediaId === null) === (body.driveNodeId === null))
      throw invalid('a file is either a chat file (mediaId) or a drive link (driveNodeId)');
    if (body.driveNodeId !== null) {
      const link = await resolveDriveLink(this.db, senderId, body.driveNodeId);
      const { name, size, mime, sha256 } = link;
      return { kind: 'file', mediaId: null, driveNodeId: body.driveNodeId, name, size, mime, sha256, expiresAt: null };
    }
    const [row] = await assertUsableMedia(this.db, senderId, [body.mediaId!]);
    if (row!.kind !== 'file') throw new QixinError('invalid', 'the media is not a file', 'media_type_mismatch');
    const expiresAt = row!.expires_at === null ? null : Number(row!.expires_at);
    if (expiresAt !== null && expiresAt <= this.now())
      throw new QixinError('invalid', 'this file expired and can no longer be sent', 'file_expired');
    return {
      kind: 'file',
      mediaId: row!.id,
      driveNodeId: null,
      name: row!.name ?? '',
      size: Number(row!.size),
      mime: row!.mime,
      sha256: row!.sha256,
      expiresAt,
    };
  }

  /** The media of an image, voice or video body: usable by the sender and of the body's kind. */
  private async usableMedia(
    senderId: string,
    body: Extract<MessageBody, { kind: 'image' | 'voice' | 'video' }>,
  ): Promise<Map<string, Selectable<MediaRow>>> {
    const thumbId = body.kind === 'voice' ? null : body.thumbId;
    const rows = await assertUsableMedia(this.db, senderId, thumbId ? [body.mediaId, thumbId] : [body.mediaId]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    if (byId.get(body.mediaId)!.kind !== body.kind)
      throw new QixinError('invalid', `the media is not a ${body.kind}`, 'media_type_mismatch');
    if (thumbId && byId.get(thumbId)!.kind !== 'image')
      throw new QixinError('invalid', 'the thumbnail is not an image', 'media_type_mismatch');
    return byId;
  }

  /** 引用: a readable person's message of the same chat, frozen with its text cut to 200 characters. */
  private async quote(senderId: string, conversationId: string, quoteId: string): Promise<Quote> {
    const { conv, members } = await loadConversation(this.db, conversationId);
    const cap = policy.readableUpTo(
      conv,
      members.find((m) => m.user_id === senderId),
    );
    const row = await this.db.selectFrom('messages').selectAll().where('id', '=', quoteId).executeTakeFirst();
    policy.assertReadableMessage(row, conversationId, cap);
    policy.assertCopyable(row);
    return {
      messageId: row.id,
      seq: Number(row.seq),
      senderId: row.sender_id,
      kind: row.kind,
      text: cutText(row.text, QUOTE_MAX_CHARS),
    };
  }

  /** Copies (one by one) or a 聊天记录 card (merged) of messages from a chat the sender is active in. */
  private async forward(senderId: string, forward: NonNullable<SendParams['forward']>): Promise<MessageContent> {
    const { conv, members } = await loadConversation(this.db, forward.conversationId);
    policy.assertCanForwardFrom(
      conv,
      members.find((m) => m.user_id === senderId),
    );
    const wanted = unique(forward.messageIds);
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', forward.conversationId)
      .where('id', 'in', wanted)
      .orderBy('seq')
      .execute();
    if (rows.length !== wanted.length)
      throw new QixinError('not_found', 'no such message in that chat', 'message_not_found');
    for (const row of rows) policy.assertCopyable(row);
    const copy = { quote: null, mentions: [], mentionAll: false };
    if (!forward.merged) {
      const row = rows[0]!;
      const body = parseBody(row);
      // A file travels on only while it can be had: checked again for the forwarder.
      const checked = body?.kind === 'file' ? await this.fileBody(senderId, body) : body;
      return { ...copy, kind: row.kind, text: row.text, body: checked, forwarded: true };
    }
    const items = await historyItems(this.db, rows);
    // A drive link goes on only from someone who may share it (禁止转发 holds inside a history too).
    for (const item of items)
      if (item.body?.kind === 'file' && item.body.driveNodeId)
        await resolveDriveLink(this.db, senderId, item.body.driveNodeId);
    const names =
      conv!.type === 'direct'
        ? await nameList(this.db, [senderId, ...members.map((m) => m.user_id).filter((id) => id !== senderId)])
        : [];
    const body: MessageBody = { kind: 'history', title: { conversationType: conv!.type, names }, items };
    return { ...copy, kind: 'history', text: '', body, forwarded: false };
  }
}

/** Items of a 聊天记录, in chat order, with their senders' names; refuses what cannot be merged. */
async function historyItems(db: Reader, rows: MessageRow[]): Promise<HistoryItem[]> {
  const names = new Map((await loadUserRows(db, unique(rows.map((r) => r.sender_id)))).map((u) => [u.id, u.name]));
  let chars = 0;
  const items = rows.map((row): HistoryItem => {
    if (row.kind === 'history' || row.kind === 'system')
      throw invalid('a chat history or a notice cannot be merged into a chat history');
    chars += row.text.length;
    return {
      senderId: row.sender_id,
      senderName: names.get(row.sender_id) ?? '',
      kind: row.kind,
      text: row.text,
      body: parseBody(row) as HistoryItem['body'],
      createdAt: Number(row.created_at),
    };
  });
  if (chars > HistoryLimits.maxTextChars)
    throw new QixinError(
      'too_large',
      `a chat history holds at most ${HistoryLimits.maxTextChars} characters`,
      'history_too_large',
    );
  return items;
}

async function nameList(db: Reader, ids: string[]): Promise<string[]> {
  const names = new Map((await loadUserRows(db, ids)).map((u) => [u.id, u.name]));
  return ids.slice(0, 2).map((id) => names.get(id) ?? '');
}

function assertFitsFrame(content: MessageContent): void {
  const bytes = Buffer.byteLength(JSON.stringify([content.text, content.body, content.quote, content.mentions]));
  if (bytes <= MESSAGE_MAX_BYTES) return;
  if (content.kind === 'history')
    throw new QixinError('too_large', 'this chat history is too large to send as one message', 'history_too_large');
  throw new QixinError('too_large', 'this message is too large', 'content_invalid');
}

/** The plain text of rich segments (what search and previews read). */
export function plainText(segments: readonly RichSegment[]): string {
  return segments.map((s) => s.text).join('');
}

/** Media ids a body references (thumbnails and the media inside a chat history included). */
export function mediaIdsOf(body: MessageBody | null): string[] {
  if (!body) return [];
  switch (body.kind) {
    case 'image':
    case 'video':
      return body.thumbId ? [body.mediaId, body.thumbId] : [body.mediaId];
    case 'voice':
      return [body.mediaId];
    case 'file':
      return body.mediaId ? [body.mediaId] : [];
    case 'history':
      return unique(body.items.flatMap((item) => mediaIdsOf(item.body)));
    default:
      return [];
  }
}

/** At most `max` UTF-16 units, never splitting a surrogate pair. */
function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function parseBody(row: Pick<MessageRow, 'body'>): MessageBody | null {
  return row.body ? (JSON.parse(row.body) as MessageBody) : null;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
