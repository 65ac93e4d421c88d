// The org directory: departments (a tree), member profiles and their departments, admin
// grants, visibility rules, activation codes, and the directory's version counter that
// clients sync from (`dir.sync`).
import { sql, type Kysely } from 'kysely';
import type { Migration } from '../migrator';

export const migration0030: Migration = {
  version: 30,
  name: 'directory',
  async up(db: Kysely<any>, dialect) {
    const millis = dialect === 'postgres' ? 'bigint' : 'integer';

    // Users get the template's columns. Existing rows are active, activated members.
    const userColumns: [string, string, string][] = [
      ['alias', 'text', `''`],
      ['title', 'text', `''`],
      ['gender', 'text', `'unspecified'`],
      ['phone', 'text', 'null'],
      ['address', 'text', `''`],
      ['manager_id', 'text', 'null'],
      ['status', 'text', `'active'`],
      ['hidden', 'integer', '0'],
      ['activated', 'integer', '1'],
      ['pinyin', 'text', `''`],
      ['initials', 'text', `''`],
      ['dir_version', millis, '0'],
      ['updated_at', millis, '0'],
    ];
    for (const [name, type, fallback] of userColumns) {
      await db.schema
        .alterTable('users')
        .addColumn(name, type as 'text', (c) => (fallback === 'null' ? c : c.notNull().defaultTo(sql.raw(fallback))))
        .execute();
    }
    await db.schema.createIndex('users_dir_version').on('users').columns(['dir_version', 'id']).execute();
    await db.schema.createIndex('users_pinyin').on('users').columns(['pinyin', 'id']).execute();

    await db.schema
      .createTable('departments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('parent_id', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('depth', 'integer', (c) => c.notNull())
      .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
      // Deleted departments stay as tombstones so that clients learn of the deletion.
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('dir_version', millis, (c) => c.notNull())
      .addColumn('created_at', millis, (c) => c.notNull())
      .addColumn('updated_at', millis, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('departments_parent').on('departments').columns(['parent_id', 'sort_order']).execute();
    await db.schema.createIndex('departments_dir_version').on('departments').columns(['dir_version', 'id']).execute();
    // Sibling names are unique among live departments (paths like 总部/研发中心 must be unambiguous).
    await db.schema
      .createIndex('departments_sibling_name')
      .on('departments')
      .columns(['parent_id', 'name'])
      .unique()
      .where(sql.ref('deleted'), '=', 0)
      .execute();

    // No foreign keys on user_departments and activation_codes: a bulk import writes 50,000+
    // rows into each, and PostgreSQL checks a foreign key with one query per row (a trigger),
    // which cost more than a second of a 50,000-member import. The writers guarantee what the
    // keys would: users and departments are never deleted (members are disabled, departments
    // become tombstones), a membership or code is only written for a member id just created or
    // read in the same transaction, and departments are checked against the tree first.
    await db.schema
      .createTable('user_departments')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('department_id', 'text', (c) => c.notNull())
      /** Order of the member's departments as entered (the first is the main one). */
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('user_departments_pk', ['user_id', 'department_id'])
      .execute();
    await db.schema.createIndex('user_departments_department').on('user_departments').column('department_id').execute();

    await db.schema
      .createTable('department_heads')
      .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('department_heads_pk', ['department_id', 'user_id'])
      .execute();

    // Department admins; super admins are users.role = 'admin'. JSON arrays of ids and rights.
    await db.schema
      .createTable('admin_grants')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
      .addColumn('department_ids', 'text', (c) => c.notNull())
      .addColumn('rights', 'text', (c) => c.notNull())
      .addColumn('updated_at', millis, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('visibility_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject_department_ids', 'text', (c) => c.notNull())
      .addColumn('visible_department_ids', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('activation_codes')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('expires_at', millis, (c) => c.notNull())
      .addColumn('used_at', millis)
      .execute();
    await db.schema.createIndex('activation_codes_user').on('activation_codes').column('user_id').execute();

    // One row: the directory's version (bumped by every directory write) and epoch (bumped when
    // who-sees-whom changes, so clients re-read the whole directory).
    await db.schema
      .createTable('directory_state')
      .addColumn('singleton', 'integer', (c) => c.primaryKey())
      .addColumn('version', millis, (c) => c.notNull())
      .addColumn('epoch', millis, (c) => c.notNull())
      .execute();
    await db.insertInto('directory_state').values({ singleton: 1, version: 1, epoch: 1 }).execute();

    await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'id']).execute();
    await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'id']).execute();

    // An existing enterprise gets its root department, and every existing user sits in it.
    const enterprise = await db.selectFrom('enterprises').select(['id', 'name', 'created_at']).executeTakeFirst();
    if (enterprise) {
      await db
        .insertInto('departments')
        .values({
          id: enterprise.id,
          parent_id: null,
          name: enterprise.name,
          sort_order: 0,
          depth: 0,
          hidden: 0,
          deleted: 0,
          dir_version: 1,
          created_at: enterprise.created_at,
          updated_at: enterprise.created_at,
        })
        .execute();
      await sql`insert into user_departments (user_id, department_id, position)
                select id, ${enterprise.id}, 0 from users`.execute(db);
      await db.updateTable('users').set({ dir_version: 1 }).execute();
    }
  },
};
