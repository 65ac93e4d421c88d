import type { Database } from 'better-sqlite3';
import { pinyinKeys } from '../../../../shared/lib/pinyin';

/**
 * The org directory: member profiles, departments and who sits where, laid out so that a
 * department's members come in pinyin order straight from an index (a window of a
 * 5,000-member department without sorting) and every prefix search is an index range.
 */
export const version = 20;

export function up(db: Database): void {
  db.exec(`
    ALTER TABLE users ADD COLUMN pinyin TEXT NOT NULL DEFAULT '';
    ALTER TABLE users ADD COLUMN initials TEXT NOT NULL DEFAULT '';
    ALTER TABLE users ADD COLUMN alias TEXT NOT NULL DEFAULT '';
    ALTER TABLE users ADD COLUMN title TEXT NOT NULL DEFAULT '';
    ALTER TABLE users ADD COLUMN department_ids TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE users ADD COLUMN gender TEXT NOT NULL DEFAULT 'unspecified';
    ALTER TABLE users ADD COLUMN phone TEXT;
    ALTER TABLE users ADD COLUMN address TEXT NOT NULL DEFAULT '';
    ALTER TABLE users ADD COLUMN manager_id TEXT;
    ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
    ALTER TABLE users ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE users ADD COLUMN activated INTEGER NOT NULL DEFAULT 1;
    -- The directory pass (kv 'dirPass') that last stored the row: a full re-read removes
    -- every row it did not see.
    ALTER TABLE users ADD COLUMN seen_pass INTEGER NOT NULL DEFAULT 0;
    -- A hash of the profile as last stored: a re-read that brings it unchanged only marks it
    -- seen, without rewriting its index entries.
    ALTER TABLE users ADD COLUMN digest TEXT;

    -- Pinyin prefixes, and the names and mobiles in display order that the cache's NameIndex
    -- loads for "contains" searches (no index serves those; fewer indexes keep the first
    -- sign-in's writes short).
    CREATE INDEX users_pinyin ON users (pinyin, id, name, mobile);
    CREATE INDEX users_initials ON users (initials);
    CREATE INDEX users_account ON users (account COLLATE NOCASE);
    CREATE INDEX users_email ON users (email COLLATE NOCASE);

    CREATE TABLE departments (
      id TEXT PRIMARY KEY,
      parent_id TEXT,
      name TEXT NOT NULL,
      sort_order INTEGER NOT NULL,
      head_ids TEXT NOT NULL,
      hidden INTEGER NOT NULL,
      depth INTEGER NOT NULL,
      seen_pass INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX departments_parent ON departments (parent_id, sort_order);

    -- Direct members of each department, keyed in display order (pinyin, then id): the
    -- window at any offset is a range of this table, its total a count over one prefix.
    -- No foreign keys: a member may sit in a department this user may not see.
    CREATE TABLE user_departments (
      department_id TEXT NOT NULL,
      pinyin TEXT NOT NULL,
      user_id TEXT NOT NULL,
      PRIMARY KEY (department_id, pinyin, user_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX user_departments_user ON user_departments (user_id);
  `);
  // Profiles cached by an older version get their sort keys now; dir.sync fills the rest.
  const rows = db.prepare('SELECT id, name FROM users').all() as { id: string; name: string }[];
  const set = db.prepare('UPDATE users SET pinyin = ?, initials = ? WHERE id = ?');
  for (const row of rows) {
    const keys = pinyinKeys(row.name);
    set.run(keys.pinyin, keys.initials, row.id);
  }
}
