// Pinyin keys of a name, for sorting (张三 → zhangsan) and searching by initials (zs).
// Surnames with a special reading (曾 zeng, 单 shan) use pinyin-pro's surname mode.
import { pinyin } from 'pinyin-pro';

export interface PinyinKeys {
  /** Toneless, lower case, no spaces; Latin words kept as they are. */
  pinyin: string;
  /** First letter of every syllable or Latin word. */
  initials: string;
}

const memo = new Map<string, PinyinKeys>();

export function pinyinKeys(name: string): PinyinKeys {
  const hit = memo.get(name);
  if (hit) return hit;
  const syllables = pinyin(name, { toneType: 'none', type: 'array', mode: 'surname', nonZh: 'consecutive', v: true })
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
  const keys = { pinyin: syllables.join(''), initials: syllables.map((s) => s[0]).join('') };
  // Names repeat a lot (imports, re-imports); the memo stays small enough for any enterprise.
  if (memo.size > 200_000) memo.clear();
  memo.set(name, keys);
  return keys;
}
