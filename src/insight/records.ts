// The drill-down of the cockpit: the records behind a figure, one page at a time. Application
// figures read the stored domain events they were counted from (so the records match the rollups,
// synthetic history included); ticket and panel figures read the capabilities' records through
// their read functions. A record links to the workbench page that shows it, or to nothing.
import { sql } from 'kysely';
import { bundleCommitments } from '../bundles';
import { applicationNumbers } from '../cases';
import {
  LEVEL_LABELS,
  RECTIFICATION_STATES,
  readRatings,
  readRectifications,
} from '../evaluations';
import type { Level } from '../evaluations';
import { categoryNames, readClosedTickets } from '../hotline';
import { certificateFreeCount } from '../licences';
import type { Kdb } from '../platform/db/database';
import type { Text } from '../platform/i18n';
import { readMatches, readPaidGrants } from '../policies';
import { readInspections } from '../supervision';
import { isEasy, isSatisfied } from './indicators';
import type { Scope } from './panels';
import { ROLLUP_EVENTS } from './rollups';

/** Every indicator key the drill-down answers. */
export const RECORD_KEYS = [
  'submitted',
  'completed',
  'onTimeRate',
  'onlineRate',
  'easyRate',
  'averageHours',
  'p90Hours',
  'savedSteps',
  'savedMaterials',
  'savedVisits',
  'ticketsClosed',
  'ticketOnTimeRate',
  'ticketSatisfactionRate',
  'satisfactionRate',
  'badRate',
  'rectificationOnTimeRate',
  'certificateFreeScenarios',
  'policyMatches',
  'grantsPaidOnTimeRate',
  'inspectionsPerEnterprise',
  'inspectionsPublishedOnTimeRate',
] as const;
/** An indicator key of the drill-down. */
export type RecordKey = (typeof RECORD_KEYS)[number];

/** One record behind a figure. */
export interface RecordItem {
  id: string;
  number: string;
  title: Text;
  regionCode: string;
  departmentCode: string | null;
  at: string;
  /** Whether it counts toward the figure's rate (on time, satisfied …); null: no rate. */
  good: boolean | null;
  note: Text | null;
  link: string | null;
}

/** One page of records. */
export interface Page {
  limit: number;
  offset: number;
}

const same = (s: string): Text => ({ zh: s, en: s });
const round1 = (n: number) => Math.round(n * 10) / 10;

interface CompletedPayload {
  applicationId?: string;
  applicationNumber?: string;
  bundleCode?: string;
  bundleName?: Text;
  leadDepartment?: string;
  channel?: string;
  submittedAt?: string | null;
  onTime?: boolean | null;
  savings?: {
    steps: number;
    materials: number;
    visits: number;
    waived: number;
    committedVisits: number;
  } | null;
}

const APPLICATION_KEYS: Partial<Record<RecordKey, 'submitted' | 'completed'>> = {
  submitted: 'submitted',
  onlineRate: 'submitted',
  completed: 'completed',
  onTimeRate: 'completed',
  easyRate: 'completed',
  averageHours: 'completed',
  p90Hours: 'completed',
  savedSteps: 'completed',
  savedMaterials: 'completed',
  savedVisits: 'completed',
};

/** What one completed application says for a figure: whether it counts, and a note. */
function applicationFacts(
  key: RecordKey,
  p: CompletedPayload,
  occurredAt: Date,
): { good: boolean | null; note: Text | null } {
  switch (key) {
    case 'onlineRate':
      return p.channel === 'online'
        ? { good: true, note: { zh: '网上提交', en: 'online' } }
        : { good: false, note: { zh: '窗口提交', en: 'at a window' } };
    case 'onTimeRate':
      return {
        good: p.onTime === true,
        note:
          p.onTime === true
            ? { zh: '按承诺时限办结', en: 'on time' }
            : { zh: '超出承诺时限', en: 'late' },
      };
    case 'easyRate': {
      const easy = isEasy(p.onTime ?? null, p.savings?.committedVisits ?? null);
      return {
        good: easy,
        note: {
          zh: `${p.onTime ? '按时' : '未按时'}，承诺跑动 ${p.savings?.committedVisits ?? '—'} 次`,
          en: `${p.onTime ? 'on time' : 'not on time'}, ${p.savings?.committedVisits ?? '—'} visit(s) committed`,
        },
      };
    }
    case 'averageHours':
    case 'p90Hours': {
      const submitted = p.submittedAt ? Date.parse(p.submittedAt) : NaN;
      if (!Number.isFinite(submitted)) return { good: p.onTime ?? null, note: null };
      const hours = round1(Math.max(0, (occurredAt.getTime() - submitted) / 3_600_000));
      return {
        good: p.onTime ?? null,
        note: { zh: `用时 ${hours} 小时`, en: `took ${hours} h` },
      };
    }
    case 'savedSteps':
    case 'savedMaterials':
    case 'savedVisits': {
      const s = p.savings;
      if (!s) return { good: null, note: null };
      return {
        good: null,
        note: {
          zh: `减环节 ${s.steps}，减材料 ${s.materials + s.waived}（免提交 ${s.waived}），减跑动 ${s.visits}`,
          en: `${s.steps} steps, ${s.materials + s.waived} materials (${s.waived} waived), ${s.visits} visits saved`,
        },
      };
    }
    default:
      return { good: null, note: null };
  }
}

