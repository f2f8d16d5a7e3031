import type { Kdb } from '../db/database';
import { appendAudit } from '../audit/store';
import type { Actor } from '../auth/model';
import type { Text } from '../i18n';
import type { RequestMeta } from '../auth/service';
import { AppError, invalidField } from '../http/errors';
import { createWorkCalendar, type WorkCalendar } from './calendar';
import { CalendarError, type BusinessHours, type CalendarOverride } from './model';
import { deleteOverride, overridesOf, regionLineage, upsertOverride } from './store';

/** The region whose calendar is used when a caller names none. */
export const DEFAULT_CALENDAR_REGION = '371000';

// Building a calendar costs a few milliseconds; reuse one per region for a short while. Writes through
// this process drop the entry at once; other app servers see a change within the time-to-live.
const CACHE_TTL_MS = 60_000;

/** Working-day calendars per region: national data plus the overrides of the region and its ancestors. */
export class CalendarService {
  readonly #cache = new Map<string, { calendar: WorkCalendar; builtAt: number }>();
  #national: WorkCalendar | undefined;

  constructor(
    private readonly db: Kdb,
    private readonly businessHours: BusinessHours,
  ) {}

  /** The calendar of a region (404 when the region is unknown). */
  async forRegion(regionCode: string, now = Date.now()): Promise<WorkCalendar> {
    const cached = this.#cache.get(regionCode);
    if (cached && now - cached.builtAt < CACHE_TTL_MS) return cached.calendar;
    const lineage = await regionLineage(this.db, regionCode);
    if (lineage.length === 0) {
      throw new AppError(404, 'not_found', {
        zh: `区划 ${regionCode} 不存在`,
        en: `region ${regionCode} does not exist`,
      });
    }
    const overrides: CalendarOverride[] = (await overridesOf(this.db, lineage)).map((row) => ({
      date: row.day,
      kind: row.kind,
      name: { zh: row.nameZh, en: row.nameEn },
    }));
    const calendar = createWorkCalendar({ overrides, businessHours: this.businessHours });
    this.#cache.set(regionCode, { calendar, builtAt: now });
    return calendar;
  }

  /** The national calendar alone (chinese-days and the law), without any region's overrides. */
  national(): WorkCalendar {
    return (this.#national ??= createWorkCalendar({ businessHours: this.businessHours }));
  }

  /**
   * The stored overrides in effect for a region's days from..to (both inclusive): per day the one of
   * the nearest region in its lineage, with the region that set it.
   */
  async overridesInEffect(
    regionCode: string,
    from: string,
    to: string,
  ): Promise<Map<string, { regionCode: string; kind: 'workday' | 'holiday'; name: Text }>> {
    const rows = await overridesOf(this.db, await regionLineage(this.db, regionCode));
    const inEffect = new Map<
      string,
      { regionCode: string; kind: 'workday' | 'holiday'; name: Text }
    >();
    for (const row of rows) {
      if (row.day < from || row.day > to) continue;
      // Rows come nearest region last, so a later row for the same day replaces the ancestor's.
      inEffect.set(row.day, {
        regionCode: row.regionCode,
        kind: row.kind,
        name: { zh: row.nameZh, en: row.nameEn },
      });
    }
    return inEffect;
  }

  /** Sets a region's holiday or make-up working day; audited. */
  async setOverride(
    actor: Actor,
    input: {
      regionCode: string;
      day: string;
      kind: 'workday' | 'holiday';
      nameZh: string;
      nameEn: string;
    },
    meta: RequestMeta,
  ): Promise<void> {
    await this.forRegion(input.regionCode);
    await this.db.transaction().execute(async (trx) => {
      await upsertOverride(trx, input);
      await appendAudit(trx, {
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'calendar.override_set',
        objectType: 'region',
        objectId: input.regionCode,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { day: input.day, kind: input.kind, nameZh: input.nameZh },
      });
    });
    this.#cache.clear();
  }

  /** Removes a region's override for a day; audited; 404 when there was none. */
  async removeOverride(actor: Actor, regionCode: string, day: string, meta: RequestMeta) {
    await this.db.transaction().execute(async (trx) => {
      if (!(await deleteOverride(trx, regionCode, day))) {
        throw new AppError(404, 'not_found', {
          zh: `区划 ${regionCode} 在 ${day} 没有自定义日历`,
          en: `region ${regionCode} has no calendar override on ${day}`,
        });
      }
      await appendAudit(trx, {
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'calendar.override_removed',
        objectType: 'region',
        objectId: regionCode,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { day },
      });
    });
    this.#cache.clear();
  }
}

/** Runs calendar arithmetic, turning its errors into 422 answers that name the field. */
export function withCalendarErrors<T>(field: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof CalendarError) throw invalidField(field, error.code, error.text);
    throw error;
  }
}
