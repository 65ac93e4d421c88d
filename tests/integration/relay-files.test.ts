// Chat files on a real relay: tus uploads (in chunks, cut off and resumed, out of order, with a
// wrong hash), downloads with Range, `file` messages the relay fills in, and every refusal a person
// can meet — while everyone else keeps chatting. 秒传 and retention have their own files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tus from 'tus-js-client';
import { FileHttpPaths, type StoredFile } from '../../shared/protocol';
import {
  blobFiles,
  committed,
  download,
  fileBody,
  sendFile,
  uploadedBytes,
  uploadFiles,
  waitUntil,
  distinctBytes,
  signedInPeople,
} from '../support/files-relay';
import {
  addMember,
  createEnterprise,
  newId,
  openClient,
  signIn,
  startTestRelay,
  type TestClient,
  type TestRelay,
} from '../support/relay';
import {
  declare,
  httpRequest,
  sha256Hex,
  storedFileOf,
  tusCreate,
  tusDelete,
  tusHead,
  tusPatch,
  tusUpload,
} from '../support/tus-client';

const CHAT_LIMIT = 2 * 1024 * 1024;

let relay: TestRelay;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;
let groupId: string;
const chat = () => ({ type: 'chat' as const, conversationId: groupId });

beforeAll(async () => {
  relay = await startTestRelay({ files: { chatFileMaxBytes: CHAT_LIMIT } });
  [alice, bob, carol] = await signedInPeople(relay, [
    { account: 'alice', name: '爱丽丝' },
    { account: 'bob', name: '鲍勃' },
    { account: 'carol', name: '卡罗尔' },
  ]);
  groupId = (await alice.request('conv.create', { type: 'group', memberIds: [bob.userId], name: '项目组' }))
    .conversation.id;
});

afterAll(async () => {
  await Promise.all([alice, bob, carol].map((c) => c?.close()));
  await relay?.close();
});

const bytesOf = distinctBytes('file');

/** After a fault: the others still chat, and hear each other. */
async function othersStillChat() {
  const text = `还在吗 ${newId()}`;
  await bob.request('msg.send', { id: newId(), conversationId: groupId, text });
  const got = await alice.nextEvent('msg.new', (p) => p.message.text === text);
  expect(got.message.senderId).toBe(bob.userId);
}

