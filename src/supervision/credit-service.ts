// Credit use cases: departments record penalties, abnormal-operation listings and commendations;
// anyone reads a subject's grade and the records still published (信用信息公示); the subject asks
// for repair (信用修复) once the rules allow, and the recording department decides within its
// working-day limit — an approval ends the record's publication at once.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { parse } from 'yaml';
import { appendAudit } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import { toLocalDate, type BusinessHours } from '../platform/calendar';
import { CalendarService } from '../platform/calendar/service';
import type { Kdb, Tx } from '../platform/db/database';
import { AppError, forbidden, invalidField, notFound } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import { notify } from '../platform/notify';
import { regionsUnder } from '../platform/regions';
import {
  CREDIT_KINDS,
  CREDIT_REPAIR_DECISION_WORKING_DAYS,
  CREDIT_SEVERITIES,
  KIND_LABELS,
  RECORD_STATE_LABELS,
  REPAIR_STATE_LABELS,
  SCORE_POINTS,
  SEVERITY_LABELS,
  addMonths,
  gradeOf,
  publishedOn,
  recordDates,
  repairRefusal,
  type CreditGrade,
  type CreditKind,
  type CreditRepairState,
  type CreditSeverity,
} from './credit';
import * as store from './credit-store';
import type { CreditRecordRow, CreditRepairRow } from './credit-store';

const RECORD: Text = { zh: '信用记录', en: 'credit record' };
const REPAIR: Text = { zh: '信用修复申请', en: 'credit repair' };
const SUBJECT: Text = { zh: '信用主体', en: 'subject' };

/** Staff who record credit and decide repairs for their department. */
export const CREDIT_DEPARTMENT_ROLES = ['inspector', 'reviewer'] as const;

/** What a department records. */
export interface RecordInput {
  subjectId: string;
  kind: CreditKind;
  severity: CreditSeverity;
  title: string;
  decidedOn: string;
  /** Administrators may record for any department; staff only for their own. */
  departmentCode?: string;
}

/** A credit record as readers see it. */
export interface CreditRecordView {
  id: string;
  subjectId: string;
  kind: CreditKind;
  kindName: Text;
  severity: CreditSeverity;
  severityName: Text;
  title: string;
  department: { code: string; name: Text };
  decidedOn: string;
  publishUntil: string;
  repairableFrom: string;
  state: CreditRecordState;
  stateName: Text;
  repairedAt: string | null;
  /** In publication today (counts for the grade). */
  published: boolean;
  points: number;
}
type CreditRecordState = CreditRecordRow['state'];

/** A repair as readers see it. */
export interface CreditRepairView {
  id: string;
  recordId: string;
  subjectId: string;
  departmentCode: string;
  statement: string;
  state: CreditRepairState;
  stateName: Text;
  dueAt: string;
  overdue: boolean;
  decidedAt: string | null;
  decisionNote: string | null;
  createdAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * A subject's credit grade today (信用分级分类), from its records: what another capability shows of
 * it (the dossier, 一企一档). The server passes it in, as supervision already depends on licences.
 */
export async function creditGradeOf(db: Kdb, subjectId: string, now = new Date()) {
  const day = toLocalDate(now);
  const { score, grade } = gradeOf(await store.recordsOf(db, subjectId), day);
  return { score, grade, asOf: day };
}

export class CreditService {
  readonly #calendars: CalendarService;

  constructor(
    private readonly db: Kdb,
    businessHours: BusinessHours,
  ) {
    this.#calendars = new CalendarService(db, businessHours);
  }

  /** 信用信息公示: an enterprise's grade and the records still published (none repaired). */
  async publicCard(subjectId: string, now = new Date()) {
    const subject = await store.findSubject(this.db, subjectId);
    // a natural person's credit is personal information: not on the public page
    if (!subject || subject.kind !== 'enterprise') throw notFound(SUBJECT);
    const day = toLocalDate(now);
    const records = await store.recordsOf(this.db, subjectId);
    const shown = records.filter((r) => publishedOn(r, day));
    return {
      subject: { id: subject.id, name: subject.name, regionCode: subject.regionCode },
      asOf: day,
      ...this.#grade(records, day),
      records: await this.#views(shown, day),
    };
  }

