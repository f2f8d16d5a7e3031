import { describe, expect, it } from 'vitest';
import { createWorkCalendar, toOffsetIso } from '../platform/calendar';
import {
  applicationProgress,
  checkCaseTransition,
  computeDue,
  nextAlertAt,
  releasable,
  stranded,
  warningLevel,
  workingHoursBetween,
  type ClockSegment,
} from './casework';

// The clock of department cases on the real national calendar. 春节 2026: 02-15..02-23 off,
// Saturdays 02-14 and 02-28 are make-up working days (调休).

const calendar = createWorkCalendar();
const at = (s: string) => new Date(s);
const iso = (d: Date | null) => (d ? toOffsetIso(d) : null);
const days = (value: number) => ({ value, unit: 'workdays' as const });

function suspension(from: string, to: string | null): ClockSegment {
  return {
    kind: 'hearing',
    startedAt: at(from),
    endedAt: to ? at(to) : null,
    days: null,
    approvedAt: null,
  };
}

describe('the case clock', () => {
  const start = at('2026-02-13T10:00:00+08:00'); // the Friday before 春节

  it('counts working days after the start day, through the holiday and the 调休 Saturday', () => {
    const due = computeDue(calendar, start, days(3), days(20), []);
    // 02-14 (make-up Saturday), 02-24, 02-25
    expect(iso(due.committedDueAt)).toBe('2026-02-25T17:00:00+08:00');
    // 20 working days: 02-14, 02-24..02-27, 02-28 (make-up), 03-02..03-06, 03-09..03-13, 03-16..03-19
    expect(iso(due.statutoryDueAt)).toBe('2026-03-19T17:00:00+08:00');
    expect(due.provisional).toBe(false);
  });

  it('does not count a suspension for a hearing toward the limits', () => {
    // suspended from Tuesday 02-24 to Thursday 02-26: 02-25 and 02-26 are not counted
    const segments = [suspension('2026-02-24T10:00:00+08:00', '2026-02-26T10:00:00+08:00')];
    const due = computeDue(calendar, start, days(3), days(20), segments);
    expect(due.suspendedDays).toBe(2);
    expect(iso(due.committedDueAt)).toBe('2026-02-27T17:00:00+08:00');
    // 22 working days instead of 20
    expect(iso(due.statutoryDueAt)).toBe('2026-03-23T17:00:00+08:00');
  });

  it('stops the clock while a suspension is open', () => {
    const due = computeDue(calendar, start, days(3), days(20), [
      suspension('2026-02-24T10:00:00+08:00', null),
    ]);
    expect(due.stopped).toBe(true);
    expect(due.committedDueAt).toBeNull();
    expect(due.warnAt).toBeNull();
  });

  it('moves the dues by an approved extension only', () => {
    const extension: ClockSegment = {
      kind: 'extension',
      startedAt: at('2026-02-24T10:00:00+08:00'),
      endedAt: null,
      days: 10,
      approvedAt: null,
    };
    const asked = computeDue(calendar, start, days(3), days(20), [extension]);
    expect(iso(asked.statutoryDueAt)).toBe('2026-03-19T17:00:00+08:00');
    const granted = computeDue(calendar, start, days(3), days(20), [
      { ...extension, approvedAt: at('2026-02-25T09:00:00+08:00') },
    ]);
    expect(granted.extensionDays).toBe(10);
    // 30 working days: ten more after 03-19
    expect(iso(granted.statutoryDueAt)).toBe('2026-04-02T17:00:00+08:00');
    // 13 working days: 02-14, 02-24..02-28, 03-02..03-06, 03-09, 03-10
    expect(iso(granted.committedDueAt)).toBe('2026-03-10T17:00:00+08:00');
  });

  it('warns in the last 20% of the committed limit and turns red once it has passed', () => {
    const due = computeDue(calendar, start, days(5), days(20), []);
    // 5 days: 02-14, 02-24, 02-25, 02-26, 02-27; the warning starts after the 4th
    expect(iso(due.committedDueAt)).toBe('2026-02-27T17:00:00+08:00');
    expect(iso(due.warnAt)).toBe('2026-02-26T17:00:00+08:00');
    expect(warningLevel(due, at('2026-02-26T16:59:59+08:00'))).toBe('none');
    expect(warningLevel(due, at('2026-02-26T17:00:00+08:00'))).toBe('yellow');
    expect(warningLevel(due, at('2026-02-27T17:00:00+08:00'))).toBe('yellow');
    expect(warningLevel(due, at('2026-02-27T17:00:01+08:00'))).toBe('red');
    expect(iso(nextAlertAt(due, 'none'))).toBe('2026-02-26T17:00:00+08:00');
    expect(nextAlertAt(due, 'red')).toBeNull();
  });

  it('counts limits in hours on business hours, into the make-up Saturday', () => {
    const late = at('2026-02-13T16:30:00+08:00');
    const due = computeDue(calendar, late, { value: 1, unit: 'hours' }, null, []);
    expect(iso(due.committedDueAt)).toBe('2026-02-14T09:30:00+08:00');
    // 0.8 hours: 30 minutes on Friday, 18 on Saturday
    expect(iso(due.warnAt)).toBe('2026-02-14T09:18:00+08:00');
    expect(due.statutoryDueAt).toBeNull();
  });

  it('measures working hours between instants across the holiday', () => {
    expect(
      workingHoursBetween(
        calendar,
        at('2026-02-14T16:00:00+08:00'),
        at('2026-02-24T10:00:00+08:00'),
      ),
    ).toBeCloseTo(2, 6);
  });
});