async function applicationRecords(
  db: Kdb,
  key: RecordKey,
  kind: 'submitted' | 'completed',
  scope: Scope,
  page: Page,
): Promise<{ total: number; items: RecordItem[] }> {
  const base = () =>
    db
      .selectFrom('domainEvents')
      .where('type', '=', ROLLUP_EVENTS[kind])
      .where('occurredAt', '>=', scope.from)
      .where('occurredAt', '<', scope.to)
      .where('regionCode', 'in', [...scope.regions]);
  const [rows, count, bundles] = await Promise.all([
    base()
      .select(['id', 'key', 'regionCode', 'payload', 'occurredAt'])
      .orderBy('occurredAt', 'desc')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base()
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
    bundleCommitments(db),
  ]);
  const payloads = rows.map((r) => r.payload as CompletedPayload);
  const existing = await applicationNumbers(
    db,
    payloads.flatMap((p) => (typeof p.applicationId === 'string' ? [p.applicationId] : [])),
  );
  const items = rows.map((r, i): RecordItem => {
    const p = payloads[i]!;
    const applicationId = typeof p.applicationId === 'string' ? p.applicationId : null;
    const number = (applicationId && existing.get(applicationId)) || p.applicationNumber || r.key;
    const bundle = p.bundleCode ? bundles.get(p.bundleCode) : undefined;
    const facts =
      kind === 'submitted' && key !== 'onlineRate'
        ? { good: null, note: null }
        : applicationFacts(key, p, r.occurredAt);
    return {
      id: applicationId ?? r.id,
      number,
      title: p.bundleName ?? bundle?.name ?? same(p.bundleCode ?? '—'),
      regionCode: r.regionCode,
      departmentCode: p.leadDepartment ?? null,
      at: r.occurredAt.toISOString(),
      good: facts.good,
      note: facts.note,
      link:
        applicationId && existing.has(applicationId) ? `/workbench/intake/${applicationId}` : null,
    };
  });
  return { total: count.n, items };
}

const SATISFACTION_NAMES: Record<string, Text> = {
  satisfied: { zh: '满意', en: 'satisfied' },
  basically_satisfied: { zh: '基本满意', en: 'basically satisfied' },
  unsatisfied: { zh: '不满意', en: 'unsatisfied' },
};

async function ticketRecords(db: Kdb, key: RecordKey, scope: Scope, page: Page) {
  const { total, rows } = await readClosedTickets(
    db,
    scope,
    { rated: key === 'ticketSatisfactionRate' },
    page,
  );
  const names = await categoryNames(db, [...new Set(rows.map((r) => r.categoryCode))]);
  const items = rows.map((t): RecordItem => {
    const category = names.get(t.categoryCode) ?? same(t.categoryCode);
    const satisfaction = t.satisfaction ? SATISFACTION_NAMES[t.satisfaction] : undefined;
    return {
      id: t.id,
      number: t.number,
      title: same(t.title),
      regionCode: t.regionCode,
      departmentCode: t.departmentCode,
      at: t.at.toISOString(),
      good:
        key === 'ticketOnTimeRate'
          ? t.onTime === true
          : key === 'ticketSatisfactionRate'
            ? isSatisfied(t.satisfaction)
            : null,
      note: satisfaction
        ? { zh: `${category.zh} · ${satisfaction.zh}`, en: `${category.en} · ${satisfaction.en}` }
        : category,
      link: `/workbench/hotline/tickets/${t.id}`,
    };
  });
  return { total, items };
}