  /** The actor's own subject: grade, every record (repaired ones too) and its repairs. */
  async mine(actor: Actor, now = new Date()) {
    const subjectId = ownSubject(actor);
    const subject = await store.findSubject(this.db, subjectId);
    if (!subject) throw notFound(SUBJECT);
    const day = toLocalDate(now);
    const [records, repairs] = await Promise.all([
      store.recordsOf(this.db, subjectId),
      store.repairsOf(this.db, subjectId),
    ]);
    const open = new Set(repairs.filter((r) => r.state === 'submitted').map((r) => r.recordId));
    const views = await this.#views(records, day);
    return {
      subject: { id: subject.id, name: subject.name, kind: subject.kind },
      asOf: day,
      ...this.#grade(records, day),
      records: views.map((v, i) => {
        const refusal = repairRefusal(records[i]!, day);
        return {
          ...v,
          // what the subject may do next, so the page shows the right button
          canRepair: !refusal && !open.has(v.id),
          repairRefusal: refusal?.message ?? null,
        };
      }),
      repairs: repairs.map((r) => repairView(r, now)),
    };
  }

  /** A department enters a credit record; the subject is told. 200 for a retried create. */
  async record(actor: Actor, input: RecordInput, meta: RequestMeta, now = new Date()) {
    const departmentCode = await this.#recordingDepartment(actor, input.departmentCode);
    const title = input.title.trim();
    if (!title)
      throw invalidField('body.title', 'required', { zh: '请填写标题', en: 'a title is required' });
    const day = toLocalDate(now);
    if (input.decidedOn > day)
      throw invalidField('body.decidedOn', 'not_future', {
        zh: '决定日期不能晚于今天',
        en: 'the decision date cannot be in the future',
      });
    if (input.decidedOn < addMonths(day, -120))
      throw invalidField('body.decidedOn', 'within_10_years', {
        zh: '决定日期不能早于十年前',
        en: 'the decision date cannot be more than 10 years ago',
      });
    const subject = await store.findSubject(this.db, input.subjectId);
    if (!subject || !(await this.#inRegion(actor, subject.regionCode))) throw notFound(SUBJECT);
    const dates = recordDates(input.kind, input.severity, input.decidedOn);
    const { row, created } = await this.db.transaction().execute(async (trx) => {
      // one create per subject at a time, so that a retry finds the first one
      await sql`select pg_advisory_xact_lock(hashtext(${`credit_records:${subject.id}`}))`.execute(
        trx,
      );
      const facts = {
        subjectId: subject.id,
        departmentCode,
        kind: input.kind,
        severity: input.severity,
        title,
        decidedOn: input.decidedOn,
      };
      const same = await store.findSameRecord(trx, facts);
      if (same) return { row: same, created: false };
      const row: CreditRecordRow = {
        ...facts,
        ...dates,
        id: randomUUID(),
        regionCode: subject.regionCode,
        state: 'published',
        repairedAt: null,
        createdBy: actor.userId,
        createdAt: now,
      };
      await store.insertRecord(trx, row);
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'supervision.credit_recorded',
        objectType: 'credit_record',
        objectId: row.id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { subjectId: subject.id, departmentCode, kind: row.kind, severity: row.severity },
      });
      await notify(
        trx,
        {
          to: { subjectIds: [subject.id] },
          kind: 'supervision.credit_recorded',
          title: {
            zh: `新增信用记录：${KIND_LABELS[row.kind].zh}`,
            en: `New credit record: ${KIND_LABELS[row.kind].en}`,
          },
          body: {
            zh: `「${title}」（${SEVERITY_LABELS[row.severity].zh}），公示至 ${row.publishUntil}${row.kind === 'commendation' ? '' : `，${row.repairableFrom} 起可申请信用修复`}。`,
            en: `"${title}" (${SEVERITY_LABELS[row.severity].en}), published until ${row.publishUntil}${row.kind === 'commendation' ? '' : `; repair may be asked for from ${row.repairableFrom}`}.`,
          },
          link: '/supervision/mine',
          dedupeKey: `credit-recorded:${row.id}`,
        },
        now,
      );
      return { row, created: true };
    });
    return { created, record: (await this.#views([row], day))[0]! };
  }

  /** The subject asks to repair one of its records; due within the decision limit. */
  async applyRepair(
    actor: Actor,
    input: { recordId: string; statement: string },
    meta: RequestMeta,
    now = new Date(),
  ): Promise<CreditRepairView> {
    const subjectId = ownSubject(actor);
    const statement = input.statement.trim();
    if (!statement)
      throw invalidField('body.statement', 'required', {
        zh: '请说明失信行为的纠正情况',
        en: 'state how the dishonest act was corrected',
      });
    const day = toLocalDate(now);
    const seen = await store.findRecord(this.db, input.recordId);
    if (!seen || seen.subjectId !== subjectId) throw notFound(RECORD);
    // built before the transaction: on PGlite the transaction holds the only connection
    const calendar = await this.#calendars.forRegion(seen.regionCode);
    const repair = await this.db.transaction().execute(async (trx) => {
      const record = await store.lockRecord(trx, input.recordId);
      if (!record || record.subjectId !== subjectId) throw notFound(RECORD);
      const refusal = repairRefusal(record, day);
      if (refusal)
        throw new AppError(422, `supervision.credit_${refusal.rule}`, refusal.message, [
          { path: 'body.recordId', rule: refusal.rule, message: refusal.message },
        ]);
      if (await store.openRepairOf(trx, record.id))
        throw new AppError(409, 'supervision.credit_repair_open', {
          zh: '该记录已有待审核的修复申请',
          en: 'a repair of this record is already awaiting decision',
        });
      const row: CreditRepairRow = {
        id: randomUUID(),
        recordId: record.id,
        subjectId,
        regionCode: record.regionCode,
        departmentCode: record.departmentCode,
        statement,
        state: 'submitted',
        dueAt: calendar.addWorkingDays(now, CREDIT_REPAIR_DECISION_WORKING_DAYS).due,
        decidedAt: null,
        decidedBy: null,
        decisionNote: null,
        createdBy: actor.userId,
        createdAt: now,
      };
      await store.insertRepair(trx, row);
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'supervision.credit_repair_submitted',
        objectType: 'credit_repair',
        objectId: row.id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { recordId: record.id, subjectId },
      });
      const due = toLocalDate(row.dueAt);
      await notify(
        trx,
        {
          to: {
            department: { code: record.departmentCode, roles: [...CREDIT_DEPARTMENT_ROLES] },
          },
          kind: 'supervision.credit_repair_submitted',
          title: {
            zh: `信用修复待审核：${record.title}`,
            en: `Credit repair to decide: ${record.title}`,
          },
          body: { zh: `请于 ${due} 前作出决定。`, en: `Decide by ${due}.` },
          link: `/workbench/credit-repairs/${row.id}`,
          dedupeKey: `credit-repair-submitted:${row.id}`,
        },
        now,
      );
      return row;
    });
    return repairView(repair, now);
  }

