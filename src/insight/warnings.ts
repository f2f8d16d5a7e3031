// What needs attention now (预警): the records past their deadline in a region, each read by the
// capability that owns it — cases past their committed limit, tickets past their finishing
// deadline, rectifications and grants past due, results not published in time, and reform tasks
// overdue by the ledger's own rule — counted per kind, the most overdue listed first.
import { atLocalTime, toLocalDate } from '../platform/calendar';
import { readOverdueCases } from '../cases';
import { readOverdueRectifications } from '../evaluations';
import { readOverdueTickets } from '../hotline';
import type { Kdb } from '../platform/db/database';
import type { Text } from '../platform/i18n';
import { readOverdueGrants } from '../policies';
import { readUnpublishedInspections } from '../supervision';
import { addDays, warningBounds } from './ledger';
import { listTasks } from './ledger-store';

/** The kinds of warnings, in the order the cockpit shows them. */
export const WARNING_KINDS = [
  'case_overdue',
  'ticket_overdue',
  'rectification_overdue',
  'grant_overdue',
  'inspection_unpublished',
  'ledger_overdue',
] as const;
/** A kind of warning. */
export type WarningKind = (typeof WARNING_KINDS)[number];

/** One record needing attention. */
export interface WarningItem {
  kind: WarningKind;
  id: string;
  number: string;
  title: Text;
  regionCode: string;
  departmentCode: string | null;
  dueAt: string;
  link: string | null;
}

/** The most warnings one answer lists. */
export const MAX_WARNINGS = 100;

const same = (s: string): Text => ({ zh: s, en: s });

/** The records of the regions past their deadline at `now`: counts per kind and the most overdue. */
export async function warningsOf(db: Kdb, regions: readonly string[], now = new Date()) {
  const limit = MAX_WARNINGS;
  const today = toLocalDate(now);
  const [cases, tickets, rectifications, grants, inspections, tasks] = await Promise.all([
    readOverdueCases(db, regions, now, limit),
    readOverdueTickets(db, regions, now, limit),
    readOverdueRectifications(db, regions, now, limit),
    readOverdueGrants(db, regions, now, limit),
    readUnpublishedInspections(db, regions, now, limit),
    listTasks(db, { regions: [...regions], warning: 'overdue' }, warningBounds(today), null),
  ]);
  const items: WarningItem[] = [
    ...cases.rows.map((c) => ({
      kind: 'case_overdue' as const,
      id: c.id,
      number: c.number,
      title: c.itemName ?? same(c.itemCode),
      regionCode: c.regionCode,
      departmentCode: c.departmentCode,
      dueAt: c.committedDueAt.toISOString(),
      link: `/workbench/cases/${c.id}`,
    })),
    ...tickets.rows.map((t) => ({
      kind: 'ticket_overdue' as const,
      id: t.id,
      number: t.number,
      title: same(t.title),
      regionCode: t.regionCode,
      departmentCode: t.departmentCode,
      dueAt: t.at.toISOString(),
      link: `/workbench/hotline/tickets/${t.id}`,
    })),
    ...rectifications.rows.map((x) => ({
      kind: 'rectification_overdue' as const,
      id: x.id,
      number: x.number ?? x.id.slice(0, 8),
      title: x.title,
      regionCode: x.regionCode,
      departmentCode: x.departmentCode,
      dueAt: x.dueAt.toISOString(),
      link: `/workbench/rectifications/${x.id}`,
    })),
    ...grants.rows.map((g) => ({
      kind: 'grant_overdue' as const,
      id: g.id,
      number: g.number,
      title: {
        zh: `${g.policyName.zh}（${g.subjectName}）`,
        en: `${g.policyName.en} (${g.subjectName})`,
      },
      regionCode: g.regionCode,
      departmentCode: g.departmentCode,
      dueAt: g.dueAt.toISOString(),
      link: `/workbench/policy-grants/${g.id}`,
    })),
    ...inspections.rows.map((i) => ({
      kind: 'inspection_unpublished' as const,
      id: i.id,
      number: i.number,
      title: { zh: `检查结果待公示：${i.subjectName}`, en: `Result to publish: ${i.subjectName}` },
      regionCode: i.regionCode,
      departmentCode: i.departmentCodes[0] ?? null,
      dueAt: (i.publishDueAt ?? now).toISOString(),
      link: `/workbench/inspections/${i.id}`,
    })),
    // a task due on a day is overdue from the start of the next day (Beijing time)
    ...tasks.items.map((t) => ({
      kind: 'ledger_overdue' as const,
      id: t.id,
      // the measure's number in its document ("开办企业 8"), as the ledger's own list shows it
      number: t.path.join(' '),
      title: same(t.title),
      regionCode: t.regionCode,
      departmentCode: null,
      dueAt: atLocalTime(addDays(t.dueOn!, 1)).toISOString(),
      link: `/workbench/ledger/tasks/${encodeURIComponent(t.id)}`,
    })),
  ];
  items.sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
  return {
    counts: {
      case_overdue: cases.total,
      ticket_overdue: tickets.total,
      rectification_overdue: rectifications.total,
      grant_overdue: grants.total,
      inspection_unpublished: inspections.total,
      ledger_overdue: tasks.total,
    } satisfies Record<WarningKind, number>,
    items: items.slice(0, limit),
  };
}
