// "Name contains" and "mobile contains" over every cached profile. No SQLite index serves a
// search inside a string, and scanning 50,000 rows costs several milliseconds per keystroke; the
// names and numbers held in memory, in pinyin order, answer in a fraction of one. Rebuilt lazily
// after profiles changed.

export type NameRow = { id: string; name: string; mobile: string | null };

export class NameIndex {
  private stale = true;
  private ids: string[] = [];
  private names: string[] = [];
  private mobiles: string[] = [];

  /** `load` returns every profile's id, name and mobile in display (pinyin) order. */
  constructor(private readonly load: () => NameRow[]) {}

  /** Profiles were written or removed: the next search reloads the names. */
  invalidate(): void {
    this.stale = true;
  }

  /** Ids whose name contains `text` (case-insensitive): exact names first, then prefixes, then the rest. */
  find(text: string, limit: number): string[] {
    if (this.stale) this.rebuild();
    const query = text.toLowerCase();
    const exact: string[] = [];
    const prefix: string[] = [];
    const inside: string[] = [];
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i]!;
      const at = name.indexOf(query);
      if (at < 0) continue;
      if (name.length === query.length) exact.push(this.ids[i]!);
      else if (at === 0) prefix.push(this.ids[i]!);
      else if (inside.length < limit) inside.push(this.ids[i]!);
    }
    return [...exact, ...prefix, ...inside].slice(0, limit);
  }

  /** Ids whose mobile number contains `digits`, in display order. */
  findMobile(digits: string, limit: number): string[] {
    if (this.stale) this.rebuild();
    const out: string[] = [];
    for (let i = 0; i < this.mobiles.length && out.length < limit; i++) {
      if (this.mobiles[i]!.includes(digits)) out.push(this.ids[i]!);
    }
    return out;
  }

  private rebuild(): void {
    const rows = this.load();
    this.ids = rows.map((r) => r.id);
    this.names = rows.map((r) => r.name.toLowerCase());
    this.mobiles = rows.map((r) => r.mobile ?? '');
    this.stale = false;
  }
}
