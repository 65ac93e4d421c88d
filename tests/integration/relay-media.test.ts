// Chat media on a real relay over HTTP: upload, download by a member who got the message, and every
// refusal a person can meet (too large, wrong type, not signed in, not a member, a broken-off upload),
// while the relay keeps serving everyone else.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpPaths, MediaLimits, type MediaUpload } from '../../shared/protocol';
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

let relay: TestRelay;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;
let groupId: string;

beforeAll(async () => {
  relay = await startTestRelay();
  const admin = await openClient(relay.url, await createEnterprise(relay.url));
  const a = await addMember(admin, { account: 'alice', name: '爱丽丝' });
  const b = await addMember(admin, { account: 'bob', name: '鲍勃' });
  const c = await addMember(admin, { account: 'carol', name: '卡罗尔' });
  await admin.close();
  alice = await openClient(relay.url, await signIn(relay.url, 'alice', a.password));
  bob = await openClient(relay.url, await signIn(relay.url, 'bob', b.password));
  carol = await openClient(relay.url, await signIn(relay.url, 'carol', c.password));
  groupId = (await alice.request('conv.create', { type: 'group', memberIds: [bob.userId], name: '设计组' }))
    .conversation.id;
});

afterAll(async () => {
  await Promise.all([alice, bob, carol].map((c) => c?.close()));
  await relay?.close();
});

// --------------------------------------------------------------------------- HTTP helpers

type Answer = { status: number; headers: http.IncomingHttpHeaders; bytes: Buffer; json: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

function collect(res: http.IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', reject);
    res.on('end', () => {
      const bytes = Buffer.concat(chunks);
      let json: unknown = null;
      try {
        json = JSON.parse(bytes.toString('utf8'));
      } catch {
        // not JSON: a download
      }
      resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, json });
    });
  });
}

/**
 * POSTs `chunks` one by one (chunked unless `contentLength`), waiting for each to drain, and stops
 * writing once the relay has answered (a refusal closes the connection).
 */
function upload(
  token: string | null,
  kind: string,
  mime: string,
  chunks: Iterable<Buffer> | AsyncIterable<Buffer>,
  opts: { contentLength?: number } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { 'content-type': mime };
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.contentLength !== undefined) headers['content-length'] = opts.contentLength;
    let answered = false;
    const req = http.request(new URL(`${HttpPaths.mediaUpload}?kind=${kind}`, relay.url), { method: 'POST', headers });
    req.on('response', (res) => {
      answered = true;
      collect(res).then(resolve, reject);
    });
    // Writing into a connection the relay closed after refusing: the answer is what counts.
    req.on('error', (err) => (answered ? undefined : reject(err)));
    void (async () => {
      for await (const chunk of chunks) {
        if (answered || req.destroyed) return;
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      }
      if (!answered) req.end();
    })();
  });
}

