// Retention on a real relay whose clock is moved: a chat file past its days answers 410 file_expired
// and its bytes are collected; bytes that a live image, a drive file or a fresh upload still use
// are never collected, also while collection runs without pause next to new commits and 秒传.
// An upload left idle for a day goes with its bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileHttpPaths, HttpPaths, type StoredFile } from '../../shared/protocol';
import {
  blobFiles,
  download,
  fileBody,
  instant,
  sendFile,
  uploadFiles,
  waitUntil,
  distinctBytes,
  signedInPeople,
} from '../support/files-relay';
import { startTestRelay, type TestClient, type TestRelay } from '../support/relay';
import {
  declare,
  httpRequest,
  proofHashes,
  sha256Hex,
  tusCreate,
  tusHead,
  tusPatch,
  tusUpload,
} from '../support/tus-client';

const DAY_MS = 24 * 60 * 60 * 1000;

let relay: TestRelay;
let alice: TestClient;
let bob: TestClient;
let groupId: string;
let shift = 0;
const chat = () => ({ type: 'chat' as const, conversationId: groupId });

beforeAll(async () => {
  // Collection runs all the time here, so it meets every commit below.
  relay = await startTestRelay({ now: () => Date.now() + shift, retentionIntervalMs: 20 });
  [alice, bob] = await signedInPeople(relay, [
    { account: 'alice', name: '爱丽丝' },
    { account: 'bob', name: '鲍勃' },
  ]);
  groupId = (await alice.request('conv.create', { type: 'group', memberIds: [bob.userId], name: '归档组' }))
    .conversation.id;
});

afterAll(async () => {
  await Promise.all([alice, bob].map((c) => c?.close()));
  await relay?.close();
});

const bytesOf = distinctBytes('retention');

async function sendChatFile(bytes: Buffer, name: string): Promise<StoredFile> {
  const file = await tusUpload(relay.url, alice.grant.token, declare(bytes, chat(), { name }), bytes);
  const sent = await sendFile(alice, groupId, fileBody({ mediaId: file.fileId }));
  expect(sent.payload.ok).toBe(true);
  return file;
}

const held = (sha256: string) => blobFiles(relay.shared.dataDir).includes(sha256);

