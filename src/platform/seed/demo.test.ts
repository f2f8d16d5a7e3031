import { isSealed, openOptional } from '../crypto';
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/db';
import { ROLES, isRole, isSubjectRole } from '../auth/model';
import { hashPassword, verifyPassword } from '../auth/password';
import type { Db } from '../db/database';
import { checkMobile, checkRic, checkUscc, ricBirthDate, ricSex } from '../ids';
import {
  findDemoAccounts,
  readDemoData,
  seedDemo,
  syntheticMobile,
  syntheticRic,
  syntheticUscc,
} from './demo';
import { seedDirectory } from './directory';

// Every code in the conformance files belongs to a real organisation or is a published example:
// demo subjects must never reuse one.
const CONFORMANCE = new URL('../../../../shared/conformance/ids/', import.meta.url);
const CONFORMANCE_CODES = new Set(
  readdirSync(CONFORMANCE).flatMap((file) =>
    readFileSync(new URL(file, CONFORMANCE), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split('\t')[0]!),
  ),
);

const WEIHAI_COUNTIES = ['371002', '371003', '371082', '371083'];
const WEIHAI_CODES = ['371000', ...WEIHAI_COUNTIES, '371071', '371072', '371073'];

/** Every row of the tables seeding writes, for before/after comparisons. */
async function snapshot(db: Db) {
  const k = db.kysely;
  return {
    regions: await k.selectFrom('regions').select(['code', 'nameZh']).orderBy('code').execute(),
    departments: await k.selectFrom('departments').select(['id', 'uscc']).orderBy('id').execute(),
    subjects: await k
      .selectFrom('subjects')
      .select(['id', 'identifier', 'mobile'])
      .orderBy('id')
      .execute(),
    users: await k
      .selectFrom('users')
      .select(['id', 'username', 'passwordHash'])
      .orderBy('id')
      .execute(),
    representatives: await k
      .selectFrom('subjectRepresentatives')
      .selectAll()
      .orderBy('enterpriseId')
      .orderBy('personId')
      .execute(),
    audit: await k.selectFrom('auditLog').select(['seq', 'hash']).orderBy('seq').execute(),
  };
}

