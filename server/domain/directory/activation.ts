// One-time activation codes: a new member (added by an admin or an import) has no password
// until they redeem one. Only the code's hash is stored; a new code replaces the old one.
import { createHash, randomBytes } from 'node:crypto';

export const ACTIVATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
// No 0/O, 1/I/L: the code is read aloud and typed by hand.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const LENGTH = 12;
// Bytes at or above this are dropped so that every letter is equally likely (248 = 8 × 31).
const UNBIASED = 256 - (256 % ALPHABET.length);

/**
 * `count` codes of 12 characters from 31 (about 59 bits each), in groups of four
 * (ABCD-EFGH-JKMN). Random bytes are drawn in one call per batch, not one per character.
 */
export function newActivationCodes(count: number): string[] {
  const codes: string[] = [];
  let pool = Buffer.alloc(0);
  let at = 0;
  while (codes.length < count) {
    let code = '';
    while (code.length < LENGTH + 2) {
      if (at >= pool.length) {
        // 3% of bytes are dropped; a little more than needed avoids most refills.
        pool = randomBytes(Math.ceil((count - codes.length) * LENGTH * 1.05) + 16);
        at = 0;
      }
      const byte = pool[at++]!;
      if (byte >= UNBIASED) continue;
      if (code.length === 4 || code.length === 9) code += '-';
      code += ALPHABET[byte % ALPHABET.length];
    }
    codes.push(code);
  }
  return codes;
}

export function newActivationCode(): string {
  return newActivationCodes(1)[0]!;
}

/** Case, spaces and dashes do not matter when a person types the code. */
export function hashActivationCode(code: string): string {
  const normalized = code.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return createHash('sha256').update(`qixin-activation:${normalized}`).digest('hex');
}