  /** Repairs: the subject's own, the department's, the region's (supervisors), all (admin). */
  async listRepairs(
    actor: Actor,
    filter: { state?: CreditRepairState; limit: number; offset: number },
    now = new Date(),
  ) {
    const scope = await this.#repairScope(actor);
    const page = await store.listRepairs(this.db, { ...scope, ...filter });
    return {
      total: page.total,
      items: page.items.map((r) => ({
        ...repairView(r, now),
        subjectName: r.subjectName,
        record: {
          title: r.recordTitle,
          kind: r.recordKind,
          kindName: KIND_LABELS[r.recordKind],
          severity: r.recordSeverity,
          severityName: SEVERITY_LABELS[r.recordSeverity],
        },
      })),
    };
  }

  async #repairScope(actor: Actor): Promise<Omit<store.RepairFilter, 'limit' | 'offset'>> {
    if (actor.role === 'citizen' || actor.role === 'enterprise')
      return { subjectId: ownSubject(actor), regions: 'all' };
    if (actor.role === 'admin') return { regions: 'all' };
    const regions = await regionsUnder(this.db, actor.regionCode);
    if (actor.role === 'supervisor') return { regions };
    const departmentCode = await store.departmentCodeOf(this.db, actor.departmentId);
    if (!departmentCode) throw forbidden();
    return { departmentCode, regions };
  }

