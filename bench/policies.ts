// Policy matching (政策找人): 1,000,000 synthetic dossiers × 200 policies fully matched by the
// columnar matcher (src/policies/matcher.ts) against the same rules translated to json-logic and
// applied per subject per policy with json-logic-js — in the same run, same match sets asserted.
import jsonLogic, { type RulesLogic } from 'json-logic-js';
import { DossierColumns } from '../src/policies/columns';
import {
  compilePolicies,
  hasBit,
  matchAll,
  matchOne,
  type RegionNode,
} from '../src/policies/matcher';
import { GrantService } from '../src/policies/grants';
import { Matching } from '../src/policies/matching';
import { evaluate } from '../src/policies/reference';
import { DEFAULT_BUSINESS_HOURS } from '../src/platform/calendar';
import { openDatabase } from '../src/platform/db/database';
import { migrate } from '../src/platform/db/migrate';
import {
  CREDIT_GRADES,
  attrSpec,
  isCondition,
  yearsCutoff,
  dayDate,
  type Condition,
  type Dossier,
  type PolicyRule,
  type Rule,
} from '../src/policies/rule';

const SUBJECTS = Number(process.env.BENCH_SUBJECTS || 1_000_000);
const POLICIES = 200;
const ROUNDS = 3;
const ONE_SUBJECTS = 1_000;
/** The baseline runs over every subject if that takes at most this long, else over a sample. */
const BASELINE_BUDGET_S = Number(process.env.BENCH_BASELINE_BUDGET_S || 600);
/** Length of the sampled baseline when the whole one would take too long. */
const SAMPLE_TARGET_S = Number(process.env.BENCH_SAMPLE_S || 90);
const AS_OF = '2025-06-30';
/** Dossiers stored in the database to time loading them (0: skip). */
const DB_SUBJECTS = Number(process.env.BENCH_DB_SUBJECTS ?? 100_000);

// mulberry32: a seeded generator, so every run measures the same inputs.
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// Weihai (data/platform/directory.yaml) under Shandong, with two other cities so `within` selects.
const REGIONS: RegionNode[] = [
  { code: '370000', name: { zh: '山东省', en: 'Shandong' } },
  { code: '371000', parent: '370000', name: { zh: '威海市', en: 'Weihai' } },
  ...['371002', '371003', '371082', '371083', '371071', '371072', '371073'].map((code) => ({
    code,
    parent: '371000',
  })),
  { code: '371072-ZB', parent: '371072' },
  { code: '370200', parent: '370000' },
  { code: '370202', parent: '370200' },
  { code: '370211', parent: '370200' },
  { code: '370600', parent: '370000' },
  { code: '370602', parent: '370600' },
];
const WEIHAI_LEAVES = [
  '371002',
  '371003',
  '371082',
  '371083',
  '371071',
  '371072',
  '371073',
  '371072-ZB',
];
const OTHER_LEAVES = ['370202', '370211', '370602'];
const WEIHAI_AREAS = [
  '371000',
  '371002',
  '371003',
  '371082',
  '371083',
  '371071',
  '371072',
  '371073',
];

const SECTIONS: Record<string, string[]> = {
  A: ['0111', '0411', '0412'],
  C: [
    '1311',
    '1469',
    '2710',
    '2761',
    '3311',
    '3411',
    '3435',
    '3511',
    '3544',
    '3670',
    '3714',
    '3839',
    '3911',
    '3912',
    '3940',
    '3971',
    '4090',
  ],
  E: ['4710', '4851'],
  F: ['5123', '5274'],
  G: ['5532', '5942'],
  I: ['6311', '6421', '6510', '6513', '6531'],
  M: ['7320', '7350', '7483'],
  R: ['8770'],
};
const INDUSTRIES = Object.entries(SECTIONS).flatMap(([s, codes]) => codes.map((c) => s + c));
const LICENCES = [
  'yyzz',
  'spjy',
  'ypjy',
  'wxhx',
  'gxjsqy',
  'rjqy',
  'jzzz',
  'dlys',
  'hbpw',
  'ylqx',
  'zzzs',
  'cbjy',
];
const ENTERPRISE_TAGS = [
  '高新技术企业',
  '专精特新',
  '科技型中小企业',
  '外贸',
  '海洋经济',
  '规上工业',
  '失信',
  '瞪羚企业',
  '首次入规',
  '小微企业',
  '吸纳就业',
  '绿色工厂',
];
const PERSON_TAGS = [
  '参保',
  '灵活就业',
  '低保',
  '特困',
  '退役军人',
  '残疾人',
  '高校毕业生',
  '新市民',
  '生育登记',
  '失业登记',
];

