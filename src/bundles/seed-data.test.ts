import { describe, expect, it } from 'vitest';
import { limitInHours, readSeedCatalog, type Answers } from '../catalog';
import { checkBundle, guideBundle } from './model';
import type { BundleContent } from './schema';
import { readSeedBundles } from './seed';

// The seed bundles in data/bundles/*.yaml against the seed catalog: the static checks find no error,
// every combination of answers leads to a complete guide within the commitment, and every application
// of the 企业开办 bundle is done as the seeds promise (A§1(1): 1个环节、0成本、1小时办结).

const HOURS_PER_DAY = 7;
const bundles = readSeedBundles();
const items = new Map(readSeedCatalog().map((item) => [item.code, item]));
const byCode = new Map(bundles.map((b) => [b.code, b]));

const CODES = [
  'enterprise-opening',
  'employee-hiring',
  'business-suspension',
  'property-transfer-mortgage',
  'birth',
  'retirement',
  'after-death',
  'restaurant-opening',
  'utility-connection',
  // Bundle codes must start with a letter, so 5G基站建设 is not `5g-base-station`.
  'base-station-5g',
];

function bundle(code: string): BundleContent {
  const found = byCode.get(code);
  if (!found) throw new Error(`no seed bundle ${code}`);
  return found;
}

/**
 * Every combination of answers to the bundle's questions. Of a question with several answers allowed,
 * each answer alone and all of them together: more answers only add members and item answers (no
 * seed bundle removes members), so the time, the fees and conflicting item answers can only grow.
 */
function* combinations(b: BundleContent): Generator<Answers> {
  const choices = b.situations.map((s) => {
    const keys = s.answers.map((a) => a.key);
    return s.multiple ? [...keys.map((k) => [k]), keys] : keys.map((k) => [k]);
  });
  const at = choices.map(() => 0);
  for (;;) {
    yield Object.fromEntries(b.situations.map((s, i) => [s.key, choices[i]![at[i]!]!]));
    let i = 0;
    for (; i < at.length; i++) {
      at[i]! += 1;
      if (at[i]! < choices[i]!.length) break;
      at[i] = 0;
    }
    if (i === at.length) return;
  }
}

/** The longest completion and the highest fees over every combination of answers. */
function worstCase(b: BundleContent) {
  let hours = 0;
  let fees = 0;
  const problems = new Set<string>();
  for (const answers of combinations(b)) {
    const guide = guideBundle(b, items, answers);
    hours = Math.max(hours, guide.completion.hours);
    fees = Math.max(fees, guide.fees.totalYuan);
    for (const p of guide.problems) problems.add(`${JSON.stringify(answers)} ${p.path} ${p.rule}`);
  }
  return { hours, fees, problems: [...problems] };
}

function errorsOf(b: BundleContent) {
  return checkBundle(b, items, b.code).filter((p) => p.severity === 'error');
}

describe('seed bundles (data/bundles)', () => {
  it('holds the bundles the seeds name, one file each', () => {
    expect(bundles.length).toBeGreaterThanOrEqual(10);
    expect(CODES.filter((code) => !byCode.has(code))).toEqual([]);
  });

  it.each(CODES)('%s passes the static checks without errors', (code) => {
    const errors = errorsOf(bundle(code));
    expect(errors.map((p) => `${p.path} [${p.rule}] ${p.message.en}`)).toEqual([]);
  });

  it.each(CODES)('%s keeps its commitment whatever the applicant answers', (code) => {
    const b = bundle(code);
    expect(b.situations.flatMap((s) => s.answers.flatMap((a) => a.removeMembers))).toEqual([]);
    const worst = worstCase(b);
    expect(worst.problems).toEqual([]);
    expect(worst.hours).toBeLessThanOrEqual(limitInHours(b.commitment.limit, HOURS_PER_DAY));
    expect(worst.fees).toBeLessThanOrEqual(b.commitment.costYuan);
  });

  it('takes applications automatically only where the seeds speak of 即报即得 (企业开办)', () => {
    expect(bundles.filter((b) => b.intake === 'auto').map((b) => b.code)).toEqual([
      'enterprise-opening',
    ]);
    const civil = ['birth', 'retirement', 'after-death', 'property-transfer-mortgage'];
    for (const b of bundles) {
      expect(b.cluster, b.code).toBe(civil.includes(b.code) ? 'civil' : 'enterprise');
    }
  });
});

describe('企业开办 "一窗通" (enterprise-opening)', () => {
  const opening = bundle('enterprise-opening');
  // Every optional member applies: seals, bank account, staff insurance.
  const everything: Answers = {
    'enterprise-type': ['company'],
    'related-trade-name': ['no'],
    food: ['no'],
    also: ['seals', 'bank', 'staff'],
    agent: ['no'],
    'vat-status': ['small-scale'],
    invoices: ['yes'],
  };

  it('is done in one hour at no cost with every member, asking each material once', () => {
    const guide = guideBundle(opening, items, everything);
    expect(guide.problems).toEqual([]);
    expect(guide.items.map((i) => i.member).sort()).toEqual(
      opening.members.map((m) => m.key).sort(),
    );
    expect(guide.completion.hours).toBeGreaterThan(0);
    expect(guide.completion.hours).toBeLessThanOrEqual(1);
    expect(guide.completion.criticalPath.slice(0, 2)).toEqual(['name', 'registration']);
    expect(guide.fees.totalYuan).toBe(0);
    expect(guide.materials.length).toBeLessThan(guide.separately.materials);
    expect(guide.fields.length).toBeLessThan(guide.separately.fields);
    // The business licence is one material, used by every follow-up member.
    const licence = guide.materials.find((m) => m.key === 'business-licence');
    expect(licence?.usedBy.length).toBe(6);
  });

  it('promises one step, no cost and no visit, for domestic enterprises without prior licences', () => {
    // The limit becomes 1 hour once checkBundle honours the members' fixed answers (see the header of
    // data/bundles/enterprise-opening.yaml); until then it counts the registration's 1-working-day
    // answers, which this bundle never gives: 0.25 + 7 + 0.25 hours.
    expect(opening.commitment).toMatchObject({ steps: 1, costYuan: 0, visits: 0 });
    expect(limitInHours(opening.commitment.limit, HOURS_PER_DAY)).toBeLessThanOrEqual(7.5);
    expect(opening.members.find((m) => m.key === 'registration')?.answers).toEqual({
      'foreign-investment': ['domestic'],
      'pre-licence': ['no'],
    });
  });

  it('is flagged when it promises half an hour', () => {
    const tooFast: BundleContent = {
      ...opening,
      commitment: { ...opening.commitment, limit: { value: 0.5, unit: 'hours' } },
    };
    expect(errorsOf(tooFast).map((p) => p.rule)).toContain('critical_path');
    expect(guideBundle(tooFast, items, everything).completion.withinCommitment).toBe(false);
  });

  it('is flagged when its members wait for each other in a cycle', () => {
    const cyclic: BundleContent = {
      ...opening,
      members: opening.members.map((m) => (m.key === 'name' ? { ...m, after: ['seal'] } : m)),
    };
    expect(errorsOf(cyclic).map((p) => p.rule)).toContain('cycle');
    expect(errorsOf(opening).map((p) => p.rule)).not.toContain('cycle');
  });
});