describe('the case state machine and release', () => {
  it('allows the path of a case and refuses a second decision', () => {
    expect(checkCaseTransition('pending', 'accept')).toBe('accepted');
    expect(checkCaseTransition('accepted', 'start-review')).toBe('in_review');
    expect(checkCaseTransition('in_review', 'approve')).toBe('approved');
    expect(checkCaseTransition('approved', 'issue-result')).toBe('result_issued');
    expect(checkCaseTransition('suspended', 'resume', 'accepted')).toBe('accepted');
    expect(() => checkCaseTransition('approved', 'approve')).toThrow(/approved/);
    expect(() => checkCaseTransition('waiting', 'accept')).toThrow();
  });

  it('releases waiting cases once everything they wait for is done', () => {
    const graph = [
      { memberKey: 'name', state: 'result_issued' as const, after: [] },
      { memberKey: 'registration', state: 'in_review' as const, after: ['name'] },
      { memberKey: 'tax', state: 'waiting' as const, after: ['registration'] },
      { memberKey: 'bank', state: 'waiting' as const, after: ['registration', 'absent'] },
    ];
    expect(releasable(graph)).toEqual([]);
    graph[1]!.state = 'result_issued' as never;
    expect(releasable(graph)).toEqual(['tax', 'bank']);
  });

  it('finds the waiting cases a withdrawal strands, transitively', () => {
    const graph = [
      { memberKey: 'name', state: 'in_review' as const, after: [] },
      { memberKey: 'registration', state: 'waiting' as const, after: ['name'] },
      { memberKey: 'seal', state: 'waiting' as const, after: ['registration'] },
      { memberKey: 'other', state: 'pending' as const, after: [] },
    ];
    expect(stranded(graph, 'name')).toEqual(['registration', 'seal']);
    expect(stranded(graph, 'other')).toEqual([]);
  });

  it('derives the application progress from its cases', () => {
    const due = at('2026-03-01T17:00:00+08:00');
    expect(applicationProgress([])).toEqual({ progress: 'not_started', dueAt: null });
    expect(
      applicationProgress([
        { state: 'result_issued', committedDueAt: due, results: {} },
        { state: 'in_review', committedDueAt: null, results: null },
      ]).progress,
    ).toBe('in_progress');
    expect(
      applicationProgress([
        { state: 'result_issued', committedDueAt: due, results: {} },
        { state: 'deemed_approved', committedDueAt: null, results: null },
      ]),
    ).toEqual({ progress: 'completed', dueAt: due });
  });
});
