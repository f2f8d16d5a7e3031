import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from './calendar';
import { naiveAddWorkingDays, naiveAddWorkingHours, naiveCountWorkingDays } from './naive';
import { toLocalDate } from './time';

const calendar = createWorkCalendar();
// Starts from 2024 through 2027, so runs cross 调休 blocks of published years and the law's 2027.
const start = fc.date({
  min: new Date('2023-12-31T16:00:00Z'),
  max: new Date('2027-12-31T15:59:59Z'),
  noInvalidDate: true,
});
const days = fc.integer({ min: 0, max: 300 });
// Whole minutes, up to about 40 working days, so sums stay exact.
const minutes = fc.integer({ min: 0, max: 40 * 7 * 60 });
const settings = { numRuns: 500 };

describe('addWorkingDays (properties)', () => {
  it('should never fall due on a non-working day', () => {
    fc.assert(
      fc.property(start, days, (s, n) => {
        expect(calendar.isWorkingDay(toLocalDate(calendar.addWorkingDays(s, n).due))).toBe(true);
      }),
      settings,
    );
  });

  it('should give add(a) then add(b) from the due date the same as add(a + b), for a ≥ 1', () => {
    fc.assert(
      fc.property(
        start,
        fc.integer({ min: 1, max: 150 }),
        fc.integer({ min: 0, max: 150 }),
        (s, a, b) => {
          const first = calendar.addWorkingDays(s, a);
          expect(calendar.addWorkingDays(first.due, b).due).toEqual(
            calendar.addWorkingDays(s, a + b).due,
          );
        },
      ),
      settings,
    );
  });

  it('should be inverted by countWorkingDays, for n ≥ 1', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 300 }), (s, n) => {
        expect(calendar.countWorkingDays(s, calendar.addWorkingDays(s, n).due)).toBe(n);
      }),
      settings,
    );
  });

  it('should equal the day-by-day oracle, provisional flag included', () => {
    fc.assert(
      fc.property(start, days, (s, n) => {
        expect(calendar.addWorkingDays(s, n)).toEqual(naiveAddWorkingDays(calendar, s, n));
      }),
      settings,
    );
  });
});

describe('countWorkingDays (properties)', () => {
  it('should equal the day-by-day oracle in both directions', () => {
    fc.assert(
      fc.property(start, start, (a, b) => {
        expect(calendar.countWorkingDays(a, b)).toBe(naiveCountWorkingDays(calendar, a, b));
        expect(calendar.countWorkingDays(a, b) + calendar.countWorkingDays(b, a)).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});

describe('addWorkingHours (properties)', () => {
  it('should equal the interval-by-interval oracle', () => {
    fc.assert(
      fc.property(start, minutes, (s, m) => {
        expect(calendar.addWorkingHours(s, m / 60)).toEqual(
          naiveAddWorkingHours(calendar, s, m / 60),
        );
      }),
      settings,
    );
  });

  it('should be additive: add(a) then add(b) equals add(a + b)', () => {
    fc.assert(
      fc.property(start, minutes, minutes, (s, a, b) => {
        const first = calendar.addWorkingHours(s, a / 60).due;
        expect(calendar.addWorkingHours(first, b / 60).due).toEqual(
          calendar.addWorkingHours(s, (a + b) / 60).due,
        );
      }),
      settings,
    );
  });

  it('should fall due inside business hours on a working day, unless nothing was added', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 40 * 7 * 60 }), (s, m) => {
        const due = calendar.addWorkingHours(s, m / 60).due;
        expect(calendar.isWorkingDay(toLocalDate(due))).toBe(true);
        const hour = ((due.getTime() + 8 * 3_600_000) % 86_400_000) / 3_600_000;
        // After an interval opens (some of it was used) and no later than it closes.
        const inside = (hour > 9 && hour <= 12) || (hour > 13 && hour <= 17);
        expect([hour, inside]).toEqual([hour, true]);
      }),
      settings,
    );
  });
});