function pick<T>(next: () => number, values: readonly T[]): T {
  return values[Math.floor(next() * values.length)]!;
}

function someOf<T>(next: () => number, values: readonly T[], max: number): T[] {
  const count = Math.floor(next() * (max + 1));
  const out = new Set<T>();
  for (let i = 0; i < count; i++) out.add(pick(next, values));
  return [...out];
}

const day = (from: number, span: number, next: () => number) =>
  dayDate(from + Math.floor(next() * span));
const DAY_1960 = -3653;
const DAY_1990 = 7305;

function makeDossiers(count: number): Dossier[] {
  const next = random(20_250_630);
  const dossiers: Dossier[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const region = next() < 0.9 ? pick(next, WEIHAI_LEAVES) : pick(next, OTHER_LEAVES);
    if (next() < 0.3) {
      const d: Dossier = { kind: 'person', region, sex: next() < 0.5 ? 'female' : 'male' };
      if (next() < 0.98) d.birthDate = day(DAY_1960, 66 * 365, next);
      const tags = someOf(next, PERSON_TAGS, 3);
      if (tags.length > 0) d.tags = tags;
      dossiers[i] = d;
      continue;
    }
    const size = next();
    const d: Dossier = {
      kind: 'enterprise',
      region,
      industry: pick(next, INDUSTRIES),
      size: size < 0.55 ? 'micro' : size < 0.85 ? 'small' : size < 0.97 ? 'medium' : 'large',
      foundedOn: day(DAY_1990, 35 * 365 + 180, next),
      employees: Math.floor(Math.exp(next() * 7.5)),
    };
    if (next() < 0.96) d.revenue = Math.round(Math.exp(next() * 11) * 10) / 10;
    if (next() < 0.9) d.revenueGrowth = Math.round((next() * 90 - 30) * 10) / 10;
    if (next() < 0.93) d.creditGrade = pick(next, ['A', 'A', 'B', 'B', 'B', 'C', 'D'] as const);
    const licences = someOf(next, LICENCES, 3);
    if (licences.length > 0) d.licences = licences;
    const tags = someOf(next, ENTERPRISE_TAGS, 3);
    if (tags.length > 0) d.tags = tags;
    dossiers[i] = d;
  }
  return dossiers;
}

const cond = (attr: Condition['attr'], op: Condition['op'], value: unknown): Condition => ({
  attr,
  op,
  value,
});