function download(token: string | null, mediaId: string, headers: http.OutgoingHttpHeaders = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(HttpPaths.media(mediaId), relay.url), {
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    req.on('response', (res) => collect(res).then(resolve, reject));
    req.on('error', reject);
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A real PNG header followed by filler: the relay checks the first bytes, not the whole picture. */
function png(size: number, fill = 1): Buffer {
  const head = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  return Buffer.concat([head, Buffer.alloc(size - head.length, fill)]);
}

function* pieces(bytes: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function mediaRowCount(): Promise<number> {
  if (relay.store === 'sqlite') {
    const db = new Database(path.join(relay.shared.dataDir, 'qixin.db'), { readonly: true });
    try {
      return (db.prepare('select count(*) as n from media').get() as { n: number }).n;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: relay.shared.databaseUrl });
  await client.connect();
  try {
    return Number((await client.query('select count(*) as n from media')).rows[0].n);
  } finally {
    await client.end();
  }
}

function blobFiles(): string[] {
  const root = path.join(relay.shared.dataDir, 'blobs');
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

const tempFiles = () => blobFiles().filter((f) => f.startsWith('tmp'));

async function sendImage(from: TestClient, conversationId: string, media: MediaUpload) {
  return from.request('msg.send', {
    id: newId(),
    conversationId,
    kind: 'image',
    text: '',
    body: {
      kind: 'image',
      mediaId: media.mediaId,
      thumbId: null,
      mime: media.mime,
      size: media.size,
      width: 640,
      height: 480,
    },
  } as never);
}

// --------------------------------------------------------------------------------- tests

describe(`chat media on the relay (${process.env.QIXIN_TEST_STORE ?? 'sqlite'})`, () => {
  const photo = png(300 * 1024, 7);
  let uploaded: MediaUpload;

  it('stores an upload and gives its uploader the same bytes back', async () => {
    const res = await upload(alice.grant.token, 'image', 'image/png', pieces(photo));
    expect(res.status).toBe(201);
    uploaded = res.json;
    expect(uploaded).toMatchObject({ kind: 'image', mime: 'image/png', size: photo.length, sha256: sha256(photo) });
    const back = await download(alice.grant.token, uploaded.mediaId);
    expect(back.status).toBe(200);
    expect(sha256(back.bytes)).toBe(sha256(photo));
    expect(back.headers).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': 'inline',
      'x-content-type-options': 'nosniff',
      etag: `"${sha256(photo)}"`,
    });
    expect(back.headers['cache-control']).toContain('immutable');
  });

  it('lets a member who received a message with the image download the same bytes; others get 404', async () => {
    // Before any message references it, the id is the uploader's alone.
    expect((await download(bob.grant.token, uploaded.mediaId)).status).toBe(404);
    await sendImage(alice, groupId, uploaded);
    const received = await bob.nextEvent(
      'msg.new',
      (p) => p.message.conversationId === groupId && p.message.kind === 'image',
    );
    expect(received.message.body).toMatchObject({ kind: 'image', mediaId: uploaded.mediaId });
    const got = await download(bob.grant.token, uploaded.mediaId);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(photo)).toBe(true);

    const outsider = await download(carol.grant.token, uploaded.mediaId);
    expect(outsider.status).toBe(404);
    expect(outsider.json.error).toMatchObject({ code: 'not_found', reason: 'media_not_found' });
    // An id that exists nowhere looks exactly the same: existence is not revealed.
    expect((await download(carol.grant.token, newId())).json.error).toEqual(outsider.json.error);
  });

  it('refuses an image someone else uploaded and never sent to you, in a message', async () => {
    const own = (await upload(carol.grant.token, 'image', 'image/png', [png(2048, 9)])).json as MediaUpload;
    const frame = await alice.call('msg.send', {
      id: newId(),
      conversationId: groupId,
      kind: 'image',
      text: '',
      body: { kind: 'image', mediaId: own.mediaId, thumbId: null, mime: 'image/png', size: 2048, width: 1, height: 1 },
    });
    expect(frame.payload.ok).toBe(false);
    expect(frame.payload.error).toMatchObject({ code: 'invalid', reason: 'media_not_found' });
  });

  it('lets a former member load the images from before they left, and not those sent after', async () => {
    const team = (await alice.request('conv.create', { type: 'group', memberIds: [carol.userId], name: '临时组' }))
      .conversation.id;
    const before = (await upload(alice.grant.token, 'image', 'image/png', [png(4096, 11)])).json as MediaUpload;
    await sendImage(alice, team, before);
    await carol.nextEvent('msg.new', (p) => p.message.conversationId === team && p.message.kind === 'image');
    await carol.request('conv.leave', { conversationId: team });
    const after = (await upload(alice.grant.token, 'image', 'image/png', [png(4096, 12)])).json as MediaUpload;
    await sendImage(alice, team, after);
    expect((await download(carol.grant.token, before.mediaId)).status).toBe(200);
    expect((await download(carol.grant.token, after.mediaId)).status).toBe(404);
  });

  it('answers Range requests with 206 and the asked bytes, and If-None-Match with 304', async () => {
    const part = await download(bob.grant.token, uploaded.mediaId, { range: 'bytes=100-1099' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-1099/${photo.length}`);
    expect(part.bytes.equals(photo.subarray(100, 1100))).toBe(true);
    const tail = await download(bob.grant.token, uploaded.mediaId, { range: 'bytes=-10' });
    expect(tail.bytes.equals(photo.subarray(photo.length - 10))).toBe(true);
    const past = await download(bob.grant.token, uploaded.mediaId, { range: `bytes=${photo.length}-` });
    expect(past.status).toBe(416);
    const cached = await download(bob.grant.token, uploaded.mediaId, { 'if-none-match': `"${uploaded.sha256}"` });
    expect(cached.status).toBe(304);
    expect(cached.bytes.length).toBe(0);
  });

  it('refuses an oversized image with 413 media_too_large as it streams, and keeps nothing', async () => {
    const rowsBefore = await mediaRowCount();
    const blobsBefore = blobFiles();
    const oneMb = png(1024 * 1024, 3);
    let sent = 0;
    async function* tooBig() {
      // Far past the limit: the relay must answer long before the client runs out of bytes.
      for (let i = 0; i < 200; i++) {
        sent++;
        yield oneMb;
      }
    }
    const res = await upload(alice.grant.token, 'image', 'image/png', tooBig());
    expect(res.status).toBe(413);
    expect(res.json.error).toMatchObject({ code: 'too_large', reason: 'media_too_large' });
    expect(sent).toBeLessThan(200);
    expect(await mediaRowCount()).toBe(rowsBefore);
    expect(blobFiles()).toEqual(blobsBefore);

    // A declared Content-Length over the limit is refused before a byte is read.
    const declared = await upload(alice.grant.token, 'image', 'image/png', [oneMb], {
      contentLength: MediaLimits.imageMaxBytes + 1,
    });
    expect(declared.status).toBe(413);
    expect(declared.json.error.reason).toBe('media_too_large');
    expect(blobFiles()).toEqual(blobsBefore);
  });

  it('refuses a type that does not fit the kind, or bytes that are not the declared image, with 415', async () => {
    const blobsBefore = blobFiles();
    const html = await upload(alice.grant.token, 'image', 'text/html', [Buffer.from('<script>alert(1)</script>')]);
    expect(html.status).toBe(415);
    expect(html.json.error).toMatchObject({ code: 'invalid', reason: 'media_type_mismatch' });
    const disguised = await upload(alice.grant.token, 'image', 'image/png', [
      Buffer.from('<svg onload="alert(1)">…</svg>'),
    ]);
    expect(disguised.status).toBe(415);
    expect(disguised.json.error.reason).toBe('media_type_mismatch');
    const voiceAsVideo = await upload(alice.grant.token, 'voice', 'video/mp4', [Buffer.alloc(100)]);
    expect(voiceAsVideo.status).toBe(415);
    expect(blobFiles()).toEqual(blobsBefore);
  });

  it('refuses uploads and downloads without a valid session with 401', async () => {
    const anonymous = await upload(null, 'image', 'image/png', [png(1024)]);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe('unauthenticated');
    const forged = await upload('not-a-session-token', 'image', 'image/png', [png(1024)]);
    expect(forged.status).toBe(401);
    expect((await download(null, uploaded.mediaId)).status).toBe(401);
  });

  it('leaves no media row and no file behind when the client breaks an upload off', async () => {
    const rowsBefore = await mediaRowCount();
    const blobsBefore = blobFiles();
    const req = http.request(new URL(`${HttpPaths.mediaUpload}?kind=video`, relay.url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${alice.grant.token}`,
        'content-type': 'video/mp4',
        'content-length': 4_000_000,
      },
    });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(512 * 1024, 5));
    // Wait until the relay is writing the temp file, then vanish.
    await waitUntil(() => tempFiles().length === 1);
    req.destroy();
    await waitUntil(() => tempFiles().length === 0);
    expect(await mediaRowCount()).toBe(rowsBefore);
    expect(blobFiles()).toEqual(blobsBefore);
  });

  it('keeps serving everyone else while a large upload is under way', async () => {
    const mb = Buffer.alloc(1024 * 1024, 6);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* slowVideo() {
      for (let i = 0; i < 40; i++) {
        if (i === 10) await gate; // hold the upload open while the others are served
        yield mb;
      }
    }
    const big = upload(alice.grant.token, 'video', 'video/mp4', slowVideo());
    await waitUntil(() => tempFiles().length === 1);
    // Chat, another upload and a download all complete while the big upload waits mid-body.
    const text = await bob.request('msg.send', { id: newId(), conversationId: groupId, text: '收到图片了' });
    expect(text.message.seq).toBeGreaterThan(0);
    const small = await upload(bob.grant.token, 'voice', 'audio/webm;codecs=opus', [Buffer.alloc(4000, 1)]);
    expect(small.status).toBe(201);
    expect(small.json.mime).toBe('audio/webm');
    expect((await download(bob.grant.token, uploaded.mediaId)).status).toBe(200);
    expect(tempFiles()).toHaveLength(1);
    release();
    const done = await big;
    expect(done.status).toBe(201);
    expect(done.json).toMatchObject({ kind: 'video', size: 40 * mb.length });
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
