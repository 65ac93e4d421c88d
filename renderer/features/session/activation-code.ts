// An activation code as a person types it: case, spaces and dashes do not matter. The relay
// hands out 12 letters and digits in groups of four (ABCD-EFGH-JKMN).
export const ACTIVATION_CODE_LENGTH = 12;

/** The code in the relay's own form, or null when it cannot be one. */
export function normalizeActivationCode(typed: string): string | null {
  const plain = typed.toUpperCase().replace(/[\s-]/g, '');
  if (plain.length !== ACTIVATION_CODE_LENGTH || !/^[0-9A-Z]+$/.test(plain)) return null;
  return plain.match(/.{4}/g)!.join('-');
}
