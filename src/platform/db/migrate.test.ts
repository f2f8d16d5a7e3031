import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshSchemaName, openDatabase, type Db } from './database';
import { migrate, readMigrations } from './migrate';

const url = process.env.DATABASE_URL || null;

describe('numbered SQL migrations', () => {
  let db: Db;

  beforeAll(async () => {
    db = await openDatabase({
      url,
      memory: true,
      schema: url ? freshSchemaName() : undefined,
      dropSchemaOnClose: true,
    });
  });
  afterAll(() => db?.close());

  it('reads the migration files in version order with checksums', () => {
    const migrations = readMigrations();
    expect(migrations[0]).toMatchObject({ version: 1, name: '0001_platform' });
    expect(migrations.map((m) => m.version)).toEqual(
      [...migrations.map((m) => m.version)].sort((a, b) => a - b),
    );
    expect(migrations.every((m) => /^[0-9a-f]{64}$/.test(m.checksum))).toBe(true);
  });

  it('applies every migration once, even when two runners start together', async () => {
    const [first, second] = await Promise.all([migrate(db.kysely), migrate(db.kysely)]);
    expect([...first!, ...second!].sort()).toEqual(readMigrations().map((m) => m.name));
    expect(await migrate(db.kysely)).toEqual([]);
    const tables = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.tables
      where table_schema = current_schema() and table_name in ('users', 'audit_log', 'regions')`.execute(
      db.kysely,
    );
    expect(tables.rows[0]!.n).toBe(3);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const edited = readMigrations().map((m, i) =>
      i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m,
    );
    await expect(migrate(db.kysely, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it('rolls a failing migration back completely', async () => {
    const broken = [
      ...readMigrations(),
      {
        version: 9999,
        name: '9999_broken',
        sql: 'create table half_done (id int); select * from no_such_table;',
        checksum: '0'.repeat(64),
      },
    ];
    await expect(migrate(db.kysely, broken)).rejects.toThrow();
    const leftover = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.tables
      where table_schema = current_schema() and table_name = 'half_done'`.execute(db.kysely);
    expect(leftover.rows[0]!.n).toBe(0);
  });
});
