import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { Actor } from '../platform/auth/model';
import { toOffsetIso } from '../platform/calendar';
import type { Kdb } from '../platform/db/database';
import { invalidField } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import {
  CHANNEL_LABELS,
  RESOLUTION_LABELS,
  SATISFACTION_LABELS,
  STATUS_LABELS,
  TYPE_LABELS,
  type TicketChannel,
  type Resolution,
  type Satisfaction,
  type TicketStatus,
  type TicketType,
} from './codes';
import type { Directory } from './directory';
import { weekStartOf } from './model';
import type { HotlineService, TicketFilter } from './service';
import * as store from './store';
import type { WeeklyRow } from './store';

// The cockpit's analysis of the hotline: counts, on-time rate and satisfaction by week, category and
// region, read from the weekly rollups; hot categories and places by week; repeat complaints;
// Excel exports of the analysis and of the ticket ledger.

const DAY_MS = 86_400_000;

/** Counters and the rates that follow from them. */
export interface Figures {
  received: number;
  finished: number;
  onTime: number;
  rated: number;
  satisfied: number;
  reopened: number;
  enterprise: number;
  repeated: number;
  /** on time / finished, null when nothing finished. */
  onTimeRate: number | null;
  /** satisfied (incl. mostly satisfied) / rated, null when nothing rated. */
  satisfactionRate: number | null;
}

/** What the analysis answers. */
export interface Analysis {
  fromWeek: string;
  toWeek: string;
  /** The instants the weeks span: [from, to). */
  from: string;
  to: string;
  totals: Figures;
  weeks: (Figures & { weekStart: string })[];
  categories: (Figures & { code: string; name: Text; groupName: Text })[];
  regions: (Figures & { code: string; name: Text })[];
  /** The busiest categories and places of each week. */
  hot: {
    weekStart: string;
    categories: { code: string; name: Text; received: number }[];
    regions: { code: string; name: Text; received: number }[];
  }[];
}

/** Which weeks an analysis covers: `weeks` whole weeks ending with the week of `until`. */
export function weekRange(
  until: Date,
  weeks: number,
): { fromWeek: string; toWeek: string; list: string[] } {
  const toWeek = weekStartOf(until);
  const last = new Date(`${toWeek}T00:00:00Z`).getTime();
  const list = Array.from({ length: weeks }, (_, i) =>
    new Date(last - (weeks - 1 - i) * 7 * DAY_MS).toISOString().slice(0, 10),
  );
  return { fromWeek: list[0]!, toWeek, list };
}

function empty(): Figures {
  return {
    received: 0,
    finished: 0,
    onTime: 0,
    rated: 0,
    satisfied: 0,
    reopened: 0,
    enterprise: 0,
    repeated: 0,
    onTimeRate: null,
    satisfactionRate: null,
  };
}

function add(into: Figures, row: WeeklyRow) {
  into.received += row.received;
  into.finished += row.finished;
  into.onTime += row.onTime;
  into.rated += row.rated;
  into.satisfied += row.satisfied;
  into.reopened += row.reopened;
  into.enterprise += row.enterprise;
  into.repeated += row.repeated;
}

function rates(f: Figures): Figures {
  return {
    ...f,
    onTimeRate: f.finished > 0 ? Math.round((f.onTime / f.finished) * 10_000) / 10_000 : null,
    satisfactionRate: f.rated > 0 ? Math.round((f.satisfied / f.rated) * 10_000) / 10_000 : null,
  };
}

/** Names the summary puts next to codes. */
export interface AnalysisNames {
  category(code: string): { name: Text; groupName: Text };
  region(code: string): Text;
}

