// Columns derived when an import writes a member row. Kept in one place so that it can defer
// to the domain's own helper for member rows (server/domain/directory/members.ts).
import { pinyinKeys } from '../../shared/lib/pinyin';

export function derivedMemberColumns(name: string, version: number, now: number) {
  const keys = pinyinKeys(name);
  return { pinyin: keys.pinyin, initials: keys.initials, dir_version: version, updated_at: now };
}