describe(`chat files over tus (${process.env.QIXIN_TEST_STORE ?? 'sqlite'})`, () => {
  const report = bytesOf(700 * 1024 + 13);
  let stored: StoredFile;

  it('uploads in chunks; the last answer carries the committed file, and GET committed says the same', async () => {
    const declaration = declare(report, chat(), { name: '季度报告 📊 终稿.pdf', mime: 'application/pdf' });
    stored = await tusUpload(relay.url, alice.grant.token, declaration, report, 256 * 1024);
    expect(stored).toMatchObject({
      fileId: declaration.fileId,
      name: '季度报告 📊 终稿.pdf',
      size: report.length,
      mime: 'application/pdf',
      sha256: sha256Hex(report),
      target: chat(),
    });
    expect(stored.expiresAt! - stored.createdAt).toBe(30 * 24 * 60 * 60 * 1000);
    const again = await committed(relay.url, alice.grant.token, declaration.fileId);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(stored);
    // The upload is over: its tus resources are gone.
    expect(uploadFiles(relay.shared.dataDir)).toEqual([]);
    expect(blobFiles(relay.shared.dataDir)).toContain(sha256Hex(report));
  });

  it('delivers a file message with the fields the relay stored, and the member downloads the same bytes', async () => {
    // Before a message references it, the file is the uploader's alone.
    expect((await download(relay.url, bob.grant.token, stored.fileId)).status).toBe(404);
    // The sender's claims about name and size are replaced by what the relay stored.
    const sent = await sendFile(
      alice,
      groupId,
      fileBody({ mediaId: stored.fileId, name: 'fake.exe', size: 1, sha256: '' }),
    );
    expect(sent.payload.ok).toBe(true);
    const got = await bob.nextEvent('msg.new', (p) => p.message.kind === 'file');
    expect(got.message.text).toBe('季度报告 📊 终稿.pdf');
    expect(got.message.body).toEqual({
      kind: 'file',
      mediaId: stored.fileId,
      driveNodeId: null,
      name: '季度报告 📊 终稿.pdf',
      size: report.length,
      mime: 'application/pdf',
      sha256: stored.sha256,
      expiresAt: stored.expiresAt,
    });

    const whole = await download(relay.url, bob.grant.token, stored.fileId);
    expect(whole.status).toBe(200);
    expect(whole.bytes.equals(report)).toBe(true);
    expect(whole.headers['content-type']).toBe('application/pdf');
    expect(whole.headers.etag).toBe(`"${stored.sha256}"`);
    const disposition = whole.headers['content-disposition']!;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe('季度报告 📊 终稿.pdf');

    // A download cut at 300 KB resumes with Range and If-Match-style ETag, and the pieces are the file.
    const first = await download(relay.url, bob.grant.token, stored.fileId, { range: 'bytes=0-307199' });
    expect(first.status).toBe(206);
    const rest = await download(relay.url, bob.grant.token, stored.fileId, { range: `bytes=${first.bytes.length}-` });
    expect(rest.status).toBe(206);
    expect(rest.headers['content-range']).toBe(`bytes 307200-${report.length - 1}/${report.length}`);
    expect(Buffer.concat([first.bytes, rest.bytes]).equals(report)).toBe(true);

    // Someone outside the chat learns nothing, not even that it exists.
    const outsider = await download(relay.url, carol.grant.token, stored.fileId);
    expect(outsider.status).toBe(404);
    expect((await download(relay.url, carol.grant.token, newId())).json).toEqual(outsider.json);
  });

  it('lets a reader forward the file on, and merge it into a chat history', async () => {
    const direct = (await bob.request('conv.create', { type: 'direct', memberIds: [carol.userId] })).conversation.id;
    const { messages } = await bob.request('msg.range', { conversationId: groupId, afterSeq: 0, limit: 100 });
    const source = messages.find((m) => m.kind === 'file')!;
    await bob.request('msg.send', {
      id: newId(),
      conversationId: direct,
      kind: 'text',
      text: '',
      forward: { conversationId: groupId, messageIds: [source.id], merged: false },
    });
    const forwarded = await carol.nextEvent('msg.new', (p) => p.message.kind === 'file');
    expect(forwarded.message.body).toMatchObject({ mediaId: stored.fileId, name: '季度报告 📊 终稿.pdf' });
    expect((await download(relay.url, carol.grant.token, stored.fileId)).bytes.equals(report)).toBe(true);

    await bob.request('msg.send', {
      id: newId(),
      conversationId: direct,
      kind: 'text',
      text: '',
      forward: { conversationId: groupId, messageIds: [source.id], merged: true },
    });
    const merged = await carol.nextEvent('msg.new', (p) => p.message.kind === 'history');
    expect(merged.message.body?.kind === 'history' && merged.message.body.items[0]!.body).toMatchObject({
      kind: 'file',
      mediaId: stored.fileId,
    });
  });

  it('refuses file bodies that are not one chat file: both or neither reference, an image, a stranger’s file', async () => {
    const neither = await sendFile(alice, groupId, fileBody({}));
    expect(neither.payload.error).toMatchObject({ code: 'invalid', reason: 'content_invalid' });
    const both = await sendFile(alice, groupId, fileBody({ mediaId: stored.fileId, driveNodeId: newId() }));
    expect(both.payload.error).toMatchObject({ code: 'invalid', reason: 'content_invalid' });
    const own = bytesOf(1000);
    const carols = await tusUpload(
      relay.url,
      carol.grant.token,
      declare(own, { type: 'chat', conversationId: await carolsChat() }),
      own,
    );
    const stranger = await sendFile(alice, groupId, fileBody({ mediaId: carols.fileId }));
    expect(stranger.payload.error).toMatchObject({ code: 'invalid', reason: 'media_not_found' });
    await othersStillChat();
  });
});

