/**
 * Drive (微盘) test helpers over a real relay (tests/support/relay.ts):
 *
 *   startDriveRelay(opts?) → DriveRelay: a relay with a movable clock (`clock.advance(ms)`), an admin
 *     client, and a second connection to the relay's own store and blob folder (`store`, `blobs`),
 *     used where the relay has no request for it (resolveDriveLink, the retention job).
 *   DriveRelay.person(name, departmentIds?) → TestClient of an activated member in those departments
 *   DriveRelay.department(name, parentId?) → department id (under the enterprise by default)
 *   DriveRelay.putFile(client, folderId, name, bytes, mime?) → DriveNode: a real tus upload to the
 *     relay into that folder (POST, one PATCH), then the node as drive.get shows it. A refusal
 *     rejects with an UploadRefused carrying the relay's error body (`reason`).
 *   tusUpload(url, token, declaration, bytes) → the committed StoredFile, or throws UploadRefused.
 *   DriveRelay.content(client, nodeId, {inline?, range?, method?}) → {status, headers, bytes, json}:
 *     GET FileHttpPaths.nodeContent over real HTTP with the client's session token.
 *   personalRoot(client) → the root folder id of the client's personal space.
 *   expectRefused(promise, reason) → asserts a request failed with that error reason.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { expect } from 'vitest';
import { newId } from '../../shared/lib/ids';
import {
  FileHttpPaths,
  QixinError,
  type DriveNode,
  type ErrorReason,
  type StoredFile,
  type UploadDeclaration,
} from '../../shared/protocol';
import type { DomainContext } from '../../server/domain/context';
import { Drive } from '../../server/drive/drive';
import { fileConfig, type FileConfig } from '../../server/files/file-config';
import { BlobStore } from '../../server/media/blob-store';
import { openStore, type Store } from '../../server/store/database';
import {
  activate,
  createEnterprise,
  createMember,
  openClient,
  RequestError,
  startTestRelay,
  type TestClient,
  type TestRelay,
  type TestRelayOptions,
} from './relay';
import { httpRequest, storedFileOf, tusCreate, tusPatch, type TusAnswer } from './tus-client';

export type HttpAnswer = TusAnswer;

export interface Clock {
  now(): number;
  advance(ms: number): void;
}

export interface DriveRelay {
  relay: TestRelay;
  url: string;
  admin: TestClient;
  enterpriseId: string;
  clock: Clock;
  store: Store;
  blobs: BlobStore;
  config: FileConfig;
  person(name: string, departmentIds?: string[]): Promise<TestClient>;
  department(name: string, parentId?: string): Promise<string>;
  putFile(client: TestClient, folderId: string, name: string, bytes: Buffer, mime?: string): Promise<DriveNode>;
  content(
    client: TestClient,
    nodeId: string,
    opts?: { inline?: boolean; range?: string; method?: 'GET' | 'HEAD' },
  ): Promise<HttpAnswer>;
  /** A Drive over the relay's store on the moved clock (for the retention job H1's relay runs). */
  drive(): Drive;
  close(): Promise<void>;
}

export async function startDriveRelay(opts: TestRelayOptions = {}): Promise<DriveRelay> {
  let offset = 0;
  const clock: Clock = { now: () => Date.now() + offset, advance: (ms) => (offset += ms) };
  const relay = await startTestRelay({ now: clock.now, ...opts });
  const grant = await createEnterprise(relay.url);
  const admin = await openClient(relay.url, grant);
  const store = await openStore({ databaseUrl: relay.shared.databaseUrl, dataDir: relay.shared.dataDir });
  const blobs = new BlobStore(path.join(relay.shared.dataDir, 'blobs'));
  await blobs.open();
  const config = fileConfig(opts.files);
  // Only what the drive's retention job reads: the store, the clock, the limits.
  const ctx = {
    db: store.db,
    dialect: store.dialect,
    transaction: store.transaction,
    messageLog: store.messageLog,
    now: clock.now,
    files: config,
  } as DomainContext;
  const clients: TestClient[] = [admin];

  const world: DriveRelay = {
    relay,
    url: relay.url,
    admin,
    enterpriseId: grant.enterprise.id,
    clock,
    store,
    blobs,
    config,
    async person(name, departmentIds = [grant.enterprise.id]) {
      const { activation } = await createMember(admin, { name, departmentIds });
      const client = await openClient(relay.url, await activate(relay.url, activation.code));
      clients.push(client);
      return client;
    },
    async department(name, parentId = grant.enterprise.id) {
      return (await admin.request('admin.dept.create', { parentId, name })).department.id;
    },
    async putFile(client, folderId, name, bytes, mime = 'application/octet-stream') {
      const declaration: UploadDeclaration = {
        fileId: newId(),
        name,
        size: bytes.length,
        mime,
        sha256: sha256(bytes),
        target: { type: 'drive', folderId },
      };
      await tusUpload(relay.url, client.grant.token, declaration, bytes);
      return (await client.request('drive.get', { nodeId: declaration.fileId })).node;
    },
    content(client, nodeId, o = {}) {
      const query = o.inline ? '?disposition=inline' : '';
      return httpGet(relay.url, FileHttpPaths.nodeContent(nodeId) + query, {
        method: o.method ?? 'GET',
        headers: { authorization: `Bearer ${client.grant.token}`, ...(o.range ? { range: o.range } : {}) },
      });
    },
    drive: () => new Drive(ctx),
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await store.close();
      await relay.close();
    },
  };
  return world;
}

/** A refused upload: the relay's status and error body. */
export class UploadRefused extends Error {
  readonly reason: string | undefined;
  constructor(
    readonly status: number,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the relay's JSON answer
    readonly body: any,
  ) {
    super(`upload refused (${status}): ${JSON.stringify(body)}`);
    this.reason = body?.error?.reason;
  }
}

/** tus 1.0 as a client speaks it (create, one PATCH); a refusal throws UploadRefused with the relay's reason. */
export async function tusUpload(
  url: string,
  token: string,
  declaration: UploadDeclaration,
  bytes: Buffer,
): Promise<StoredFile> {
  const created = await tusCreate(url, token, declaration);
  if (created.status !== 201) throw new UploadRefused(created.status, created.json);
  if (bytes.length === 0) return storedFileOf(created)!;
  const patched = (await tusPatch(url, token, created.location!, 0, bytes))!;
  if (patched.status !== 204) throw new UploadRefused(patched.status, patched.json);
  return storedFileOf(patched)!;
}

export function httpGet(
  url: string,
  urlPath: string,
  opts: { method?: string; headers?: http.OutgoingHttpHeaders } = {},
): Promise<HttpAnswer> {
  return httpRequest(url, opts.method ?? 'GET', urlPath, { headers: opts.headers });
}

export async function personalRoot(client: TestClient): Promise<string> {
  const { spaces } = await client.request('drive.spaces', {});
  return spaces.find((s) => s.kind === 'personal')!.rootId;
}

/**
 * Asserts that `promise` was refused for `reason`: a request the relay answered with that error, or a
 * relay function called directly (resolveDriveLink) that threw it.
 */
export async function expectRefused(promise: Promise<unknown>, reason: ErrorReason): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected a refusal with ${reason}`).not.toBeNull();
  const got = err instanceof RequestError ? err.error.reason : err instanceof QixinError ? err.reason : err;
  expect(got).toBe(reason);
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A small but real PDF (one empty page), so a preview is of a file a viewer can open. */
export function pdfBytes(text = 'Qixin'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}
