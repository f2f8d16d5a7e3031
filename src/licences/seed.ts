// Licence types from data/licences/types.yaml: read, checked, written.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from 'typebox';
import { parse } from 'yaml';
import type { Kdb } from '../platform/db/database';
import { checkAgainstSchema } from '../platform/http/validation';
import { LicenceTypesFileSchema, licenceTypeProblems, type LicenceType } from './model';
import { LicenceService } from './service';
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

/** Where the demo licences live. */
export const DEMO_LICENCES_FILE = fileURLToPath(
  new URL('../../data/licences/demo.yaml', import.meta.url),
);

const DemoLicencesSchema = Type.Object(
  {
    licences: Type.Array(
      Type.Object(
        {
          holder: Type.String({ minLength: 1 }),
          type: Type.String({ minLength: 1 }),
          issuedOn: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
          fields: Type.Optional(
            Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/**
 * Issues the demo licences (data/licences/demo.yaml) to the demo subjects, signed like any other,
 * when no licence exists yet; holders or types the platform does not know are skipped. Returns
 * how many it issued.
 */
export async function seedDemoLicences(db: Kdb, file = DEMO_LICENCES_FILE): Promise<number> {
  const data: unknown = parse(readFileSync(file, 'utf8'));
  const problems = checkAgainstSchema(DemoLicencesSchema, data).map(
    (p) => `${p.path}: ${p.message.en}`,
  );
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  const { licences } = data as Static<typeof DemoLicencesSchema>;
  const existing = await db.selectFrom('licences').select('id').limit(1).executeTakeFirst();
  if (existing) return 0;
  const service = new LicenceService(db);
  return db.transaction().execute(async (trx) => {
    let issued = 0;
    for (const licence of licences) {
      const subject = await trx
        .selectFrom('subjects')
        .select('id')
        .where('name', '=', licence.holder)
        .executeTakeFirst();
      if (!subject) continue;
      const row = await service.issueDemo(trx, {
        typeName: licence.type,
        subjectId: subject.id,
        fields: licence.fields ?? {},
        // 09:00 Beijing time on the day of issue
        issuedAt: new Date(`${licence.issuedOn}T09:00:00+08:00`),
      });
      if (row) issued += 1;
    }
    return issued;
  });
}
