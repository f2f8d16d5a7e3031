// What the cockpit reads of the catalog: the names of items, from their latest published version.
import { sql } from 'kysely';
import type { Kdb } from '../platform/db/database';
import type { Text } from '../platform/i18n';

/** The zh/en names of the given items as last published; items never published are left out. */
export async function itemNames(db: Kdb, codes: readonly string[]): Promise<Map<string, Text>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('catalogItemVersions')
    .select(['itemCode', sql<Text>`content->'name'`.as('name')])
    .where('itemCode', 'in', [...codes])
    .where('status', '=', 'published')
    .execute();
  return new Map(rows.map((r) => [r.itemCode, r.name]));
}
