// The cockpit's figures over HTTP: the indicators of any period and region from the daily
// rollups, with breakdowns by bundle, by the regions below and by day; the definitions; and the
// rebuild from the stored events. Also the handlers that keep the rollups current, and the
// panels, drill-down and warnings (panel-routes.ts).
import { sql } from 'kysely';
import { Type } from 'typebox';
import { bundleCommitments } from '../bundles';
import { categoryNames } from '../hotline';
import type { Kdb } from '../platform/db/database';
import { requireActor, requestMeta, type App, type AppContext } from '../platform/http/app';
import { errorResponses } from '../platform/http/schemas';
import { appendAudit } from '../platform/audit';
import {
  INDICATORS,
  figures,
  hotTopics,
  quantileOfBuckets,
  type ApplicationSums,
  type TicketSums,
} from './indicators';
import { MAX_DAYS, PeriodQuery, panelRoutes, periodOf, regionsFor } from './panel-routes';
import { figuresCache } from './figures-cache';
import {
  ROLLUP_EVENTS,
  ROLLUP_HANDLERS,
  countCompleted,
  countSubmitted,
  countTicketClosed,
  rebuildRollups,
} from './rollups';

const PUBLIC = { roles: 'public', scope: 'none' } as const;
// leaders and supervisors read their region; administrators every region
const READERS = { roles: ['supervisor', 'admin'], scope: 'region' } as const;
const ADMINS = { roles: ['admin'], scope: 'all' } as const;
export { MAX_DAYS };

const APPLICATION_SUMS = [
  'submitted',
  'submittedOnline',
  'completed',
  'completedOnTime',
  'easy',
  'durationHours',
  'savedSteps',
  'savedMaterials',
  'savedVisits',
  'waivedMaterials',
] as const;
const TICKET_SUMS = ['closed', 'closedOnTime', 'rated', 'satisfied'] as const;

function sums<K extends string>(row: Record<string, unknown> | undefined, keys: readonly K[]) {
  return Object.fromEntries(keys.map((k) => [k, Number(row?.[k] ?? 0)])) as Record<K, number>;
}

const summed = (keys: readonly string[]) =>
  keys.map((k) => sql<number>`coalesce(sum(${sql.ref(k)}), 0)::float8`.as(k));

/** The indicators of a period and region (the region and every region below it). */
export async function indicatorsOf(db: Kdb, from: string, to: string, regions: readonly string[]) {
  const applications = db
    .selectFrom('insightApplicationDays')
    .where('day', '>=', from)
    .where('day', '<=', to)
    .where('regionCode', 'in', regions);
  const tickets = db
    .selectFrom('insightTicketDays')
    .where('day', '>=', from)
    .where('day', '<=', to)
    .where('regionCode', 'in', regions);
  const [
    appTotals,
    durations,
    ticketTotals,
    byBundle,
    byRegion,
    byDay,
    ticketByRegion,
    bundleDurations,
    byCategory,
    commitments,
  ] = await Promise.all([
    applications.select(summed(APPLICATION_SUMS)).executeTakeFirst(),
    db
      .selectFrom('insightApplicationDurations')
      .select(['bucket', sql<number>`sum(n)::int`.as('n')])
      .where('day', '>=', from)
      .where('day', '<=', to)
      .where('regionCode', 'in', regions)
      .groupBy('bucket')
      .execute(),
    tickets.select(summed(TICKET_SUMS)).executeTakeFirst(),
    applications
      .select(['bundleCode', ...summed(APPLICATION_SUMS)])
      .groupBy('bundleCode')
      .execute(),
    applications
      .select(['regionCode', ...summed(APPLICATION_SUMS)])
      .groupBy('regionCode')
      .execute(),
    applications
      .select([sql<string>`day::text`.as('day'), ...summed(['submitted', 'completed'])])
      .groupBy('day')
      .orderBy('day')
      .execute(),
    tickets
      .select(['regionCode', ...summed(TICKET_SUMS)])
      .groupBy('regionCode')
      .execute(),
    db
      .selectFrom('insightApplicationDurations')
      .select(['bundleCode', 'bucket', sql<number>`sum(n)::int`.as('n')])
      .where('day', '>=', from)
      .where('day', '<=', to)
      .where('regionCode', 'in', regions)
      .groupBy(['bundleCode', 'bucket'])
      .execute(),
    tickets
      .select(['categoryCode', sql<number>`coalesce(sum(closed), 0)::int`.as('closed')])
      .groupBy('categoryCode')
      .execute(),
    bundleCommitments(db),
  ]);
  const buckets = new Map(durations.map((d) => [d.bucket, d.n]));
  const bucketsByBundle = new Map<string, Map<number, number>>();
  for (const d of bundleDurations) {
    let m = bucketsByBundle.get(d.bundleCode);
    if (!m) bucketsByBundle.set(d.bundleCode, (m = new Map()));
    m.set(d.bucket, Number(d.n));
  }
  const topics = hotTopics(byCategory.map((c) => ({ ...c, closed: Number(c.closed) })));
  const topicNames = await categoryNames(
    db,
    topics.map((t) => t.categoryCode),
  );
  const noTickets = sums<(typeof TICKET_SUMS)[number]>(undefined, TICKET_SUMS) as TicketSums;
  const appOf = (row: Record<string, unknown>) =>
    figures(sums(row, APPLICATION_SUMS) as ApplicationSums, new Map(), noTickets);
  const ticketsByRegion = new Map(ticketByRegion.map((r) => [r.regionCode, r]));
  return {
    from,
    to,
    figures: figures(
      sums(appTotals, APPLICATION_SUMS) as ApplicationSums,
      buckets,
      sums(ticketTotals, TICKET_SUMS) as TicketSums,
    ),
    byBundle: byBundle
      .map((r) => {
        const commitment = commitments.get(r.bundleCode);
        return {
          bundleCode: r.bundleCode,
          name: commitment?.name ?? null,
          committedHours: commitment?.committedHours ?? null,
          committedLimit: commitment?.limit ?? null,
          ...appOf(r),
          p90Hours: quantileOfBuckets(bucketsByBundle.get(r.bundleCode) ?? new Map(), 0.9),
        };
      })
      .sort((a, b) => b.submitted + b.completed - (a.submitted + a.completed)),
    byRegion: regions
      .map((code) => {
        const app = byRegion.find((r) => r.regionCode === code);
        const ticket = ticketsByRegion.get(code);
        return {
          regionCode: code,
          ...figures(
            sums(app, APPLICATION_SUMS) as ApplicationSums,
            new Map(),
            sums(ticket, TICKET_SUMS) as TicketSums,
          ),
        };
      })
      .filter((r) => r.submitted + r.completed + r.ticketsClosed > 0),
    byDay: byDay.map((r) => ({
      day: r.day,
      submitted: Number(r.submitted),
      completed: Number(r.completed),
    })),
    hotTopics: topics.map((t) => ({
      categoryCode: t.categoryCode,
      name: topicNames.get(t.categoryCode) ?? null,
      closed: t.closed,
    })),
  };
}