describe(`upload faults (${process.env.QIXIN_TEST_STORE ?? 'sqlite'})`, () => {
  it('keeps what arrived when a PATCH is cut off: HEAD says how far, nothing is visible, and the upload resumes', async () => {
    const bytes = bytesOf(600 * 1024);
    const declaration = declare(bytes, chat(), { name: 'cut.bin' });
    const created = await tusCreate(relay.url, alice.grant.token, declaration);
    expect(created.status).toBe(201);
    expect(created.location).toMatch(new RegExp(`^${FileHttpPaths.uploads}/[0-9a-f-]{36}$`));
    const cutAt = 200 * 1024;
    const cut = await tusPatch(relay.url, alice.grant.token, created.location!, 0, bytes, {
      cutAfter: cutAt,
      stored: async () => uploadedBytes(relay.shared.dataDir, created.location!) === cutAt,
    });
    expect(cut).toBeNull();
    await waitUntil(async () => (await tusHead(relay.url, alice.grant.token, created.location!)).status === 200);
    const head = await tusHead(relay.url, alice.grant.token, created.location!);
    expect(head.headers['upload-offset']).toBe(String(cutAt));
    expect(head.headers['upload-length']).toBe(String(bytes.length));

    // Under way: the uploader hears how far it got, nobody else hears anything.
    const incomplete = await committed(relay.url, alice.grant.token, declaration.fileId);
    expect(incomplete.status).toBe(409);
    expect(incomplete.json).toMatchObject({ error: { reason: 'upload_incomplete' }, offset: cutAt });
    expect((await committed(relay.url, bob.grant.token, declaration.fileId)).status).toBe(404);
    expect((await download(relay.url, alice.grant.token, declaration.fileId)).status).toBe(404);
    expect(blobFiles(relay.shared.dataDir)).not.toContain(declaration.sha256);
    await othersStillChat();

    const rest = await tusPatch(relay.url, alice.grant.token, created.location!, cutAt, bytes.subarray(cutAt));
    expect(rest!.status).toBe(204);
    expect(rest!.headers['upload-offset']).toBe(String(bytes.length));
    expect(storedFileOf(rest!)).toMatchObject({ fileId: declaration.fileId, sha256: declaration.sha256 });
    expect((await download(relay.url, alice.grant.token, declaration.fileId)).bytes.equals(bytes)).toBe(true);
  });

  it('refuses a chunk at the wrong offset with 409 upload_offset_mismatch and keeps the upload as it was', async () => {
    const bytes = bytesOf(100 * 1024);
    const declaration = declare(bytes, chat());
    const created = await tusCreate(relay.url, alice.grant.token, declaration);
    const first = await tusPatch(relay.url, alice.grant.token, created.location!, 0, bytes.subarray(0, 40_000));
    expect(first!.status).toBe(204);
    const early = await tusPatch(relay.url, alice.grant.token, created.location!, 0, bytes.subarray(0, 1000));
    const late = await tusPatch(relay.url, alice.grant.token, created.location!, 60_000, bytes.subarray(60_000));
    for (const answer of [early!, late!]) {
      expect(answer.status).toBe(409);
      expect(answer.headers['content-type']).toContain('application/json');
      expect(answer.json.error).toMatchObject({ code: 'conflict', reason: 'upload_offset_mismatch' });
    }
    expect((await tusHead(relay.url, alice.grant.token, created.location!)).headers['upload-offset']).toBe('40000');
    // Bytes past the declared size are refused too.
    const tooMany = await tusPatch(relay.url, alice.grant.token, created.location!, 40_000, bytesOf(70_000));
    expect(tooMany!.status).toBe(413);
    expect(tooMany!.json.error.reason).toBe('file_size_mismatch');
    const done = await tusPatch(relay.url, alice.grant.token, created.location!, 40_000, bytes.subarray(40_000));
    expect(storedFileOf(done!)!.sha256).toBe(sha256Hex(bytes));
    await othersStillChat();
  });

  it('refuses bytes that do not have the declared sha256 with 460 file_hash_mismatch, and keeps nothing', async () => {
    const bytes = bytesOf(300 * 1024);
    const declaration = declare(bytes, chat(), { sha256: sha256Hex(bytesOf(10)) });
    const created = await tusCreate(relay.url, alice.grant.token, declaration);
    const half = await tusPatch(relay.url, alice.grant.token, created.location!, 0, bytes.subarray(0, 150 * 1024));
    expect(half!.status).toBe(204);
    const last = await tusPatch(
      relay.url,
      alice.grant.token,
      created.location!,
      150 * 1024,
      bytes.subarray(150 * 1024),
    );
    expect(last!.status).toBe(460);
    expect(last!.json.error).toMatchObject({ code: 'invalid', reason: 'file_hash_mismatch' });
    expect((await tusHead(relay.url, alice.grant.token, created.location!)).status).toBe(404);
    expect((await committed(relay.url, alice.grant.token, declaration.fileId)).status).toBe(404);
    expect(uploadFiles(relay.shared.dataDir)).toEqual([]);
    expect(blobFiles(relay.shared.dataDir)).not.toContain(sha256Hex(bytes));
    const send = await sendFile(alice, groupId, fileBody({ mediaId: declaration.fileId }));
    expect(send.payload.error.reason).toBe('media_not_found');
    await othersStillChat();
  });

  it('refuses an upload to a chat the uploader is not in, before any byte', async () => {
    const bytes = bytesOf(1000);
    const answer = await tusCreate(relay.url, carol.grant.token, declare(bytes, chat()), { body: bytes });
    expect(answer.status).toBe(403);
    expect(answer.json.error).toMatchObject({ code: 'forbidden', reason: 'not_a_member' });
    const nowhere = await tusCreate(
      relay.url,
      alice.grant.token,
      declare(bytes, { type: 'chat', conversationId: newId() }),
    );
    expect(nowhere.json.error.reason).toBe('not_a_member');
    expect(uploadFiles(relay.shared.dataDir)).toEqual([]);
    await othersStillChat();
  });

  it('refuses names with ../, NUL, control characters, or . and .. with 400 file_name_invalid', async () => {
    const bytes = bytesOf(10);
    for (const name of [
      '../../etc/passwd',
      'a\u0000b.txt',
      '..',
      '.',
      'line\nbreak.txt',
      'dir\\file.txt',
      ' spaced.txt',
      '',
    ]) {
      const answer = await tusCreate(relay.url, alice.grant.token, declare(bytes, chat(), { name }));
      expect(answer.status, name).toBe(400);
      expect(answer.json.error.reason, name).toBe('file_name_invalid');
    }
    expect(uploadFiles(relay.shared.dataDir)).toEqual([]);
    await othersStillChat();
  });

  it('refuses a file over the chat limit with 413 file_too_large before a byte, and a length that lies', async () => {
    const big = { ...declare(Buffer.alloc(0), chat()), size: CHAT_LIMIT + 1, sha256: sha256Hex(Buffer.from('x')) };
    const answer = await tusCreate(relay.url, alice.grant.token, big, { body: bytesOf(64 * 1024) });
    expect(answer.status).toBe(413);
    expect(answer.json.error).toMatchObject({ code: 'too_large', reason: 'file_too_large' });
    const lie = await tusCreate(relay.url, alice.grant.token, declare(bytesOf(100), chat()), { length: 99 });
    expect(lie.status).toBe(400);
    expect(lie.json.error.reason).toBe('file_size_mismatch');
    const deferred = await tusCreate(relay.url, alice.grant.token, declare(bytesOf(100), chat()), {
      headers: { 'upload-length': undefined, 'upload-defer-length': '1' },
    });
    expect(deferred.status).toBe(400);
    expect(uploadFiles(relay.shared.dataDir)).toEqual([]);
    await othersStillChat();
  });

  it('keeps an upload its creator’s: another user’s HEAD, PATCH, DELETE and GET get 404, no session gets 401', async () => {
    const bytes = bytesOf(50_000);
    const declaration = declare(bytes, chat());
    const created = await tusCreate(relay.url, alice.grant.token, declaration);
    await tusPatch(relay.url, alice.grant.token, created.location!, 0, bytes.subarray(0, 20_000));
    const location = created.location!;
    const answers = [
      await tusHead(relay.url, bob.grant.token, location),
      (await tusPatch(relay.url, bob.grant.token, location, 20_000, bytes.subarray(20_000)))!,
      await tusDelete(relay.url, bob.grant.token, location),
      await httpRequest(relay.url, 'GET', location, { token: bob.grant.token }),
      // Not even its creator reads the bytes under way.
      await httpRequest(relay.url, 'GET', location, { token: alice.grant.token }),
    ];
    for (const answer of answers) expect(answer.status).toBe(404);
    expect(answers[1]!.json.error.reason).toBe('upload_not_found');
    expect((await committed(relay.url, bob.grant.token, declaration.fileId)).status).toBe(404);
    expect((await tusHead(relay.url, null, location)).status).toBe(401);
    expect((await tusCreate(relay.url, 'forged-token', declare(bytes, chat()))).status).toBe(401);
    expect((await tusHead(relay.url, alice.grant.token, location)).headers['upload-offset']).toBe('20000');

    // Its creator cancels it: the bytes and the record go.
    expect((await tusDelete(relay.url, alice.grant.token, location)).status).toBe(204);
    expect((await tusHead(relay.url, alice.grant.token, location)).status).toBe(404);
    expect((await committed(relay.url, alice.grant.token, declaration.fileId)).status).toBe(404);
    expect(uploadFiles(relay.shared.dataDir)).toEqual([]);
  });

  it('takes one upload per file id', async () => {
    const bytes = bytesOf(10_000);
    const declaration = declare(bytes, chat());
    await tusUpload(relay.url, alice.grant.token, declaration, bytes);
    const again = await tusCreate(relay.url, alice.grant.token, declaration);
    expect(again.status).toBe(409);
    const bobs = await tusCreate(relay.url, bob.grant.token, { ...declaration, name: '别人的.bin' });
    expect(bobs.status).toBe(409);
  });

  it('stores a zero-byte file at creation, and sends and downloads it', async () => {
    const declaration = declare(Buffer.alloc(0), chat(), { name: '空文件 🫙.txt', mime: 'text/plain' });
    const created = await tusCreate(relay.url, alice.grant.token, declaration);
    expect(created.status).toBe(201);
    const file = storedFileOf(created)!;
    expect(file).toMatchObject({ size: 0, sha256: sha256Hex(Buffer.alloc(0)) });
    expect((await sendFile(alice, groupId, fileBody({ mediaId: file.fileId }))).payload.ok).toBe(true);
    const got = await download(relay.url, bob.grant.token, file.fileId);
    expect(got.status).toBe(200);
    expect(got.bytes.length).toBe(0);
    expect(got.headers['content-length']).toBe('0');
  });

  it('works with tus-js-client, the ecosystem’s own client', async () => {
    const bytes = bytesOf(300 * 1024 + 7);
    const declaration = declare(bytes, chat(), { name: 'tus 客户端.bin' });
    const file = await new Promise<StoredFile>((resolve, reject) => {
      const upload = new tus.Upload(bytes, {
        endpoint: new URL(FileHttpPaths.uploads, relay.url).toString(),
        headers: { authorization: `Bearer ${alice.grant.token}` },
        metadata: {
          fileId: declaration.fileId,
          name: declaration.name,
          size: String(declaration.size),
          mime: declaration.mime,
          sha256: declaration.sha256,
          target: JSON.stringify(declaration.target),
        },
        uploadSize: bytes.length,
        chunkSize: 100 * 1024,
        retryDelays: null,
        storeFingerprintForResuming: false,
        onError: reject,
        onSuccess: ({ lastResponse }) => resolve(JSON.parse(lastResponse.getHeader('Qixin-Stored-File')!)),
      });
      upload.start();
    });
    expect(file).toMatchObject({ fileId: declaration.fileId, name: 'tus 客户端.bin', sha256: declaration.sha256 });
    expect((await download(relay.url, alice.grant.token, file.fileId)).bytes.equals(bytes)).toBe(true);
  });
});

