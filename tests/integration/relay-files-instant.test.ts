// 秒传 on a real relay: a file the relay already holds is stored again without its bytes, but only
// for someone who proves they have them (hashes of random ranges with a fresh nonce). The hash
// alone, a wrong or late proof, or a proof for another content yields nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileHttpPaths, FileLimits, HttpPaths, type InstantAnswer } from '../../shared/protocol';
import {
  blobFiles,
  committed,
  download,
  fileBody,
  instant,
  sendFile,
  distinctBytes,
  signedInPeople,
} from '../support/files-relay';
import { newId, startTestRelay, type TestClient, type TestRelay } from '../support/relay';
import { declare, httpRequest, proofHashes, sha256Hex, tusUpload } from '../support/tus-client';

let relay: TestRelay;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;
let groupId: string;
/** The relay's clock runs this far ahead of the real one (a challenge's 60 s pass in no time). */
let shift = 0;
const chat = () => ({ type: 'chat' as const, conversationId: groupId });

beforeAll(async () => {
  relay = await startTestRelay({ now: () => Date.now() + shift });
  [alice, bob, carol] = await signedInPeople(relay, [
    { account: 'alice', name: '爱丽丝' },
    { account: 'bob', name: '鲍勃' },
    { account: 'carol', name: '卡罗尔' },
  ]);
  groupId = (await alice.request('conv.create', { type: 'group', memberIds: [bob.userId], name: '资料组' }))
    .conversation.id;
});

afterAll(async () => {
  await Promise.all([alice, bob, carol].map((c) => c?.close()));
  await relay?.close();
});

const bytesOf = distinctBytes('instant');

