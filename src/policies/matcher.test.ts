import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/http/errors';
import { DossierColumns } from './columns';
import { compilePolicies, explain, hasBit, matchAll, matchOne, type RegionNode } from './matcher';
import { referenceMatch } from './reference';
import type { Condition, Dossier, Rule } from './rule';

const REGIONS: RegionNode[] = [
  { code: '370000', name: { zh: '山东省', en: 'Shandong' } },
  { code: '371000', parent: '370000', name: { zh: '威海市', en: 'Weihai' } },
  { code: '371002', parent: '371000', name: { zh: '环翠区', en: 'Huancui' } },
  { code: '371082', parent: '371000', name: { zh: '荣成市', en: 'Rongcheng' } },
  { code: '371072', parent: '371000', name: { zh: '经区', en: 'ETDZ' } },
  { code: '371072-ZB', parent: '371072', name: { zh: '综保区', en: 'Bonded Zone' } },
  { code: '370200', parent: '370000', name: { zh: '青岛市', en: 'Qingdao' } },
];
const AS_OF = '2025-06-30';
const context = { regions: REGIONS, asOf: AS_OF };

const DOSSIERS: Dossier[] = [
  /* 0 */ {
    kind: 'enterprise',
    region: '371002',
    industry: 'C3911',
    size: 'small',
    foundedOn: '2019-03-01',
    revenue: 1520,
    revenueGrowth: 35,
    employees: 80,
    creditGrade: 'B',
    licences: ['gxjsqy'],
    tags: ['专精特新'],
  },
  /* 1 */ {
    kind: 'enterprise',
    region: '371072-ZB',
    industry: 'I6510',
    size: 'medium',
    foundedOn: '2023-07-01',
    revenue: 5000,
    revenueGrowth: 12.5,
    employees: 300,
    creditGrade: 'A',
    tags: ['外贸'],
  },
  /* 2 */ { kind: 'enterprise', region: '370200', industry: 'C3912', size: 'micro' },
  /* 3 */ {
    kind: 'person',
    region: '371082',
    birthDate: '1995-06-30',
    sex: 'female',
    tags: ['参保'],
  },
  /* 4 */ { kind: 'person', region: '371002', birthDate: '2007-07-01', sex: 'male' },
  /* 5 */ {},
];

function rowsOf(rule: Rule, dossiers = DOSSIERS): number[] {
  const columns = DossierColumns.from(dossiers);
  const compiled = compilePolicies([{ id: 'p', rule }], context);
  const [result] = matchAll(columns, compiled);
  const rows = dossiers.map((_, i) => i).filter((i) => hasBit(result!.bits, i));
  expect(result!.count).toBe(rows.length);
  // matchOne and the reference agree on every row.
  for (let i = 0; i < dossiers.length; i++) {
    expect(matchOne(columns, i, compiled).includes('p')).toBe(rows.includes(i));
    expect(referenceMatch(rule, dossiers[i]!, REGIONS, AS_OF)).toBe(rows.includes(i));
  }
  return rows;
}

const c = (attr: Condition['attr'], op: Condition['op'], value: unknown): Condition => ({
  attr,
  op,
  value,
});

