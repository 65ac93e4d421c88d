// 微盘 and chats on a real relay: 保存到微盘 of a chat file (the drive copy outlives the chat file's
// retention, same bytes, no second blob), and a drive file sent into a chat as a link that keeps
// the file's permissions (禁止转发 included).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpPaths, type FileBody, type UploadDeclaration } from '../../shared/protocol';
import { DAY_MS } from '../../server/files/file-config';
import { newId, type TestClient } from '../support/relay';
import {
  expectRefused,
  httpGet,
  personalRoot,
  sha256,
  startDriveRelay,
  tusUpload,
  type DriveRelay,
} from '../support/drive';

let w: DriveRelay;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient; // not in the group
let groupId: string;

beforeAll(async () => {
  // Retention runs often, so an expired chat file goes within the test.
  w = await startDriveRelay({ retentionIntervalMs: 100 });
  alice = await w.person('白露');
  bob = await w.person('秋分');
  carol = await w.person('冬至');
  groupId = (await alice.request('conv.create', { type: 'group', memberIds: [bob.userId], name: '项目群' }))
    .conversation.id;
});

afterAll(async () => {
  await w?.close();
});

/** Uploads `bytes` into the group as a chat file and sends it; returns the message id and the body. */
async function sendChatFile(
  from: TestClient,
  name: string,
  bytes: Buffer,
): Promise<{ messageId: string; body: FileBody }> {
  const declaration: UploadDeclaration = {
    fileId: newId(),
    name,
    size: bytes.length,
    mime: 'application/pdf',
    sha256: sha256(bytes),
    target: { type: 'chat', conversationId: groupId },
  };
  await tusUpload(w.url, from.grant.token, declaration, bytes);
  const body: FileBody = {
    kind: 'file',
    mediaId: declaration.fileId,
    driveNodeId: null,
    name,
    size: bytes.length,
    mime: declaration.mime,
    sha256: declaration.sha256,
    expiresAt: null,
  };
  const { message } = await from.request('msg.send', { id: newId(), conversationId: groupId, kind: 'file', body });
  return { messageId: message.id, body: message.body as FileBody };
}

async function sendDriveLink(from: TestClient, nodeId: string) {
  return from.request('msg.send', {
    id: newId(),
    conversationId: groupId,
    kind: 'file',
    body: {
      kind: 'file',
      mediaId: null,
      driveNodeId: nodeId,
      name: 'x',
      size: 0,
      mime: 'application/pdf',
      sha256: '',
      expiresAt: null,
    },
  });
}

describe('保存到微盘 (save a chat file to the drive)', () => {
  it('keeps the file after the chat file expired, with the same bytes', async () => {
    const bytes = Buffer.from('%PDF-1.4 会议纪要 '.repeat(500));
    const { messageId, body } = await sendChatFile(alice, '会议纪要.pdf', bytes);
    const bobRoot = await personalRoot(bob);
    const { node } = await bob.request('drive.saveFromChat', { conversationId: groupId, messageId, folderId: bobRoot });
    expect(node).toMatchObject({ name: '会议纪要.pdf', size: bytes.length, sha256: sha256(bytes), parentId: bobRoot });
    // Saved again under another name, and again with the same one (a free name).
    const renamed = await bob.request('drive.saveFromChat', {
      conversationId: groupId,
      messageId,
      folderId: bobRoot,
      name: '纪要-存档.pdf',
    });
    expect(renamed.node.name).toBe('纪要-存档.pdf');
    const again = await bob.request('drive.saveFromChat', { conversationId: groupId, messageId, folderId: bobRoot });
    expect(again.node.name).toBe('会议纪要 (1).pdf');

    // Someone outside the chat cannot save it, whatever folder they name.
    await expectRefused(
      carol.request('drive.saveFromChat', { conversationId: groupId, messageId, folderId: await personalRoot(carol) }),
      'not_a_member',
    );
    // Nor into a folder they cannot edit.
    await expectRefused(
      alice.request('drive.saveFromChat', { conversationId: groupId, messageId, folderId: bobRoot }),
      'file_not_found',
    );

    // 31 days on: the chat file expires and the retention job runs; the drive copy stays.
    w.clock.advance(31 * DAY_MS);
    const chat = await waitFor(async () => {
      const answer = await httpGet(w.url, HttpPaths.media(body.mediaId!), {
        headers: { authorization: `Bearer ${bob.grant.token}` },
      });
      return answer.status !== 200 ? answer : null;
    });
    expect(chat.json.error.reason).toBe('file_expired');
    await new Promise((r) => setTimeout(r, 300)); // another retention run, with blob collection
    const download = await w.content(bob, node.id);
    expect(download.status).toBe(200);
    expect(sha256(download.bytes)).toBe(sha256(bytes));

    await expectRefused(
      bob.request('drive.saveFromChat', { conversationId: groupId, messageId, folderId: bobRoot }),
      'file_expired',
    );
  });
});

describe('a drive file sent into a chat', () => {
  it('opens for recipients only as far as the file’s permissions go', async () => {
    const root = await personalRoot(alice);
    const file = await w.putFile(alice, root, '方案.pdf', Buffer.from('%PDF-1.4 方案'), 'application/pdf');
    const { message } = await sendDriveLink(alice, file.id);
    expect(message.body).toMatchObject({ kind: 'file', driveNodeId: file.id, name: '方案.pdf', mediaId: null });

    // Bob got the link but holds no level on the file: it does not open.
    expect((await w.content(bob, file.id, { inline: true })).status).toBe(404);
    await alice.request('drive.setGrants', {
      nodeId: file.id,
      grants: [{ principal: { type: 'user', id: bob.userId }, level: 'view' }],
    });
    expect((await w.content(bob, file.id, { inline: true })).status).toBe(200);
    expect((await w.content(bob, file.id)).status).toBe(403);
    // 仅查看 cannot send it on.
    await expectRefused(sendDriveLink(bob, file.id), 'drive_forbidden');
  });

  it('禁止转发: only a manager sends it into a chat', async () => {
    const root = await personalRoot(alice);
    const file = await w.putFile(alice, root, '机密.pdf', Buffer.from('%PDF-1.4 机密'), 'application/pdf');
    await alice.request('drive.setGrants', {
      nodeId: file.id,
      grants: [{ principal: { type: 'user', id: bob.userId }, level: 'edit' }],
    });
    await alice.request('drive.setNoForward', { nodeId: file.id, noForward: true });
    await expectRefused(sendDriveLink(bob, file.id), 'drive_no_forward');
    await sendDriveLink(alice, file.id);
    const log = (await alice.request('drive.accessLog', { nodeId: file.id })).entries;
    expect(log.some((e) => e.action === 'share' && e.userId === alice.userId)).toBe(true);
  });
});

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