  /**
   * The recording department decides a repair under a row lock; an approval ends the record's
   * publication. Retrying the same decision answers with the repair as it is; a different one 409.
   */
  async decide(
    actor: Actor,
    id: string,
    input: { approve: boolean; note?: string },
    meta: RequestMeta,
    now = new Date(),
  ): Promise<CreditRepairView> {
    const departmentCode = await store.departmentCodeOf(this.db, actor.departmentId);
    const regions = await regionsUnder(this.db, actor.regionCode);
    const note = input.note?.trim() || null;
    const repair = await this.db.transaction().execute(async (trx) => {
      const row = await store.lockRepair(trx, id);
      if (!row || row.departmentCode !== departmentCode || !regions.includes(row.regionCode))
        throw notFound(REPAIR);
      const wanted = input.approve ? 'approved' : 'rejected';
      if (row.state === wanted) return row; // a retry
      if (row.state !== 'submitted')
        throw new AppError(409, 'supervision.credit_repair_decided', {
          zh: `该申请已${REPAIR_STATE_LABELS[row.state].zh}，不能再作决定`,
          en: `this repair was already ${row.state}; it cannot be decided again`,
        });
      if (!input.approve && !note)
        throw invalidField('body.note', 'required', {
          zh: '不予修复须说明理由',
          en: 'a rejection needs a reason',
        });
      const record = (await store.lockRecord(trx, row.recordId))!;
      const decided = {
        state: wanted,
        decidedAt: now,
        decidedBy: actor.userId,
        decisionNote: note,
      } as const;
      await store.decideRepair(trx, id, decided);
      if (input.approve) await store.markRepaired(trx, record.id, now);
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: `supervision.credit_repair_${wanted}`,
        objectType: 'credit_repair',
        objectId: id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { recordId: record.id, subjectId: row.subjectId, note },
      });
      await notify(
        trx,
        {
          to: { subjectIds: [row.subjectId] },
          kind: `supervision.credit_repair_${wanted}`,
          title: input.approve
            ? { zh: `信用修复已通过：${record.title}`, en: `Credit repaired: ${record.title}` }
            : {
                zh: `信用修复未通过：${record.title}`,
                en: `Credit repair rejected: ${record.title}`,
              },
          body: input.approve
            ? {
                zh: '该记录已停止公示，不再计入信用评分。',
                en: 'The record is no longer published nor scored.',
              }
            : { zh: `理由：${note}`, en: `Reason: ${note}` },
          link: '/supervision/mine',
          dedupeKey: `credit-repair-decided:${id}`,
        },
        now,
      );
      return { ...row, ...decided };
    });
    return repairView(repair, now);
  }

  async #recordingDepartment(actor: Actor, asked: string | undefined): Promise<string> {
    if (actor.role === 'admin') {
      const code = asked ?? (await store.departmentCodeOf(this.db, actor.departmentId));
      if (!code || !(await store.departmentExists(this.db, code)))
        throw invalidField('body.departmentCode', 'known_department', {
          zh: '请填写存在的部门编码',
          en: 'name an existing department code',
        });
      return code;
    }
    const own = await store.departmentCodeOf(this.db, actor.departmentId);
    if (!own) throw forbidden();
    if (asked !== undefined && asked !== own)
      throw forbidden({
        zh: '只能录入本部门作出的信用记录',
        en: 'you may only record credit decided by your own department',
      });
    return own;
  }

  async #inRegion(actor: Actor, regionCode: string) {
    return (
      actor.role === 'admin' || (await regionsUnder(this.db, actor.regionCode)).includes(regionCode)
    );
  }

  #grade(records: readonly CreditRecordRow[], day: string) {
    const { score, grade } = gradeOf(records, day);
    return { score, grade };
  }

  async #views(rows: readonly CreditRecordRow[], day: string): Promise<CreditRecordView[]> {
    const names = await store.departmentNames(
      this.db,
      rows.map((r) => r.departmentCode),
    );
    return rows.map((r) => ({
      id: r.id,
      subjectId: r.subjectId,
      kind: r.kind,
      kindName: KIND_LABELS[r.kind],
      severity: r.severity,
      severityName: SEVERITY_LABELS[r.severity],
      title: r.title,
      department: {
        code: r.departmentCode,
        name: names.get(r.departmentCode) ?? { zh: r.departmentCode, en: r.departmentCode },
      },
      decidedOn: r.decidedOn,
      publishUntil: r.publishUntil,
      repairableFrom: r.repairableFrom,
      state: r.state,
      stateName: RECORD_STATE_LABELS[r.state],
      repairedAt: iso(r.repairedAt),
      published: publishedOn(r, day),
      points: SCORE_POINTS[r.kind][r.severity],
    }));
  }
}

