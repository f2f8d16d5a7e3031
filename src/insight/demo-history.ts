// Six months of synthetic history for the cockpit of a fresh demo platform: applications for the
// seed bundles (submitted and, but for the most recent, completed) and closed 12345 tickets,
// stored as the domain events the capabilities publish (every payload flagged `demo: true`) and
// counted into the daily rollups. The events are recorded as already delivered to every handler
// of their types, so no rating is invited, no message sent and nothing counted twice for them.
import { sql } from 'kysely';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { guideBundle, readSeedBundles, type BundleContent, type Guide } from '../bundles';
import { bundleSavings, waiverCandidates } from '../cases';
import { CatalogService, type ItemContent } from '../catalog';
import { readTaxonomy } from '../hotline';
import { createWorkCalendar, toLocalDate, type WorkCalendar } from '../platform/calendar';
import type { Kdb } from '../platform/db/database';
import { readDemoData } from '../platform/seed/demo';
import { ROLLUP_EVENTS, ROLLUP_HANDLERS, rebuildRollups } from './rollups';

/** The history's span, in days before `now`. */
export const HISTORY_DAYS = 183;
/** About how many applications and closed tickets the history holds. */
export const HISTORY_APPLICATIONS = 4000;
export const HISTORY_TICKETS = 2500;
const SEED = 4;

/**
 * Every handler subscribed to the history's event types, by type: each history event is recorded
 * as delivered to each of them. A handler subscribed to one of these types later must be named
 * here (demo-history.test.ts compares this with the running platform's subscriptions).
 */
export const HISTORY_HANDLERS: Readonly<Record<string, readonly string[]>> = {
  [ROLLUP_EVENTS.submitted]: [ROLLUP_HANDLERS.submitted],
  // evaluations invite the applicant to rate (好差评) and record the rateable service
  [ROLLUP_EVENTS.completed]: [ROLLUP_HANDLERS.completed, 'evaluations.record_application'],
  [ROLLUP_EVENTS.ticketClosed]: [ROLLUP_HANDLERS.ticketClosed, 'evaluations.record_ticket'],
};

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How a district or zone differs from the others. */
interface RegionProfile {
  /** Share of the applications and of the tickets. */
  applications: number;
  tickets: number;
  /** Share of applications completed on time and submitted online (mid-period). */
  onTime: number;
  online: number;
  /** How much of the committed time its departments take (1 = the city's usual pace). */
  pace: number;
  /** How strongly enterprise bundles are asked for (zones host the enterprises). */
  enterprise: number;
  /** Closed tickets on time, and satisfied among the rated. */
  ticketOnTime: number;
  satisfied: number;
}

// Weihai's districts and zones (data/platform/directory.yaml): 环翠 is the city centre, 乳山 the one
// that lags (slower departments, more counter visits), the 高区 the most digital.
const PROFILES: Record<string, RegionProfile> = {
  '371002': p(0.26, 0.3, 0.95, 0.74, 1.0, 1.0, 0.93, 0.94),
  '371003': p(0.14, 0.17, 0.93, 0.67, 1.1, 0.8, 0.91, 0.93),
  '371082': p(0.16, 0.18, 0.94, 0.7, 1.0, 0.9, 0.92, 0.93),
  '371083': p(0.09, 0.12, 0.885, 0.65, 1.5, 0.7, 0.86, 0.88),
  '371071': p(0.15, 0.1, 0.945, 0.79, 0.8, 1.7, 0.96, 0.96),
  '371072': p(0.11, 0.08, 0.94, 0.74, 0.9, 1.4, 0.94, 0.95),
  '371073': p(0.06, 0.04, 0.92, 0.7, 1.05, 1.3, 0.92, 0.93),
  '371072-ZB': p(0.03, 0.01, 0.92, 0.76, 0.9, 3.0, 0.95, 0.95),
};
const DEFAULT_PROFILE = p(0.05, 0.05, 0.93, 0.7, 1.0, 1.0, 0.92, 0.93);

