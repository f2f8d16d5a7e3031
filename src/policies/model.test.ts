// The pure parts of policies: dossier assembly, benefits, policy checks, grant steps, and the
// synthetic population of the demo.
import { describe, expect, it } from 'vitest';
import { syntheticRic } from '../platform/seed/demo';
import { assembleDossier } from './dossier';
import {
  benefitAmount,
  benefitText,
  checkPolicy,
  grantTransition,
  inForce,
  recheckOutcome,
  type PolicyInput,
} from './model';
import { readSeedPolicies, syntheticSubjects } from './seed';

describe('assembleDossier', () => {
  const ric = syntheticRic('371002', '1991-07-22', 'female', 1);

  it("reads a person's birth date and sex from the resident ID", () => {
    const dossier = assembleDossier(
      { kind: 'person', identifier: ric, regionCode: '371002' },
      [],
      null,
    );
    expect(dossier).toEqual({
      kind: 'person',
      region: '371002',
      birthDate: '1991-07-22',
      sex: 'female',
    });
  });

  it('turns the platform tags into licences and attributes, and keeps the other tags', () => {
    const dossier = assembleDossier(
      { kind: 'enterprise', identifier: '91371000MA00000000', regionCode: '371072' },
      [
        'region:371072',
        'region:371000',
        'kind:enterprise',
        'licence:L2',
        'licence:L1',
        'industry:C',
        'size:small',
        'qualification:L2',
      ],
      { tags: ['gazelle'], revenue: 8600, creditGrade: 'A' },
    );
    expect(dossier).toEqual({
      kind: 'enterprise',
      region: '371072',
      industry: 'C',
      size: 'small',
      revenue: 8600,
      creditGrade: 'A',
      licences: ['L1', 'L2'],
      tags: ['gazelle', 'qualification:L2'],
    });
  });

  it('lets the facts of other departments say better than the tags', () => {
    const dossier = assembleDossier(
      { kind: 'enterprise', identifier: 'x', regionCode: '371002' },
      ['industry:C', 'size:micro'],
      { industry: 'C3484', size: 'medium' },
    );
    expect(dossier).toMatchObject({ industry: 'C3484', size: 'medium' });
  });
});

describe('benefits', () => {
  it('pays a fixed amount, or a rate times a dossier number within bounds', () => {
    expect(benefitAmount({ kind: 'fixed', amount: 1200 }, {})).toBe(1200);
    const formula = { kind: 'formula', attr: 'employees', rate: 150, min: 150, max: 3000 } as const;
    expect(benefitAmount(formula, { employees: 10 })).toBe(1500);
    expect(benefitAmount(formula, { employees: 0 })).toBe(150);
    expect(benefitAmount(formula, { employees: 500 })).toBe(3000);
    expect(benefitAmount(formula, {})).toBeNull();
    expect(benefitAmount(null, {})).toBeNull();
  });

  it('says what a benefit is in both languages', () => {
    expect(benefitText({ kind: 'fixed', amount: 220, per: 'month' })).toEqual({
      zh: '每月 220 元',
      en: '220 yuan a month',
    });
    expect(benefitText({ kind: 'formula', attr: 'employees', rate: 150, max: 3000 })?.zh).toBe(
      '从业人数 × 150 元（最高 3,000 元）',
    );
  });
});

describe('checkPolicy', () => {
  const base: PolicyInput = {
    code: 'p',
    name: { zh: '政策', en: 'policy' },
    summary: { zh: '说明', en: 'summary' },
    departmentCode: 'rsj',
    regionCode: '371000',
    sourceDocument: '文件',
    validFrom: '2026-01-01',
    tags: [],
    mode: 'apply',
    applyLink: '/hall',
    rule: { attr: 'kind', op: 'eq', value: 'person' } as never,
  };

  it('accepts every seed policy', () => {
    for (const policy of readSeedPolicies()) expect(checkPolicy(policy), policy.code).toEqual([]);
  });

  it('names what each mode needs, the dates and the rule, by path', () => {
    const rules = (input: Partial<PolicyInput>) =>
      checkPolicy({ ...base, ...input }).map((p) => `${p.path} ${p.rule}`);
    expect(rules({ mode: 'automatic' })).toEqual(['body.benefit required_for_grants']);
    expect(rules({ mode: 'silent', benefit: { kind: 'fixed', amount: 1 } })).toEqual([
      'body.recheckDays required_for_silent',
    ]);
    expect(rules({ applyLink: null })).toEqual(['body.applyLink required_for_apply']);
    expect(rules({ validUntil: '2025-12-31' })).toEqual(['body.validUntil after_valid_from']);
    expect(rules({ rule: { attr: 'employees', op: 'eq', value: 3 } as never })[0]).toMatch(
      /^body\.rule/,
    );
  });

  it('knows when a policy is in force', () => {
    expect(inForce({ validFrom: '2026-01-01', validUntil: null }, '2026-11-23')).toBe(true);
    expect(inForce({ validFrom: '2026-01-01', validUntil: '2026-06-30' }, '2026-11-23')).toBe(
      false,
    );
    expect(inForce({ validFrom: '2027-01-01', validUntil: null }, '2026-11-23')).toBe(false);
  });
});

describe('grant steps', () => {
  it('confirms before paying, and rejects only what is not paid', () => {
    expect(grantTransition('pending', 'confirm')).toBe('confirmed');
    expect(grantTransition('pending', 'pay')).toBeNull();
    expect(grantTransition('confirmed', 'pay')).toBe('paid');
    expect(grantTransition('confirmed', 'reject')).toBe('rejected');
    expect(grantTransition('paid', 'reject')).toBeNull();
    expect(grantTransition('suspended', 'confirm')).toBeNull();
  });

  it('re-certifies, suspends and resumes on silent re-checks', () => {
    expect(recheckOutcome('paid', true)).toBe('recertified');
    expect(recheckOutcome('paid', false)).toBe('suspended');
    expect(recheckOutcome('suspended', true)).toBe('resumed');
    expect(recheckOutcome('suspended', false)).toBeNull();
    expect(recheckOutcome('rejected', true)).toBeNull();
  });
});

describe('syntheticSubjects', () => {
  it('is the same population for the same seed, with distinct valid identifiers', () => {
    const a = syntheticSubjects(400);
    expect(syntheticSubjects(400)).toEqual(a);
    expect(syntheticSubjects(400, 7)).not.toEqual(a);
    expect(new Set(a.map((s) => s.identifier)).size).toBe(400);
    expect(a.filter((s) => s.kind === 'enterprise')).toHaveLength(200);
    // births and pregnancies are women's
    for (const s of a.filter((s) => s.kind === 'person'))
      if (s.facts.tags?.includes('recent-birth')) expect(Number(s.identifier[16]) % 2).toBe(0);
  });
});
