// 好差评 statistics over any period and region: 满意率, 差评率, 整改按期率 and 回访率, grouped by
// department, item, bundle, window or staff member. Every figure is counted in SQL (filtered
// aggregates over ratings left-joined to their rectification, one row per rating since a rating has
// at most one rectification); names are looked up afterwards with one query per dimension.
import { sql, type RawBuilder } from 'kysely';
import { Type, type Static } from 'typebox';
import { BundleService } from '../bundles';
import { CatalogService } from '../catalog';
import { regionsUnder } from '../platform/regions';
import type { Actor, Role } from '../platform/auth/model';
import { atLocalTime, toLocalDate } from '../platform/calendar';
import type { Kdb } from '../platform/db/database';
import { requireActor, type App, type AppContext } from '../platform/http/app';
import { forbidden, invalidField } from '../platform/http/errors';
import { errorResponses, TextSchema } from '../platform/http/schemas';
import type { Text } from '../platform/i18n';
import { listDepartments } from '../platform/regions';
import { BAD_AT_MOST, SATISFIED_AT_LEAST, STATS_DIMENSIONS, type StatsDimension } from './codes';

/** The longest period one report covers, in calendar days (a leap year). */
export const MAX_SPAN_DAYS = 366;

const DAY_MS = 86_400_000;

/** Roles that read every rating of their region and the regions below it. */
export const REGION_READERS = ['supervisor', 'admin'] as const satisfies readonly Role[];
/** Roles that read only the ratings of their own department (as the answerable unit). */
export const DEPARTMENT_READERS = [
  'clerk',
  'reviewer',
  'operator',
  'handler',
] as const satisfies readonly Role[];

// The route promises the narrower scope most of its callers get; supervisors and administrators
// read their whole region (administrators any region), which the summary states.
const STATS_ACCESS = {
  roles: [...DEPARTMENT_READERS, ...REGION_READERS],
  scope: 'department',
} as const;

/** Figures of one row of the report, or of its totals. */
export interface StatsFigures {
  /** Ratings in the period and region, flagged (malicious) ones left out. */
  ratings: number;
  /** Level ≥ 3: 非常满意, 满意, 基本满意. */
  satisfied: number;
  /** Level ≤ 2: 不满意, 非常不满意 (差评). */
  bad: number;
  satisfactionRate: number | null;
  badRate: number | null;
  averageLevel: number | null;
  /** Rectifications of the counted ratings. */
  rectifications: number;
  /** Rectifications whose unit part was done by the due instant (on_time = true). */
  rectifiedOnTime: number;
  /** rectifiedOnTime / rectifications whose unit part is done (on_time not null). */
  onTimeRate: number | null;
  /** Bad ratings given under the rater's real name (实名差评). */
  realNameBad: number;
  /** Of those, the ones whose rectification records a callback (回访). */
  calledBack: number;
  /** calledBack / realNameBad; the national target is 100%. */
  callbackRate: number | null;
}

/** One group of the report: its key (null for ratings without one) and name. */
export interface StatsRow extends StatsFigures {
  key: string | null;
  name: Text;
}

/** The totals of the report, with the flagged ratings that were left out. */
export interface StatsTotals extends StatsRow {
  /** Ratings found malicious on appeal, kept but not counted. */
  flagged: number;
}

/** What GET /api/evaluations/stats answers. */
export interface StatsReport {
  from: string;
  to: string;
  by: StatsDimension;
  region: string;
  totals: StatsTotals;
  rows: StatsRow[];
}

const LocalDateSchema = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

/** The query string of the report. */
export const StatsQuerySchema = Type.Object(
  {
    from: Type.Optional(
      LocalDateSchema(
        '起始日（北京时间，含）— first day, Beijing time; default the 1st of the month',
      ),
    ),
    to: Type.Optional(
      LocalDateSchema('截止日（北京时间，含）— last day, Beijing time; default today'),
    ),
    by: Type.Optional(
      Type.Union(
        STATS_DIMENSIONS.map((d) => Type.Literal(d)),
        { default: 'department', description: '统计维度 — grouping' },
      ),
    ),
    region: Type.Optional(
      Type.String({
        minLength: 2,
        maxLength: 20,
        pattern: '^[0-9A-Za-z-]+$',
        description: '区划代码，含下级 — region and the regions below; default the caller’s',
      }),
    ),
  },
  { additionalProperties: false },
);

/** What the caller asks for. */
export type StatsQuery = Static<typeof StatsQuerySchema>;