describe(`秒传 (${process.env.QIXIN_TEST_STORE ?? 'sqlite'})`, () => {
  const held = bytesOf(1024 * 1024 + 3);

  beforeAll(async () => {
    await tusUpload(relay.url, alice.grant.token, declare(held, chat(), { name: '安装包.zip' }), held, 512 * 1024);
  });

  it('answers absent for content the relay does not hold', async () => {
    const answer = await instant(relay.url, bob.grant.token, { declaration: declare(bytesOf(5000), chat()) });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ status: 'absent' });
  });

  it('stores a held file for someone who proves they have the bytes, without the bytes travelling', async () => {
    const declaration = declare(held, chat(), { name: '我的副本.zip' });
    const challenge = (await instant(relay.url, bob.grant.token, { declaration })).json as InstantAnswer;
    if (challenge.status !== 'challenge') throw new Error(`expected a challenge, got ${challenge.status}`);
    expect(challenge.ranges).toHaveLength(FileLimits.proofRanges);
    for (const range of challenge.ranges) {
      expect(range.end - range.start + 1).toBe(FileLimits.proofRangeBytes);
      expect(range.end).toBeLessThan(held.length);
    }
    expect(challenge.expiresAt - Date.now()).toBeLessThanOrEqual(60_000);
    const blobsBefore = blobFiles(relay.shared.dataDir);

    const answer = await instant(relay.url, bob.grant.token, {
      declaration,
      proof: { nonce: challenge.nonce, hashes: proofHashes(challenge.nonce, challenge.ranges, held) },
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      status: 'stored',
      file: { fileId: declaration.fileId, name: '我的副本.zip', size: held.length, sha256: sha256Hex(held) },
    });
    // Equal bytes are stored once.
    expect(blobFiles(relay.shared.dataDir)).toEqual(blobsBefore);
    expect((await committed(relay.url, bob.grant.token, declaration.fileId)).json).toEqual(answer.json.file);

    // Asked again (the answer got lost): the same file, no new challenge.
    const again = await instant(relay.url, bob.grant.token, { declaration });
    expect(again.json).toEqual(answer.json);

    expect((await sendFile(bob, groupId, fileBody({ mediaId: declaration.fileId }))).payload.ok).toBe(true);
    await alice.nextEvent(
      'msg.new',
      (p) => p.message.body?.kind === 'file' && p.message.body.mediaId === declaration.fileId,
    );
    expect((await download(relay.url, alice.grant.token, declaration.fileId)).bytes.equals(held)).toBe(true);
  });

  it('never gives the file for its hash alone: guessed proofs fail, and the challenge is used up', async () => {
    const declaration = declare(held, chat(), { name: '只知道哈希.zip' });
    const challenge = (await instant(relay.url, bob.grant.token, { declaration })).json;
    const guessed = challenge.ranges.map((_: unknown, i: number) =>
      sha256Hex(Buffer.from(`${declaration.sha256}${i}`)),
    );
    const wrong = await instant(relay.url, bob.grant.token, {
      declaration,
      proof: { nonce: challenge.nonce, hashes: guessed },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error).toMatchObject({ code: 'forbidden', reason: 'proof_failed' });
    // The right answer after a wrong one: the challenge is gone.
    const late = await instant(relay.url, bob.grant.token, {
      declaration,
      proof: { nonce: challenge.nonce, hashes: proofHashes(challenge.nonce, challenge.ranges, held) },
    });
    expect(late.json.error.reason).toBe('proof_failed');
    // Hashes over the wrong bytes, the whole file's hash, or a made-up nonce fail alike.
    const other = (await instant(relay.url, bob.grant.token, { declaration })).json;
    const fakes = [
      { nonce: other.nonce, hashes: proofHashes(other.nonce, other.ranges, bytesOf(held.length)) },
      { nonce: other.nonce, hashes: other.ranges.map(() => declaration.sha256) },
      { nonce: 'f'.repeat(64), hashes: proofHashes('f'.repeat(64), other.ranges, held) },
    ];
    for (const proof of fakes) {
      const answer = await instant(relay.url, bob.grant.token, { declaration, proof });
      expect(answer.json.error.reason).toBe('proof_failed');
    }
    expect((await committed(relay.url, bob.grant.token, declaration.fileId)).status).toBe(404);
    expect((await download(relay.url, bob.grant.token, declaration.fileId)).status).toBe(404);
  });

  it('refuses a challenge answered by someone else, or after its 60 seconds', async () => {
    const declaration = declare(held, chat(), { name: '过期挑战.zip' });
    const challenge = (await instant(relay.url, bob.grant.token, { declaration })).json;
    const proof = { nonce: challenge.nonce, hashes: proofHashes(challenge.nonce, challenge.ranges, held) };
    const stolen = await instant(relay.url, alice.grant.token, {
      declaration: { ...declaration, fileId: newId() },
      proof,
    });
    expect(stolen.json.error.reason).toBe('proof_failed');

    const fresh = (await instant(relay.url, bob.grant.token, { declaration })).json;
    shift += 61_000;
    const expired = await instant(relay.url, bob.grant.token, {
      declaration,
      proof: { nonce: fresh.nonce, hashes: proofHashes(fresh.nonce, fresh.ranges, held) },
    });
    expect(expired.status).toBe(403);
    expect(expired.json.error.reason).toBe('proof_failed');
  });

  it('asks for the whole file when it is shorter than one range', async () => {
    const small = bytesOf(1000);
    await tusUpload(relay.url, alice.grant.token, declare(small, chat()), small);
    const declaration = declare(small, chat());
    const challenge = (await instant(relay.url, bob.grant.token, { declaration })).json;
    expect(challenge.ranges).toEqual([{ start: 0, end: 999 }]);
    const answer = await instant(relay.url, bob.grant.token, {
      declaration,
      proof: { nonce: challenge.nonce, hashes: proofHashes(challenge.nonce, challenge.ranges, small) },
    });
    expect(answer.json.status).toBe('stored');
  });

  it('stores a zero-byte file at once: the empty content is no secret', async () => {
    const declaration = declare(Buffer.alloc(0), chat(), { name: '空.txt', mime: 'text/plain' });
    const answer = await instant(relay.url, bob.grant.token, { declaration });
    expect(answer.json).toMatchObject({ status: 'stored', file: { size: 0, sha256: sha256Hex(Buffer.alloc(0)) } });
    const lying = await instant(relay.url, bob.grant.token, {
      declaration: declare(Buffer.alloc(0), chat(), { sha256: sha256Hex(Buffer.from('x')) }),
    });
    expect(lying.status).toBe(460);
    expect(lying.json.error.reason).toBe('file_hash_mismatch');
  });

  it('applies the target’s rules and the name rules before any challenge', async () => {
    const outsider = await instant(relay.url, carol.grant.token, { declaration: declare(held, chat()) });
    expect(outsider.status).toBe(403);
    expect(outsider.json.error.reason).toBe('not_a_member');
    const badName = await instant(relay.url, bob.grant.token, { declaration: declare(held, chat(), { name: '../x' }) });
    expect(badName.status).toBe(400);
    expect(badName.json.error.reason).toBe('file_name_invalid');
    const taken = await instant(relay.url, bob.grant.token, {
      declaration: { ...declare(held, chat()), fileId: await someStoredFileId() },
    });
    expect(taken.status).toBe(409);
    expect((await instant(relay.url, null, { declaration: declare(held, chat()) })).status).toBe(401);
    const garbage = await httpRequest(relay.url, 'POST', FileHttpPaths.instant, {
      token: bob.grant.token,
      body: Buffer.from('{"declaration":'),
    });
    expect(garbage.status).toBe(400);
  });

  it('tells a signed-in client the relay’s limits', async () => {
    const limits = await httpRequest(relay.url, 'GET', FileHttpPaths.limits, { token: bob.grant.token });
    expect(limits.json).toEqual({
      chatFileMaxBytes: FileLimits.chatFileMaxBytes,
      driveFileMaxBytes: FileLimits.driveFileMaxBytes,
      chatRetentionDays: FileLimits.chatRetentionDays,
    });
    expect((await httpRequest(relay.url, 'GET', FileHttpPaths.limits)).status).toBe(401);
  });

  it('refuses an image id in a file message', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(100)]);
    const image = await httpRequest(relay.url, 'POST', `${HttpPaths.mediaUpload}?kind=image`, {
      token: bob.grant.token,
      headers: { 'content-type': 'image/png' },
      body: png,
    });
    const send = await sendFile(bob, groupId, fileBody({ mediaId: image.json.mediaId }));
    expect(send.payload.error).toMatchObject({ reason: 'media_type_mismatch' });
  });
});

async function someStoredFileId(): Promise<string> {
  const bytes = bytesOf(10);
  return (await tusUpload(relay.url, alice.grant.token, declare(bytes, chat()), bytes)).fileId;
}
