// The cockpit's panels, drill-down and warnings over HTTP, and the query rules every cockpit
// route shares: a period of Beijing days (at most MAX_DAYS) and a region the caller may read.
import { Type } from 'typebox';
import type { Actor } from '../platform/auth/model';
import { atLocalTime } from '../platform/calendar';
import type { Kdb } from '../platform/db/database';
import { requireActor, type App, type AppContext } from '../platform/http/app';
import { forbidden, invalidField } from '../platform/http/errors';
import { errorResponses } from '../platform/http/schemas';
import { regionsUnder } from '../platform/regions';
import { figuresCache } from './figures-cache';
import { panelsOf, type Scope } from './panels';
import { RECORD_KEYS, recordsOf } from './records';
import { warningsOf } from './warnings';

// leaders and supervisors read their region; administrators every region
const READERS = { roles: ['supervisor', 'admin'], scope: 'region' } as const;
/** The longest period one request may ask for. */
export const MAX_DAYS = 400;
const DAY_MS = 86_400_000;

/** A region code: six digits, or a zone's code such as 371072-ZB. */
export const RegionParam = Type.String({
  pattern: '^\\d{6}(-[A-Z0-9]{1,8})?$',
  description: '区划代码，含下级 — region and the regions below; default the caller’s',
});
const DATE = { format: 'date' } as const;
/** The query of a period and region. */
export const PeriodQuery = {
  from: Type.String({ ...DATE, description: '起始日（北京时间，含）— first day, Beijing time' }),
  to: Type.String({ ...DATE, description: '截止日（北京时间，含）— last day, Beijing time' }),
  region: Type.Optional(RegionParam),
};

/** The instants [from, to) of a period of Beijing days; 422 when it is backwards or too long. */
export function periodOf(from: string, to: string): { from: Date; to: Date } {
  if (to < from)
    throw invalidField('querystring.to', 'after_from', {
      zh: '结束日期早于开始日期',
      en: 'ends before it starts',
    });
  let start: Date, end: Date;
  try {
    start = atLocalTime(from);
    end = new Date(atLocalTime(to).getTime() + DAY_MS);
  } catch {
    throw invalidField('querystring.from', 'date', {
      zh: '日期无效，应为 YYYY-MM-DD',
      en: 'invalid date: expected YYYY-MM-DD',
    });
  }
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS > MAX_DAYS)
    throw invalidField('querystring.to', 'max_days', {
      zh: `一次最多查询 ${MAX_DAYS} 天`,
      en: `at most ${MAX_DAYS} days at a time`,
    });
  return { from: start, to: end };
}

/** The region asked for (default the caller's) and the regions under it; 403 outside the caller's. */
export async function regionsFor(db: Kdb, actor: Actor, region: string | undefined) {
  const code = region ?? actor.regionCode;
  if (actor.role !== 'admin' && !(await regionsUnder(db, actor.regionCode)).includes(code))
    throw forbidden({ zh: '只能查看本辖区', en: 'only your own region' });
  const regions = await regionsUnder(db, code);
  if (regions.length === 0)
    throw invalidField('querystring.region', 'known_region', {
      zh: '区划不存在',
      en: 'unknown region',
    });
  return { code, regions };
}

async function scopeOf(
  db: Kdb,
  actor: Actor,
  query: { from: string; to: string; region?: string },
): Promise<{ region: string; scope: Scope }> {
  const period = periodOf(query.from, query.to);
  const { code, regions } = await regionsFor(db, actor, query.region);
  return { region: code, scope: { ...period, regions } };
}

/** /api/insight/panels, /api/insight/records and /api/insight/warnings; returns the panels' cache. */
export function panelRoutes(app: App, ctx: AppContext) {
  const db = ctx.db.kysely;
  const cache = figuresCache<Awaited<ReturnType<typeof panelsOf>>>(ctx.config.cockpitMaxAgeSeconds);

  app.get(
    '/api/insight/panels',
    {
      config: { access: READERS },
      schema: {
        tags: ['insight'],
        summary:
          'The panels of a period and region: 好差评, certificate-free scenarios, policies, supervision, departments ranked',
        querystring: Type.Object(PeriodQuery, { additionalProperties: false }),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => {
      const { from, to } = request.query;
      const { region, scope } = await scopeOf(db, requireActor(request), request.query);
      const panels = await cache.get(`${region}|${from}|${to}`, () => panelsOf(db, scope));
      return { region, from, to, ...panels };
    },
  );

  app.get(
    '/api/insight/records',
    {
      config: { access: READERS },
      schema: {
        tags: ['insight'],
        summary: 'The records behind one figure of a period and region (drill-down), one page',
        querystring: Type.Object(
          {
            indicator: Type.Union(
              RECORD_KEYS.map((k) => Type.Literal(k)),
              { description: '指标 — an indicator key of /api/insight/definitions' },
            ),
            ...PeriodQuery,
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => {
      const q = request.query;
      const { region, scope } = await scopeOf(db, requireActor(request), q);
      return recordsOf(db, q.indicator, scope, region, {
        limit: q.limit ?? 50,
        offset: q.offset ?? 0,
      });
    },
  );

  app.get(
    '/api/insight/warnings',
    {
      config: { access: READERS },
      schema: {
        tags: ['insight'],
        summary:
          'What is past its deadline now in a region: counts per kind, the most overdue first',
        querystring: Type.Object(
          { region: Type.Optional(RegionParam) },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => {
      const { code, regions } = await regionsFor(db, requireActor(request), request.query.region);
      return { region: code, ...(await warningsOf(db, regions)) };
    },
  );

  return { cache };
}