/** 200 policies like the seeds' 免申即享 ones, thresholds varied so some conditions repeat. */
function makePolicies(): PolicyRule[] {
  const next = random(4_754);
  const area = () => (next() < 0.5 ? '371000' : pick(next, WEIHAI_AREAS));
  const prefixes = () =>
    someOf(next, ['C39', 'C35', 'C3', 'I65', 'I6', 'M73', 'C27', 'C13', 'G'], 3).concat('C39');
  const templates: (() => Rule)[] = [
    // 瞪羚企业 support: young, growing, creditworthy, in chosen industries.
    () => ({
      all: [
        cond('kind', 'eq', 'enterprise'),
        cond('region', 'within', area()),
        cond('ageYears', 'between', [1, pick(next, [5, 8, 10])]),
        cond('revenue', 'gte', pick(next, [500, 1000, 2000])),
        cond('revenueGrowth', 'gte', pick(next, [10, 20, 30])),
        cond('industry', 'prefix', prefixes()),
        cond('creditGrade', 'in', ['A', 'B']),
      ],
    }),
    // 就业补贴: employers of a size band, not 失信.
    () => {
      const low = pick(next, [1, 10, 20, 50]);
      return {
        all: [
          cond('kind', 'eq', 'enterprise'),
          cond('region', 'within', area()),
          cond('employees', 'between', [low, low * pick(next, [5, 10, 20])]),
          { not: cond('tags', 'has', '失信') },
          cond('creditGrade', 'atLeast', pick(next, ['B', 'C'])),
        ],
      };
    },
    // 生育津贴 / 产前检查费: insured women of child-bearing age.
    () => ({
      all: [
        cond('kind', 'eq', 'person'),
        cond('region', 'within', area()),
        cond('sex', 'eq', 'female'),
        cond('age', 'between', [pick(next, [18, 20, 22]), pick(next, [40, 45, 49])]),
        cond('tags', 'hasAny', ['参保', '灵活就业']),
      ],
    }),
    // 特殊困难学生资助 and other person benefits.
    () => ({
      all: [
        cond('kind', 'eq', 'person'),
        cond('region', 'within', area()),
        cond('age', pick(next, ['lt', 'lte']), pick(next, [18, 22, 25])),
        cond(
          'tags',
          'hasAny',
          someOf(next, ['低保', '特困', '残疾人', '退役军人'], 2).concat('低保'),
        ),
      ],
    }),
    // Technology enterprises: a licence or a tag, by size.
    () => ({
      all: [
        cond('kind', 'eq', 'enterprise'),
        cond('region', 'within', area()),
        cond('size', 'in', someOf(next, ['micro', 'small', 'medium'], 2).concat('small')),
        {
          any: [
            cond('licences', 'has', 'gxjsqy'),
            cond(
              'tags',
              'hasAny',
              someOf(next, ['高新技术企业', '专精特新', '科技型中小企业'], 2).concat('专精特新'),
            ),
          ],
        },
        cond('foundedOn', 'before', pick(next, ['2022-01-01', '2023-06-30', '2024-12-31'])),
      ],
    }),
    // Small and micro enterprise relief: revenue ceiling, grade floor.
    () => ({
      all: [
        cond('kind', 'eq', 'enterprise'),
        cond('size', 'in', ['micro', 'small']),
        cond('revenue', 'lt', pick(next, [300, 2000, 5000])),
        cond('employees', 'lte', pick(next, [100, 300])),
        cond('creditGrade', 'in', pick(next, [['A'], ['A', 'B']])),
        { not: cond('industry', 'prefix', pick(next, ['F', 'G', 'R'])) },
      ],
    }),
    // Sector programmes: licences held in an industry section, founded in a window.
    () => ({
      all: [
        cond('region', 'within', pick(next, ['370000', '371000'])),
        cond('industry', 'in', someOf(next, INDUSTRIES, 6).concat(pick(next, INDUSTRIES))),
        cond('licences', 'hasAny', someOf(next, LICENCES, 2).concat(pick(next, LICENCES))),
        cond('foundedOn', 'between', [
          pick(next, ['2000-01-01', '2010-01-01']),
          pick(next, ['2020-12-31', '2025-06-30']),
        ]),
      ],
    }),
  ];
  return Array.from({ length: POLICIES }, (_, i) => ({
    id: `P${String(i + 1).padStart(3, '0')}`,
    rule: templates[i % templates.length]!(),
  }));
}

// ——— the same rules in json-logic ———

function regionCodesUnder(target: string): string[] {
  const parents = new Map(REGIONS.map((r) => [r.code, r.parent ?? null]));
  return REGIONS.map((r) => r.code).filter((code) => {
    for (let at: string | null | undefined = code; at; at = parents.get(at))
      if (at === target) return true;
    return false;
  });
}