describe('seedDemo', () => {
  const data = readDemoData();
  let db: Db;
  let firstSeeding: boolean;

  beforeAll(async () => {
    db = await createTestDb();
    firstSeeding = await seedDemo(db.kysely);
  });
  afterAll(() => db?.close());

  const users = () => db.kysely.selectFrom('users').selectAll().execute();
  const actsForSubject = (user: { role: string }) => isRole(user.role) && isSubjectRole(user.role);
  const subjects = () => db.kysely.selectFrom('subjects').selectAll().execute();

  it('should answer true when it seeds an empty platform', () => {
    expect(firstSeeding).toBe(true);
  });

  it('should create every region and department of the demo file', async () => {
    const regions = await db.kysely.selectFrom('regions').select('code').execute();
    expect(regions.map((r) => r.code).sort()).toEqual(data.regions.map((r) => r.code).sort());
    const departments = await db.kysely.selectFrom('departments').select('code').execute();
    expect(departments.map((d) => d.code).sort()).toEqual(
      data.departments.map((d) => d.code).sort(),
    );
  });

  it('should mark functional zones, and only them, as not standard', async () => {
    const regions = await db.kysely.selectFrom('regions').select(['level', 'standard']).execute();
    for (const region of regions) expect(region.standard).toBe(region.level !== 'zone');
  });

  it('should create a user for every role, named after it', async () => {
    const byUsername = new Map((await users()).map((user) => [user.username, user]));
    for (const role of ROLES) expect(byUsername.get(role)?.role, role).toBe(role);
  });

  it('should bind citizens and enterprises to a subject of their kind, and nothing else', async () => {
    const subjectKinds = new Map((await subjects()).map((s) => [s.id, s.kind]));
    const seeded = (await users()).filter(actsForSubject);
    expect(seeded.map((user) => user.role).sort()).toEqual(['citizen', 'enterprise']);
    for (const user of seeded) {
      expect(user.departmentId, user.username).toBeNull();
      expect(subjectKinds.get(user.subjectId!), user.username).toBe(
        user.role === 'citizen' ? 'person' : 'enterprise',
      );
    }
  });

  it('should bind every staff account to an existing department, and to no subject', async () => {
    const departmentIds = new Set(
      (await db.kysely.selectFrom('departments').select('id').execute()).map((d) => d.id),
    );
    const staff = (await users()).filter((user) => !actsForSubject(user));
    // One account per staff role, three more handling units for the hotline demo, and a reviewer
    // for each department of 企业开办, the reviewer of the development zone's 瞪羚 grants, and
    // the fire brigade's inspector for joint inspections.
    expect(staff).toHaveLength(19);
    for (const user of staff) {
      expect(user.subjectId, user.username).toBeNull();
      expect(departmentIds.has(user.departmentId!), user.username).toBe(true);
    }
  });

  it('should give every account the published demo password', async () => {
    const [user] = await users();
    expect(await verifyPassword(user!.passwordHash, data.password)).toBe(true);
    expect(await verifyPassword(user!.passwordHash, 'wrong')).toBe(false);
  });

  it('should give every person a valid resident ID that carries their birth date and sex', async () => {
    const people = (await subjects()).filter((s) => s.kind === 'person');
    expect(people).toHaveLength(data.people.length);
    for (const person of people) {
      const source = data.people.find((p) => p.name === person.name)!;
      expect(checkRic(person.identifier), person.name).toMatchObject({ valid: true, warnings: [] });
      expect(person.identifier.slice(0, 6)).toBe(source.region);
      expect(ricBirthDate(person.identifier)).toBe(source.born);
      expect(ricSex(person.identifier)).toBe(source.sex);
    }
  });

  it('should give every enterprise a valid USCC', async () => {
    const enterprises = (await subjects()).filter((s) => s.kind === 'enterprise');
    expect(enterprises).toHaveLength(data.enterprises.length);
    for (const enterprise of enterprises) {
      expect(checkUscc(enterprise.identifier), enterprise.name).toMatchObject({
        valid: true,
        warnings: [],
      });
    }
  });

  it('should give every person a valid mobile number, sealed at rest, and enterprises none', async () => {
    for (const subject of await subjects()) {
      if (subject.kind === 'enterprise') expect(subject.mobile).toBeNull();
      else {
        expect(isSealed(subject.mobile ?? ''), subject.name).toBe(true);
        expect(checkMobile(openOptional(subject.mobile) ?? '').valid, subject.name).toBe(true);
      }
    }
  });

  it('should use no number from the conformance files', async () => {
    expect(CONFORMANCE_CODES.size).toBeGreaterThan(200);
    const departments = await db.kysely.selectFrom('departments').select('uscc').execute();
    const used = [
      ...(await subjects()).map((s) => s.identifier),
      ...departments.flatMap((d) => d.uscc ?? []),
    ];
    expect(used.filter((code) => CONFORMANCE_CODES.has(code))).toEqual([]);
  });

  it('should make the demo citizen the legal representative of the demo enterprise named', async () => {
    const rows = await db.kysely
      .selectFrom('subjectRepresentatives as rep')
      .innerJoin('subjects as person', 'person.id', 'rep.personId')
      .innerJoin('subjects as enterprise', 'enterprise.id', 'rep.enterpriseId')
      .select([
        'person.name as person',
        'person.kind as personKind',
        'enterprise.name as enterprise',
        'enterprise.kind as enterpriseKind',
        'rep.role',
        'rep.source',
      ])
      .execute();
    expect(rows).toEqual([
      {
        person: '张伟',
        personKind: 'person',
        enterprise: '威海星屿海洋食品有限公司',
        enterpriseKind: 'enterprise',
        role: 'legal-rep',
        source: 'demo',
      },
    ]);
    const citizen = (await users()).find((user) => user.username === 'citizen')!;
    const person = (await subjects()).find((subject) => subject.id === citizen.subjectId)!;
    expect(person.name).toBe('张伟');
  });

  it('should record the seeding in the audit log', async () => {
    const entries = await db.kysely
      .selectFrom('auditLog')
      .select(['action', 'detail'])
      .where('action', '=', 'platform.demo_seeded')
      .execute();
    expect(entries).toEqual([
      {
        action: 'platform.demo_seeded',
        detail: {
          regions: data.regions.length,
          departments: data.departments.length,
          subjects: data.people.length + data.enterprises.length,
          users: data.users.length,
          representatives: data.representatives!.length,
        },
      },
    ]);
  });

  it('should change nothing and answer false when seeding a second time', async () => {
    const before = await snapshot(db);
    expect(await seedDemo(db.kysely)).toBe(false);
    expect(await snapshot(db)).toEqual(before);
  });
});