describe(`uploads across a relay restart (${process.env.QIXIN_TEST_STORE ?? 'sqlite'})`, () => {
  it('resumes after the relay restarted, verifying the bytes that arrived before', async () => {
    const first = await startTestRelay();
    const admin = await openClient(first.url, await createEnterprise(first.url));
    const d = await addMember(admin, { account: 'dora', name: '朵拉' });
    const e = await addMember(admin, { account: 'eric', name: '埃里克' });
    await admin.close();
    const grant = await signIn(first.url, 'dora', d.password);
    const dora = await openClient(first.url, grant);
    const own = (await dora.request('conv.create', { type: 'group', memberIds: [e.user.id], name: '两人组' }))
      .conversation.id;
    await dora.close();
    const bytes = bytesOf(400 * 1024);
    const declaration = declare(bytes, { type: 'chat', conversationId: own });
    const created = await tusCreate(first.url, grant.token, declaration);
    await tusPatch(first.url, grant.token, created.location!, 0, bytes.subarray(0, 123_457));
    await first.relay.close();

    const second = await startTestRelay({ shared: first.shared });
    try {
      const head = await tusHead(second.url, grant.token, created.location!);
      expect(head.headers['upload-offset']).toBe('123457');
      const rest = await tusPatch(second.url, grant.token, created.location!, 123_457, bytes.subarray(123_457));
      expect(storedFileOf(rest!)).toMatchObject({ fileId: declaration.fileId, sha256: declaration.sha256 });
      expect((await download(second.url, grant.token, declaration.fileId)).bytes.equals(bytes)).toBe(true);
    } finally {
      await second.relay.close();
      await first.close();
    }
  });
});

/** Carol's direct chat with bob (she is not in the group). */
let carolsChatId: string | undefined;
async function carolsChat(): Promise<string> {
  carolsChatId ??= (await carol.request('conv.create', { type: 'direct', memberIds: [bob.userId] })).conversation.id;
  return carolsChatId;
}
