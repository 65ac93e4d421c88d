// Chat media through desktop cores and their browser bridges: the sender uploads and sees the image
// (also offline), a colleague in the chat loads the same bytes through their own bridge, and what
// cannot be had (offline and not cached, a URL without this launch's signature) fails clearly.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridgeServer, type BridgeServer } from '../../main/core/browser/bridge-server';
import type { MediaUpload } from '../../shared/protocol';
import { history, online, removeTempDirs, startTestCore, tempDir, waitFor, type TestCore } from '../support/core';
import { startRelayForCores, type RelayForCores } from '../support/core-relay';

let relay: RelayForCores;
let zhang: TestCore;
let li: TestCore;
let wang: TestCore;
const bridges = new Map<TestCore, BridgeServer>();
let groupId: string;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A JPEG's first bytes and then filler: the relay checks the head, not the picture. */
function jpeg(size: number, fill: number): Buffer {
  const head = Buffer.from('ffd8ffe000104a4649460001', 'hex');
  return Buffer.concat([head, Buffer.alloc(size - head.length, fill)]);
}

async function load(core: TestCore, url: string, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(url, `http://127.0.0.1:${bridges.get(core)!.port}`), { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function urlOf(core: TestCore, mediaId: string): Promise<string> {
  return (await core.call('media.url', { mediaId })).url;
}

async function sendImage(core: TestCore, media: MediaUpload) {
  await core.call('messages.send', {
    conversationId: groupId,
    kind: 'image',
    body: {
      kind: 'image',
      mediaId: media.mediaId,
      thumbId: null,
      mime: media.mime,
      size: media.size,
      width: 800,
      height: 600,
    },
  });
}

beforeAll(async () => {
  relay = await startRelayForCores();
  zhang = await startTestCore(relay.url, { deviceName: 'zhang-pc' });
  await zhang.call('session.createEnterprise', {
    enterpriseName: '企信科技',
    adminName: '张三',
    account: 'zhangsan',
    password: 'password-zhang',
  });
  const liId = (await zhang.call('directory.addMember', { name: '李四', account: 'lisi', password: 'password-li' }))
    .user.id;
  await zhang.call('directory.addMember', { name: '王五', account: 'wangwu', password: 'password-wang' });
  li = await startTestCore(relay.url, { deviceName: 'li-pc' });
  wang = await startTestCore(relay.url, { deviceName: 'wang-pc' });
  await li.call('session.signIn', { login: 'lisi', password: 'password-li' });
  await wang.call('session.signIn', { login: 'wangwu', password: 'password-wang' });
  await Promise.all([zhang, li, wang].map(online));
  groupId = (await zhang.call('conversations.createGroup', { name: '产品组', memberIds: [liId] })).conversation.id;
  const staticDir = tempDir('qixin-static-');
  for (const core of [zhang, li, wang]) {
    bridges.set(core, await startBridgeServer({ core: core.core, host: '127.0.0.1', port: 0, staticDir }));
  }
});

afterAll(async () => {
  await Promise.all([...bridges.values()].map((b) => b.close()));
  await Promise.all([zhang, li, wang].map((c) => c?.close()));
  await relay?.close();
  removeTempDirs();
});

describe('chat media through desktop cores', () => {
  const photo = jpeg(700 * 1024, 42);
  let uploaded: MediaUpload;

  it('uploads an image and serves it back through the bridge', async () => {
    uploaded = await zhang.call('media.upload', {
      kind: 'image',
      mime: 'image/jpeg',
      base64: photo.toString('base64'),
    });
    expect(uploaded).toMatchObject({ kind: 'image', mime: 'image/jpeg', size: photo.length, sha256: sha256(photo) });
    const url = await urlOf(zhang, uploaded.mediaId);
    expect(url.startsWith(`/media/${uploaded.mediaId}?sig=`)).toBe(true);
    const res = await load(zhang, url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.bytes.equals(photo)).toBe(true);
  });

  it("lets another member's core load the same bytes once the message arrives, with Range", async () => {
    await sendImage(zhang, uploaded);
    await waitFor(async () => (await history(li, groupId)).some((m) => m.kind === 'image'), {
      what: 'the image message reached 李四',
    });
    const url = await urlOf(li, uploaded.mediaId);
    // Several views of one image at once share one download.
    const all = await Promise.all([1, 2, 3, 4].map(() => load(li, url)));
    for (const res of all) {
      expect(res.status).toBe(200);
      expect(sha256(res.bytes)).toBe(uploaded.sha256);
    }
    const part = await load(li, url, { range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${photo.length}`);
    expect(part.bytes.equals(photo.subarray(1000, 2000))).toBe(true);
    expect(fs.readdirSync(path.join(li.dataDir, 'media', 'tmp'))).toEqual([]);
  });

  it('refuses a media URL without this launch’s signature, and a colleague outside the chat gets 404', async () => {
    const liUrl = await urlOf(li, uploaded.mediaId);
    expect((await load(li, `/media/${uploaded.mediaId}`)).status).toBe(403);
    expect((await load(li, `/media/${uploaded.mediaId}?sig=forged`)).status).toBe(403);
    // A signature is bound to its bridge's launch: 王五's bridge does not take 李四's URL.
    expect((await load(wang, liUrl)).status).toBe(403);
    expect((await load(wang, await urlOf(wang, uploaded.mediaId))).status).toBe(404);
  });

  it('shows the sender their own upload and cached images offline; an uncached one answers 503', async () => {
    const unseen = await zhang.call('media.upload', {
      kind: 'image',
      mime: 'image/jpeg',
      base64: jpeg(10 * 1024, 7).toString('base64'),
    });
    await sendImage(zhang, unseen);
    await waitFor(async () => (await history(li, groupId)).filter((m) => m.kind === 'image').length === 2, {
      what: 'the second image reached 李四',
    });
    await relay.stop();
    try {
      const own = await load(zhang, await urlOf(zhang, uploaded.mediaId));
      expect(own.status).toBe(200);
      expect(own.bytes.equals(photo)).toBe(true);
      const cached = await load(li, await urlOf(li, uploaded.mediaId));
      expect(cached.status).toBe(200);
      const offline = await load(li, await urlOf(li, unseen.mediaId));
      expect(offline.status).toBe(503);
    } finally {
      await relay.start();
    }
    await online(li);
    const later = await load(li, await urlOf(li, unseen.mediaId));
    expect(later.status).toBe(200);
    expect(sha256(later.bytes)).toBe(unseen.sha256);
  });

  it('refuses an oversized image before sending a byte, with media_too_large', async () => {
    const tooBig = Buffer.alloc(20 * 1024 * 1024 + 1, 1);
    await expect(
      zhang.call('media.upload', { kind: 'image', mime: 'image/png', base64: tooBig.toString('base64') }),
    ).rejects.toMatchObject({ code: 'too_large', reason: 'media_too_large' });
    // And the relay's own refusals come back with their reason.
    await expect(
      zhang.call('media.upload', { kind: 'image', mime: 'image/png', base64: jpeg(2048, 1).toString('base64') }),
    ).rejects.toMatchObject({ code: 'invalid', reason: 'media_type_mismatch' });
  });
});