describe(`retention of chat files (${process.env.QIXIN_TEST_STORE ?? 'sqlite'})`, () => {
  const plain = bytesOf(50_000);
  const png = bytesOf(40_000, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
  const saved = bytesOf(30_000);
  let plainFile: StoredFile;
  let pngFile: StoredFile;
  let savedFile: StoredFile;
  let imageId: string;
  let driveNodeId: string;
  let idleUpload: string;

  beforeAll(async () => {
    plainFile = await sendChatFile(plain, '会议纪要.docx');
    // The same bytes as a chat image (kept for good) and as a chat file.
    const image = await httpRequest(relay.url, 'POST', `${HttpPaths.mediaUpload}?kind=image`, {
      token: alice.grant.token,
      headers: { 'content-type': 'image/png' },
      body: png,
    });
    imageId = image.json.mediaId;
    pngFile = await sendChatFile(png, '截图.png');
    // A chat file saved to the drive (保存到微盘) outlives the chat's retention.
    savedFile = await sendChatFile(saved, '合同.pdf');
    const message = (
      await bob.request('msg.range', { conversationId: groupId, afterSeq: 0, limit: 100 })
    ).messages.find((m) => m.kind === 'file' && m.body?.kind === 'file' && m.body.mediaId === savedFile.fileId)!;
    const { spaces } = await bob.request('drive.spaces', {});
    const root = spaces.find((s) => s.kind === 'personal')!.rootId;
    driveNodeId = (
      await bob.request('drive.saveFromChat', { conversationId: groupId, messageId: message.id, folderId: root })
    ).node.id;
    // An upload begun and left.
    const idle = bytesOf(20_000);
    idleUpload = (await tusCreate(relay.url, alice.grant.token, declare(idle, chat()))).location!;
    await tusPatch(relay.url, alice.grant.token, idleUpload, 0, idle.subarray(0, 5000));

    // Young blobs are never collected; the relay's clock now runs 31 days ahead.
    expect([plain, png, saved].every((b) => held(sha256Hex(b)))).toBe(true);
    shift = 31 * DAY_MS;
  });

  it('answers 410 file_expired for a chat file past its days and collects its bytes', async () => {
    await waitUntil(() => !held(plainFile.sha256));
    const gone = await download(relay.url, bob.grant.token, plainFile.fileId);
    expect(gone.status).toBe(410);
    expect(gone.json.error).toMatchObject({ code: 'not_found', reason: 'file_expired' });
    // The message stays, saying when it expired (the client shows 已过期).
    const { messages } = await bob.request('msg.range', { conversationId: groupId, afterSeq: 0, limit: 100 });
    const card = messages.find((m) => m.body?.kind === 'file' && m.body.mediaId === plainFile.fileId)!;
    expect(card.body).toMatchObject({ name: '会议纪要.docx', expiresAt: plainFile.expiresAt });
    expect(card.body?.kind === 'file' && card.body.expiresAt! < Date.now() + shift).toBe(true);
    // It cannot be sent again, nor forwarded.
    const again = await sendFile(alice, groupId, fileBody({ mediaId: plainFile.fileId }));
    expect(again.payload.error.reason).toBe('file_expired');
    const forward = await bob.call('msg.send', {
      id: crypto.randomUUID(),
      conversationId: groupId,
      kind: 'text',
      text: '',
      forward: { conversationId: groupId, messageIds: [card.id], merged: false },
    });
    expect(forward.payload.error.reason).toBe('file_expired');
    // Nor fetched by 秒传: the relay no longer holds it.
    expect((await instant(relay.url, alice.grant.token, { declaration: declare(plain, chat()) })).json).toEqual({
      status: 'absent',
    });
  });

  it('keeps bytes a live image uses: the chat file expires, the image stays', async () => {
    expect((await download(relay.url, bob.grant.token, pngFile.fileId)).status).toBe(410);
    expect(held(pngFile.sha256)).toBe(true);
    const image = await download(relay.url, alice.grant.token, imageId);
    expect(image.status).toBe(200);
    expect(image.bytes.equals(png)).toBe(true);
  });

  it('keeps bytes a drive file uses: the chat file expires, the drive copy downloads', async () => {
    expect((await download(relay.url, bob.grant.token, savedFile.fileId)).status).toBe(410);
    expect(held(savedFile.sha256)).toBe(true);
    const content = await httpRequest(relay.url, 'GET', FileHttpPaths.nodeContent(driveNodeId), {
      token: bob.grant.token,
    });
    expect(content.status).toBe(200);
    expect(content.bytes.equals(saved)).toBe(true);
  });

  it('drops an upload left idle for a day, with its bytes', async () => {
    await waitUntil(async () => (await tusHead(relay.url, alice.grant.token, idleUpload)).status === 404);
    expect(uploadFiles(relay.shared.dataDir)).toEqual([]);
  });

  it('never collects bytes a commit or a 秒传 is referencing, while collection runs next to them', async () => {
    // To the collector, whose clock runs 31 days ahead, every new blob looks old: only the holds
    // a commit takes keep a blob that is in the store but not yet referenced.
    const kept: { token: string; file: StoredFile; bytes: Buffer }[] = [];
    for (let i = 0; i < 12; i++) {
      const bytes = bytesOf(8_000 + i);
      kept.push({
        token: alice.grant.token,
        file: await tusUpload(relay.url, alice.grant.token, declare(bytes, chat()), bytes, 4000),
        bytes,
      });
      const declaration = declare(bytes, chat(), { name: `副本 ${i}.bin` });
      const challenge = (await instant(relay.url, bob.grant.token, { declaration })).json;
      const answer = await instant(relay.url, bob.grant.token, {
        declaration,
        proof: { nonce: challenge.nonce, hashes: proofHashes(challenge.nonce, challenge.ranges, bytes) },
      });
      expect(answer.json.status).toBe('stored');
      kept.push({ token: bob.grant.token, file: answer.json.file, bytes });
    }
    // Collection runs a few more times; every committed file is whole.
    await new Promise((r) => setTimeout(r, 200));
    for (const { token, file, bytes } of kept) {
      const got = await download(relay.url, token, file.fileId);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(bytes)).toBe(true);
    }
  });
});
