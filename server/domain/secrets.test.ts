import { describe, expect, it } from 'vitest';
import { hashPassword, hashToken, newSessionToken, verifyPassword } from './secrets';

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('正确的密码-123');
    expect(await verifyPassword('正确的密码-123', stored)).toBe(true);
    expect(await verifyPassword('正确的密码-124', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts each hash, so equal passwords do not look equal in the database', async () => {
    const a = await hashPassword('same-password');
    const b = await hashPassword('same-password');
    expect(a).not.toBe(b);
    expect(a).not.toContain('same-password');
    expect(await verifyPassword('same-password', b)).toBe(true);
  });

  it('hashes several passwords asked at once, each verifying against its own', async () => {
    const passwords = ['甲-password-1', '乙-password-2', '丙-password-3', '丁-password-4', '戊-password-5'];
    const stored = await Promise.all(passwords.map((p) => hashPassword(p)));
    expect(await Promise.all(passwords.map((p, i) => verifyPassword(p, stored[i]!)))).toEqual(
      passwords.map(() => true),
    );
    expect(await verifyPassword(passwords[0]!, stored[1]!)).toBe(false);
  });

  it('refuses a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });
});

describe('session tokens', () => {
  it('are 256-bit random and stored only as a hash', () => {
    const token = newSessionToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(newSessionToken()).not.toBe(token);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toContain(token);
    expect(hashToken(token + 'x')).not.toBe(hashToken(token));
  });
});
