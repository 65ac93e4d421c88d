/**
 * Helpers for the relay's file tests (uploads, 秒传, retention). Stable API:
 *
 *   blobFiles(dataDir) → stored blob names (sha256), the temp folder left out
 *   uploadFiles(dataDir) → files of tus uploads under way (DATA_DIR/uploads)
 *   uploadedBytes(dataDir, location) → bytes the relay stored so far for a tus upload, or null
 *   download(url, token, mediaId, headers?) → TusAnswer of GET HttpPaths.media(id)
 *   instant(url, token, body) → TusAnswer of POST FileHttpPaths.instant
 *   committed(url, token, fileId) → TusAnswer of GET FileHttpPaths.upload(fileId)
 *   sendFile(client, conversationId, body) → msg.send of a `file` message (the raw result frame)
 *   fileBody(fields) → a FileBody with placeholders the relay replaces
 *   waitUntil(check, timeoutMs?) → polls a sync or async condition
 *   signedInPeople(relay, people) → a new enterprise on the relay and a signed-in client per person
 *   distinctBytes(label) → (size, head?) => bytes no other call returns (no two tests share a blob)
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { FileHttpPaths, HttpPaths, type FileBody } from '../../shared/protocol';
import { addMember, createEnterprise, newId, openClient, signIn, type TestClient, type TestRelay } from './relay';
import { httpRequest, type TusAnswer } from './tus-client';

export function blobFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'blobs');
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && path.basename(e.parentPath) !== 'tmp')
    .map((e) => e.name)
    .sort();
}

export function uploadFiles(dataDir: string): string[] {
  return fs.readdirSync(path.join(dataDir, 'uploads')).sort();
}

export function uploadedBytes(dataDir: string, location: string): number | null {
  const file = path.join(dataDir, 'uploads', path.basename(location));
  return fs.existsSync(file) ? fs.statSync(file).size : null;
}

export function download(
  url: string,
  token: string | null,
  mediaId: string,
  headers: http.OutgoingHttpHeaders = {},
): Promise<TusAnswer> {
  return httpRequest(url, 'GET', HttpPaths.media(mediaId), { token, headers });
}

export function instant(url: string, token: string | null, body: unknown): Promise<TusAnswer> {
  return httpRequest(url, 'POST', FileHttpPaths.instant, {
    token,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(body)),
  });
}

export function committed(url: string, token: string | null, fileId: string): Promise<TusAnswer> {
  return httpRequest(url, 'GET', FileHttpPaths.upload(fileId), { token });
}

export function fileBody(fields: Partial<FileBody>): FileBody {
  return {
    kind: 'file',
    mediaId: null,
    driveNodeId: null,
    name: 'placeholder',
    size: 0,
    mime: 'application/octet-stream',
    sha256: '',
    expiresAt: null,
    ...fields,
  };
}

export function sendFile(client: TestClient, conversationId: string, body: FileBody) {
  return client.call('msg.send', { id: newId(), conversationId, kind: 'file', text: '', body } as never);
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A new enterprise on the relay (its admin signed out again) and a signed-in client per person, in order. */
export async function signedInPeople<const P extends readonly { account: string; name: string }[]>(
  relay: TestRelay,
  people: P,
): Promise<{ [K in keyof P]: TestClient }> {
  const admin = await openClient(relay.url, await createEnterprise(relay.url));
  const members = [];
  for (const person of people) members.push({ ...person, ...(await addMember(admin, person)) });
  await admin.close();
  const clients = await Promise.all(
    members.map(async (m) => openClient(relay.url, await signIn(relay.url, m.account, m.password))),
  );
  return clients as { [K in keyof P]: TestClient };
}

/**
 * Bytes no other call returns (a hash chain seeded by `label` and a counter), so no two tests share a
 * blob by accident; `head` is written first (a file's magic number, say).
 */
export function distinctBytes(label: string): (size: number, head?: Buffer) => Buffer {
  let seed = 0;
  return (size, head = Buffer.alloc(0)) => {
    const out = Buffer.alloc(size);
    let block = createHash('sha256').update(`${label} ${++seed}`).digest();
    for (let at = 0; at < size; at += block.length) {
      block.copy(out, at);
      block = createHash('sha256').update(block).digest();
    }
    head.copy(out);
    return out;
  };
}
