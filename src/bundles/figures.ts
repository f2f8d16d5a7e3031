// What the cockpit reads of the bundles: each published bundle's name and its committed time
// limit (承诺时限), so completion times can be set against what the bundle promises.
import { sql } from 'kysely';
import { limitInHours, type TimeLimit } from '../catalog';
import type { Kdb } from '../platform/db/database';
import type { Text } from '../platform/i18n';

/** Calendar hours one working day spans on average (5 working days in a week of 168 hours). */
export const CALENDAR_HOURS_PER_WORKING_DAY = (24 * 7) / 5;

/** A published bundle's name and committed limit. */
export interface BundleCommitment {
  name: Text;
  limit: TimeLimit;
  /**
   * The limit in elapsed hours, comparable with completion times: an hour limit as it stands, a
   * working-day limit at {@link CALENDAR_HOURS_PER_WORKING_DAY} hours per working day.
   */
  committedHours: number;
}

/** The committed limit of a bundle in elapsed hours. */
export function committedHoursOf(limit: TimeLimit): number {
  return limit.unit === 'hours'
    ? limitInHours(limit)
    : Math.round(limit.value * CALENDAR_HOURS_PER_WORKING_DAY * 10) / 10;
}

/** Every published bundle's name and committed limit, by code. */
export async function bundleCommitments(db: Kdb): Promise<Map<string, BundleCommitment>> {
  const rows = await db
    .selectFrom('bundleVersions')
    .select([
      'bundleCode',
      sql<Text>`content->'name'`.as('name'),
      sql<TimeLimit | null>`content->'commitment'->'limit'`.as('limit'),
    ])
    .where('status', '=', 'published')
    .execute();
  const out = new Map<string, BundleCommitment>();
  for (const r of rows) {
    if (!r.limit) continue;
    out.set(r.bundleCode, {
      name: r.name,
      limit: r.limit,
      committedHours: committedHoursOf(r.limit),
    });
  }
  return out;
}
