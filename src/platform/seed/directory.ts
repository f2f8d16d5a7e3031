// The platform's directory (区划与部门) as reference data: the regions tree and the departments the
// seed documents name (data/platform/directory.yaml), seeded with and without the demo.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { appendAudit } from '../audit/store';
import type { Kdb, Tx } from '../db/database';

/** The directory file, editable without touching code. */
export const DIRECTORY_FILE = fileURLToPath(
  new URL('../../../data/platform/directory.yaml', import.meta.url),
);

/** A region of the directory file. */
export interface DirectoryRegion {
  code: string;
  nameZh: string;
  nameEn: string;
  parent?: string;
  level: 'province' | 'city' | 'county' | 'zone';
}

/** A department of the directory file: code and names, never a credit code. */
export interface DirectoryDepartment {
  code: string;
  nameZh: string;
  nameEn: string;
  /** Its region; the city (371000) when not given. */
  region?: string;
}

/** The regions tree and the departments the seeds name. */
export interface Directory {
  regions: DirectoryRegion[];
  departments: DirectoryDepartment[];
}

/** The region of a department the file gives none for. */
export const DEFAULT_DEPARTMENT_REGION = '371000';

/** Reads the directory file. */
export function readDirectory(file = DIRECTORY_FILE): Directory {
  const data = parse(readFileSync(file, 'utf8')) as Partial<Directory>;
  return { regions: data.regions ?? [], departments: data.departments ?? [] };
}

/** Writes the regions the platform does not have yet (parents first, as the file lists them). */
export async function insertDirectoryRegions(
  trx: Tx,
  regions: readonly DirectoryRegion[],
): Promise<number> {
  let inserted = 0;
  for (const region of regions) {
    const row = await trx
      .insertInto('regions')
      .values({
        code: region.code,
        nameZh: region.nameZh,
        nameEn: region.nameEn,
        parentCode: region.parent ?? null,
        level: region.level,
        standard: region.level !== 'zone',
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('code')
      .executeTakeFirst();
    if (row) inserted += 1;
  }
  return inserted;
}

/**
 * Seeds the directory into a platform without departments, in one transaction: the regions, and
 * the departments with their codes and names but no credit code (an administrator enters the real
 * one; a made-up code must not reach a production register). Audited; false when the platform
 * already has departments.
 */
export async function seedDirectory(db: Kdb, data = readDirectory()): Promise<boolean> {
  const existing = await db.selectFrom('departments').select('id').limit(1).executeTakeFirst();
  if (existing) return false;
  return db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('departments').select('id').limit(1).executeTakeFirst()) return false;
    const regions = await insertDirectoryRegions(trx, data.regions);
    for (const department of data.departments) {
      await trx
        .insertInto('departments')
        .values({
          code: department.code,
          nameZh: department.nameZh,
          nameEn: department.nameEn,
          uscc: null,
          regionCode: department.region ?? DEFAULT_DEPARTMENT_REGION,
        })
        .execute();
    }
    await appendAudit(trx, {
      actorId: null,
      actorRole: null,
      action: 'platform.directory_seeded',
      objectType: 'platform',
      objectId: null,
      ip: null,
      requestId: null,
      detail: { regions, departments: data.departments.length, uscc: 'not seeded' },
    });
    return true;
  });
}
