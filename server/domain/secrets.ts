// Passwords (scrypt, per-user salt) and session tokens (random 256-bit, stored as sha256).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Worker } from 'node:worker_threads';

const KEY_LENGTH = 32;
const COST = { N: 16384, r: 8, p: 1 };
const MAX_MEM = 64 * 1024 * 1024;

type ScryptParams = { N: number; r: number; p: number };

/**
 * scrypt runs on one thread of its own, one call at a time. On libuv's pool (crypto.scrypt) each of
 * its four threads keeps the 16 MB a call needs long after it returned, and sign-ins would hold up the
 * file reads and writes that share that pool.
 */
class ScryptThread {
  private static readonly SOURCE = `
    const { parentPort } = require('node:worker_threads');
    const { scryptSync } = require('node:crypto');
    parentPort.on('message', ({ id, password, salt, params }) => {
      try {
        parentPort.postMessage({ id, key: scryptSync(password, salt, params.keyLength, params.options) });
      } catch (err) {
        parentPort.postMessage({ id, error: String((err && err.message) || err) });
      }
    });`;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve(key: Buffer): void; reject(err: Error): void }>();
  private nextId = 1;

  derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
    const worker = this.started();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref(); // keeps the process alive while a hash is under way, and only then
      worker.postMessage({
        id,
        password,
        salt,
        params: { keyLength: KEY_LENGTH, options: { ...params, maxmem: MAX_MEM } },
      });
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(ScryptThread.SOURCE, { eval: true });
    worker.unref();
    worker.on('message', (answer: { id: number; key?: Uint8Array; error?: string }) => {
      const waiter = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      if (this.pending.size === 0) worker.unref();
      if (!waiter) return;
      if (answer.key) waiter.resolve(Buffer.from(answer.key.buffer, answer.key.byteOffset, answer.key.byteLength));
      else waiter.reject(new Error(answer.error ?? 'scrypt failed'));
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiter of this.pending.values()) waiter.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the password hashing thread stopped (${code})`)));
    this.worker = worker;
    return worker;
  }
}

const scryptThread = new ScryptThread();

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return scryptThread.derive(password.normalize('NFC'), salt, params);
}

/** Returns "scrypt$N$r$p$salt$key" (base64url parts) so the cost can rise later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let decoy: Promise<string> | undefined;

/** A hash to verify against when the login is unknown, so both failures take the same time. */
export function decoyPasswordHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(12).toString('base64url'));
  return decoy;
}

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