describe('matchAll, matchOne and the reference on hand-made dossiers', () => {
  it('region within a subtree, the code itself included', () => {
    expect(rowsOf(c('region', 'within', '371000'))).toEqual([0, 1, 3, 4]);
    expect(rowsOf(c('region', 'within', '371072'))).toEqual([1]);
    expect(rowsOf(c('region', 'within', ['371082', '370200']))).toEqual([2, 3]);
    expect(rowsOf(c('region', 'within', '370000'))).toEqual([0, 1, 2, 3, 4]);
    expect(rowsOf(c('region', 'within', '999999'))).toEqual([]);
  });

  it('enums: eq, in, atLeast', () => {
    expect(rowsOf(c('kind', 'eq', 'person'))).toEqual([3, 4]);
    expect(rowsOf(c('size', 'in', ['micro', 'small']))).toEqual([0, 2]);
    expect(rowsOf(c('creditGrade', 'atLeast', 'B'))).toEqual([0, 1]);
    expect(rowsOf(c('creditGrade', 'atLeast', 'A'))).toEqual([1]);
    expect(rowsOf(c('creditGrade', 'eq', 'B'))).toEqual([0]);
    expect(rowsOf(c('sex', 'in', ['female']))).toEqual([3]);
  });

  it('industry prefix and in', () => {
    expect(rowsOf(c('industry', 'prefix', 'C39'))).toEqual([0, 2]);
    expect(rowsOf(c('industry', 'prefix', ['I', 'C3912']))).toEqual([1, 2]);
    expect(rowsOf(c('industry', 'in', ['C3911']))).toEqual([0]);
  });

  it('numbers: lt, lte, gt, gte, between, bounds exact', () => {
    expect(rowsOf(c('revenue', 'lt', 2000))).toEqual([0]);
    expect(rowsOf(c('revenue', 'lte', 5000))).toEqual([0, 1]);
    expect(rowsOf(c('revenue', 'gt', 5000))).toEqual([]);
    expect(rowsOf(c('revenue', 'gte', 5000))).toEqual([1]);
    expect(rowsOf(c('revenueGrowth', 'between', [12.5, 35]))).toEqual([0, 1]);
    expect(rowsOf(c('revenueGrowth', 'gt', 12.5))).toEqual([0]);
    expect(rowsOf(c('employees', 'between', [80, 299]))).toEqual([0]);
    expect(rowsOf(c('employees', 'lt', 80.5))).toEqual([0]);
    expect(rowsOf(c('employees', 'gte', 300))).toEqual([1]);
  });

  it('dates and whole years as of the match date', () => {
    expect(rowsOf(c('foundedOn', 'before', '2023-07-01'))).toEqual([0]);
    expect(rowsOf(c('foundedOn', 'after', '2019-03-01'))).toEqual([1]);
    expect(rowsOf(c('foundedOn', 'between', ['2019-03-01', '2023-07-01']))).toEqual([0, 1]);
    expect(rowsOf(c('ageYears', 'gte', 2))).toEqual([0]);
    expect(rowsOf(c('ageYears', 'lt', 2))).toEqual([1]);
    // 3 turns 30 on the match date; 4 turns 18 the day after.
    expect(rowsOf(c('age', 'gte', 30))).toEqual([3]);
    expect(rowsOf(c('age', 'between', [17, 17]))).toEqual([4]);
    expect(rowsOf(c('age', 'gte', 18))).toEqual([3]);
  });

  it('sets: has, hasAny, hasAll', () => {
    expect(rowsOf(c('licences', 'has', 'gxjsqy'))).toEqual([0]);
    expect(rowsOf(c('tags', 'hasAny', ['外贸', '参保']))).toEqual([1, 3]);
    expect(rowsOf(c('tags', 'hasAll', ['外贸', '参保']))).toEqual([]);
    expect(rowsOf(c('tags', 'has', 'unknown'))).toEqual([]);
  });

  it('missing values never meet a condition, and not of one holds', () => {
    expect(rowsOf(c('revenue', 'lt', 1e12))).toEqual([0, 1]);
    expect(rowsOf({ not: c('creditGrade', 'eq', 'D') })).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rowsOf({ not: c('revenue', 'gte', 0) })).toEqual([2, 3, 4, 5]);
  });

  it('all, any, not and nesting', () => {
    const rule: Rule = {
      all: [
        c('region', 'within', '371000'),
        {
          any: [
            { all: [c('kind', 'eq', 'enterprise'), c('creditGrade', 'in', ['A'])] },
            { all: [c('kind', 'eq', 'person'), { not: c('sex', 'eq', 'male') }] },
          ],
        },
      ],
    };
    expect(rowsOf(rule)).toEqual([1, 3]);
    expect(rowsOf({ any: [c('kind', 'eq', 'person'), c('employees', 'gt', 100)] })).toEqual([
      1, 3, 4,
    ]);
  });

  it('matches more than one word of subjects, shared conditions included', () => {
    const many = Array.from({ length: 100 }, (_, i) => DOSSIERS[i % DOSSIERS.length]!);
    const columns = DossierColumns.from(many);
    const shared = c('kind', 'eq', 'enterprise');
    const compiled = compilePolicies(
      [
        { id: 'a', rule: { all: [shared, c('revenue', 'gt', 1000)] } },
        { id: 'b', rule: { all: [c('size', 'in', ['small', 'micro']), shared] } },
        { id: 'c', rule: { not: shared } },
      ],
      context,
    );
    const [a, b, cc] = matchAll(columns, compiled);
    // Rows 3, 4, 5 of every 6 are not enterprises: 17 + 16 + 16.
    expect([a!.count, b!.count, cc!.count]).toEqual([34, 34, 49]);
    expect(hasBit(cc!.bits, 99)).toBe(true); // row 99 is dossier 3, a person
    expect(hasBit(cc!.bits, 96)).toBe(false);
    expect(cc!.bits[3]! >>> 4).toBe(0); // no bits beyond the 100 subjects
  });
});

