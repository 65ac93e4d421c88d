import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../local-cache';
import * as m0010 from './0010-initial';
import { latestVersion } from './index';

const dirs: string[] = [];
function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'qixin-mig-'));
  dirs.push(dir);
  return join(dir, 'cache.db');
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const plan = (db: Database.Database, sql: string, ...params: unknown[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((p) => p.detail).join(' | ');

describe('migration 0020-directory', () => {
  it('upgrades a version-10 cache: profiles kept, given their pinyin keys and the new fields', () => {
    const db = new Database(tempDb());
    m0010.up(db);
    db.pragma('user_version = 10');
    db.prepare(
      `INSERT INTO users (id, account, name, mobile, email, role, created_at)
       VALUES ('u1', 'zengxm', '曾小明', '13800138000', NULL, 'member', 5)`,
    ).run();
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    expect(db.prepare('SELECT * FROM users').get()).toMatchObject({
      id: 'u1',
      name: '曾小明',
      mobile: '13800138000',
      pinyin: 'zengxiaoming',
      initials: 'zxm',
      department_ids: '[]',
      gender: 'unspecified',
      status: 'active',
      hidden: 0,
      activated: 1,
      seen_pass: 0,
      digest: null,
    });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(tables).toEqual(expect.arrayContaining(['departments', 'user_departments']));
    db.close();
  });

  it('answers a department window and every prefix search from an index', () => {
    const db = new Database(tempDb());
    migrate(db);
    // The window is a range of the (department, pinyin, user) key: no sort step.
    const members = plan(
      db,
      `SELECT u.* FROM user_departments d JOIN users u ON u.id = d.user_id
       WHERE d.department_id = ? ORDER BY d.pinyin, d.user_id LIMIT 50 OFFSET 100`,
      'd',
    );
    expect(members).toMatch(/SEARCH d USING PRIMARY KEY \(department_id=\?\)/);
    expect(members).not.toContain('TEMP B-TREE');
    expect(plan(db, 'SELECT id FROM users WHERE pinyin >= ? AND pinyin < ? ORDER BY pinyin, id', 'z', 'z~')).toContain(
      'users_pinyin',
    );
    expect(plan(db, 'SELECT id FROM users WHERE initials >= ? AND initials < ?', 'zs', 'zs~')).toContain(
      'users_initials',
    );
    expect(
      plan(db, 'SELECT id FROM users WHERE account >= ? COLLATE NOCASE AND account < ? COLLATE NOCASE', 'a', 'b'),
    ).toContain('users_account');
    expect(
      plan(db, 'SELECT id FROM users WHERE email >= ? COLLATE NOCASE AND email < ? COLLATE NOCASE', 'a', 'b'),
    ).toContain('users_email');
    // The names and mobiles for "contains" searches are loaded in display order from one index.
    expect(plan(db, 'SELECT id, name, mobile FROM users ORDER BY pinyin, id')).toBe(
      'SCAN users USING COVERING INDEX users_pinyin',
    );
    db.close();
  });
});
