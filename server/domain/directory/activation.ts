// One-time activation codes: a new member (added by an admin or an import) has no password
// until they redeem one. Only the code's hash is stored; a new code replaces the old one.
import { createHash, randomInt } from 'node:crypto';

export const ACTIVATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
// No 0/O, 1/I/L: the code is read aloud and typed by hand.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const LENGTH = 12;

/** 12 characters from 31: about 59 bits, in groups of four (ABCD-EFGH-JKMN). */
export function newActivationCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code.match(/.{4}/g)!.join('-');
}

/** Case, spaces and dashes do not matter when a person types the code. */
export function hashActivationCode(code: string): string {
  const normalized = code.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return createHash('sha256').update(`qixin-activation:${normalized}`).digest('hex');
}
