import type { Kdb, Tx } from '../db/database';

/** An enterprise a person may act for (法人办事), as the subject switcher lists it. */
export interface RepresentedEnterprise {
  subjectId: string;
  name: string;
  /** 统一社会信用代码 — the enterprise's unified social credit code. */
  identifier: string;
  regionCode: string;
}

/**
 * Records that a person is the legal representative (法定代表人) of an enterprise, inside the
 * caller's transaction; recording it again changes nothing.
 */
export async function addRepresentative(
  trx: Tx,
  representation: { enterpriseId: string; personId: string; since: Date; source: string },
): Promise<void> {
  await trx
    .insertInto('subjectRepresentatives')
    .values({ ...representation, role: 'legal-rep' })
    .onConflict((oc) => oc.columns(['enterpriseId', 'personId']).doNothing())
    .execute();
}

/** The enterprises a person represents, by name. */
export function representedEnterprises(
  db: Kdb | Tx,
  personSubjectId: string,
): Promise<RepresentedEnterprise[]> {
  return db
    .selectFrom('subjectRepresentatives as rep')
    .innerJoin('subjects', 'subjects.id', 'rep.enterpriseId')
    .select([
      'subjects.id as subjectId',
      'subjects.name',
      'subjects.identifier',
      'subjects.regionCode',
    ])
    .where('rep.personId', '=', personSubjectId)
    .where('subjects.kind', '=', 'enterprise')
    .orderBy('subjects.name')
    .orderBy('subjects.id')
    .execute();
}

/** Whether a person represents an enterprise (and it is one). */
export async function representsEnterprise(
  db: Kdb | Tx,
  personId: string,
  enterpriseId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('subjectRepresentatives as rep')
    .innerJoin('subjects', 'subjects.id', 'rep.enterpriseId')
    .select('rep.enterpriseId')
    .where('rep.personId', '=', personId)
    .where('rep.enterpriseId', '=', enterpriseId)
    .where('subjects.kind', '=', 'enterprise')
    .executeTakeFirst();
  return row !== undefined;
}
