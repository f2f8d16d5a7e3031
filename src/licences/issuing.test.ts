import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/support/db';
import type { Db } from '../platform/db/database';
import { seedDemo } from '../platform/seed/demo';
import { seedLicenceTypes } from './seed';
import { LicenceService } from './service';

// A deployment without demo data seeds its departments without credit codes (the administrator
// enters the real ones): until then a department issues nothing, as a licence's identifier names
// its issuer by that code.
describe('issuing a licence', () => {
  let db: Db;

  beforeAll(async () => {
    db = await createTestDb();
    await seedDemo(db.kysely);
    await seedLicenceTypes(db.kysely);
  });
  afterAll(() => db?.close());

  const issueIdCard = async () => {
    const holder = await db.kysely
      .selectFrom('subjects')
      .select('id')
      .where('name', '=', '张伟')
      .executeTakeFirstOrThrow();
    return db.kysely.transaction().execute((trx) =>
      new LicenceService(db.kysely).issueDemo(trx, {
        typeName: '居民身份证',
        subjectId: holder.id,
        fields: {},
        issuedAt: new Date('2024-05-06T09:00:00+08:00'),
      }),
    );
  };

  it('should refuse with 409 naming the department while it has no credit code', async () => {
    const type = await db.kysely
      .selectFrom('licenceTypes')
      .select('departmentCode')
      .where('nameZh', '=', '居民身份证')
      .executeTakeFirstOrThrow();
    const { uscc } = await db.kysely
      .selectFrom('departments')
      .select('uscc')
      .where('code', '=', type.departmentCode)
      .executeTakeFirstOrThrow();
    await db.kysely
      .updateTable('departments')
      .set({ uscc: null })
      .where('code', '=', type.departmentCode)
      .execute();
    await expect(issueIdCard()).rejects.toMatchObject({
      status: 409,
      code: 'licences.issuer_uscc_missing',
      text: { en: expect.stringContaining(type.departmentCode) },
    });
    expect(await db.kysely.selectFrom('licences').select('id').execute()).toEqual([]);

    await db.kysely
      .updateTable('departments')
      .set({ uscc })
      .where('code', '=', type.departmentCode)
      .execute();
    const issued = await issueIdCard();
    expect(issued?.identifier).toContain(uscc!.toUpperCase());
  });
});