/** A rule as json-logic over a plain dossier; missing values guarded so they never compare. */
function toJsonLogic(rule: Rule): RulesLogic {
  if (!isCondition(rule)) {
    if ('all' in rule) return { and: rule.all.map(toJsonLogic) };
    if ('any' in rule) return { or: rule.any.map(toJsonLogic) };
    return { '!': toJsonLogic(rule.not) };
  }
  const { attr, op, value } = rule;
  const spec = attrSpec(attr);
  const field = spec.type === 'years' ? spec.from! : attr;
  const v = { var: field } as RulesLogic;
  const known = (logic: RulesLogic): RulesLogic =>
    ({ and: [{ '!=': [v, null] }, logic] }) as RulesLogic;
  const list = (Array.isArray(value) ? value : [value]) as string[];
  const cmp = (symbol: string, x: unknown) => known({ [symbol]: [v, x] } as RulesLogic);
  switch (op) {
    case 'eq':
    case 'in':
      return { in: [v, list] } as RulesLogic;
    case 'atLeast':
      return {
        in: [v, CREDIT_GRADES.slice(0, CREDIT_GRADES.indexOf(value as 'A') + 1)],
      } as RulesLogic;
    case 'within':
      return { in: [v, [...new Set(list.flatMap(regionCodesUnder))]] } as RulesLogic;
    case 'prefix':
      return known({
        or: list.map((p) => ({ '==': [{ substr: [v, 0, p.length] }, p] })),
      } as RulesLogic);
    case 'has':
      return { in: [value, v] } as RulesLogic;
    case 'hasAny':
      return { or: list.map((x) => ({ in: [x, v] })) } as RulesLogic;
    case 'hasAll':
      return { and: list.map((x) => ({ in: [x, v] })) } as RulesLogic;
    default:
      break;
  }
  if (spec.type === 'years') {
    // Whole years as of AS_OF become birth (founding) date cutoffs, compared as YYYY-MM-DD.
    const cutoff = (years: number) => dayDate(yearsCutoff(AS_OF, years));
    const [a, b] = Array.isArray(value) ? (value as number[]) : [value as number, 0];
    const atLeast = (k: number) => cmp('<=', cutoff(k)); // age ≥ k
    const atMost = (k: number) => cmp('>', cutoff(k + 1)); // age ≤ k
    if (op === 'gte') return atLeast(Math.ceil(a!));
    if (op === 'gt') return atLeast(Math.floor(a!) + 1);
    if (op === 'lte') return atMost(Math.floor(a!));
    if (op === 'lt') return atMost(Math.ceil(a!) - 1);
    return { and: [atLeast(Math.ceil(a!)), atMost(Math.floor(b!))] } as RulesLogic;
  }
  switch (op) {
    case 'before':
    case 'lt':
      return cmp('<', value);
    case 'after':
    case 'gt':
      return cmp('>', value);
    case 'lte':
      return cmp('<=', value);
    case 'gte':
      return cmp('>=', value);
    default: {
      const [a, b] = value as [unknown, unknown];
      return known({ '<=': [a, v, b] } as RulesLogic);
    }
  }
}

/**
 * Context: loading dossiers from the database into columns, the way the platform does before a
 * full match (`Matching.snapshot`), on PGlite in memory or on DATABASE_URL (a fresh schema).
 */
