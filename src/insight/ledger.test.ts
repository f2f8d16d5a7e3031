// The ledger's pure rules: due dates, periods, warnings, latest report, who reports, tick-off.
import { describe, expect, it } from 'vitest';
import {
  cadenceOf,
  dueOnOf,
  latestReport,
  periodKey,
  periodProblem,
  periodStart,
  reportableUnits,
  tickOffProblem,
  warningsOf,
  weekKey,
  type TaskUnit,
} from './ledger';
import type { Deadline } from './measures';

const deadline = (date: string | null, kind: Deadline['kind'] = 'month'): Deadline => ({
  kind,
  phrase: date ?? '长期坚持',
  date,
  yearFrom: date ? 'phrase' : null,
});

describe('the due date of a task', () => {
  const goals = (dates: (string | null)[]) => ({
    goals: { deadlines: dates.map((d) => deadline(d)), targets: [] },
  });

  it('is the last dated deadline of the measure, whatever the order they are written in', () => {
    expect(
      dueOnOf(
        { deadlines: [deadline('2023-09-30'), deadline('2023-06-30'), deadline(null, 'ongoing')] },
        goals(['2027-12-31']),
      ),
    ).toBe('2023-09-30');
  });
  it("falls back to the document's goal deadline, then to none (ongoing)", () => {
    expect(dueOnOf({ deadlines: [deadline(null, 'ongoing')] }, goals(['2027-12-31']))).toBe(
      '2027-12-31',
    );
    expect(dueOnOf({ deadlines: [] }, goals([]))).toBeNull();
  });
});

describe('reporting periods', () => {
  it.each([
    ['2026-11-23', '2026-W48'],
    ['2026-01-01', '2026-W01'],
    ['2021-01-03', '2020-W53'],
    ['2024-12-30', '2025-W01'],
    ['2026-12-31', '2026-W53'],
  ])('puts %s in ISO week %s', (date, week) => {
    expect(weekKey(date)).toBe(week);
  });

  it('starts a week on its Monday and a month on its first day, and refuses malformed keys', () => {
    expect(periodStart('2026-W48')).toBe('2026-11-23');
    expect(periodStart('2020-W53')).toBe('2020-12-28');
    expect(periodStart('2026-11')).toBe('2026-11-01');
    expect(periodStart('2026-W54')).toBeNull();
    expect(periodStart('2026-13')).toBeNull();
    expect(periodStart('2026-W00')).toBeNull();
  });

  it('reports weekly within 60 days of the due date or after it, monthly otherwise and when ongoing', () => {
    const today = '2026-11-23';
    expect(cadenceOf('2027-01-22', today)).toBe('weekly');
    expect(cadenceOf('2027-01-23', today)).toBe('monthly');
    expect(cadenceOf('2021-06-30', today)).toBe('weekly');
    expect(cadenceOf(null, today)).toBe('monthly');
    expect(periodKey(today, 'weekly')).toBe('2026-W48');
    expect(periodKey(today, 'monthly')).toBe('2026-11');
  });

  it('refuses future periods and malformed ones', () => {
    expect(periodProblem('2026-W48', '2026-11-23')).toBeNull();
    expect(periodProblem('2026-W49', '2026-11-23')).toBe('future');
    expect(periodProblem('2026-12', '2026-11-23')).toBe('future');
    expect(periodProblem('2026-W99', '2026-11-23')).toBe('format');
  });
});

describe('warnings on a day', () => {
  const today = '2026-11-23';
  const open = (dueOn: string | null, lastPeriod: string | null = null) => ({
    state: 'open' as const,
    dueOn,
    lastPeriod,
  });

  it('marks an open task past its due date overdue, and unreported without a report this week', () => {
    expect(warningsOf(open('2026-11-22'), today)).toEqual(['overdue', 'unreported']);
    expect(warningsOf(open('2026-11-22', '2026-W48'), today)).toEqual(['overdue']);
  });
  it('marks a task due within 14 days (its due day included) due soon, not a day later', () => {
    expect(warningsOf(open('2026-11-23', '2026-W48'), today)).toEqual(['due_soon']);
    expect(warningsOf(open('2026-12-07', '2026-W48'), today)).toEqual(['due_soon']);
    expect(warningsOf(open('2026-12-08', '2026-W48'), today)).toEqual([]);
  });
  it('asks a task far from its due date for a monthly report: a weekly key does not count', () => {
    expect(warningsOf(open('2027-12-31', '2026-11'), today)).toEqual([]);
    expect(warningsOf(open('2027-12-31', '2026-W48'), today)).toEqual(['unreported']);
    expect(warningsOf(open(null, '2026-10'), today)).toEqual(['unreported']);
  });
  it('gives a ticked-off task no warnings', () => {
    expect(warningsOf({ state: 'done', dueOn: '2021-06-30', lastPeriod: null }, today)).toEqual([]);
  });
});

describe('the latest report', () => {
  it('is the one of the latest period, and within a period the last made', () => {
    const at = (iso: string) => new Date(iso);
    const reports = [
      { id: 1, period: '2026-W47', reportedAt: at('2026-11-18T02:00:00Z') },
      { id: 2, period: '2026-W48', reportedAt: at('2026-11-23T02:00:00Z') },
      { id: 3, period: '2026-W46', reportedAt: at('2026-11-23T03:00:00Z') },
      { id: 4, period: '2026-W48', reportedAt: at('2026-11-23T04:00:00Z') },
    ];
    expect(latestReport(reports)?.id).toBe(4);
    expect(latestReport(reports.slice(0, 3))?.id).toBe(2);
    expect(latestReport([])).toBeNull();
  });
});

describe('who reports and who ticks off', () => {
  const units: TaskUnit[] = [
    { name: '市人社局', role: 'lead', departmentCode: 'rsj' },
    { name: '市医保局', role: 'responsible', departmentCode: 'ybj' },
    { name: '市中级人民法院', role: 'responsible', departmentCode: null },
  ];

  it("lets staff report for the units their department stands for, and nobody else's", () => {
    expect(reportableUnits({ role: 'reviewer' }, 'rsj', units)).toEqual(['市人社局']);
    expect(reportableUnits({ role: 'handler' }, 'scjg', units)).toEqual([]);
    expect(reportableUnits({ role: 'clerk' }, null, units)).toEqual([]);
    expect(reportableUnits({ role: 'enterprise' }, 'rsj', units)).toEqual([]);
  });
  it('lets an administrator report for any unit', () => {
    expect(reportableUnits({ role: 'admin' }, 'dsj', units)).toHaveLength(3);
  });
  it('ticks off only an open task whose latest report says completed', () => {
    expect(tickOffProblem({ state: 'open', lastStatus: 'completed' })).toBeNull();
    expect(tickOffProblem({ state: 'open', lastStatus: 'on_track' })).toBe('completed_report');
    expect(tickOffProblem({ state: 'open', lastStatus: null })).toBe('completed_report');
    expect(tickOffProblem({ state: 'done', lastStatus: 'completed' })).toBe('already_done');
  });
});
