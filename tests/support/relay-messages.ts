/**
 * What the relay-messages-* integration tests share, on top of tests/support/relay.ts:
 *   startChatRelay(names) → { relay, clock, admin, people, as(who, device?), upload(client, kind, mime, bytes), close() }
 *     a relay on a movable clock (clock.advance(ms)), an enterprise, and one member per name
 *     (signed in on demand, each call a new device);
 *   refusal(promise) → the reason (or code) the relay refused with.
 */
import { HttpPaths, type MediaUpload, type MediaUploadKind } from '../../shared/protocol';
import {
  addMember,
  createEnterprise,
  openClient,
  RequestError,
  signIn,
  startTestRelay,
  type TestClient,
  type TestRelay,
} from './relay';

/** The relay's clock: real time plus what a test moved it by. */
export class TestClock {
  private offset = 0;
  readonly now = () => Date.now() + this.offset;
  advance(ms: number): void {
    this.offset += ms;
  }
}

export interface Person {
  id: string;
  account: string;
  password: string;
  name: string;
}

export interface ChatRelay<K extends string> {
  relay: TestRelay;
  clock: TestClock;
  admin: TestClient;
  people: Record<K, Person>;
  /** Signs the person in on a new device and opens its socket (closed by close()). */
  as(who: K, device?: string): Promise<TestClient>;
  upload(client: TestClient, kind: MediaUploadKind, mime: string, bytes: Buffer): Promise<MediaUpload>;
  close(): Promise<void>;
}

export async function startChatRelay<K extends string>(names: Record<K, string>): Promise<ChatRelay<K>> {
  const clock = new TestClock();
  const relay = await startTestRelay({ now: clock.now });
  const clients: TestClient[] = [];
  const admin = await openClient(relay.url, await createEnterprise(relay.url));
  clients.push(admin);
  const people = {} as Record<K, Person>;
  for (const [account, name] of Object.entries(names) as [K, string][]) {
    const { user, password } = await addMember(admin, { account, name });
    people[account] = { id: user.id, account, password, name };
  }
  return {
    relay,
    clock,
    admin,
    people,
    async as(who, device = 'desk') {
      const p = people[who];
      const client = await openClient(relay.url, await signIn(relay.url, p.account, p.password, device));
      clients.push(client);
      return client;
    },
    async upload(client, kind, mime, bytes) {
      const url = new URL(HttpPaths.mediaUpload, relay.url);
      url.searchParams.set('kind', kind);
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${client.grant.token}`, 'content-type': mime },
        body: new Uint8Array(bytes),
      });
      if (res.status !== 201) throw new Error(`upload refused: ${res.status} ${await res.text()}`);
      return (await res.json()) as MediaUpload;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await relay.close();
    },
  };
}

/** The reason the relay gave (its code when it gave none); throws if the request succeeded. */
export async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RequestError) return err.error.reason ?? err.code;
    throw err;
  }
  throw new Error('expected the relay to refuse');
}

/** A real 1×1 PNG (what an image upload's first bytes are checked against). */
export const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