/** Sums weekly rows into totals, weeks, categories, regions and each week's hot spots. Pure. */
export function summarize(
  rows: readonly WeeklyRow[],
  range: { fromWeek: string; toWeek: string; list: string[] },
  names: AnalysisNames,
): Analysis {
  const totals = empty();
  const weeks = new Map(range.list.map((w) => [w, empty()]));
  const categories = new Map<string, Figures>();
  const regions = new Map<string, Figures>();
  const hotCategories = new Map<string, Map<string, number>>();
  const hotRegions = new Map<string, Map<string, number>>();
  // A row of one category in one region counts for both; a row of a category in every region
  // (regionCode null) for the totals, weeks and categories; one of a region in every category
  // (categoryCode null) for the regions only — so each ticket is counted once everywhere.
  for (const row of rows) {
    if (row.categoryCode !== null) {
      add(totals, row);
      const week = weeks.get(row.weekStart);
      if (week) add(week, row);
      const c = categories.get(row.categoryCode) ?? empty();
      add(c, row);
      categories.set(row.categoryCode, c);
      const hc = hotCategories.get(row.weekStart) ?? new Map<string, number>();
      hc.set(row.categoryCode, (hc.get(row.categoryCode) ?? 0) + row.received);
      hotCategories.set(row.weekStart, hc);
    }
    if (row.regionCode !== null) {
      const r = regions.get(row.regionCode) ?? empty();
      add(r, row);
      regions.set(row.regionCode, r);
      const hr = hotRegions.get(row.weekStart) ?? new Map<string, number>();
      hr.set(row.regionCode, (hr.get(row.regionCode) ?? 0) + row.received);
      hotRegions.set(row.weekStart, hr);
    }
  }
  const top = (m: Map<string, number> | undefined) =>
    [...(m ?? new Map<string, number>())]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 3);
  const from = new Date(`${range.fromWeek}T00:00:00+08:00`);
  const to = new Date(new Date(`${range.toWeek}T00:00:00+08:00`).getTime() + 7 * DAY_MS);
  return {
    fromWeek: range.fromWeek,
    toWeek: range.toWeek,
    from: toOffsetIso(from),
    to: toOffsetIso(to),
    totals: rates(totals),
    weeks: [...weeks].map(([weekStart, f]) => ({ weekStart, ...rates(f) })),
    categories: [...categories]
      .map(([code, f]) => ({ code, ...names.category(code), ...rates(f) }))
      .sort((a, b) => b.received - a.received || a.code.localeCompare(b.code)),
    regions: [...regions]
      .map(([code, f]) => ({ code, name: names.region(code), ...rates(f) }))
      .sort((a, b) => b.received - a.received || a.code.localeCompare(b.code)),
    hot: range.list.map((weekStart) => ({
      weekStart,
      categories: top(hotCategories.get(weekStart)).map(([code, received]) => ({
        code,
        name: names.category(code).name,
        received,
      })),
      regions: top(hotRegions.get(weekStart)).map(([code, received]) => ({
        code,
        name: names.region(code),
        received,
      })),
    })),
  };
}

/** What the caller asks the analysis for. */
export interface AnalysisQuery {
  weeks?: number;
  /** A date (YYYY-MM-DD) in the last week; default today. */
  until?: string;
  region?: string;
  /** A group (CS) or a category (CS-01). */
  category?: string;
}

/** How the weekly rows are read: from the rollups (the platform) or by scanning tickets (baseline). */
export type WeeklySource = typeof store.weeklyFromRollups;

/** The analysis use cases over a hotline service's directory. */
export class HotlineAnalysis {
  constructor(
    private readonly db: Kdb,
    private readonly hotline: HotlineService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get #directory(): Directory {
    return this.hotline.directory;
  }

  async #scope(actor: Actor | null, query: AnalysisQuery) {
    let regions: string[] | null = null;
    if (actor && actor.role !== 'admin')
      regions = await this.#directory.regionsUnder(actor.regionCode);
    if (query.region) {
      if (!(await this.#directory.regionExists(query.region))) {
        throw invalidField('querystring.region', 'exists', {
          zh: `区划 ${query.region} 不存在`,
          en: `region ${query.region} does not exist`,
        });
      }
      const under = await this.#directory.regionsUnder(query.region);
      regions = regions ? under.filter((r) => regions!.includes(r)) : under;
    }
    let categories: string[] | null = null;
    if (query.category) {
      const all = await this.#directory.categories();
      categories = all
        .filter((c) => c.code === query.category || c.parentCode === query.category)
        .map((c) => c.code);
      if (categories.length === 0) {
        throw invalidField('querystring.category', 'exists', {
          zh: `诉求分类 ${query.category} 不存在`,
          en: `category ${query.category} does not exist`,
        });
      }
    }
    const until = query.until ? new Date(`${query.until}T12:00:00+08:00`) : this.clock();
    return { regions, categories, range: weekRange(until, query.weeks ?? 13) };
  }

