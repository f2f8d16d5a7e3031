// The seed policies (data/policies/policies.yaml, reference data seeded with and without the demo);
// with the demo also the facts other departments hold about the demo subjects
// (data/policies/facts.yaml), and synthetic market subjects and residents with generated facts, so
// that the editor's preview and the matches have a population to work over. The first full match
// runs at the end: 免申即享 grants of the demo start in the departments' queues.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { parse } from 'yaml';
import { sealSubjectIdentifier } from '../platform/crypto';
import { DEFAULT_BUSINESS_HOURS } from '../platform/calendar';
import type { Kdb } from '../platform/db/database';
import { syntheticRic, syntheticUscc } from '../platform/seed/demo';
import { GrantService } from './grants';
import { Matching } from './matching';
import { checkPolicy, type Facts, type PolicyInput } from './model';
import { SIZES, CREDIT_GRADES } from './rule';
import * as store from './store';

const DATA = new URL('../../data/policies/', import.meta.url);

/** The seed policies. */
export function readSeedPolicies(): PolicyInput[] {
  const file = fileURLToPath(new URL('policies.yaml', DATA));
  return (parse(readFileSync(file, 'utf8')) as { policies: PolicyInput[] }).policies;
}

/** The demo subjects' facts, by subject name. */
export function readDemoFacts(): { source: string; facts: Record<string, Facts> } {
  return parse(readFileSync(fileURLToPath(new URL('facts.yaml', DATA)), 'utf8')) as {
    source: string;
    facts: Record<string, Facts>;
  };
}

const WEIHAI_REGIONS = ['371002', '371003', '371082', '371083', '371071', '371072', '371073'];
const FIRM_WORDS = ['海辰', '瑞丰', '恒通', '宏远', '泰和', '金石', '蓝湾', '鑫达', '华海', '远航'];
const TRADES: [word: string, industry: string][] = [
  ['精密机械', 'C3484'],
  ['海洋食品', 'C1361'],
  ['水产养殖', 'A0412'],
  ['纺织服饰', 'C1830'],
  ['电子科技', 'I6513'],
  ['物流', 'G5430'],
  ['商贸', 'F5191'],
  ['医疗器械', 'C3580'],
  ['餐饮管理', 'H6210'],
  ['建筑工程', 'E4710'],
];
const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '于',
  '丛',
];
const GIVEN = [
  '海燕',
  '志强',
  '秀英',
  '建华',
  '丽娜',
  '明',
  '静',
  '磊',
  '晓东',
  '春梅',
  '宇',
  '欣怡',
];
const ENTERPRISE_TAGS = [
  'gazelle',
  'high-tech',
  'insured-employer',
  'hired-hardship',
  'little-giant',
];
const ENTERPRISE_TAG_ODDS = [4, 12, 70, 8, 3]; // percent
const PERSON_TAGS = [
  'maternity-insured',
  'recent-birth',
  'pregnant',
  'student',
  'low-income',
  'resident-pension-insured',
  'flexible-employment',
  'talent-b',
];
const PERSON_TAG_ODDS = [30, 4, 3, 15, 6, 35, 8, 2];

/** A synthetic subject with its facts. */
interface Synthetic {
  kind: 'person' | 'enterprise';
  name: string;
  identifier: string;
  regionCode: string;
  facts: Facts;
}

