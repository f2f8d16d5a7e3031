import { freshSchemaName, openDatabase, type Db } from '../../src/platform/db/database';
import { migrate } from '../../src/platform/db/migrate';

/**
 * A fresh, migrated database for one test file: PGlite in memory, or — when DATABASE_URL is set —
 * a new schema on that PostgreSQL server, dropped again on close.
 */
export async function createTestDb(): Promise<Db> {
  const url = process.env.DATABASE_URL || null;
  const db = await openDatabase({
    url,
    memory: true,
    schema: url ? freshSchemaName() : undefined,
    dropSchemaOnClose: true,
    poolSize: 5,
  });
  await migrate(db.kysely);
  return db;
}
