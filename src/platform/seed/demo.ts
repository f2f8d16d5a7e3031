import { seal, sealLookup } from '../crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Kdb } from '../db/database';
import { appendAudit } from '../audit/store';
import { isRole, isSubjectRole } from '../auth/model';
import { hashPassword } from '../auth/password';
import { addRepresentative } from '../auth/representatives';
import {
  checkMobile,
  checkRic,
  checkUscc,
  organisationCodeCheckChar,
  ricCheckChar,
  usccCheckChar,
} from '../ids';

/** The demo data file, editable without touching code. */
export const DEMO_FILE = fileURLToPath(
  new URL('../../../data/demo/platform.yaml', import.meta.url),
);

interface DemoData {
  password: string;
  regions: {
    code: string;
    nameZh: string;
    nameEn: string;
    parent?: string;
    level: 'province' | 'city' | 'county' | 'zone';
  }[];
  departments: { code: string; nameZh: string; nameEn: string; region?: string }[];
  people: { name: string; region: string; born: string; sex: 'male' | 'female' }[];
  enterprises: { name: string; region: string }[];
  users: {
    username: string;
    displayName: string;
    role: string;
    region: string;
    department?: string;
    person?: number;
    enterprise?: number;
  }[];
  /** 法定代表人: a person (by index) who may act for an enterprise (by index). */
  representatives?: { person: number; enterprise: number }[];
}

/** Reads the demo data file. */
export function readDemoData(file = DEMO_FILE): DemoData {
  return parse(readFileSync(file, 'utf8')) as DemoData;
}

/**
 * A synthetic resident ID: region, birth date, a three-digit sequence whose parity gives the sex
 * (odd for men), check digit. Distinct for 449 consecutive indexes of the same region, date and sex.
 */
export function syntheticRic(region: string, born: string, sex: 'male' | 'female', index: number) {
  const sequence = 100 + ((index * 2) % 898) + (sex === 'male' ? 1 : 0);
  const body = `${region}${born.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return body + ricCheckChar(body);
}

/** A synthetic unified social credit code with a valid embedded organisation code. */
export function syntheticUscc(kind: 'agency' | 'enterprise', region: string, index: number) {
  const prefix = kind === 'agency' ? '11' : '91';
  const orgBody = `${kind === 'agency' ? '0' : 'M'}${String(3_710_000 + index * 37).slice(-7)}`;
  const body = `${prefix}${region}${orgBody}${organisationCodeCheckChar(orgBody)}`;
  return body + usccCheckChar(body);
}

/** A synthetic mobile number (0631 is Weihai's area code). */
export function syntheticMobile(index: number) {
  return `1390631${String(1000 + index * 13).slice(-4)}`;
}

function ensureValid(kind: string, check: { valid: boolean }, value: string) {
  if (!check.valid) throw new Error(`demo data: generated ${kind} ${value} does not validate`);
}

/**
 * Seeds the demo data into an empty platform (no users yet) in one transaction; returns false and
 * changes nothing when the platform already has users.
 */
export async function seedDemo(db: Kdb, data = readDemoData()): Promise<boolean> {
  const existing = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (existing) return false;
  // Every demo account has the same published password; one argon2 hash (with its salt) serves them all
  // and keeps the first start and every test database quick.
  const passwordHash = await hashPassword(data.password);
  return db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()) return false;
    for (const region of data.regions) {
      await trx
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
        .execute();
    }
    const departmentIds = new Map<string, string>();
    for (const [index, department] of data.departments.entries()) {
      const region = department.region ?? '371000';
      const uscc = syntheticUscc('agency', region.slice(0, 6), index);
      ensureValid('USCC', checkUscc(uscc), uscc);
      const row = await trx
        .insertInto('departments')
        .values({
          code: department.code,
          nameZh: department.nameZh,
          nameEn: department.nameEn,
          uscc,
          regionCode: region,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      departmentIds.set(department.code, row.id);
    }
    const personIds: string[] = [];
    for (const [index, person] of data.people.entries()) {
      const ric = syntheticRic(person.region, person.born, person.sex, index);
      ensureValid('resident ID', checkRic(ric), ric);
      const mobile = syntheticMobile(index);
      ensureValid('mobile', checkMobile(mobile), mobile);
      const row = await trx
        .insertInto('subjects')
        .values({
          kind: 'person',
          name: person.name,
          // a resident ID number is sealed deterministically: still found by equality
          identifier: sealLookup(ric),
          regionCode: person.region,
          // sealed at rest (SM4) like every stored mobile
          mobile: seal(mobile),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      personIds.push(row.id);
    }
    const enterpriseIds: string[] = [];
    for (const [index, enterprise] of data.enterprises.entries()) {
      const uscc = syntheticUscc('enterprise', enterprise.region.slice(0, 6), index);
      ensureValid('USCC', checkUscc(uscc), uscc);
      const row = await trx
        .insertInto('subjects')
        .values({
          kind: 'enterprise',
          name: enterprise.name,
          identifier: uscc,
          regionCode: enterprise.region,
          mobile: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      enterpriseIds.push(row.id);
    }
    for (const user of data.users) {
      if (!isRole(user.role)) throw new Error(`demo data: unknown role ${user.role}`);
      const subjectId = isSubjectRole(user.role)
        ? user.person !== undefined
          ? personIds[user.person]
          : enterpriseIds[user.enterprise ?? -1]
        : undefined;
      const departmentId = user.department ? departmentIds.get(user.department) : undefined;
      if (isSubjectRole(user.role) ? !subjectId : !departmentId) {
        throw new Error(`demo data: user ${user.username} names no existing subject or department`);
      }
      await trx
        .insertInto('users')
        .values({
          username: user.username,
          displayName: user.displayName,
          passwordHash,
          role: user.role,
          regionCode: user.region,
          departmentId: departmentId ?? null,
          subjectId: subjectId ?? null,
        })
        .execute();
    }
    const representatives = data.representatives ?? [];
    const since = new Date();
    for (const representative of representatives) {
      const personId = personIds[representative.person];
      const enterpriseId = enterpriseIds[representative.enterprise];
      if (!personId || !enterpriseId) {
        throw new Error(
          `demo data: representative ${JSON.stringify(representative)} names no existing subject`,
        );
      }
      await addRepresentative(trx, { enterpriseId, personId, since, source: 'demo' });
    }
    await appendAudit(trx, {
      actorId: null,
      actorRole: null,
      action: 'platform.demo_seeded',
      objectType: 'platform',
      objectId: null,
      ip: null,
      requestId: null,
      detail: {
        regions: data.regions.length,
        departments: data.departments.length,
        subjects: personIds.length + enterpriseIds.length,
        users: data.users.length,
        representatives: representatives.length,
      },
    });
    return true;
  });
}