describe('seedDirectory and the demo accounts left on a deployment', () => {
  const data = readDemoData();
  let db: Db;

  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  it('should seed the regions and the departments without credit codes, audited, once', async () => {
    expect(await seedDirectory(db.kysely)).toBe(true);
    const departments = await db.kysely
      .selectFrom('departments')
      .select(['code', 'uscc'])
      .execute();
    expect(departments.map((d) => d.code).sort()).toEqual(
      data.departments.map((d) => d.code).sort(),
    );
    expect(departments.filter((d) => d.uscc !== null)).toEqual([]);
    const regions = await db.kysely.selectFrom('regions').select('code').execute();
    expect(regions).toHaveLength(data.regions.length);
    const audit = await db.kysely
      .selectFrom('auditLog')
      .select('detail')
      .where('action', '=', 'platform.directory_seeded')
      .execute();
    expect(audit).toEqual([
      {
        detail: {
          regions: data.regions.length,
          departments: data.departments.length,
          uscc: 'not seeded',
        },
      },
    ]);
    expect(await seedDirectory(db.kysely)).toBe(false);
    expect(await findDemoAccounts(db.kysely)).toEqual([]);
  });

  it('should find the enabled demo accounts that still have the published password', async () => {
    // The demo seeded over the directory (ONETHING_DEMO on after off) fills the credit codes in.
    expect(await seedDemo(db.kysely)).toBe(true);
    const usccs = await db.kysely.selectFrom('departments').select('uscc').execute();
    expect(usccs.filter((d) => d.uscc === null)).toEqual([]);
    const all = data.users.map((u) => u.username).sort();
    expect(await findDemoAccounts(db.kysely)).toEqual(all);
    await db.kysely
      .updateTable('users')
      .set({ disabled: true })
      .where('username', '=', 'admin')
      .execute();
    await db.kysely
      .updateTable('users')
      .set({ passwordHash: await hashPassword('Not-The-Demo-2026') })
      .where('username', '=', 'clerk')
      .execute();
    expect(await findDemoAccounts(db.kysely)).toEqual(
      all.filter((u) => u !== 'admin' && u !== 'clerk'),
    );
  });
});

describe('the synthetic identifier generators', () => {
  const born = fc
    .date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2020-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString().slice(0, 10));
  const sex = fc.constantFrom('male' as const, 'female' as const);

  it('should give a valid resident ID with the given region, birth date and sex', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...WEIHAI_COUNTIES),
        born,
        sex,
        fc.nat({ max: 449 }),
        (region, date, s, index) => {
          const ric = syntheticRic(region, date, s, index);
          expect(checkRic(ric)).toMatchObject({ valid: true, warnings: [] });
          expect(ric.slice(0, 6)).toBe(region);
          expect(ricBirthDate(ric)).toBe(date);
          expect(ricSex(ric)).toBe(s);
        },
      ),
    );
  });

  it('should give distinct resident IDs to distinct indexes of the same region, date and sex', () => {
    const rics = Array.from({ length: 449 }, (_, i) =>
      syntheticRic('371002', '1986-03-14', 'male', i),
    );
    expect(new Set(rics).size).toBe(449);
  });

  it('should keep the sequence at three digits for any index', () => {
    for (const index of [449, 450, 1000, 123_456]) {
      for (const sex of ['male', 'female'] as const) {
        const ric = syntheticRic('371002', '1986-03-14', sex, index);
        expect(checkRic(ric).valid, ric).toBe(true);
        expect(ricSex(ric)).toBe(sex);
      }
    }
  });

  it('should give a valid USCC with no warnings for agencies and enterprises', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('agency' as const, 'enterprise' as const),
        fc.constantFrom(...WEIHAI_CODES),
        fc.nat(),
        (kind, region, index) => {
          const uscc = syntheticUscc(kind, region, index);
          expect(checkUscc(uscc)).toMatchObject({ valid: true, warnings: [] });
          expect(uscc.slice(0, 2)).toBe(kind === 'agency' ? '11' : '91');
          expect(uscc.slice(2, 8)).toBe(region);
        },
      ),
    );
  });

  it('should give a valid Weihai mobile number', () => {
    fc.assert(
      fc.property(fc.nat(), (index) => {
        const mobile = syntheticMobile(index);
        expect(checkMobile(mobile)).toMatchObject({ valid: true, normalized: mobile });
        expect(mobile.startsWith('1390631')).toBe(true);
      }),
    );
  });
});
