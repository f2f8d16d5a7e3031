// The working-day calendar (工作日历): what cases, hotline and evaluations count deadlines with.
export { createWorkCalendar, type WorkCalendar } from './calendar';
export { BASE_DATA_LAST_YEAR, statutoryHolidaysByLaw, type StatutoryDay } from './holidays';
export { validateBusinessHours } from './hours';
export {
  CalendarError,
  DEFAULT_BUSINESS_HOURS,
  DEFAULT_RANGE,
  MAX_RANGE,
  type BusinessHours,
  type CalendarErrorCode,
  type CalendarOverride,
  type CalendarRange,
  type DayInfo,
  type DayKind,
  type DayTable,
  type Deadline,
  type LocalDate,
  type WorkCalendarOptions,
} from './model';
export { naiveAddWorkingDays, naiveAddWorkingHours, naiveCountWorkingDays } from './naive';
export { atLocalTime, toLocalDate, toOffsetIso } from './time';