async function panelRecords(
  db: Kdb,
  key: RecordKey,
  scope: Scope,
  region: string,
  page: Page,
): Promise<{ total: number; items: RecordItem[] }> {
  switch (key) {
    case 'satisfactionRate':
    case 'badRate': {
      const { total, rows } = await readRatings(db, scope, { bad: key === 'badRate' }, page);
      return {
        total,
        items: rows.map((r) => {
          const level = LEVEL_LABELS[r.level as Level] ?? same(String(r.level));
          return {
            id: r.id,
            number: r.number ?? r.id.slice(0, 8),
            title: r.title,
            regionCode: r.regionCode,
            departmentCode: r.departmentCode,
            at: r.ratedAt.toISOString(),
            good: key === 'badRate' ? !r.bad : r.satisfied,
            note: r.comment
              ? { zh: `${level.zh}：${r.comment}`, en: `${level.en}: ${r.comment}` }
              : level,
            link: r.rectificationId ? `/workbench/rectifications/${r.rectificationId}` : null,
          };
        }),
      };
    }
    case 'rectificationOnTimeRate': {
      const { total, rows } = await readRectifications(db, scope, page);
      return {
        total,
        items: rows.map((x) => ({
          id: x.id,
          number: x.number ?? x.id.slice(0, 8),
          title: x.title,
          regionCode: x.regionCode,
          departmentCode: x.departmentCode,
          at: x.createdAt.toISOString(),
          good: x.onTime,
          note: RECTIFICATION_STATES[x.state as keyof typeof RECTIFICATION_STATES] ?? same(x.state),
          link: `/workbench/rectifications/${x.id}`,
        })),
      };
    }
    case 'certificateFreeScenarios': {
      const { list } = await certificateFreeCount(db);
      const now = new Date().toISOString();
      return {
        total: list.length,
        items: list.slice(page.offset, page.offset + page.limit).map((s) => ({
          id: `${s.kind}:${s.code}:${s.applicantKind}`,
          number: s.code,
          title: s.name,
          regionCode: region,
          departmentCode: null,
          at: now,
          good: s.free,
          note: s.free
            ? {
                zh: `${s.materials.waivable} 份材料均可免提交`,
                en: `all ${s.materials.waivable} materials can be waived`,
              }
            : (s.blockers[0]?.message ?? null),
          link: '/workbench/certificate-free',
        })),
      };
    }
    case 'policyMatches': {
      const { total, rows } = await readMatches(db, scope, page);
      return {
        total,
        items: rows.map((m) => ({
          id: `${m.policyId}:${m.subjectId}`,
          number: m.policyCode,
          title: m.policyName,
          regionCode: m.regionCode,
          departmentCode: m.departmentCode,
          at: m.matchedAt.toISOString(),
          good: null,
          note: {
            zh: `${m.subjectName}：${m.summary.zh}`,
            en: `${m.subjectName}: ${m.summary.en}`,
          },
          link: null,
        })),
      };
    }
    case 'grantsPaidOnTimeRate': {
      const { total, rows } = await readPaidGrants(db, scope, page);
      return {
        total,
        items: rows.map((g) => ({
          id: g.id,
          number: g.number,
          title: g.policyName,
          regionCode: g.regionCode,
          departmentCode: g.departmentCode,
          at: (g.paidAt ?? g.dueAt).toISOString(),
          good: g.paidAt !== null && g.paidAt <= g.dueAt,
          note: {
            zh: `${g.subjectName}${g.amount === null ? '' : `，${g.amount} 元`}`,
            en: `${g.subjectName}${g.amount === null ? '' : `, ¥${g.amount}`}`,
          },
          link: `/workbench/policy-grants/${g.id}`,
        })),
      };
    }
    case 'inspectionsPerEnterprise':
    case 'inspectionsPublishedOnTimeRate': {
      const published = key === 'inspectionsPublishedOnTimeRate';
      const { total, rows } = await readInspections(
        db,
        scope,
        published ? 'published' : 'finished',
        page,
      );
      return {
        total,
        items: rows.map((i) => ({
          id: i.id,
          number: i.number,
          title: { zh: `检查：${i.subjectName}`, en: `Inspection: ${i.subjectName}` },
          regionCode: i.regionCode,
          departmentCode: i.departmentCodes[0] ?? null,
          at: ((published ? i.publishedAt : i.finishedAt) ?? new Date(0)).toISOString(),
          good: published
            ? i.publishedAt !== null && i.publishDueAt !== null && i.publishedAt <= i.publishDueAt
            : null,
          note:
            i.departmentCodes.length > 1
              ? { zh: `联合检查（${i.departmentCodes.length} 个部门）`, en: 'joint inspection' }
              : null,
          link: `/workbench/inspections/${i.id}`,
        })),
      };
    }
    default:
      return { total: 0, items: [] };
  }
}

/** The records behind one figure of a period and region, one page. */
export async function recordsOf(
  db: Kdb,
  key: RecordKey,
  scope: Scope,
  region: string,
  page: Page,
): Promise<{ indicator: RecordKey; total: number; items: RecordItem[] }> {
  const kind = APPLICATION_KEYS[key];
  const result = kind
    ? await applicationRecords(db, key, kind, scope, page)
    : key.startsWith('ticket')
      ? await ticketRecords(db, key, scope, page)
      : await panelRecords(db, key, scope, region, page);
  return { indicator: key, ...result };
}