  async #names(): Promise<AnalysisNames> {
    const categories = new Map((await this.#directory.categories()).map((c) => [c.code, c]));
    const regions = new Map((await this.#directory.regions()).map((r) => [r.code, r.name]));
    return {
      category: (code) => {
        const c = categories.get(code);
        return c
          ? { name: c.name, groupName: c.groupName }
          : { name: { zh: code, en: code }, groupName: { zh: '', en: '' } };
      },
      region: (code) => regions.get(code) ?? { zh: code, en: code },
    };
  }

  /**
   * The weekly analysis: `weeks` whole weeks (default 13, about 90 days) read from the rollups,
   * or — for the benchmark's baseline — computed from the tickets by `source`.
   */
  async analysis(
    actor: Actor | null,
    query: AnalysisQuery,
    source: WeeklySource = store.weeklyFromRollups,
  ): Promise<Analysis> {
    const { regions, categories, range } = await this.#scope(actor, query);
    const [rows, names] = await Promise.all([
      source(this.db, range.fromWeek, range.toWeek, regions, categories),
      this.#names(),
    ]);
    return summarize(rows, range, names);
  }

  /** Repeat complaints (重复诉求) and the places asked about most in the analysis weeks. */
  async details(actor: Actor | null, query: AnalysisQuery) {
    const { regions, categories, range } = await this.#scope(actor, query);
    const from = new Date(`${range.fromWeek}T00:00:00+08:00`);
    const to = new Date(new Date(`${range.toWeek}T00:00:00+08:00`).getTime() + 7 * DAY_MS);
    const names = await this.#names();
    const regionFilter = regions ? sql`and r.region_code in (${sql.join(regions)})` : sql``;
    const categoryFilter = categories
      ? sql`and r.category_code in (${sql.join(categories)})`
      : sql``;
    const repeats = await sql<{
      number: string;
      title: string;
      categoryCode: string;
      regionCode: string;
      times: number;
      lastAt: Date;
    }>`
      select o.number, o.title, o.category_code, o.region_code, count(*)::int as times,
        max(r.created_at) as last_at
      from hotline_tickets r join hotline_tickets o on o.id = r.related_ticket_id
      where r.relation = 'repeat' and r.created_at >= ${from} and r.created_at < ${to}
        ${regionFilter} ${categoryFilter}
      group by o.number, o.title, o.category_code, o.region_code
      order by times desc, last_at desc
      limit 20`.execute(this.db);
    const placeRegions = regions ? sql`and region_code in (${sql.join(regions)})` : sql``;
    const placeCategories = categories
      ? sql`and category_code in (${sql.join(categories)})`
      : sql``;
    const places = await sql<{ address: string; regionCode: string; tickets: number }>`
      select address, region_code, count(*)::int as tickets
      from hotline_tickets
      where created_at >= ${from} and created_at < ${to} and address <> '' and type <> 'report'
        ${placeRegions} ${placeCategories}
      group by address, region_code
      having count(*) > 1
      order by tickets desc, address
      limit 10`.execute(this.db);
    return {
      fromWeek: range.fromWeek,
      toWeek: range.toWeek,
      repeats: repeats.rows.map((r) => ({
        number: r.number,
        title: r.title,
        category: { code: r.categoryCode, name: names.category(r.categoryCode).name },
        region: { code: r.regionCode, name: names.region(r.regionCode) },
        times: r.times,
        lastAt: toOffsetIso(new Date(r.lastAt)),
      })),
      places: places.rows.map((p) => ({
        address: p.address,
        region: { code: p.regionCode, name: names.region(p.regionCode) },
        tickets: p.tickets,
      })),
    };
  }

  /** The analysis as an Excel workbook: overview, weeks, categories, regions, repeats, places. */
  async exportAnalysis(actor: Actor, query: AnalysisQuery): Promise<Buffer> {
    const [analysis, details] = await Promise.all([
      this.analysis(actor, query),
      this.details(actor, query),
    ]);
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'OneThing 一件事';
    const pct = (v: number | null) => (v === null ? '' : v);
    const figureColumns = [
      { header: '受理量 Received', key: 'received', width: 14 },
      { header: '办结量 Finished', key: 'finished', width: 14 },
      { header: '按期办结 On time', key: 'onTime', width: 16 },
      { header: '按期率 On-time rate', key: 'onTimeRate', width: 18, style: { numFmt: '0.0%' } },
      { header: '回访量 Rated', key: 'rated', width: 12 },
      { header: '满意量 Satisfied', key: 'satisfied', width: 14 },
      {
        header: '满意率 Satisfaction',
        key: 'satisfactionRate',
        width: 18,
        style: { numFmt: '0.0%' },
      },
      { header: '重办 Reopened', key: 'reopened', width: 12 },
      { header: '企业诉求 Enterprise', key: 'enterprise', width: 16 },
      { header: '重复诉求 Repeats', key: 'repeated', width: 16 },
    ];
    const figures = (f: Figures) => ({
      ...f,
      onTimeRate: pct(f.onTimeRate),
      satisfactionRate: pct(f.satisfactionRate),
    });

    const overview = workbook.addWorksheet('概览 Overview');
    overview.columns = [{ header: '周期 Period', key: 'period', width: 30 }, ...figureColumns];
    overview.addRow({
      period: `${analysis.fromWeek} – ${analysis.toWeek}`,
      ...figures(analysis.totals),
    });

    const weeks = workbook.addWorksheet('周趋势 Weeks');
    weeks.columns = [{ header: '周起始 Week of', key: 'weekStart', width: 14 }, ...figureColumns];
    for (const w of analysis.weeks) weeks.addRow({ ...figures(w), weekStart: w.weekStart });

    const cats = workbook.addWorksheet('分类 Categories');
    cats.columns = [
      { header: '编码 Code', key: 'code', width: 10 },
      { header: '分类组 Group', key: 'group', width: 16 },
      { header: '分类 Category', key: 'name', width: 22 },
      ...figureColumns,
    ];
    for (const c of analysis.categories) {
      cats.addRow({ ...figures(c), code: c.code, group: c.groupName.zh, name: c.name.zh });
    }

    const regs = workbook.addWorksheet('区域 Regions');
    regs.columns = [
      { header: '区划 Code', key: 'code', width: 12 },
      { header: '区域 Region', key: 'name', width: 34 },
      ...figureColumns,
    ];
    for (const r of analysis.regions) regs.addRow({ ...figures(r), code: r.code, name: r.name.zh });

    const rep = workbook.addWorksheet('重复诉求 Repeats');
    rep.columns = [
      { header: '首次工单 First ticket', key: 'number', width: 20 },
      { header: '诉求 Title', key: 'title', width: 40 },
      { header: '分类 Category', key: 'category', width: 20 },
      { header: '区域 Region', key: 'region', width: 30 },
      { header: '重复次数 Times', key: 'times', width: 14 },
      { header: '最近一次 Last', key: 'lastAt', width: 28 },
    ];
    for (const r of details.repeats) {
      rep.addRow({ ...r, category: r.category.name.zh, region: r.region.name.zh });
    }

    const hot = workbook.addWorksheet('热点地点 Places');
    hot.columns = [
      { header: '地点 Address', key: 'address', width: 40 },
      { header: '区域 Region', key: 'region', width: 30 },
      { header: '工单数 Tickets', key: 'tickets', width: 14 },
    ];
    for (const p of details.places) hot.addRow({ ...p, region: p.region.name.zh });

    for (const sheet of workbook.worksheets) {
      sheet.getRow(1).font = { bold: true };
      sheet.views = [{ state: 'frozen', ySplit: 1 }];
    }
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  /** The ticket ledger (台账, e.g. every enterprise demand) as an Excel workbook, no requesters. */
  async exportTickets(actor: Actor, filter: TicketFilter): Promise<Buffer> {
    const rows = [];
    for (let offset = 0; offset < 10_000; offset += 500) {
      const page = await this.hotline.list(actor, { ...filter, limit: 500, offset });
      rows.push(...page.items);
      if (page.items.length < 500) break;
    }
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'OneThing 一件事';
    const sheet = workbook.addWorksheet('工单台账 Tickets');
    sheet.columns = [
      { header: '工单号 Number', key: 'number', width: 20 },
      { header: '受理时间 Registered', key: 'createdAt', width: 26 },
      { header: '渠道 Channel', key: 'channel', width: 10 },
      { header: '类型 Type', key: 'type', width: 8 },
      { header: '分类 Category', key: 'category', width: 18 },
      { header: '区域 Region', key: 'region', width: 24 },
      { header: '诉求 Title', key: 'title', width: 36 },
      { header: '企业 Enterprise', key: 'enterpriseName', width: 28 },
      { header: '承办单位 Unit', key: 'lead', width: 28 },
      { header: '状态 Status', key: 'status', width: 10 },
      { header: '办结时限 Due', key: 'finishDueAt', width: 26 },
      { header: '超期 Overdue', key: 'overdue', width: 8 },
      { header: '按期 On time', key: 'onTime', width: 8 },
      { header: '满意度 Satisfaction', key: 'satisfaction', width: 10 },
      { header: '结果 Resolution', key: 'resolution', width: 16 },
      { header: '督办 Escalations', key: 'escalationLevel', width: 10 },
      { header: '重办 Reopened', key: 'reopenCount', width: 10 },
    ];
    for (const t of rows) {
      sheet.addRow({
        number: t.number,
        createdAt: t.createdAt,
        channel: CHANNEL_LABELS[t.channel as TicketChannel].zh,
        type: TYPE_LABELS[t.type as TicketType].zh,
        category: t.category.name.zh,
        region: t.region.name.zh,
        title: t.title,
        enterpriseName: t.enterpriseName ?? '',
        lead: t.lead?.name.zh ?? '',
        status: STATUS_LABELS[t.status as TicketStatus].zh,
        finishDueAt: t.finishDueAt ?? '',
        overdue: t.overdue.any ? '是' : '',
        onTime: t.onTime === null ? '' : t.onTime ? '是' : '否',
        satisfaction: t.satisfaction ? SATISFACTION_LABELS[t.satisfaction as Satisfaction].zh : '',
        resolution: t.resolution ? RESOLUTION_LABELS[t.resolution as Resolution].zh : '',
        escalationLevel: t.escalationLevel || '',
        reopenCount: t.reopenCount || '',
      });
    }
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }
}