describe('incremental updates', () => {
  it('re-matches one subject after its dossier changes and after appends', () => {
    const columns = DossierColumns.from(DOSSIERS);
    const compiled = compilePolicies(
      [
        {
          id: 'weihai-industry',
          rule: { all: [c('region', 'within', '371000'), c('industry', 'prefix', 'C')] },
        },
        { id: 'grade-a', rule: c('creditGrade', 'eq', 'A') },
      ],
      context,
    );
    expect(matchOne(columns, 2, compiled)).toEqual([]);
    columns.update(2, { ...DOSSIERS[2], region: '371082', creditGrade: 'A' });
    expect(matchOne(columns, 2, compiled)).toEqual(['weihai-industry', 'grade-a']);
    // A new industry code, unseen when the lookup tables were built.
    const row = columns.append({ region: '371072-ZB', industry: 'C1311' });
    expect(matchOne(columns, row, compiled)).toEqual(['weihai-industry']);
    expect(matchAll(columns, compiled).map((m) => m.count)).toEqual([3, 2]);
    expect(columns.dossier(2)).toMatchObject({ region: '371082', creditGrade: 'A' });
  });

  it('refuses an invalid rule with the problems named', () => {
    try {
      compilePolicies([{ id: 'x', rule: c('revenue', 'has', 'x') }], context);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).details.map((d) => d.path)).toEqual(['policies.0.rule.op']);
    }
  });
});

describe('explain and near misses', () => {
  const gazelle: Rule = {
    all: [c('region', 'within', '371000'), c('revenue', 'lt', 2000), c('creditGrade', 'in', ['A'])],
  };

  it('says per condition what the subject has and what was needed', () => {
    const columns = DossierColumns.from(DOSSIERS);
    const compiled = compilePolicies([{ id: 'gazelle', rule: gazelle }], context);
    const e = explain(columns, 0, compiled.policies[0]!);
    expect(e.matched).toBe(false);
    expect(e.nearMiss).toBe(true);
    expect(e.failing).toEqual(['all.2']);
    expect(e.summary.zh).toBe(
      '注册地 环翠区 ✓（属于 威海市） · 营业收入 1520万元 ✓（< 2000万元） · 纳税信用 B ✗ 需 A',
    );
    expect(e.summary.en).toBe(
      'Region Huancui ✓ (within Weihai) · Revenue 1520 ×10k CNY ✓ (< 2000 ×10k CNY) · Tax credit grade B ✗ needs A',
    );
    expect(e.lines[3]).toMatchObject({
      path: 'all.2',
      kind: 'condition',
      ok: false,
      attr: 'creditGrade',
    });

    const missing = explain(columns, 5, compiled.policies[0]!);
    expect(missing.nearMiss).toBe(false);
    expect(missing.lines[1]!.text.zh).toBe('注册地 未登记 ✗ 需 属于 威海市');
  });

  it('explains groups and years', () => {
    const columns = DossierColumns.from(DOSSIERS);
    const rule: Rule = {
      any: [c('age', 'gte', 18), { not: c('tags', 'has', '参保') }],
    };
    const compiled = compilePolicies([{ id: 'p', rule }], context);
    const e = explain(columns, 3, compiled.policies[0]!);
    expect(e.matched).toBe(true);
    expect(e.lines.map((l) => l.text.en)).toEqual([
      'any of the following ✓',
      'Age 30 years ✓ (≥ 18 years)',
      'not the following ✗',
      'Tags 参保 ✓ (has 参保)',
    ]);
    expect(e.nearMiss).toBe(false);
  });

  it('finds near misses in a full match, agreeing with explain', () => {
    const columns = DossierColumns.from(DOSSIERS);
    const compiled = compilePolicies([{ id: 'gazelle', rule: gazelle }], context);
    const [m] = matchAll(columns, compiled, { nearMisses: true });
    const near = DOSSIERS.map((_, i) => i).filter((i) => hasBit(m!.nearMiss!, i));
    expect(near).toEqual([0, 1]);
    for (let i = 0; i < DOSSIERS.length; i++)
      expect(explain(columns, i, compiled.policies[0]!).nearMiss).toBe(near.includes(i));
  });
});

