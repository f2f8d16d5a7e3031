// Licence types from data/licences/types.yaml: read, checked, written.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Kdb } from '../platform/db/database';
import { checkAgainstSchema } from '../platform/http/validation';
import { LicenceTypesFileSchema, licenceTypeProblems, type LicenceType } from './model';
import * as store from './store';

/** Where the seed licence types live. */
export const LICENCE_TYPES_FILE = fileURLToPath(
  new URL('../../data/licences/types.yaml', import.meta.url),
);

/** Reads and checks the licence types file; throws naming every problem. */
export function readLicenceTypes(file = LICENCE_TYPES_FILE): LicenceType[] {
  const data: unknown = parse(readFileSync(file, 'utf8'));
  const problems = checkAgainstSchema(LicenceTypesFileSchema, data).map(
    (p) => `${p.path}: ${p.message.en}`,
  );
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  const { types } = data as { types: LicenceType[] };
  const more = licenceTypeProblems(types);
  if (more.length > 0) throw new Error(`${file}: ${more.join('; ')}`);
  return types;
}

/**
 * Writes the licence types whose issuing department exists (the demo's departments) when there are
 * none yet; returns how many it wrote.
 */
export async function seedLicenceTypes(
  db: Kdb,
  types: readonly LicenceType[] = readLicenceTypes(),
): Promise<number> {
  const existing = await db.selectFrom('licenceTypes').select('code').limit(1).executeTakeFirst();
  if (existing) return 0;
  const departments = new Set(
    (await db.selectFrom('departments').select('code').execute()).map((d) => d.code),
  );
  const known = types.filter((t) => departments.has(t.department));
  if (known.length === 0) return 0;
  await db.transaction().execute(async (trx) => {
    for (const [index, type] of known.entries()) {
      await store.upsertLicenceType(trx, {
        code: type.code,
        nameZh: type.name.zh,
        nameEn: type.name.en,
        departmentCode: type.department,
        holderKind: type.holderKind,
        fields: JSON.stringify(type.fields),
        validityYears: type.validityYears ?? null,
        sort: index,
      });
    }
  });
  return known.length;
}
