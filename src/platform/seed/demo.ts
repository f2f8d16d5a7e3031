import { seal, sealLookup } from '../crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { sql } from 'kysely';
import type { Kdb } from '../db/database';
import { appendAudit } from '../audit/store';
import { isRole, isSubjectRole } from '../auth/model';
import { hashPassword, verifyPassword } from '../auth/password';
import { addRepresentative } from '../auth/representatives';
import {
  checkMobile,
  checkRic,
  checkUscc,
  organisationCodeCheckChar,
  ricCheckChar,
  usccCheckChar,
} from '../ids';
import {
  DEFAULT_DEPARTMENT_REGION,
  insertDirectoryRegions,
  readDirectory,
  type Directory,
} from './directory';

/** The demo data file, editable without touching code. */
export const DEMO_FILE = fileURLToPath(
  new URL('../../../data/demo/platform.yaml', import.meta.url),
);

interface DemoData extends Directory {
  password: string;
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

/** Reads the demo data file, with the directory its people, enterprises and accounts live in. */
export function readDemoData(file = DEMO_FILE, directory = readDirectory()): DemoData {
  return {
    ...directory,
    ...(parse(readFileSync(file, 'utf8')) as Omit<DemoData, keyof Directory>),
  };
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
 * Seeds the demo data into an empty platform (no users yet) in one transaction: the directory
 * with synthetic credit codes for its departments, the synthetic people and enterprises, and the
 * demo accounts; returns false and changes nothing when the platform already has users.
 */
export async function seedDemo(db: Kdb, data = readDemoData()): Promise<boolean> {
  const existing = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (existing) return false;
  // Every demo account has the same published password; one argon2 hash (with its salt) serves them all
  // and keeps the first start and every test database quick.
  const passwordHash = await hashPassword(data.password);
  return db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()) return false;
    await insertDirectoryRegions(trx, data.regions);
    const departmentIds = new Map<string, string>();
    for (const [index, department] of data.departments.entries()) {
      const region = department.region ?? DEFAULT_DEPARTMENT_REGION;
      const uscc = syntheticUscc('agency', region.slice(0, 6), index);
      ensureValid('USCC', checkUscc(uscc), uscc);
      // A department of the directory seeded before without demo (ONETHING_DEMO=off) keeps its
      // row and the credit code an administrator entered; one still without gets the demo's.
      const row = await trx
        .insertInto('departments')
        .values({
          code: department.code,
          nameZh: department.nameZh,
          nameEn: department.nameEn,
          uscc,
          regionCode: region,
        })
        .onConflict((oc) =>
          oc
            .column('code')
            .doUpdateSet({ uscc: sql<string>`coalesce(departments.uscc, excluded.uscc)` }),
        )
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

/**
 * The enabled demo accounts (usernames of data/demo/platform.yaml) that still sign in with the
 * demo's published password — a default-credentials hole on a real deployment. Each distinct
 * password hash is checked once (the demo's accounts share one).
 */
export async function findDemoAccounts(db: Kdb, data = readDemoData()): Promise<string[]> {
  const usernames = data.users.map((u) => u.username);
  if (usernames.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['username', 'passwordHash'])
    .where('username', 'in', usernames)
    .where('disabled', '=', false)
    .orderBy('username')
    .execute();
  const published = new Map<string, boolean>();
  const found: string[] = [];
  for (const row of rows) {
    let matches = published.get(row.passwordHash);
    if (matches === undefined) {
      matches = await verifyPassword(row.passwordHash, data.password);
      published.set(row.passwordHash, matches);
    }
    if (matches) found.push(row.username);
  }
  return found;
}

/**
 * Whether the demo was ever seeded into this platform (its audit entry): the demo's other parts
 * (history, tickets, the Open311 key, licences, synthetic subjects, …) go only into such a
 * platform, never into one that started without it and was switched to ONETHING_DEMO=on later.
 */
export async function isDemoPlatform(db: Kdb): Promise<boolean> {
  const entry = await db
    .selectFrom('auditLog')
    .select('seq')
    .where('action', '=', 'platform.demo_seeded')
    .limit(1)
    .executeTakeFirst();
  return entry !== undefined;
}