/** /api/insight/indicators … */
export function indicatorRoutes(app: App, ctx: AppContext) {
  const db = ctx.db.kysely;
  const indicatorsCache = figuresCache<Awaited<ReturnType<typeof indicatorsOf>>>(
    ctx.config.cockpitMaxAgeSeconds,
  );
  app.events.on(ROLLUP_EVENTS.submitted, ROLLUP_HANDLERS.submitted, countSubmitted);
  app.events.on(ROLLUP_EVENTS.completed, ROLLUP_HANDLERS.completed, countCompleted);
  app.events.on(ROLLUP_EVENTS.ticketClosed, ROLLUP_HANDLERS.ticketClosed, countTicketClosed);
  const panels = panelRoutes(app, ctx);

  app.get(
    '/api/insight/definitions',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['insight'],
        summary: "Every indicator's definition: formula, source, unit and target",
        response: errorResponses(),
      },
    },
    async () => ({ items: INDICATORS }),
  );

  app.get(
    '/api/insight/indicators',
    {
      config: { access: READERS },
      schema: {
        tags: ['insight'],
        summary:
          'The indicators of a period and region, by bundle (against its commitment), by region below, by day, and the hot ticket topics',
        querystring: Type.Object(PeriodQuery, { additionalProperties: false }),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { from, to } = request.query;
      periodOf(from, to);
      const { code, regions } = await regionsFor(db, actor, request.query.region);
      const figures = await indicatorsCache.get(`${code}|${from}|${to}`, () =>
        indicatorsOf(db, from, to, regions),
      );
      return { region: code, ...figures };
    },
  );

  app.post(
    '/api/insight/rebuild',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['insight'],
        summary: 'Rebuild the daily rollups from the stored domain events',
        response: errorResponses(401, 403),
      },
    },
    async (request) => {
      const started = performance.now();
      await rebuildRollups(db);
      indicatorsCache.clear();
      panels.cache.clear();
      const actor = requireActor(request);
      const meta = requestMeta(request);
      await db.transaction().execute((trx) =>
        appendAudit(trx, {
          at: new Date(),
          actorId: actor.userId,
          actorRole: actor.role,
          action: 'insight.rollups_rebuilt',
          objectType: 'insight',
          objectId: null,
          ip: meta.ip,
          requestId: meta.requestId,
          detail: {},
        }),
      );
      return { rebuiltMs: Math.round(performance.now() - started) };
    },
  );
}