const Rate = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]);
const FIGURE_FIELDS = {
  key: Type.Union([Type.String(), Type.Null()]),
  name: TextSchema,
  ratings: Type.Integer(),
  satisfied: Type.Integer(),
  bad: Type.Integer(),
  satisfactionRate: Rate,
  badRate: Rate,
  averageLevel: Type.Union([Type.Number(), Type.Null()]),
  rectifications: Type.Integer(),
  rectifiedOnTime: Type.Integer(),
  onTimeRate: Rate,
  realNameBad: Type.Integer(),
  calledBack: Type.Integer(),
  callbackRate: Rate,
};
const StatsReportSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  by: Type.String(),
  region: Type.String(),
  totals: Type.Object({ ...FIGURE_FIELDS, flagged: Type.Integer() }),
  rows: Type.Array(Type.Object(FIGURE_FIELDS)),
});

// ------------------------------------------------------------------------------------------------
// Rules (pure)
// ------------------------------------------------------------------------------------------------

/** A reporting period: Beijing calendar days, and the instants [start, end) they cover. */
export interface Period {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

function dayStart(date: string, field: string): Date {
  try {
    return atLocalTime(date);
  } catch {
    throw invalidField(field, 'date', {
      zh: `日期无效：${date}，应为 YYYY-MM-DD`,
      en: `invalid date ${date}: expected YYYY-MM-DD`,
    });
  }
}

/**
 * The period asked for: `to` defaults to today and `from` to the first day of `to`'s month (so no
 * dates at all means this month so far), both Beijing calendar days and both included.
 */
export function resolvePeriod(query: { from?: string; to?: string }, now: Date): Period {
  const to = query.to ?? toLocalDate(now);
  const toStart = dayStart(to, 'querystring.to');
  const from = query.from ?? `${to.slice(0, 8)}01`;
  const start = dayStart(from, 'querystring.from');
  if (toStart < start) {
    throw invalidField('querystring.to', 'not_before_from', {
      zh: `截止日 ${to} 早于起始日 ${from}`,
      en: `the last day ${to} is before the first day ${from}`,
    });
  }
  const days = Math.round((toStart.getTime() - start.getTime()) / DAY_MS) + 1;
  if (days > MAX_SPAN_DAYS) {
    throw invalidField('querystring.from', 'max_span', {
      zh: `统计期间不得超过 ${MAX_SPAN_DAYS} 天（现为 ${days} 天）`,
      en: `the period may cover at most ${MAX_SPAN_DAYS} days (it covers ${days})`,
    });
  }
  return { from, to, start, end: new Date(toStart.getTime() + DAY_MS) };
}

/** A fraction 0..1, or null when there is nothing to divide by (never NaN). */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** The department whose code starts a window code ('xzsp-03' → xzsp), the longest that fits. */
export function departmentOfWindow<T extends { code: string }>(
  windowCode: string,
  departments: readonly T[],
): T | undefined {
  let best: T | undefined;
  for (const d of departments) {
    const fits = windowCode === d.code || windowCode.startsWith(`${d.code}-`);
    if (fits && (!best || d.code.length > best.code.length)) best = d;
  }
  return best;
}

/** Rows by ratings, most first, then by key (code-unit order, so every database sorts alike). */
export function compareRows(a: StatsRow, b: StatsRow): number {
  if (a.ratings !== b.ratings) return b.ratings - a.ratings;
  if (a.key === b.key) return 0;
  if (a.key === null) return 1;
  if (b.key === null) return -1;
  return a.key < b.key ? -1 : 1;
}

/** Names of the rows without a key, by dimension. */
export const NO_KEY_NAMES: Record<StatsDimension, Text> = {
  department: { zh: '（无责任单位）', en: '(no department)' },
  item: { zh: '（无事项）', en: '(no item)' },
  bundle: { zh: '（非一件事）', en: '(not a bundle)' },
  window: { zh: '（非窗口服务）', en: '(not at a window)' },
  staff: { zh: '（无经办人）', en: '(no staff member)' },
};

const TOTAL_NAME: Text = { zh: '合计', en: 'Total' };

// ------------------------------------------------------------------------------------------------
// SQL
// ------------------------------------------------------------------------------------------------

/** The column each dimension groups by. */
const KEY_COLUMNS = {
  department: 'r.departmentCode',
  item: 'r.itemCode',
  bundle: 'r.bundleCode',
  window: 'r.windowCode',
  staff: 'r.staffUserId',
} as const satisfies Record<StatsDimension, string>;

/** Which ratings a report reads. */
interface Scope {
  start: Date;
  end: Date;
  regions: readonly string[];
  /** Only this department's ratings (department-scoped callers); null: every department. */
  department: string | null;
}

// Raw SQL names columns as the database does (snake_case); `r` is ratings, `x` its rectification.
const COUNTED = sql`not r.flagged`;
const BAD = sql`r.level <= ${sql.lit(BAD_AT_MOST)}`;
const SATISFIED = sql`r.level >= ${sql.lit(SATISFIED_AT_LEAST)}`;

function countWhere(condition: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(count(*) filter (where ${condition}))::int`;
}

/** The aggregates of a row, every one over counted (unflagged) ratings only. */
function aggregates() {
  return [
    countWhere(COUNTED).as('ratings'),
    countWhere(sql`${COUNTED} and ${SATISFIED}`).as('satisfied'),
    countWhere(sql`${COUNTED} and ${BAD}`).as('bad'),
    sql<number>`coalesce(sum(r.level) filter (where ${COUNTED}), 0)::int`.as('levelSum'),
    sql<number>`(count(x.id) filter (where ${COUNTED}))::int`.as('rectifications'),
    countWhere(sql`${COUNTED} and x.on_time`).as('rectifiedOnTime'),
    countWhere(sql`${COUNTED} and x.on_time is not null`).as('rectificationsDone'),
    countWhere(sql`${COUNTED} and r.real_name and ${BAD}`).as('realNameBad'),
    countWhere(sql`${COUNTED} and r.real_name and ${BAD} and x.callback_at is not null`).as(
      'calledBack',
    ),
  ] as const;
}

/** The counts one aggregate row carries. */
type Counts = {
  ratings: number;
  satisfied: number;
  bad: number;
  levelSum: number;
  rectifications: number;
  rectifiedOnTime: number;
  rectificationsDone: number;
  realNameBad: number;
  calledBack: number;
};

function scoped(db: Kdb, scope: Scope) {
  return db
    .selectFrom('ratings as r')
    .leftJoin('rectifications as x', 'x.ratingId', 'r.id')
    .where('r.ratedAt', '>=', scope.start)
    .where('r.ratedAt', '<', scope.end)
    .where('r.regionCode', 'in', [...scope.regions])
    .$if(scope.department !== null, (qb) => qb.where('r.departmentCode', '=', scope.department!));
}

/** One aggregate row per key of the dimension; flagged ratings never form a row. */
export async function countByKey(
  db: Kdb,
  scope: Scope,
  by: StatsDimension,
): Promise<(Counts & { key: string | null })[]> {
  const key = sql.ref<string | null>(KEY_COLUMNS[by]);
  return scoped(db, scope)
    .where('r.flagged', '=', false)
    .select([key.as('key'), ...aggregates()])
    .groupBy(key)
    .execute();
}

/** The totals over the scope, with the flagged ratings counted apart. */
export async function countTotals(db: Kdb, scope: Scope): Promise<Counts & { flagged: number }> {
  return scoped(db, scope)
    .select([...aggregates(), countWhere(sql`r.flagged`).as('flagged')])
    .executeTakeFirstOrThrow();
}

function figures(counts: Counts): StatsFigures {
  return {
    ratings: counts.ratings,
    satisfied: counts.satisfied,
    bad: counts.bad,
    satisfactionRate: rate(counts.satisfied, counts.ratings),
    badRate: rate(counts.bad, counts.ratings),
    averageLevel: rate(counts.levelSum, counts.ratings),
    rectifications: counts.rectifications,
    rectifiedOnTime: counts.rectifiedOnTime,
    // 整改按期率: of the rectifications whose unit part is done (on_time set when the answer is
    // approved), the share done by the due instant; open ones are not yet late or on time.
    onTimeRate: rate(counts.rectifiedOnTime, counts.rectificationsDone),
    realNameBad: counts.realNameBad,
    calledBack: counts.calledBack,
    callbackRate: rate(counts.calledBack, counts.realNameBad),
  };
}

// ------------------------------------------------------------------------------------------------
// Use case
// ------------------------------------------------------------------------------------------------

/** The 好差评 statistics of a caller's region or department. */
export class EvaluationStats {
  readonly #catalog: CatalogService;
  readonly #bundles: BundleService;

  constructor(
    private readonly db: Kdb,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.#catalog = new CatalogService(db);
    this.#bundles = new BundleService(db, this.#catalog);
  }

  /**
   * The report: supervisors read their region and below, administrators any region, other staff
   * only the ratings their department answers for; 422 for a bad period, 403 for a region outside
   * the caller's.
   */
  async report(actor: Actor, query: StatsQuery): Promise<StatsReport> {
    const period = resolvePeriod(query, this.clock());
    const by = query.by ?? 'department';
    const region = query.region ?? actor.regionCode;
    const department = await this.#departmentOf(actor);
    const regions = await regionsUnder(this.db, region);
    if (regions.length === 0) {
      throw invalidField('querystring.region', 'exists', {
        zh: `区划 ${region} 不存在`,
        en: `region ${region} does not exist`,
      });
    }
    if (
      actor.role !== 'admin' &&
      !(await regionsUnder(this.db, actor.regionCode)).includes(region)
    ) {
      throw forbidden({
        zh: `只能查看本区划（${actor.regionCode}）及下级区划的统计`,
        en: `you may read the statistics of your region (${actor.regionCode}) and below only`,
      });
    }
    const scope: Scope = { start: period.start, end: period.end, regions, department };
    const [grouped, totals] = await Promise.all([
      countByKey(this.db, scope, by),
      countTotals(this.db, scope),
    ]);
    const nameOf = await this.#namer(
      by,
      grouped.flatMap((g) => (g.key === null ? [] : [g.key])),
    );
    const rows = grouped
      .map((g) => ({ key: g.key, name: nameOf(g.key), ...figures(g) }))
      .sort(compareRows);
    return {
      from: period.from,
      to: period.to,
      by,
      region,
      totals: { key: null, name: TOTAL_NAME, ...figures(totals), flagged: totals.flagged },
      rows,
    };
  }

  /** The department code a department-scoped caller is limited to; null for region readers. */
  async #departmentOf(actor: Actor): Promise<string | null> {
    if ((REGION_READERS as readonly Role[]).includes(actor.role)) return null;
    const row = actor.departmentId
      ? await this.db
          .selectFrom('departments')
          .select('code')
          .where('id', '=', actor.departmentId)
          .executeTakeFirst()
      : undefined;
    // A department-scoped caller without a department has nothing to read.
    if (!row) throw forbidden();
    return row.code;
  }

  /** How the rows of a dimension are named: one lookup for all keys, the code when unknown. */
  async #namer(by: StatsDimension, keys: string[]): Promise<(key: string | null) => Text> {
    const asCode = (key: string): Text => ({ zh: key, en: key });
    let named: (key: string) => Text = asCode;
    if (by === 'department' || by === 'window') {
      const departments = await listDepartments(this.db);
      const byCode = new Map(departments.map((d) => [d.code, d]));
      named =
        by === 'department'
          ? (key) => {
              const d = byCode.get(key);
              return d ? { zh: d.nameZh, en: d.nameEn } : asCode(key);
            }
          : (key) => {
              const d = departmentOfWindow(key, departments);
              return d ? { zh: `${key}（${d.nameZh}）`, en: `${key} (${d.nameEn})` } : asCode(key);
            };
    } else if (by === 'item' && keys.length > 0) {
      const { items } = await this.#catalog.publishedItems();
      named = (key) => items.get(key)?.name ?? asCode(key);
    } else if (by === 'bundle' && keys.length > 0) {
      const { bundles } = await this.#bundles.list({});
      const names = new Map(bundles.map((b) => [b.code, b.name]));
      named = (key) => names.get(key) ?? asCode(key);
    } else if (by === 'staff' && keys.length > 0) {
      const users = await this.db
        .selectFrom('users')
        .select(['id', 'displayName'])
        .where('id', 'in', keys)
        .execute();
      const names = new Map(users.map((u) => [u.id, u.displayName]));
      named = (key) => {
        const name = names.get(key);
        return name ? { zh: name, en: name } : asCode(key);
      };
    }
    return (key) => (key === null ? NO_KEY_NAMES[by] : named(key));
  }
}

// ------------------------------------------------------------------------------------------------
// HTTP
// ------------------------------------------------------------------------------------------------

/** GET /api/evaluations/stats: 好差评 statistics over a period and region. */
export function statsRoutes(app: App, ctx: AppContext) {
  const stats = new EvaluationStats(ctx.db.kysely);
  app.get(
    '/api/evaluations/stats',
    {
      config: { access: STATS_ACCESS },
      schema: {
        tags: ['evaluations'],
        summary:
          '好差评统计 — ratings, satisfaction, bad ratings, on-time rectification and callbacks ' +
          'by department, item, bundle, window or staff (supervisors and administrators: the ' +
          'region; other staff: their own department)',
        description:
          'Counts the ratings given in the period (Beijing calendar days, both included; default ' +
          'this month so far; at most 366 days) in the region and the regions below it (default ' +
          "the caller's; supervisors may ask for regions below theirs, administrators for any). " +
          'Clerks, reviewers, operators and handlers see only the ratings their department answers ' +
          'for. Ratings flagged as malicious on appeal are left out and counted as `totals.flagged`. ' +
          'satisfied: level ≥ 3 (非常满意, 满意, 基本满意); bad: level ≤ 2. ' +
          'satisfactionRate = satisfied / ratings; badRate = bad / ratings. ' +
          'onTimeRate (整改按期率) = rectifiedOnTime / rectifications whose unit part is done ' +
          '(on_time set when the answer is approved); open rectifications are left out. ' +
          'callbackRate (回访率) = calledBack / realNameBad (bad ratings given under the real name; ' +
          'the target is 100%). Rates are fractions 0..1, null when there is nothing to divide by. ' +
          'Rows are sorted by ratings, most first, then by key.',
        querystring: StatsQuerySchema,
        response: { 200: StatsReportSchema, ...errorResponses(401, 403, 422) },
      },
    },
    async (request) => stats.report(requireActor(request), request.query),
  );
}
