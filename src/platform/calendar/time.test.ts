import { describe, expect, it } from 'vitest';
import { CalendarError } from './model';
import { atLocalTime, parseLocalDate, toLocalDate, toOffsetIso, weekdayOf } from './time';

describe('toOffsetIso', () => {
  it('should write Shanghai wall-clock time with +08:00', () => {
    expect(toOffsetIso(new Date('2026-10-09T09:00:00Z'))).toBe('2026-10-09T17:00:00+08:00');
  });

  it('should move to the next local date after 16:00 UTC', () => {
    expect(toOffsetIso(new Date('2025-12-31T16:30:00Z'))).toBe('2026-01-01T00:30:00+08:00');
  });

  it('should keep milliseconds only when there are some', () => {
    expect(toOffsetIso(new Date('2025-03-10T01:00:00.250Z'))).toBe('2025-03-10T09:00:00.250+08:00');
  });

  it('should reject an invalid Date', () => {
    expect(() => toOffsetIso(new Date('nope'))).toThrow(CalendarError);
  });
});

describe('atLocalTime and toLocalDate', () => {
  it('should read a wall-clock time as +08:00 whatever the process time zone', () => {
    expect(atLocalTime('2025-03-10', '09:30').toISOString()).toBe('2025-03-10T01:30:00.000Z');
  });

  it('should give the local date of an instant just after local midnight', () => {
    expect(toLocalDate(new Date('2025-03-09T16:00:00Z'))).toBe('2025-03-10');
    expect(toLocalDate(new Date('2025-03-09T15:59:59.999Z'))).toBe('2025-03-09');
  });

  it('should reject an impossible time', () => {
    expect(() => atLocalTime('2025-03-10', '24:30')).toThrow(CalendarError);
  });
});

describe('parseLocalDate', () => {
  it('should count days since 1970-01-01', () => {
    expect(parseLocalDate('1970-01-02')).toBe(1);
    expect(weekdayOf(parseLocalDate('2025-10-01'))).toBe(3);
  });

  it('should accept 29 February in leap years only', () => {
    expect(parseLocalDate('2024-02-29')).toBe(parseLocalDate('2024-02-28') + 1);
    expect(parseLocalDate('2000-02-29')).toBe(parseLocalDate('2000-03-01') - 1);
    expect(() => parseLocalDate('2100-02-29')).toThrow(CalendarError);
  });

  it.each([
    '2025-02-29',
    '2025-04-31',
    '2025-13-01',
    '2025-00-10',
    '2025-01-00',
    '0099-01-01',
    '2025-1-01',
    '20250101',
    '',
  ])('should reject %j with calendar.invalid_date', (value) => {
    expect(() => parseLocalDate(value)).toThrow(
      expect.objectContaining({ code: 'calendar.invalid_date' }),
    );
  });
});
