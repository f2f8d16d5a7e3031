// The credit rules as published: publication periods and repair dates per kind and severity, the
// score and grade from the records still published on a day, and why a repair may be refused.
import { describe, expect, it } from 'vitest';
import {
  CREDIT_REPAIR_DECISION_WORKING_DAYS,
  addMonths,
  gradeOf,
  gradeOfScore,
  publishedOn,
  publishedRules,
  recordDates,
  repairRefusal,
  type CreditFacts,
  type CreditKind,
  type CreditSeverity,
} from './credit';

const record = (
  kind: CreditKind,
  severity: CreditSeverity,
  decidedOn: string,
  state: CreditFacts['state'] = 'published',
) => ({ kind, severity, decidedOn, state, ...recordDates(kind, severity, decidedOn) });

describe('credit publication and repair dates', () => {
  it.each([
    ['penalty', 'minor', '2026-03-10', '2026-06-10', '2026-03-10'],
    ['penalty', 'general', '2026-03-10', '2027-03-10', '2026-06-10'],
    ['penalty', 'serious', '2026-03-10', '2029-03-10', '2027-03-10'],
    ['abnormal', 'general', '2026-03-10', '2029-03-10', '2026-03-10'],
    // not repairable: repairable only when publication ends anyway
    ['commendation', 'general', '2026-03-10', '2029-03-10', '2029-03-10'],
  ] as const)(
    'a %s of %s severity decided %s is published until %s, repairable from %s',
    (kind, severity, decidedOn, publishUntil, repairableFrom) => {
      expect(recordDates(kind, severity, decidedOn)).toEqual({ publishUntil, repairableFrom });
    },
  );

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-05-15', -5, '2025-12-15'],
    ['2026-03-10', 0, '2026-03-10'],
  ] as const)('adds months to %s (+%i) as %s, clamped to the month', (date, n, expected) => {
    expect(addMonths(date, n)).toBe(expected);
  });

  it('publishes a record from its decision to the day before publication ends, unless repaired', () => {
    const r = record('penalty', 'general', '2026-03-10');
    expect(publishedOn(r, '2026-03-09')).toBe(false);
    expect(publishedOn(r, '2026-03-10')).toBe(true);
    expect(publishedOn(r, '2027-03-09')).toBe(true);
    expect(publishedOn(r, '2027-03-10')).toBe(false);
    expect(publishedOn({ ...r, state: 'repaired' }, '2026-05-01')).toBe(false);
  });
});

describe('the credit grade', () => {
  it('gives a subject without records 100 points and grade A', () => {
    expect(gradeOf([], '2026-11-23')).toEqual({ score: 100, grade: 'A' });
  });

  it.each([
    [90, 'A'],
    [89, 'B'],
    [75, 'B'],
    [74, 'C'],
    [60, 'C'],
    [59, 'D'],
    [0, 'D'],
  ] as const)('grades a score of %i as %s', (score, grade) => {
    expect(gradeOfScore(score)).toBe(grade);
  });

  it('deducts per published record and severity, adds commendations, caps at 100', () => {
    const day = '2026-11-23';
    expect(gradeOf([record('penalty', 'general', '2026-06-23')], day)).toEqual({
      score: 85,
      grade: 'B',
    });
    expect(gradeOf([record('penalty', 'serious', '2026-06-23')], day)).toEqual({
      score: 55,
      grade: 'D',
    });
    expect(
      gradeOf(
        [
          record('penalty', 'general', '2026-06-23'),
          record('commendation', 'serious', '2026-01-01'),
        ],
        day,
      ),
    ).toEqual({ score: 95, grade: 'A' });
    expect(gradeOf([record('commendation', 'serious', '2026-01-01')], day).score).toBe(100);
    const many = Array.from({ length: 5 }, () => record('penalty', 'serious', '2026-06-23'));
    expect(gradeOf(many, day)).toEqual({ score: 0, grade: 'D' });
  });

  it('does not count repaired, expired or future records', () => {
    const day = '2026-11-23';
    expect(gradeOf([record('penalty', 'serious', '2026-06-23', 'repaired')], day).grade).toBe('A');
    expect(gradeOf([record('penalty', 'general', '2025-06-23')], day).grade).toBe('A');
    expect(gradeOf([record('penalty', 'general', '2026-12-01')], day).grade).toBe('A');
  });
});

describe('when a repair may be asked for', () => {
  it('refuses a commendation, a repaired record, one too early and one already expired', () => {
    expect(repairRefusal(record('commendation', 'general', '2026-06-01'), '2026-11-23')?.rule).toBe(
      'not_repairable',
    );
    expect(
      repairRefusal(record('penalty', 'general', '2026-06-01', 'repaired'), '2026-11-23')?.rule,
    ).toBe('already_repaired');
    const early = repairRefusal(record('penalty', 'general', '2026-10-01'), '2026-11-23');
    expect(early?.rule).toBe('min_publication');
    expect(early?.message.zh).toContain('最短公示期为 3 个月');
    expect(early?.message.en).toContain('2027-01-01');
    expect(repairRefusal(record('penalty', 'general', '2025-06-01'), '2026-11-23')?.rule).toBe(
      'publication_ended',
    );
  });

  it('allows a general penalty after 3 months and an abnormal listing at once', () => {
    expect(repairRefusal(record('penalty', 'general', '2026-08-23'), '2026-11-23')).toBeNull();
    expect(repairRefusal(record('penalty', 'general', '2026-08-24'), '2026-11-23')).not.toBeNull();
    expect(repairRefusal(record('abnormal', 'general', '2026-11-23'), '2026-11-23')).toBeNull();
    expect(repairRefusal(record('penalty', 'serious', '2026-01-01'), '2026-11-23')?.rule).toBe(
      'min_publication',
    );
  });
});

describe('the published rules', () => {
  it('publish every grade, every point and every period in both languages', () => {
    const rules = publishedRules();
    expect(rules.grading.grades.map((g) => [g.grade, g.range])).toEqual([
      ['A', '≥ 90'],
      ['B', '75–89'],
      ['C', '60–74'],
      ['D', '0–59'],
    ]);
    expect(rules.grading.points).toHaveLength(9);
    expect(rules.repair.periods).toHaveLength(9);
    expect(rules.repair.decisionWorkingDays).toBe(CREDIT_REPAIR_DECISION_WORKING_DAYS);
    const general = rules.repair.periods.find(
      (p) => p.kind === 'penalty' && p.severity === 'general',
    )!;
    expect([general.minMonths, general.maxMonths]).toEqual([3, 12]);
    expect(general.basis.zh).toContain('第58号');
    for (const text of [rules.grading.description, rules.repair.description, general.kindName])
      expect(text.zh && text.en).toBeTruthy();
  });
});
