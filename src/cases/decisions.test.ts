import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkItem, readSeedCatalog, type ItemContent } from '../catalog';
import type { DecisionCheck } from '../catalog/schema';
import { checkUscc } from '../platform/ids';
import {
  evaluateCheck,
  evaluateDecision,
  newEnterpriseUscc,
  type DecisionContext,
} from './decisions';
import { sampleRic } from './samples';

// Rule-based decisions (秒批): each kind of check over what a case holds, the outcome recorded as
// reasons, generated credit codes, and the catalog's checks of the rules themselves.

const label = { zh: '校验', en: 'check' };
const ctx: DecisionContext = {
  data: { name: '威海海澜精工有限公司', capital: 10, mobile: '13906310001', rows: [1, 2, 3] },
  answers: { kind: ['domestic'], many: ['a', 'b'] },
  results: { registration: { uscc: newEnterpriseUscc('371000'), decision: 'approved' } },
  applicant: { kind: 'enterprise', identifier: sampleRic() },
};

function check(path: string, rule: DecisionCheck['rule']): boolean {
  return evaluateCheck({ id: 'c', label, path, rule }, ctx).passed;
}

describe('decision checks', () => {
  it('reads form data, answers, earlier results and the applicant', () => {
    expect(check('data.name', { op: 'present' })).toBe(true);
    expect(check('data.missing', { op: 'present' })).toBe(false);
    expect(check('data.missing', { op: 'absent' })).toBe(true);
    expect(check('answers.kind', { op: 'in', values: ['domestic'] })).toBe(true);
    expect(check('answers.many', { op: 'in', values: ['a'] })).toBe(false);
    expect(check('answers.many', { op: 'not-in', values: ['c'] })).toBe(true);
    expect(check('answers.many', { op: 'not-in', values: ['b'] })).toBe(false);
    expect(check('results.registration.uscc', { op: 'identifier', kind: 'uscc' })).toBe(true);
    expect(check('results.name.uscc', { op: 'identifier', kind: 'uscc' })).toBe(false);
    expect(check('applicant.identifier', { op: 'identifier', kind: 'ric' })).toBe(true);
    expect(check('applicant.kind', { op: 'in', values: ['person'] })).toBe(false);
  });

  it('compares numbers, patterns and table sizes, saying why a check failed', () => {
    expect(check('data.capital', { op: 'min', value: 0 })).toBe(true);
    expect(check('data.capital', { op: 'max', value: 5 })).toBe(false);
    expect(check('data.name', { op: 'pattern', value: '^\\p{Script=Han}+$' })).toBe(true);
    expect(check('data.mobile', { op: 'identifier', kind: 'mobile' })).toBe(true);
    expect(check('data.rows', { op: 'max-rows', value: 3 })).toBe(true);
    expect(check('data.rows', { op: 'max-rows', value: 2 })).toBe(false);
    const failed = evaluateCheck(
      { id: 'cap', label, path: 'data.capital', rule: { op: 'max', value: 5 } },
      ctx,
    );
    expect(failed.detail).toEqual({ zh: '10 大于 5', en: '10 is above 5' });
  });

  it('approves only automatic decisions whose every check passes', () => {
    const checks: DecisionCheck[] = [
      { id: 'a', label, path: 'data.name', rule: { op: 'present' } },
      { id: 'b', label, path: 'data.capital', rule: { op: 'max', value: 5 } },
    ];
    expect(evaluateDecision({ automatic: true, checks }, ctx).approve).toBe(false);
    expect(evaluateDecision({ automatic: true, checks: checks.slice(0, 1) }, ctx).approve).toBe(
      true,
    );
    expect(evaluateDecision({ automatic: false, checks: checks.slice(0, 1) }, ctx).approve).toBe(
      false,
    );
  });

  it('assigns new credit codes that verify (GB 32100) and carry the region', () => {
    fc.assert(
      fc.property(fc.constantFrom('371000', '371002', '371072'), fc.integer(), (region, seed) => {
        let state = seed;
        const random = (n: number) => Math.abs((state = (state * 1103515245 + 12345) | 0)) % n;
        const code = newEnterpriseUscc(region, random);
        expect(checkUscc(code).valid).toBe(true);
        expect(code.slice(0, 8)).toBe(`91${region}`);
        expect(code.slice(8, 10)).toBe('MA');
      }),
    );
  });
});

describe('decision rules in the catalog', () => {
  const opening = readSeedCatalog().find((i) => i.code === '371000-XZSP-01-0002')!;

  it('accepts the seed rules and refuses checks that name nothing the item holds', () => {
    expect(checkItem(opening)).toEqual([]);
    const broken: ItemContent = {
      ...opening,
      decision: {
        automatic: true,
        checks: [
          { id: 'x', label, path: 'data.no-such-field', rule: { op: 'present' } },
          { id: 'x', label, path: 'answers.no-such-question', rule: { op: 'present' } },
          { id: 'y', label, path: 'data.business-scope', rule: { op: 'pattern', value: '(' } },
        ],
      },
    };
    const problems = checkItem(broken).map((p) => `${p.path} ${p.rule}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'decision.checks.0.path exists',
        'decision.checks.1.path exists',
        'decision.checks.1.id unique',
        'decision.checks.2.rule.value pattern',
      ]),
    );
    expect(
      checkItem({ ...opening, decision: { automatic: true, checks: [] } }).map((p) => p.rule),
    ).toEqual(['required_for_automatic']);
  });
});