/** Deterministic synthetic enterprises and residents (the same seed gives the same population). */
export function syntheticSubjects(count: number, seed = 20261123): Synthetic[] {
  const rng: RandomGenerator = xoroshiro128plus(seed);
  const int = (min: number, max: number) => uniformInt(rng, min, max);
  const pick = <T>(values: readonly T[]) => values[int(0, values.length - 1)]!;
  const tagsBy = (names: readonly string[], odds: readonly number[]) =>
    names.filter((_, i) => int(1, 100) <= odds[i]!);
  const subjects: Synthetic[] = [];
  for (let i = 0; i < count; i++) {
    const regionCode = pick(WEIHAI_REGIONS);
    if (i % 2 === 0) {
      const [trade, industry] = pick(TRADES);
      const employees = Math.round(Math.exp(int(0, 700) / 100)); // 1 … ~1100, most small
      const facts: Facts = {
        industry,
        size: SIZES[employees < 20 ? 0 : employees < 300 ? 1 : employees < 1000 ? 2 : 3],
        foundedOn: `${int(1995, 2025)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
        revenue: Math.round(employees * int(20, 120)),
        revenueGrowth: int(-300, 600) / 10,
        employees,
        creditGrade: CREDIT_GRADES[Math.min(3, Math.floor(int(0, 99) / 30))],
        tags: tagsBy(ENTERPRISE_TAGS, ENTERPRISE_TAG_ODDS),
      };
      subjects.push({
        kind: 'enterprise',
        name: `威海${pick(FIRM_WORDS)}${trade}有限公司（样例${i}）`,
        identifier: syntheticUscc('enterprise', regionCode, 1000 + i),
        regionCode,
        facts,
      });
    } else {
      const sex = int(0, 1) === 0 ? 'female' : 'male';
      const born = `${int(1935, 2018)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
      let tags = tagsBy(PERSON_TAGS, PERSON_TAG_ODDS);
      // the data agree with themselves: births and pregnancies only for women
      if (sex === 'male') tags = tags.filter((t) => !['recent-birth', 'pregnant'].includes(t));
      subjects.push({
        kind: 'person',
        name: `${pick(SURNAMES)}${pick(GIVEN)}`,
        identifier: syntheticRic(regionCode, born, sex, i),
        regionCode,
        facts: { tags },
      });
    }
  }
  return subjects;
}

/**
 * Seeds the policies when there is none yet — with `demo` (the default) also the demo facts and
 * `synthetic` generated subjects — then builds every dossier and matches them all; returns how
 * many policies were seeded.
 */
export async function seedPolicies(
  db: Kdb,
  options: { synthetic?: number; demo?: boolean } = {},
): Promise<number> {
  const withDemo = options.demo ?? true;
  if (await db.selectFrom('policies').select('id').limit(1).executeTakeFirst()) return 0;
  const policies = readSeedPolicies();
  for (const [i, policy] of policies.entries()) {
    const problems = checkPolicy(policy, `policies.${i}`);
    if (problems.length > 0)
      throw new Error(
        `seed policy ${policy.code}: ${problems.map((p) => `${p.path} ${p.rule}`).join('; ')}`,
      );
  }
  const demo = withDemo ? readDemoFacts() : null;
  const synthetic = withDemo ? syntheticSubjects(options.synthetic ?? 2000) : [];
  const now = new Date();
  const seeded = await db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('policies').select('id').limit(1).executeTakeFirst()) return 0;
    for (const policy of policies)
      await store.insertPolicy(trx, crypto.randomUUID(), policy, 'published', null, now);
    const named = demo
      ? await trx
          .selectFrom('subjects')
          .select(['id', 'name', 'regionCode'])
          .where('name', 'in', Object.keys(demo.facts))
          .execute()
      : [];
    for (const subject of named)
      await store.upsertFacts(
        trx,
        subject.id,
        subject.regionCode,
        demo!.facts[subject.name]!,
        demo!.source,
        null,
        now,
      );
    for (let i = 0; i < synthetic.length; i += 500) {
      const chunk = synthetic.slice(i, i + 500);
      const rows = await trx
        .insertInto('subjects')
        .values(
          chunk.map(({ kind, name, identifier, regionCode }) => ({
            kind,
            name,
            identifier: sealSubjectIdentifier(kind, identifier),
            regionCode,
            mobile: null,
          })),
        )
        .onConflict((oc) => oc.column('identifier').doNothing())
        .returning(['id', 'identifier', 'regionCode'])
        .execute();
      const factsOf = new Map(chunk.map((s) => [s.identifier, s.facts]));
      for (const row of rows)
        await store.upsertFacts(
          trx,
          row.id,
          row.regionCode,
          factsOf.get(row.identifier)!,
          '合成样例数据 synthetic demo data',
          null,
          now,
        );
    }
    return policies.length;
  });
  if (seeded === 0) return 0;
  const grants = new GrantService(db, DEFAULT_BUSINESS_HOURS);
  const matching = new Matching(db, grants);
  grants.attach(matching);
  await db.transaction().execute((trx) => matching.rebuildDossiers(trx, null, now));
  await matching.matchAll(now);
  return seeded;
}