function p(...v: number[]): RegionProfile {
  const [applications, tickets, onTime, online, pace, enterprise, ticketOnTime, satisfied] = v as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { applications, tickets, onTime, online, pace, enterprise, ticketOnTime, satisfied };
}

// Relative demand for each seed bundle, and how much more (or less) it is applied for online.
const BUNDLE_DEMAND: Record<string, { weight: number; online: number }> = {
  'enterprise-opening': { weight: 18, online: 0.1 },
  'employee-hiring': { weight: 12, online: 0.05 },
  'property-transfer-mortgage': { weight: 15, online: -0.06 },
  birth: { weight: 13, online: 0.02 },
  retirement: { weight: 10, online: -0.04 },
  'utility-connection': { weight: 9, online: 0.04 },
  'after-death': { weight: 7, online: -0.14 },
  'restaurant-opening': { weight: 6, online: 0 },
  'business-suspension': { weight: 6, online: 0.03 },
  'base-station-5g': { weight: 2, online: 0.08 },
};
const DEFAULT_DEMAND = { weight: 5, online: 0 };

/** One stored event of the history. */
export interface HistoryEvent {
  type: string;
  key: string;
  regionCode: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

/** What the history is drawn from: the regions, bundles with their items, and categories. */
export interface HistoryInput {
  now: Date;
  /** Districts and zones (code, parent) under the city. */
  regions: readonly { code: string; parent?: string }[];
  bundles: readonly BundleContent[];
  items: ReadonlyMap<string, ItemContent>;
  categories: readonly string[];
  calendar: WorkCalendar;
}

/** A few applicants' situations of a bundle: answers and the guide they lead to. */
interface Variant {
  guide: Guide;
  /** Materials that shared data or e-licences can stand in for. */
  waivable: number;
}

function variantsOf(
  bundle: BundleContent,
  items: ReadonlyMap<string, ItemContent>,
  rng: RandomGenerator,
): Variant[] {
  const variants: Variant[] = [];
  for (let i = 0; i < 6; i++) {
    const answers: Record<string, string[]> = {};
    for (const s of bundle.situations) {
      const keys = s.answers.map((a) => a.key);
      if (keys.length === 0) continue;
      if (s.multiple) {
        const chosen = keys.filter(() => uniformFloat64(rng) < 0.5);
        answers[s.key] = chosen.length > 0 ? chosen : [pick(rng, keys)];
      } else answers[s.key] = [pick(rng, keys)];
    }
    const guide = guideBundle(bundle, items, answers);
    if (guide.items.length === 0) continue;
    variants.push({ guide, waivable: waiverCandidates(guide, items).size });
  }
  return variants;
}

function pick<T>(rng: RandomGenerator, list: readonly T[]): T {
  return list[Math.min(list.length - 1, Math.floor(uniformFloat64(rng) * list.length))]!;
}

function weighted<T>(rng: RandomGenerator, entries: readonly (readonly [T, number])[]): T {
  const total = entries.reduce((n, [, w]) => n + w, 0);
  let r = uniformFloat64(rng) * total;
  for (const [value, w] of entries) {
    r -= w;
    if (r < 0) return value;
  }
  return entries[entries.length - 1]![0];
}

/** Beijing midnight of a local date. */
function midnight(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`);
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * The history's events: deterministic for the same input (a fixed seed), every instant in the
 * `HISTORY_DAYS` days before `now`, volumes growing over the months with the working-day rhythm.
 */
export function historyEvents(input: HistoryInput): HistoryEvent[] {
  const rng = xoroshiro128plus(SEED);
  const { now, calendar } = input;
  const begin = now.getTime() - HISTORY_DAYS * DAY_MS;
  const regions = input.regions.map((r) => ({
    ...r,
    profile: PROFILES[r.code] ?? DEFAULT_PROFILE,
  }));
  const under = (code: string, bundleRegion: string): boolean => {
    for (let r = input.regions.find((x) => x.code === code); r;) {
      if (r.code === bundleRegion || r.parent === bundleRegion) return true;
      r = input.regions.find((x) => x.code === r!.parent);
    }
    return false;
  };
  const bundles = input.bundles
    .map((b) => ({
      content: b,
      demand: BUNDLE_DEMAND[b.code] ?? DEFAULT_DEMAND,
      enterprise: b.cluster === 'enterprise',
      variants: variantsOf(b, input.items, rng),
      hourly: b.commitment.limit.unit === 'hours',
    }))
    .filter((b) => b.variants.length > 0);

  // the days, with their share of the volume: growth over the months, fewer on rest days
  const days: { date: string; working: boolean; trend: number; weight: number }[] = [];
  for (let t = midnight(toLocalDate(new Date(begin))); t < now.getTime(); t += DAY_MS) {
    const date = toLocalDate(new Date(t + HOUR_MS));
    const trend = clamp((t - begin) / (HISTORY_DAYS * DAY_MS), 0, 1);
    const working = calendar.isWorkingDay(date);
    days.push({ date, working, trend, weight: (0.75 + 0.5 * trend) * (working ? 1 : 0.22) });
  }
  const totalWeight = days.reduce((n, d) => n + d.weight, 0);
  const events: HistoryEvent[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();

  let a = 0;
  for (const day of days) {
    const expected = (HISTORY_APPLICATIONS * day.weight) / totalWeight;
    const n = Math.floor(expected * (0.85 + 0.3 * uniformFloat64(rng)) + uniformFloat64(rng));
    for (let i = 0; i < n; i++) {
      const region = weighted(
        rng,
        regions.map((r) => [r, r.profile.applications] as const),
      );
      const candidates = bundles.filter((b) => under(region.code, b.content.regionCode));
      if (candidates.length === 0) continue;
      const bundle = weighted(
        rng,
        candidates.map(
          (b) => [b, b.demand.weight * (b.enterprise ? region.profile.enterprise : 1)] as const,
        ),
      );
      const pr = region.profile;
      // the counter works on working days in office hours; online is any day, mostly by day
      const online =
        !day.working ||
        uniformFloat64(rng) <
          clamp(pr.online + bundle.demand.online + 0.08 * (day.trend - 0.5) - 0.04, 0.3, 0.97);
      const minute = online
        ? uniformFloat64(rng) < 0.8
          ? 8 * 60 + uniformFloat64(rng) * 10 * 60
          : uniformFloat64(rng) < 0.7
            ? 18 * 60 + uniformFloat64(rng) * 5.5 * 60
            : 6 * 60 + uniformFloat64(rng) * 2 * 60
        : uniformFloat64(rng) < 0.45
          ? 9 * 60 + uniformFloat64(rng) * 150
          : 13 * 60 + 30 + uniformFloat64(rng) * 210;
      const submitted = midnight(day.date) + Math.floor(minute * 60_000);
      if (submitted < begin || submitted >= now.getTime()) continue;
      const variant = pick(rng, bundle.variants);
      const hours = variant.guide.completion.hours;
      const expectedBy = calendar.addWorkingHours(new Date(submitted), hours).due.getTime();
      // the region's share on time, a little better each month; the 1-hour bundle rarely misses
      const pOnTime = bundle.hourly
        ? clamp(pr.onTime + 0.04, 0, 0.99)
        : clamp(pr.onTime + 0.05 * (day.trend - 0.5), 0.5, 0.99);
      let completed: number;
      if (uniformFloat64(rng) < pOnTime) {
        if (bundle.hourly)
          completed = submitted + (0.05 + 0.75 * uniformFloat64(rng) ** 1.5) * HOUR_MS;
        else {
          // most finish well ahead of the commitment; a slow region uses more of it
          const share = clamp((0.08 + 0.8 * uniformFloat64(rng) ** 2) * pr.pace, 0.03, 0.98);
          completed = calendar.addWorkingHours(new Date(submitted), hours * share).due.getTime();
        }
      } else if (bundle.hourly) {
        completed =
          Math.max(submitted + HOUR_MS, expectedBy) + (0.1 + 2 * uniformFloat64(rng)) * HOUR_MS;
      } else {
        const over = hours * (0.03 + 0.3 * uniformFloat64(rng));
        completed = calendar.addWorkingHours(new Date(expectedBy), Math.max(1, over)).due.getTime();
      }
      const key = `demo-history:a${String(++a).padStart(5, '0')}`;
      const channel = online ? 'online' : 'window';
      events.push({
        type: ROLLUP_EVENTS.submitted,
        key,
        regionCode: region.code,
        payload: { demo: true, bundleCode: bundle.content.code, channel },
        occurredAt: new Date(submitted),
      });
      // still in progress: completed after now (the most recent applications)
      if (completed >= now.getTime()) continue;
      // materials shared data or e-licences stood in for (免提交), more as the months go by
      const pWaive = 0.3 + 0.35 * day.trend;
      let waived = 0;
      for (let w = 0; w < variant.waivable; w++) if (uniformFloat64(rng) < pWaive) waived++;
      events.push({
        type: ROLLUP_EVENTS.completed,
        key,
        regionCode: region.code,
        payload: {
          demo: true,
          bundleCode: bundle.content.code,
          channel,
          submittedAt: iso(submitted),
          expectedBy: iso(expectedBy),
          onTime: completed <= expectedBy,
          savings: bundleSavings(bundle.content.commitment, variant.guide, waived),
        },
        occurredAt: new Date(completed),
      });
    }
  }

  // closed 12345 tickets: a few categories draw most of the calls
  const categories = input.categories.map(
    (code) => [code, 0.2 + 3 * uniformFloat64(rng) ** 3] as const,
  );
  const ticketDays = days.map((d) => ({
    ...d,
    weight: (0.9 + 0.2 * d.trend) * (d.working ? 1 : 0.55),
  }));
  const ticketWeight = ticketDays.reduce((n, d) => n + d.weight, 0);
  let t = 0;
  for (const day of ticketDays) {
    const expected = (HISTORY_TICKETS * day.weight) / ticketWeight;
    const n = Math.floor(expected * (0.8 + 0.4 * uniformFloat64(rng)) + uniformFloat64(rng));
    for (let i = 0; i < n; i++) {
      const region = weighted(
        rng,
        regions.map((r) => [r, r.profile.tickets] as const),
      );
      const minute = day.working
        ? 8 * 60 + 30 + uniformFloat64(rng) * 9 * 60
        : 9 * 60 + uniformFloat64(rng) * 8 * 60;
      const closed = midnight(day.date) + Math.floor(minute * 60_000);
      if (closed < begin || closed >= now.getTime()) continue;
      const pr = region.profile;
      const rated = uniformFloat64(rng) < 0.75;
      const s = uniformFloat64(rng);
      const satisfaction = !rated
        ? null
        : s < pr.satisfied - 0.15
          ? 'satisfied'
          : s < pr.satisfied
            ? 'basically_satisfied'
            : 'unsatisfied';
      events.push({
        type: ROLLUP_EVENTS.ticketClosed,
        key: `demo-history:t${String(++t).padStart(5, '0')}`,
        regionCode: region.code,
        payload: {
          demo: true,
          categoryCode: weighted(rng, categories),
          onTime: uniformFloat64(rng) < clamp(pr.ticketOnTime + 0.02 * (day.trend - 0.5), 0, 1),
          satisfaction,
          closedAt: iso(closed),
        },
        occurredAt: new Date(closed),
      });
    }
  }
  return events;
}

/** The input of the history on this platform: the demo regions, seed bundles and taxonomy. */
async function historyInput(db: Kdb, now: Date): Promise<HistoryInput> {
  const demo = readDemoData();
  const city = demo.regions.find((r) => r.level === 'city');
  const isUnderCity = (code: string | undefined): boolean => {
    for (let r = demo.regions.find((x) => x.code === code); r;) {
      if (r.parent === city?.code) return true;
      r = demo.regions.find((x) => x.code === r!.parent);
    }
    return false;
  };
  const regions = demo.regions
    .filter((r) => (r.level === 'county' || r.level === 'zone') && isUnderCity(r.code))
    .map((r) => ({ code: r.code, parent: r.parent }))
    .sort((x, y) => x.code.localeCompare(y.code));
  const { items } = await new CatalogService(db).publishedItems();
  const bundles = readSeedBundles().filter((b) => b.members.every((m) => items.has(m.item)));
  const categories = readTaxonomy()
    .categories.map((c) => c.code)
    .sort();
  const year = Number(toLocalDate(now).slice(0, 4));
  const calendar = createWorkCalendar({
    range: { start: `${year - 1}-01-01`, end: `${year + 1}-12-31` },
  });
  return { now, regions, bundles, items, categories, calendar };
}

/**
 * Seeds the cockpit's six months of synthetic history into a platform that has no application or
 * ticket-closing events yet, then rebuilds the rollups; returns how many events it stored (0 when
 * it left the platform alone). Run it before anything publishes such events that the cockpit's
 * handlers have yet to count, or the rebuild would count those twice.
 */
export async function seedDemoHistory(db: Kdb, options: { now: Date }): Promise<number> {
  const types = Object.values(ROLLUP_EVENTS);
  const existing = await db
    .selectFrom('domainEvents')
    .select('id')
    .where('type', 'in', types)
    .limit(1)
    .executeTakeFirst();
  if (existing) return 0;
  const input = await historyInput(db, options.now);
  if (input.regions.length === 0 || input.bundles.length === 0) return 0;
  const events = historyEvents(input);
  const rows = JSON.stringify(
    events.map((e) => ({
      type: e.type,
      key: e.key,
      region_code: e.regionCode,
      payload: e.payload,
      occurred_at: e.occurredAt.toISOString(),
    })),
  );
  const handlers = JSON.stringify(
    Object.entries(HISTORY_HANDLERS).flatMap(([type, names]) =>
      names.map((handler) => ({ type, handler })),
    ),
  );
  // One statement: the events, and for each a delivery to every handler of its type (delivered
  // when it happened, never attempted), so no dispatcher ever hands them to a handler.
  await sql`
    with inserted as (
      insert into domain_events (type, key, region_code, payload, occurred_at)
      select type, key, region_code, payload, occurred_at
      from json_to_recordset(${rows}::json)
        as r(type text, key text, region_code text, payload jsonb, occurred_at timestamptz)
      on conflict (type, key) do nothing
      returning id, type, occurred_at
    )
    insert into domain_event_deliveries (event_id, handler, delivered_at, attempts)
    select i.id, h.handler, i.occurred_at, 0
    from inserted i
      join jsonb_to_recordset(${handlers}::jsonb) as h(type text, handler text) on h.type = i.type`.execute(
    db,
  );
  await rebuildRollups(db);
  return events.length;
}

/**
 * Removes the synthetic history and rebuilds the rollups from the events left. Call it when every
 * other event has been delivered to the cockpit's handlers, or the rebuild counts those twice.
 */
export async function removeDemoHistory(db: Kdb): Promise<number> {
  const removed = await sql`
    delete from domain_events
    where type in (${sql.join(Object.values(ROLLUP_EVENTS))}) and payload->>'demo' = 'true'`.execute(
    db,
  );
  await rebuildRollups(db);
  return Number(removed.numAffectedRows ?? 0);
}