// ——— property: the columnar matcher agrees with the reference on random dossiers and rules ———

const REGION_CODES = REGIONS.map((r) => r.code).concat(['371099']);
const INDUSTRIES = ['C3911', 'C3912', 'C1311', 'I6510', 'A0111', 'F5123'];
const CODES = ['a', 'b', 'c', 'd'];
const date = fc
  .integer({ min: dayNumberOf('1950-01-01'), max: dayNumberOf('2026-12-31') })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));

function dayNumberOf(text: string): number {
  return Date.parse(`${text}T00:00:00Z`) / 86_400_000;
}

const dossierArb: fc.Arbitrary<Dossier> = fc.record(
  {
    kind: fc.constantFrom('person', 'enterprise'),
    region: fc.constantFrom(...REGION_CODES),
    industry: fc.constantFrom(...INDUSTRIES),
    size: fc.constantFrom('micro', 'small', 'medium', 'large'),
    foundedOn: fc.oneof(date, fc.constantFrom('2015-06-30', '2016-02-29', '2024-02-29')),
    revenue: fc.oneof(
      fc.double({ min: -10, max: 10_000, noNaN: true }),
      fc.constantFrom(0, 2000, 500.5),
    ),
    revenueGrowth: fc.double({ min: -50, max: 200, noNaN: true }),
    employees: fc.integer({ min: 0, max: 1000 }),
    creditGrade: fc.constantFrom('A', 'B', 'C', 'D'),
    licences: fc.uniqueArray(fc.constantFrom(...CODES), { maxLength: 3 }),
    tags: fc.uniqueArray(fc.constantFrom(...CODES), { maxLength: 3 }),
    birthDate: fc.oneof(date, fc.constantFrom('2007-06-30', '2008-02-29')),
    sex: fc.constantFrom('male', 'female'),
  },
  { requiredKeys: [] },
);

const num = fc.oneof(
  fc.integer({ min: -5, max: 1100 }),
  fc.double({ min: -5, max: 1100, noNaN: true }),
);
const pair = <T>(a: fc.Arbitrary<T>) =>
  fc
    .tuple(a, a)
    .map(([x, y]) => ((x as number | string) <= (y as number | string) ? [x, y] : [y, x]));
const numericOp = (attr: Condition['attr'], value: fc.Arbitrary<number>) =>
  fc.oneof(
    fc.record({ attr: fc.constant(attr), op: fc.constantFrom('lt', 'lte', 'gt', 'gte'), value }),
    fc.record({ attr: fc.constant(attr), op: fc.constant('between'), value: pair(value) }),
  );

