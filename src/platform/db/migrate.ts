import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { lockForTransaction, type Kdb } from './database';

/** The folder of numbered SQL migrations (0001_platform.sql, …). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

/** One migration file. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

// Arbitrary constant: only one runner may migrate a database at a time (several app servers may start together).
const MIGRATION_LOCK = 0x0e7e_0001;

/** Reads the migration files in version order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(dir + file, 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ''),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

/** Applies every migration not yet applied, each in its own transaction; returns the names applied. */
export async function migrate(db: Kdb, migrations = readMigrations()): Promise<string[]> {
  // Under the lock: two servers starting together would otherwise race on creating the table.
  await db.transaction().execute(async (trx) => {
    await lockForTransaction(trx, MIGRATION_LOCK);
    await sql`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`.execute(trx);
  });
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await db.transaction().execute(async (trx) => {
      await lockForTransaction(trx, MIGRATION_LOCK);
      const existing = await trx
        .selectFrom('schemaMigrations')
        .select(['checksum'])
        .where('version', '=', migration.version)
        .executeTakeFirst();
      if (existing) {
        if (existing.checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.name} was changed after it was applied; add a new migration instead`,
          );
        }
        return false;
      }
      await sql.raw(migration.sql).execute(trx);
      await trx
        .insertInto('schemaMigrations')
        .values({ version: migration.version, name: migration.name, checksum: migration.checksum })
        .execute();
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}
