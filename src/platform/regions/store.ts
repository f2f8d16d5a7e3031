import type { Kdb, Tx } from '../db/database';
import type { DepartmentsTable, RegionsTable } from '../db/schema';
import { sql, type Insertable } from 'kysely';

/** Every region, parents before children. */
export function listRegions(db: Kdb) {
  return db
    .selectFrom('regions')
    .select(['code', 'nameZh', 'nameEn', 'parentCode', 'level', 'standard'])
    .orderBy('code')
    .execute();
}

/** One region by code. */
export function findRegion(db: Kdb | Tx, code: string) {
  return db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Departments, optionally only those of one region. */
export function listDepartments(db: Kdb, regionCode?: string) {
  let query = db
    .selectFrom('departments')
    .select(['id', 'code', 'nameZh', 'nameEn', 'uscc', 'regionCode'])
    .orderBy('regionCode')
    .orderBy('code');
  if (regionCode) query = query.where('regionCode', '=', regionCode);
  return query.execute();
}

/** Inserts regions (seed data, administrators). */
export async function insertRegions(trx: Tx, rows: Insertable<RegionsTable>[]) {
  if (rows.length) await trx.insertInto('regions').values(rows).execute();
}

/** Inserts a department and returns it. */
export function insertDepartment(trx: Tx, row: Insertable<DepartmentsTable>) {
  return trx
    .insertInto('departments')
    .values(row)
    .returning(['id', 'code', 'nameZh', 'nameEn', 'uscc', 'regionCode'])
    .executeTakeFirstOrThrow();
}

/** Sets a department's names and credit code and returns it. */
export function updateDepartmentNames(
  trx: Tx,
  id: string,
  names: { nameZh: string; nameEn: string; uscc: string | null },
) {
  return trx
    .updateTable('departments')
    .set(names)
    .where('id', '=', id)
    .returning(['id', 'code', 'nameZh', 'nameEn', 'uscc', 'regionCode'])
    .executeTakeFirstOrThrow();
}

/** One department by its code. */
export function findDepartmentByCode(db: Kdb | Tx, code: string) {
  return db
    .selectFrom('departments')
    .select(['id', 'code', 'nameZh', 'nameEn', 'uscc', 'regionCode'])
    .where('code', '=', code)
    .executeTakeFirst();
}

/** One department by its unified social credit code (canonical form). */
export function findDepartmentByUscc(db: Kdb | Tx, uscc: string) {
  return db.selectFrom('departments').select('code').where('uscc', '=', uscc).executeTakeFirst();
}

/** A region and every region below it (its lineage downwards). */
export async function regionsUnder(db: Kdb | Tx, code: string): Promise<string[]> {
  const result = await sql<{ code: string }>`
    with recursive below(code) as (
      select code from regions where code = ${code}
      union all
      select r.code from regions r join below b on r.parent_code = b.code
    )
    select code from below`.execute(db);
  return result.rows.map((r) => r.code);
}

/** The code of a department by its id (a user's department); null without one. */
export async function departmentCodeOf(db: Kdb | Tx, id: string | null): Promise<string | null> {
  if (!id) return null;
  const row = await db
    .selectFrom('departments')
    .select('code')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.code ?? null;
}

/** Every department's name, by code. */
export async function departmentNames(
  db: Kdb | Tx,
): Promise<Map<string, { zh: string; en: string }>> {
  const rows = await db.selectFrom('departments').select(['code', 'nameZh', 'nameEn']).execute();
  return new Map(rows.map((r) => [r.code, { zh: r.nameZh, en: r.nameEn }]));
}