function ownSubject(actor: Actor): string {
  if ((actor.role !== 'citizen' && actor.role !== 'enterprise') || !actor.subjectId)
    throw forbidden();
  return actor.subjectId;
}

function repairView(r: CreditRepairRow, now: Date): CreditRepairView {
  return {
    id: r.id,
    recordId: r.recordId,
    subjectId: r.subjectId,
    departmentCode: r.departmentCode,
    statement: r.statement,
    state: r.state,
    stateName: REPAIR_STATE_LABELS[r.state],
    dueAt: r.dueAt.toISOString(),
    overdue: r.state === 'submitted' && r.dueAt < now,
    decidedAt: iso(r.decidedAt),
    decisionNote: r.decisionNote,
    createdAt: r.createdAt.toISOString(),
  };
}

// Above this many subjects, reading every record in publication and filtering is cheaper than a
// list of ids in the query (the draw asks for a whole registry).
const IN_LIST_LIMIT = 1000;

/**
 * The grade of each subject on a day (YYYY-MM-DD), from its records in publication. Every subject
 * listed gets one — a subject without records is A; null means every subject with any record.
 */
export async function creditGrades(
  db: Kdb | Tx,
  subjectIds: readonly string[] | null,
  day: string,
): Promise<Map<string, CreditGrade>> {
  const ids = subjectIds ?? (await store.subjectsWithRecords(db));
  const small = ids.length <= IN_LIST_LIMIT;
  const rows = ids.length === 0 ? [] : await store.publishedRecords(db, small ? ids : null, day);
  const bySubject = new Map<string, typeof rows>();
  for (const r of rows) {
    const list = bySubject.get(r.subjectId);
    if (list) list.push(r);
    else bySubject.set(r.subjectId, [r]);
  }
  return new Map(ids.map((id) => [id, gradeOf(bySubject.get(id) ?? [], day).grade]));
}

/** One demo record of data/supervision/credit.yaml. */
interface DemoRecord {
  subject: string;
  department: string;
  kind: CreditKind;
  severity: CreditSeverity;
  title: string;
  /** How long before today it was decided. */
  monthsAgo: number;
}

/** The demo credit records. */
export function readDemoCredit(): DemoRecord[] {
  const file = fileURLToPath(new URL('../../data/supervision/credit.yaml', import.meta.url));
  const records = (parse(readFileSync(file, 'utf8')) as { records: DemoRecord[] }).records;
  for (const r of records) {
    if (!CREDIT_KINDS.includes(r.kind) || !CREDIT_SEVERITIES.includes(r.severity))
      throw new Error(`credit.yaml: bad kind or severity for ${r.subject}`);
  }
  return records;
}

/**
 * Seeds the demo credit records, dated relative to today; nothing when any record exists.
 * Returns how many were written.
 */
export async function seedCredit(db: Kdb, now = new Date()): Promise<number> {
  if (await store.anyRecord(db)) return 0;
  const demo = readDemoCredit();
  const subjects = new Map(
    (
      await store.subjectsByName(
        db,
        demo.map((r) => r.subject),
      )
    ).map((s) => [s.name, s]),
  );
  const today = toLocalDate(now);
  let written = 0;
  await db.transaction().execute(async (trx) => {
    for (const r of demo) {
      const subject = subjects.get(r.subject);
      if (!subject) throw new Error(`credit.yaml: no subject named ${r.subject}`);
      const decidedOn = addMonths(today, -r.monthsAgo);
      await store.insertRecord(trx, {
        id: randomUUID(),
        subjectId: subject.id,
        regionCode: subject.regionCode,
        departmentCode: r.department,
        kind: r.kind,
        severity: r.severity,
        title: r.title,
        decidedOn,
        ...recordDates(r.kind, r.severity, decidedOn),
        state: 'published',
        createdBy: null,
        createdAt: now,
      });
      written++;
    }
  });
  return written;
}
