import { sql } from 'kysely';
import type { Kdb, Tx } from '../db/database';

/** A region and its ancestors, nearest last (province, city, county …). */
export async function regionLineage(db: Kdb | Tx, code: string): Promise<string[]> {
  const rows = await sql<{ code: string; depth: number }>`
    with recursive lineage(code, parent_code, depth) as (
      select code, parent_code, 0 from regions where code = ${code}
      union all
      select r.code, r.parent_code, l.depth + 1
      from regions r join lineage l on r.code = l.parent_code
    )
    select code, depth from lineage order by depth desc`.execute(db);
  return rows.rows.map((row) => row.code);
}

/** The overrides of the given regions, ordered so that the last region's entries come last. */
export async function overridesOf(db: Kdb | Tx, regionCodes: string[]) {
  if (regionCodes.length === 0) return [];
  const rows = await db
    .selectFrom('calendarOverrides')
    .select(['regionCode', 'day', 'kind', 'nameZh', 'nameEn'])
    .where('regionCode', 'in', regionCodes)
    .orderBy('day')
    .execute();
  const rank = new Map(regionCodes.map((code, index) => [code, index]));
  return rows
    .map((row) => ({ ...row, day: dayText(row.day) }))
    .sort(
      (a, b) => rank.get(a.regionCode)! - rank.get(b.regionCode)! || a.day.localeCompare(b.day),
    );
}

/** Sets (inserts or replaces) one region's override for one day. */
export async function upsertOverride(
  trx: Tx,
  row: {
    regionCode: string;
    day: string;
    kind: 'workday' | 'holiday';
    nameZh: string;
    nameEn: string;
  },
) {
  await trx
    .insertInto('calendarOverrides')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['regionCode', 'day']).doUpdateSet({
        kind: row.kind,
        nameZh: row.nameZh,
        nameEn: row.nameEn,
      }),
    )
    .execute();
}

/** Removes one region's override for one day; returns whether there was one. */
export async function deleteOverride(trx: Tx, regionCode: string, day: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('calendarOverrides')
    .where('regionCode', '=', regionCode)
    .where('day', '=', day)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// PostgreSQL `date` arrives as a Date at UTC midnight from pg and as a string or Date from PGlite.
function dayText(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}