async function databaseLoad(dossiers: readonly Dossier[]): Promise<void> {
  const url = process.env.DATABASE_URL;
  const db = await openDatabase(
    url
      ? { url, schema: `bench_policies_${process.pid}`, dropSchemaOnClose: true }
      : { url: null, memory: true },
  );
  try {
    await migrate(db.kysely);
    const byCode = new Map(REGIONS.map((r) => [r.code, r]));
    const depth = (r: RegionNode): number => (r.parent ? 1 + depth(byCode.get(r.parent)!) : 0);
    for (const region of [...REGIONS].sort((a, b) => depth(a) - depth(b)))
      await db.kysely
        .insertInto('regions')
        .values({
          code: region.code,
          nameZh: region.name?.zh ?? region.code,
          nameEn: region.name?.en ?? region.code,
          parentCode: region.parent ?? null,
          level: depth(region) === 0 ? 'province' : depth(region) === 1 ? 'city' : 'county',
        })
        .execute();
    let began = process.hrtime.bigint();
    const now = new Date();
    for (let i = 0; i < dossiers.length; i += 2_000) {
      const chunk = dossiers.slice(i, i + 2_000);
      await db.kysely.transaction().execute(async (trx) => {
        const subjects = await trx
          .insertInto('subjects')
          .values(
            chunk.map((d, k) => ({
              kind: d.kind ?? 'person',
              name: `bench ${i + k}`,
              identifier: `BENCH${i + k}`,
              regionCode: d.region ?? '371000',
            })),
          )
          .returning(['id', 'regionCode', 'kind'])
          .execute();
        await trx
          .insertInto('policyDossiers')
          .values(
            subjects.map((row, k) => ({
              subjectId: row.id,
              regionCode: row.regionCode,
              kind: row.kind,
              dossier: JSON.stringify(chunk[k]),
              updatedAt: now,
            })),
          )
          .execute();
      });
    }
    const insertS = seconds(began);
    const matching = new Matching(db.kysely, new GrantService(db.kysely, DEFAULT_BUSINESS_HOURS));
    const loads: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      matching.forget();
      began = process.hrtime.bigint();
      const snapshot = await matching.snapshot();
      loads.push(seconds(began));
      if (snapshot.columns.length !== dossiers.length) throw new Error('snapshot lost dossiers');
    }
    const loadS = median(loads);
    console.log(
      `  database load (context, ${url ? 'PostgreSQL' : 'PGlite in memory'}): ${dossiers.length.toLocaleString('en')} ` +
        `dossiers stored in ${fixed(insertS, 1)} s, loaded into columns in median ${fixed(loadS, 2)} s ` +
        `(${fixed((loadS / dossiers.length) * 1e6, 1)} µs per dossier, about ${fixed((loadS / dossiers.length) * SUBJECTS, 1)} s for ${SUBJECTS.toLocaleString('en')})`,
    );
  } finally {
    await db.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;
const fixed = (x: number, digits = 3) => x.toFixed(digits);

export async function run(): Promise<void> {
  console.log(`policies: ${SUBJECTS.toLocaleString('en')} dossiers × ${POLICIES} policies`);
  let began = process.hrtime.bigint();
  const dossiers = makeDossiers(SUBJECTS);
  const policies = makePolicies();
  console.log(`  generated in ${fixed(seconds(began), 2)} s`);

  began = process.hrtime.bigint();
  const columns = DossierColumns.from(dossiers);
  const loadS = seconds(began);
  console.log(
    `  columns built from the in-memory dossiers in ${fixed(loadS, 2)} s (the "load"; no database yet)`,
  );

  began = process.hrtime.bigint();
  const compiled = compilePolicies(policies, { regions: REGIONS, asOf: AS_OF });
  const conditions = policies.reduce(
    (sum, p) => sum + JSON.stringify(p.rule).split('"attr"').length - 1,
    0,
  );
  const distinct = compiled.context.leaves.size;
  console.log(
    `  compiled in ${fixed(seconds(began) * 1000, 1)} ms: ${conditions} conditions, ${distinct} distinct plan nodes`,
  );

  // Full match: warm-up, then the median of ROUNDS.
  let result = matchAll(columns, compiled);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    began = process.hrtime.bigint();
    result = matchAll(columns, compiled);
    times.push(seconds(began));
  }
  const fullS = median(times);
  const total = result.reduce((sum, m) => sum + m.count, 0);
  console.log(
    `  matchAll: median ${fixed(fullS)} s of [${times.map((t) => fixed(t)).join(', ')}]; ` +
      `${total.toLocaleString('en')} matches, per policy ${Math.min(...result.map((m) => m.count))}–${Math.max(...result.map((m) => m.count))}`,
  );
  began = process.hrtime.bigint();
  const withNear = matchAll(columns, compiled, { nearMisses: true });
  console.log(
    `  matchAll with near misses (context): ${fixed(seconds(began))} s, ` +
      `${withNear.reduce((sum, m) => sum + (m.nearMissCount ?? 0), 0).toLocaleString('en')} near misses`,
  );
  for (let k = 0; k < result.length; k++)
    if (withNear[k]!.count !== result[k]!.count)
      throw new Error(`near-miss run differs on ${result[k]!.id}`);

  // Incremental: one subject against every policy.
  const next = random(1_000);
  const rows = Array.from({ length: ONE_SUBJECTS }, () => Math.floor(next() * SUBJECTS));
  for (const row of rows) matchOne(columns, row, compiled);
  const oneMs: number[] = [];
  for (const row of rows) {
    const start = process.hrtime.bigint();
    const ids = matchOne(columns, row, compiled);
    oneMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    const expected = result.filter((m) => hasBit(m.bits, row)).map((m) => m.id);
    if (ids.join() !== expected.join())
      throw new Error(`matchOne differs from matchAll at row ${row}`);
  }
  const sortedOne = [...oneMs].sort((a, b) => a - b);
  console.log(
    `  matchOne (${ONE_SUBJECTS} random subjects × ${POLICIES} policies): median ${fixed(median(oneMs), 4)} ms, ` +
      `p99 ${fixed(sortedOne[Math.floor(sortedOne.length * 0.99)]!, 4)} ms per subject`,
  );

  if (DB_SUBJECTS > 0) await databaseLoad(dossiers.slice(0, DB_SUBJECTS));

  // Context: the row-wise reference evaluator over every subject, every match set checked.
  if (process.env.BENCH_REFERENCE !== '0') {
    const parents = new Map(REGIONS.map((r) => [r.code, r.parent ?? null]));
    began = process.hrtime.bigint();
    for (let k = 0; k < policies.length; k++) {
      const rule = policies[k]!.rule;
      const bits = result[k]!.bits;
      for (let row = 0; row < SUBJECTS; row++)
        if (evaluate(rule, dossiers[row]!, parents, AS_OF) !== hasBit(bits, row))
          throw new Error(`reference differs on ${policies[k]!.id} at row ${row}`);
    }
    console.log(
      `  row-wise reference (context, all subjects, match sets identical): ${fixed(seconds(began), 2)} s`,
    );
  }

  // Baseline: json-logic-js per subject per policy.
  const logic = policies.map((p) => toJsonLogic(p.rule));
  const baseline = (row: number): void => {
    const dossier = dossiers[row]!;
    for (let k = 0; k < logic.length; k++) {
      const hit = jsonLogic.truthy(jsonLogic.apply(logic[k]!, dossier));
      if (hit !== hasBit(result[k]!.bits, row))
        throw new Error(`json-logic differs on ${policies[k]!.id} at row ${row}: ${String(hit)}`);
    }
  };
  const pilotStride = Math.max(1, Math.floor(SUBJECTS / 2_000));
  began = process.hrtime.bigint();
  let pilot = 0;
  for (let row = 0; row < SUBJECTS; row += pilotStride, pilot++) baseline(row);
  const perSubject = seconds(began) / pilot;
  const wholeEstimate = perSubject * SUBJECTS;
  let baselineS: number;
  if (wholeEstimate <= BASELINE_BUDGET_S) {
    began = process.hrtime.bigint();
    for (let row = 0; row < SUBJECTS; row++) baseline(row);
    baselineS = seconds(began);
    console.log(
      `  json-logic-js baseline over all subjects (match sets identical): ${fixed(baselineS, 2)} s`,
    );
  } else {
    const sample = Math.min(SUBJECTS, Math.ceil(SAMPLE_TARGET_S / perSubject));
    const stride = SUBJECTS / sample;
    began = process.hrtime.bigint();
    let measured = 0;
    for (let i = 0; i < sample; i++, measured++) baseline(Math.floor(i * stride));
    const sampleS = seconds(began);
    baselineS = (sampleS / measured) * SUBJECTS;
    console.log(
      `  json-logic-js baseline: the whole run would take about ${fixed(wholeEstimate, 0)} s (pilot of ${pilot} subjects), ` +
        `over the ${fixed(BASELINE_BUDGET_S, 0)} s budget, so it ran on a deterministic sample of ${measured.toLocaleString('en')} ` +
        `subjects (every ${fixed(stride, 1)}th) in ${fixed(sampleS, 2)} s, match sets identical on the sample; ` +
        `baseline_s below is EXTRAPOLATED to all ${SUBJECTS.toLocaleString('en')} subjects`,
    );
  }

  console.log(
    `BENCH policies full_match_s=${fixed(fullS)} baseline_s=${fixed(baselineS, 1)} ratio=${fixed(baselineS / fullS, 1)}`,
  );
}