const conditionArb: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({
    attr: fc.constant('region'),
    op: fc.constant('within'),
    value: fc.oneof(
      fc.constantFrom(...REGION_CODES),
      fc.uniqueArray(fc.constantFrom(...REGION_CODES), { minLength: 1, maxLength: 3 }),
    ),
  }),
  fc.record({
    attr: fc.constant('kind'),
    op: fc.constant('eq'),
    value: fc.constantFrom('person', 'enterprise'),
  }),
  fc.record({
    attr: fc.constant('industry'),
    op: fc.constant('prefix'),
    value: fc.constantFrom('C', 'C39', 'C391', 'I65', 'A', 'F5123'),
  }),
  fc.record({
    attr: fc.constant('industry'),
    op: fc.constant('in'),
    value: fc.uniqueArray(fc.constantFrom(...INDUSTRIES), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    attr: fc.constant('size'),
    op: fc.constant('in'),
    value: fc.uniqueArray(fc.constantFrom('micro', 'small', 'medium', 'large'), {
      minLength: 1,
      maxLength: 4,
    }),
  }),
  fc.record({
    attr: fc.constant('creditGrade'),
    op: fc.constantFrom('eq', 'atLeast'),
    value: fc.constantFrom('A', 'B', 'C', 'D'),
  }),
  fc.record({
    attr: fc.constant('sex'),
    op: fc.constant('eq'),
    value: fc.constantFrom('male', 'female'),
  }),
  fc.record({
    attr: fc.constantFrom('foundedOn', 'birthDate'),
    op: fc.constantFrom('before', 'after'),
    value: date,
  }),
  fc.record({
    attr: fc.constantFrom('foundedOn', 'birthDate'),
    op: fc.constant('between'),
    value: pair(date),
  }),
  numericOp('revenue', num),
  numericOp('revenueGrowth', num),
  numericOp('employees', num),
  numericOp(
    'ageYears',
    fc.oneof(fc.integer({ min: -1, max: 40 }), fc.double({ min: -1, max: 40, noNaN: true })),
  ),
  numericOp('age', fc.integer({ min: 0, max: 80 })),
  fc.record({
    attr: fc.constantFrom('licences', 'tags'),
    op: fc.constant('has'),
    value: fc.constantFrom(...CODES, 'zz'),
  }),
  fc.record({
    attr: fc.constantFrom('licences', 'tags'),
    op: fc.constantFrom('hasAny', 'hasAll'),
    value: fc.uniqueArray(fc.constantFrom(...CODES, 'zz'), { minLength: 1, maxLength: 3 }),
  }),
) as fc.Arbitrary<Condition>;

const ruleArb: fc.Arbitrary<Rule> = fc.letrec<{ rule: Rule }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    conditionArb,
    fc.record({ all: fc.array(tie('rule'), { minLength: 1, maxLength: 4 }) }),
    fc.record({ any: fc.array(tie('rule'), { minLength: 1, maxLength: 4 }) }),
    fc.record({ not: tie('rule') }),
  ),
})).rule;

describe('property: columnar matching equals the row-wise reference', () => {
  it('on random dossiers and rules, for matchAll (with near misses), matchOne and explain', () => {
    fc.assert(
      fc.property(
        fc.array(dossierArb, { minLength: 1, maxLength: 80 }),
        fc.array(ruleArb, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('2025-06-30', '2024-02-29', '2025-03-01'),
        (dossiers, rules, asOf) => {
          const policies = rules.map((rule, i) => ({ id: `p${i}`, rule }));
          const valid = policies.filter((p) => {
            try {
              compilePolicies([p], { regions: REGIONS, asOf });
              return true;
            } catch {
              return false; // too deep or too many conditions
            }
          });
          const compiled = compilePolicies(valid, { regions: REGIONS, asOf });
          const columns = DossierColumns.from(dossiers);
          const all = matchAll(columns, compiled, { nearMisses: true });
          valid.forEach((policy, k) => {
            dossiers.forEach((dossier, row) => {
              const expected = referenceMatch(policy.rule, dossier, REGIONS, asOf);
              expect(hasBit(all[k]!.bits, row)).toBe(expected);
              const e = explain(columns, row, compiled.policies[k]!);
              expect(e.matched).toBe(expected);
              if (all[k]!.nearMiss) expect(hasBit(all[k]!.nearMiss!, row)).toBe(e.nearMiss);
            });
          });
          dossiers.forEach((dossier, row) => {
            const expected = valid
              .filter((p) => referenceMatch(p.rule, dossier, REGIONS, asOf))
              .map((p) => p.id);
            expect(matchOne(columns, row, compiled)).toEqual(expected);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
