import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/support/db';
import { readSeedCatalog } from '../catalog';
import type { Db } from '../platform/db/database';
import { seedDemo } from '../platform/seed/demo';
import { readSharedDataSources, seedSharedDataSources, sharedDataNamedBy } from './shared-data';

// The shared-data sources file (data/licences/shared-data.yaml) against the seed catalog and the
// demo departments, and its seeding — with subject_kinds (text[]) read back as an array.

describe('the shared-data sources file', () => {
  const sources = readSharedDataSources();

  it('names every shared-data source the seed catalog names, spelled the same, and no other', () => {
    const named = sharedDataNamedBy(readSeedCatalog());
    expect(named.size).toBeGreaterThan(10);
    expect(sources.map((s) => s.name).sort()).toEqual([...named.keys()].sort());
    expect(named.get('公安人口库')).toBeGreaterThan(10);
  });

  it('leaves a few sources unconnected, so the scenarios show real blockers', () => {
    const off = sources.filter((s) => !s.connected).map((s) => s.name);
    expect(off).toEqual(
      expect.arrayContaining(['银行业金融机构不动产登记+金融服务平台', '劳动能力鉴定信息系统']),
    );
    expect(off.length).toBeLessThan(sources.length / 2);
    expect(sources.find((s) => s.name === '公安人口库')).toMatchObject({
      department: 'police',
      subjectKinds: ['person'],
      connected: true,
    });
  });

  it('refuses a file with a duplicate name or an unknown subject kind', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shared-data-'));
    const file = path.join(dir, 'bad.yaml');
    const source = (name: string, kinds: string) =>
      `  - { name: ${name}, nameEn: X, department: police, subjectKinds: [${kinds}], connected: true }\n`;
    writeFileSync(file, `sources:\n${source('甲', 'person')}${source('甲', 'person')}`);
    expect(() => readSharedDataSources(file)).toThrow(/sources\.1\.name: duplicate 甲/);
    writeFileSync(file, `sources:\n${source('乙', 'robot')}`);
    expect(() => readSharedDataSources(file)).toThrow(/sources\.0\.subjectKinds\.0/);
  });
});

describe('seeding the shared-data sources', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  it('writes nothing without the departments, then every source once they exist', async () => {
    expect(await seedSharedDataSources(db.kysely)).toBe(0);
    await seedDemo(db.kysely);
    // every department the file names exists in the demo data
    expect(await seedSharedDataSources(db.kysely)).toBe(readSharedDataSources().length);
    expect(await seedSharedDataSources(db.kysely)).toBe(0);
  });

  it('reads subject_kinds back as a JS array, and queries it with any()', async () => {
    const row = await db.kysely
      .selectFrom('sharedDataSources')
      .select(['subjectKinds', 'connected', 'departmentCode', 'note'])
      .where('name', '=', '不动产登记信息')
      .executeTakeFirstOrThrow();
    expect(Array.isArray(row.subjectKinds)).toBe(true);
    expect(row).toMatchObject({
      subjectKinds: ['person', 'enterprise'],
      connected: true,
      departmentCode: 'zrzy',
    });
    const enterprise = await db.kysely
      .selectFrom('sharedDataSources')
      .select('name')
      .where(sql<boolean>`${'enterprise'} = any(subject_kinds)`)
      .where('name', 'in', ['公安人口库', '国家企业信用信息公示系统'])
      .execute();
    expect(enterprise.map((r) => r.name)).toEqual(['国家企业信用信息公示系统']);
  });

  it('refuses subject kinds outside person and enterprise', async () => {
    await expect(
      db.kysely
        .insertInto('sharedDataSources')
        .values({
          name: '测试源',
          nameEn: 'Test',
          departmentCode: 'police',
          subjectKinds: ['robot' as 'person'],
          connected: true,
          note: null,
          updatedAt: new Date(),
        })
        .execute(),
    ).rejects.toThrow();
  });
});
