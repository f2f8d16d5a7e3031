import { describe, expect, it } from 'vitest';
import { limitInHours, readSeedCatalog, type Answers } from '../catalog';
import { checkBundle, guideBundle, type Guide } from './model';
import type { BundleContent } from './schema';
import { readSeedBundles } from './seed';

// The seed bundles in data/bundles/*.yaml against the seed catalog: the static checks find no error,
// every combination of answers leads to a complete guide within the commitment, each commitment is
// what the seeds promise or else the worst case rounded up to whole working days, and the 企业开办
// bundle is done as the seeds promise (A§1(1): 1个环节、0成本、1小时办结).

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

/** Every non-empty choice of answers to one question: one answer, or any set of them if several are allowed. */
function choicesOf(situation: BundleContent['situations'][number]): string[][] {
  const keys = situation.answers.map((a) => a.key);
  if (!situation.multiple) return keys.map((k) => [k]);
  const all: string[][] = [];
  for (let mask = 1; mask < 1 << keys.length; mask++) {
    all.push(keys.filter((_, i) => mask & (1 << i)));
  }
  return all;
}

/** Every combination of answers to the bundle's questions. */
function* combinations(b: BundleContent): Generator<Answers> {
  const choices = b.situations.map(choicesOf);
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

interface Sweep {
  combinations: number;
  /** Longest completion and highest fees over every combination. */
  hours: number;
  fees: number;
  /** Problems and broken commitments, each naming the answers. */
  problems: string[];
  late: string[];
  /** The guide with the most members (and then the most materials). */
  fullest: Guide;
  /** Keys of merged materials and fields that some combination asks for. */
  materials: Set<string>;
  fields: Set<string>;
  /** Materials provided by a result whose member does not apply, yet still marked `result`. */
  unprovided: string[];
}

const sweeps = new Map<string, Sweep>();

/** Guides every combination of answers of a bundle once and keeps what the tests look at. */
function sweep(b: BundleContent): Sweep {
  const known = sweeps.get(b.code);
  if (known) return known;
  const result: Sweep = {
    combinations: 0,
    hours: 0,
    fees: 0,
    problems: [],
    late: [],
    fullest: undefined as unknown as Guide,
    materials: new Set(),
    fields: new Set(),
    unprovided: [],
  };
  for (const answers of combinations(b)) {
    const guide = guideBundle(b, items, answers);
    const said = JSON.stringify(answers);
    result.combinations += 1;
    result.hours = Math.max(result.hours, guide.completion.hours);
    result.fees = Math.max(result.fees, guide.fees.totalYuan);
    for (const p of guide.problems) result.problems.push(`${said} ${p.path} [${p.rule}]`);
    if (!guide.complete) result.problems.push(`${said} incomplete`);
    if (!guide.completion.withinCommitment) {
      result.late.push(`${said} ${guide.completion.hours} h via ${guide.completion.criticalPath}`);
    }
    const members = new Set(guide.items.map((i) => i.member));
    for (const m of guide.materials) {
      result.materials.add(m.key);
      if (m.provision === 'result' && !(m.from && members.has(m.from))) {
        result.unprovided.push(`${said} ${m.key}`);
      }
    }
    for (const f of guide.fields) result.fields.add(f.key);
    const best = result.fullest;
    if (
      !best ||
      guide.items.length > best.items.length ||
      (guide.items.length === best.items.length && guide.materials.length > best.materials.length)
    ) {
      result.fullest = guide;
    }
  }
  sweeps.set(b.code, result);
  return result;
}

function errorsOf(b: BundleContent) {
  return checkBundle(b, items, b.code).filter((p) => p.severity === 'error');
}

function hoursOf(b: BundleContent): number {
  return limitInHours(b.commitment.limit, HOURS_PER_DAY);
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

  it.each(CODES)('%s lists no material and no field that no member needs', (code) => {
    const b = bundle(code);
    const unused = checkBundle(b, items, b.code).filter((p) => p.rule === 'used');
    expect(unused.map((p) => `${p.path} ${p.message.en}`)).toEqual([]);
    // Needed by some member is not enough: some combination of answers must ask for it.
    const seen = sweep(b);
    expect(b.materials.filter((m) => !seen.materials.has(m.key)).map((m) => m.key)).toEqual([]);
    expect(b.form.filter((f) => !seen.fields.has(f.key)).map((f) => f.key)).toEqual([]);
  });

  it.each(CODES)('%s gives a complete guide within its commitment for every answer', (code) => {
    const b = bundle(code);
    const seen = sweep(b);
    expect(seen.combinations).toBeGreaterThan(1);
    expect(seen.problems).toEqual([]);
    expect(seen.late).toEqual([]);
    expect(seen.hours).toBeGreaterThan(0);
    expect(seen.hours).toBeLessThanOrEqual(hoursOf(b) + 1e-9);
    expect(seen.fees).toBeLessThanOrEqual(b.commitment.costYuan);
    // A material provided by a result is handed in when the member producing it does not apply.
    expect(seen.unprovided).toEqual([]);
  });

  it.each(CODES.filter((code) => code !== 'enterprise-opening'))(
    '%s promises no more than its worst case rounded up to whole working days',
    (code) => {
      // The seeds promise a time only for 企业开办; elsewhere the commitment is the worst case.
      const b = bundle(code);
      expect(b.commitment.limit.unit).toBe('workdays');
      expect(b.commitment.limit.value).toBe(Math.ceil(sweep(b).hours / HOURS_PER_DAY - 1e-9));
    },
  );

  it.each(['enterprise-opening', 'birth', 'after-death'])(
    '%s asks for fewer materials than its members would one by one',
    (code) => {
      const b = bundle(code);
      const { fullest } = sweep(b);
      expect(fullest.items.map((i) => i.member).sort()).toEqual(b.members.map((m) => m.key).sort());
      expect(fullest.materials.length).toBeLessThan(fullest.separately.materials);
      expect(fullest.materials.some((m) => m.provision === 'result')).toBe(true);
    },
  );

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
  // Every optional member applies: seals, VAT special invoices, bank account, staff insurance.
  const everything: Answers = {
    'enterprise-type': ['company'],
    'related-trade-name': ['no'],
    food: ['no'],
    also: ['seals', 'bank', 'staff'],
    agent: ['no'],
    'vat-status': ['small-scale'],
    invoices: ['special'],
  };

  it('promises one step, no cost, no visit and one hour (A§1(1))', () => {
    expect(opening.commitment).toEqual({
      steps: 1,
      costYuan: 0,
      limit: { value: 1, unit: 'hours' },
      visits: 0,
    });
    expect(opening.members.find((m) => m.key === 'registration')?.answers).toEqual({
      'foreign-investment': ['domestic'],
      'pre-licence': ['no'],
    });
  });

  it('is done within one hour at no cost with every member, asking each material once', () => {
    const guide = guideBundle(opening, items, everything);
    expect(guide.problems).toEqual([]);
    expect(guide.items.map((i) => i.member).sort()).toEqual(
      opening.members.map((m) => m.key).sort(),
    );
    expect(guide.completion.hours).toBeGreaterThan(0);
    expect(guide.completion.hours).toBeLessThanOrEqual(1);
    expect(guide.completion.withinCommitment).toBe(true);
    expect(guide.completion.criticalPath.slice(0, 2)).toEqual(['name', 'registration']);
    expect(guide.fees.totalYuan).toBe(0);
    expect(guide.materials.length).toBeLessThan(guide.separately.materials);
    expect(guide.fields.length).toBeLessThan(guide.separately.fields);
    // No combination of answers takes longer than the hour.
    expect(sweep(opening).hours).toBeLessThanOrEqual(1);
  });

  it('takes the business licence and the name notice from the earlier members, never as uploads', () => {
    const guide = guideBundle(opening, items, everything);
    const licences = guide.materials.filter((m) =>
      m.usedBy.some((u) => u.key === 'business-licence'),
    );
    expect(licences.map((m) => [m.key, m.provision, m.from])).toEqual([
      ['business-licence', 'result', 'registration'],
    ]);
    expect(licences[0]!.usedBy.map((u) => u.member).sort()).toEqual([
      'bank',
      'housing-fund',
      'medical-insurance',
      'seal',
      'social-insurance',
      'tax',
    ]);
    const uploads = guide.materials.filter((m) => m.provision === 'upload');
    expect(uploads.filter((m) => m.name.zh.includes('营业执照'))).toEqual([]);
    expect(guide.materials.find((m) => m.key === 'name-notice')).toMatchObject({
      provision: 'result',
      from: 'name',
    });
    // The new enterprise's credit code is filled in from the registration, not asked.
    const uscc = guide.fields.find((f) => f.key === 'uscc');
    expect(uscc).toMatchObject({ filledBy: 'registration', required: false });
    expect(uscc?.usedBy.length).toBe(7);
  });

  it('approves VAT special invoice limits up to 100,000 yuan within the hour, and only those', () => {
    const limit = opening.members.find((m) => m.key === 'invoice-limit');
    expect(limit).toMatchObject({
      item: '371000-TAX-01-0002',
      optional: true,
      after: ['registration'],
      answers: { limit: ['up-to-100k'] },
    });
    const without = guideBundle(opening, items, { ...everything, invoices: ['yes'] });
    expect(without.items.map((i) => i.member)).not.toContain('invoice-limit');
    expect(without.fields.map((f) => f.key)).not.toContain('max-amount');
    // A limit of a million yuan or more needs a site check (10 working days): not in one hour.
    const million: BundleContent = {
      ...opening,
      members: opening.members.map((m) =>
        m.key === 'invoice-limit' ? { ...m, answers: { limit: ['million-and-above'] } } : m,
      ),
    };
    expect(errorsOf(million).map((p) => p.rule)).toContain('critical_path');
  });

  it('is flagged when a member reads the business licence without waiting for the registration', () => {
    const early: BundleContent = {
      ...opening,
      members: opening.members.map((m) => (m.key === 'seal' ? { ...m, after: ['name'] } : m)),
    };
    expect(errorsOf(early).map((p) => p.rule)).toContain('result_source');
    expect(errorsOf(opening).map((p) => p.rule)).not.toContain('result_source');
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

describe('results feeding later members', () => {
  it('birth: the certificate and the household record come from the earlier members', () => {
    const birth = bundle('birth');
    const guide = sweep(birth).fullest;
    const byKey = new Map(guide.materials.map((m) => [m.key, m]));
    expect(byKey.get('birth-certificate')).toMatchObject({
      provision: 'result',
      from: 'birth-certificate',
    });
    expect(byKey.get('baby-hukou')).toMatchObject({
      provision: 'result',
      from: 'birth-registration',
    });
    const fields = new Map(guide.fields.map((f) => [f.key, f]));
    expect(fields.get('baby-ric')).toMatchObject({
      filledBy: 'birth-registration',
      required: false,
    });
    expect(fields.get('birth-certificate-number')).toMatchObject({
      filledBy: 'birth-certificate',
      required: false,
    });
  });

  it('after-death: the death certificate and the deregistration come from the earlier members', () => {
    const guide = sweep(bundle('after-death')).fullest;
    const byKey = new Map(guide.materials.map((m) => [m.key, m]));
    expect(byKey.get('death-certificate')).toMatchObject({
      provision: 'result',
      from: 'death-certificate',
    });
    expect(byKey.get('hukou-cancellation')).toMatchObject({ provision: 'result', from: 'hukou' });
  });

  it('is handed in when the member producing it does not apply', () => {
    // A variant of 带押过户 where the transfer is optional: the new mortgage then needs the title uploaded.
    const transfer = bundle('property-transfer-mortgage');
    const variant: BundleContent = {
      ...transfer,
      members: transfer.members.map((m) => (m.key === 'transfer' ? { ...m, optional: true } : m)),
    };
    const answers: Answers = {
      loan: ['yes'],
      'seller-married': ['no'],
      'tax-relief': ['no'],
      agent: ['no'],
    };
    const title = guideBundle(variant, items, answers).materials.find((m) => m.key === 'new-title');
    expect(title?.provision).toBe('upload');
    const normal = guideBundle(transfer, items, answers).materials.find(
      (m) => m.key === 'new-title',
    );
    expect(normal?.provision).toBe('result');
  });
});
