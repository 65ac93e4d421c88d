// Uploads into the drive (微盘) over the same tus and 秒传 endpoints: the drive's size limit and
// quotas are checked before any byte and again at commit (two uploads that fit alone but not
// together), a folder one may not write to takes nothing, and a drive file sent into a chat is a
// link the relay fills in.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileHttpPaths } from '../../shared/protocol';
import {
  committed,
  fileBody,
  instant,
  sendFile,
  uploadFiles,
  distinctBytes,
  signedInPeople,
} from '../support/files-relay';
import { startTestRelay, type TestClient, type TestRelay } from '../support/relay';
import {
  declare,
  httpRequest,
  proofHashes,
  storedFileOf,
  tusCreate,
  tusHead,
  tusPatch,
  tusUpload,
} from '../support/tus-client';

const QUOTA = 1_000_000;
const DRIVE_LIMIT = 1_500_000;

let relay: TestRelay;
let alice: TestClient;
let bob: TestClient;
let aliceRoot: string;
let bobRoot: string;

beforeAll(async () => {
  relay = await startTestRelay({ files: { personalQuotaBytes: QUOTA, driveFileMaxBytes: DRIVE_LIMIT } });
  [alice, bob] = await signedInPeople(relay, [
    { account: 'alice', name: '爱丽丝' },
    { account: 'bob', name: '鲍勃' },
  ]);
  const rootOf = async (c: TestClient) =>
    (await c.request('drive.spaces', {})).spaces.find((s) => s.kind === 'personal')!.rootId;
  aliceRoot = await rootOf(alice);
  bobRoot = await rootOf(bob);
});

afterAll(async () => {
  await Promise.all([alice, bob].map((c) => c?.close()));
  await relay?.close();
});

const bytesOf = distinctBytes('drive');

describe(`drive uploads (${process.env.QIXIN_TEST_STORE ?? 'sqlite'})`, () => {
  const plan = bytesOf(600_000);
  let planId: string;

  it('stores a drive upload as a file in the folder, downloadable with the same bytes', async () => {
    const declaration = declare(plan, { type: 'drive', folderId: aliceRoot }, { name: '年度计划 2025.xlsx' });
    const file = await tusUpload(relay.url, alice.grant.token, declaration, plan, 200_000);
    planId = file.fileId;
    expect(file).toMatchObject({ name: '年度计划 2025.xlsx', target: { type: 'drive', folderId: aliceRoot } });
    expect(file.expiresAt).toBeNull();
    const { children } = await alice.request('drive.list', { folderId: aliceRoot });
    expect(children.map((c) => c.name)).toContain('年度计划 2025.xlsx');
    const content = await httpRequest(relay.url, 'GET', FileHttpPaths.nodeContent(planId), {
      token: alice.grant.token,
    });
    expect(content.status).toBe(200);
    expect(content.bytes.equals(plan)).toBe(true);
    expect((await committed(relay.url, alice.grant.token, planId)).json).toEqual(file);
  });

  it('refuses a drive file over the drive limit with 413, and one over the quota with quota_exceeded, before a byte', async () => {
    const big = { ...declare(Buffer.alloc(0), { type: 'drive', folderId: aliceRoot }), size: DRIVE_LIMIT + 1 };
    const tooBig = await tusCreate(relay.url, alice.grant.token, big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error.reason).toBe('file_too_large');
    const over = await tusCreate(
      relay.url,
      alice.grant.token,
      declare(bytesOf(QUOTA - 600_000 + 1), { type: 'drive', folderId: aliceRoot }),
    );
    expect(over.status).toBe(403);
    expect(over.json.error).toMatchObject({ code: 'forbidden', reason: 'quota_exceeded' });
    expect(uploadFiles(relay.shared.dataDir)).toEqual([]);
  });

  it('checks the quota again at commit: of two uploads that fit alone, the second to finish is refused', async () => {
    const one = bytesOf(300_000);
    const two = bytesOf(300_000);
    const target = { type: 'drive' as const, folderId: aliceRoot };
    const first = declare(one, target, { name: '一.bin' });
    const second = declare(two, target, { name: '二.bin' });
    const a = await tusCreate(relay.url, alice.grant.token, first);
    const b = await tusCreate(relay.url, alice.grant.token, second);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(storedFileOf((await tusPatch(relay.url, alice.grant.token, a.location!, 0, one))!)).not.toBeNull();
    const refused = await tusPatch(relay.url, alice.grant.token, b.location!, 0, two);
    expect(refused!.status).toBe(403);
    expect(refused!.json.error.reason).toBe('quota_exceeded');
    expect((await tusHead(relay.url, alice.grant.token, b.location!)).status).toBe(404);
    expect((await committed(relay.url, alice.grant.token, second.fileId)).status).toBe(404);
    const { children } = await alice.request('drive.list', { folderId: aliceRoot });
    expect(children.map((c) => c.name).sort()).toEqual(['一.bin', '年度计划 2025.xlsx']);
  });

  it('takes nothing into a folder the uploader may not write to', async () => {
    const bytes = bytesOf(1000);
    const answer = await tusCreate(relay.url, bob.grant.token, declare(bytes, { type: 'drive', folderId: aliceRoot }));
    expect(answer.status).toBe(404);
    expect(answer.json.error.reason).toBe('file_not_found');
  });

  it('stores a drive file by 秒传 in another person’s space, counted in their quota', async () => {
    const declaration = declare(plan, { type: 'drive', folderId: bobRoot }, { name: '计划副本.xlsx' });
    const challenge = (await instant(relay.url, bob.grant.token, { declaration })).json;
    expect(challenge.status).toBe('challenge');
    const answer = await instant(relay.url, bob.grant.token, {
      declaration,
      proof: { nonce: challenge.nonce, hashes: proofHashes(challenge.nonce, challenge.ranges, plan) },
    });
    expect(answer.json).toMatchObject({ status: 'stored', file: { name: '计划副本.xlsx', size: plan.length } });
    expect((await bob.request('drive.usage', {})).personalUsedBytes).toBe(plan.length);
  });

  it('sends a drive file into a chat as a link the relay fills in', async () => {
    const direct = (await alice.request('conv.create', { type: 'direct', memberIds: [bob.userId] })).conversation.id;
    const sent = await sendFile(alice, direct, fileBody({ driveNodeId: planId, name: 'x', size: 1 }));
    expect(sent.payload.ok).toBe(true);
    const got = await bob.nextEvent('msg.new', (p) => p.message.body?.kind === 'file' && !p.message.body.mediaId);
    expect(got.message.body).toEqual({
      kind: 'file',
      mediaId: null,
      driveNodeId: planId,
      name: '年度计划 2025.xlsx',
      size: plan.length,
      mime: 'application/octet-stream',
      sha256: createHash('sha256').update(plan).digest('hex'),
      expiresAt: null,
    });
    // Bob may not send on a link to a file he cannot reach.
    const relayed = await sendFile(bob, direct, fileBody({ driveNodeId: planId }));
    expect(relayed.payload.error.reason).toBe('file_not_found');
  });
});
