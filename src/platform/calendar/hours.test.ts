import { describe, expect, it } from 'vitest';
import { compileBusinessHours, momentOfWorked, validateBusinessHours, workedBefore } from './hours';
import { DEFAULT_BUSINESS_HOURS } from './model';

const HOUR = 3_600_000;

describe('validateBusinessHours', () => {
  it('should accept the default 09:00–12:00 and 13:00–17:00', () => {
    expect(validateBusinessHours(DEFAULT_BUSINESS_HOURS)).toEqual([]);
  });

  it('should accept a day that ends at 24:00', () => {
    expect(validateBusinessHours([['00:00', '24:00']])).toEqual([]);
  });

  it.each([
    ['an empty list', []],
    ['a non-list', '09:00-17:00'],
    ['a malformed clock', [['9:00', '12:00']]],
    ['an interval that ends before it starts', [['12:00', '09:00']]],
    ['an empty interval', [['09:00', '09:00']]],
    [
      'overlapping intervals',
      [
        ['09:00', '12:00'],
        ['11:00', '17:00'],
      ],
    ],
    [
      'intervals out of order',
      [
        ['13:00', '17:00'],
        ['09:00', '12:00'],
      ],
    ],
    ['a start at 24:00', [['24:00', '24:00']]],
  ])('should report a problem for %s', (_label, value) => {
    const problems = validateBusinessHours(value);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toEqual({ zh: expect.any(String), en: expect.any(String) });
  });

  it('should make compileBusinessHours throw with the problems as details', () => {
    expect(() => compileBusinessHours([['12:00', '09:00']])).toThrow(
      expect.objectContaining({
        code: 'calendar.invalid_business_hours',
        details: [expect.anything()],
      }),
    );
  });
});

describe('business time within a day', () => {
  const day = compileBusinessHours(DEFAULT_BUSINESS_HOURS);

  it('should have 7 hours and close at 17:00 by default', () => {
    expect(day.dailyMs).toBe(7 * HOUR);
    expect(day.closeMs).toBe(17 * HOUR);
  });

  it('should not count the lunch break as worked', () => {
    expect(workedBefore(day, 12.5 * HOUR)).toBe(3 * HOUR);
    expect(workedBefore(day, 14 * HOUR)).toBe(4 * HOUR);
    expect(workedBefore(day, 8 * HOUR)).toBe(0);
    expect(workedBefore(day, 20 * HOUR)).toBe(7 * HOUR);
  });

  it('should end a full morning at 12:00 and resume at 13:00', () => {
    expect(momentOfWorked(day, 3 * HOUR)).toBe(12 * HOUR);
    expect(momentOfWorked(day, 3 * HOUR + 60_000)).toBe(13 * HOUR + 60_000);
    expect(momentOfWorked(day, 7 * HOUR)).toBe(17 * HOUR);
  });
});
