// Use cases of the reform-task ledger: read the list, board and a task in the caller's regions,
// report progress as a unit (idempotent), tick a task off or reopen it as a supervisor, and export
// the ledger to Excel. Every write runs in one transaction with the task row locked, and is audited.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { appendAudit } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import { toLocalDate } from '../platform/calendar/time';
import type { Kdb, Tx } from '../platform/db/database';
import { AppError, forbidden, invalidField, notFound } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import { departmentCodeOf, departmentNames, regionsUnder } from '../platform/regions';
import {
  REPORT_STATUS_LABELS,
  STATE_LABELS,
  WARNING_LABELS,
  canTickOff,
  cadenceOf,
  latestReport,
  periodKey,
  periodProblem,
  reportableUnits,
  tickOffProblem,
  warningBounds,
  warningsOf,
  type ReportStatus,
} from './ledger';
import * as store from './ledger-store';
import type { TaskFilter, TaskRow } from './ledger-store';

const TASK: Text = { zh: '改革任务', en: 'reform task' };

/** A progress report as a unit sends it. */
export interface ProgressInput {
  unit?: string;
  period?: string;
  status: ReportStatus;
  percent: number;
  note: string;
  evidence?: { text?: string; links?: string[] };
}

/** The list's filters as a caller gives them; `mine` narrows to the caller's own units. */
export type ListFilter = Omit<TaskFilter, 'regions'> & { mine?: boolean };

/** What lists show of a task: its row and its warnings today. */
export function presentTask(task: TaskRow, today: string) {
  return { ...task, warnings: warningsOf(task, today), cadence: cadenceOf(task.dueOn, today) };
}

function conflict(code: string, text: Text): AppError {
  return new AppError(409, code, text);
}

/** The reform-task ledger's use cases. */
export class LedgerService {
  constructor(private readonly db: Kdb) {}

  /** The regions whose tasks a staff member sees (administrators: every region). */
  async regionsOf(actor: Actor, db: Kdb | Tx = this.db): Promise<string[]> {
    if (actor.role === 'admin')
      return (await db.selectFrom('regions').select('code').execute()).map((r) => r.code);
    return regionsUnder(db, actor.regionCode);
  }

  /** A page of tasks matching the filters, with their warnings. */
  async list(
    actor: Actor,
    given: ListFilter,
    page: { limit: number; offset: number },
    today = toLocalDate(new Date()),
  ) {
    const regions = await this.regionsOf(actor);
    const result = await store.listTasks(
      this.db,
      { ...(await this.ownUnits(actor, given)), regions },
      warningBounds(today),
      page,
    );
    return { total: result.total, today, items: result.items.map((t) => presentTask(t, today)) };
  }

  // `mine`: the tasks of the units the caller's department reports for (none without a department).
  private async ownUnits(actor: Actor, filter: ListFilter): Promise<Omit<TaskFilter, 'regions'>> {
    const { mine, ...rest } = filter;
    if (!mine) return rest;
    return { ...rest, department: (await departmentCodeOf(this.db, actor.departmentId)) ?? '-' };
  }

  /** The board: counts per document and per unit, with the departments' names. */
  async board(actor: Actor, today = toLocalDate(new Date())) {
    const regions = await this.regionsOf(actor);
    const counts = await store.boardCounts(this.db, { regions }, warningBounds(today));
    const names = await departmentNames(this.db);
    return {
      today,
      documents: counts.documents,
      units: counts.units.map((u) => ({
        ...u,
        departmentName: u.departmentCode ? (names.get(u.departmentCode) ?? null) : null,
      })),
    };
  }

  /** The documents tracked in the caller's regions. */
  async documents(actor: Actor) {
    return store.listDocuments(this.db, await this.regionsOf(actor));
  }

  /** A task the caller may see, or 404. */
  private async visibleTask(db: Kdb | Tx, actor: Actor, id: string, lock = false) {
    const task = await store.findTask(db, id, lock);
    if (!task || !(await this.regionsOf(actor, db)).includes(task.regionCode)) throw notFound(TASK);
    return task;
  }

  /** A task with its units, history, warnings, current period and what the caller may do. */
  async task(actor: Actor, id: string, today = toLocalDate(new Date())) {
    const task = await this.visibleTask(this.db, actor, id);
    const [units, reports, document, department, names] = await Promise.all([
      store.taskUnits(this.db, id),
      store.listReports(this.db, id),
      this.db
        .selectFrom('ledgerDocuments')
        .select(['key', 'letter', 'title', 'number'])
        .where('key', '=', task.documentKey)
        .executeTakeFirstOrThrow(),
      departmentCodeOf(this.db, actor.departmentId),
      departmentNames(this.db),
    ]);
    const reportable = task.state === 'open' ? reportableUnits(actor, department, units) : [];
    const tickOff = canTickOff(actor);
    return {
      ...presentTask(task, today),
      document,
      units: units.map((u) => ({
        ...u,
        departmentName: u.departmentCode ? (names.get(u.departmentCode) ?? null) : null,
      })),
      reports,
      currentPeriod: periodKey(today, cadenceOf(task.dueOn, today)),
      can: {
        report: reportable,
        /** The caller's role ticks tasks off, whether or not this one may be now. */
        supervise: tickOff,
        tickOff: tickOff && tickOffProblem(task) === null,
        reopen: tickOff && task.state === 'done',
      },
    };
  }

  /**
   * A unit reports progress on a task for a period (default: the current one). The same unit and
   * period again replaces its report; a retry with the same idempotency key returns the first
   * answer unchanged.
   */
  async report(
    actor: Actor,
    id: string,
    input: ProgressInput,
    meta: RequestMeta & { idempotencyKey?: string },
    now = new Date(),
  ) {
    const today = toLocalDate(now);
    return this.db.transaction().execute(async (trx) => {
      if (meta.idempotencyKey) {
        const earlier = await store.findReportByKey(trx, meta.idempotencyKey);
        if (earlier && (earlier.taskId !== id || earlier.reporterId !== actor.userId))
          throw conflict('insight.idempotency_key_reused', {
            zh: '该幂等键已用于其他进展报告',
            en: 'the idempotency key was used for another progress report',
          });
        if (earlier) return { replayed: true, created: false, reportId: earlier.id };
      }
      const task = await this.visibleTask(trx, actor, id, true);
      const units = await store.taskUnits(trx, id);
      const reportable = reportableUnits(
        actor,
        await departmentCodeOf(trx, actor.departmentId),
        units,
      );
      if (reportable.length === 0)
        throw forbidden({
          zh: '只有任务牵头或责任单位的工作人员可以报送进展',
          en: "only staff of the task's lead or responsible units may report progress",
        });
      const unit = input.unit ?? reportable[0]!;
      if (!units.some((u) => u.name === unit))
        throw invalidField('body.unit', 'unit_of_task', {
          zh: `“${unit}”不是该任务的牵头或责任单位`,
          en: `"${unit}" is not a lead or responsible unit of this task`,
        });
      if (!reportable.includes(unit))
        throw forbidden({ zh: `您不能代表“${unit}”报送`, en: `you may not report for "${unit}"` });
      if (task.state === 'done')
        throw conflict('insight.task_done', {
          zh: '任务已销号，不能再报送进展；如需继续请先恢复',
          en: 'the task is ticked off; reopen it before reporting progress',
        });
      const period = input.period ?? periodKey(today, cadenceOf(task.dueOn, today));
      const problem = periodProblem(period, today);
      if (problem)
        throw invalidField('body.period', `period_${problem}`, {
          zh:
            problem === 'format'
              ? '报送周期应为 2026-W48（周）或 2026-11（月）'
              : '不能报送未来的周期',
          en:
            problem === 'format'
              ? 'the period must be a week like 2026-W48 or a month like 2026-11'
              : 'a future period cannot be reported',
        });
      if (input.status === 'completed' && input.percent !== 100)
        throw invalidField('body.percent', 'completed_percent', {
          zh: '状态为“已完成”时完成比例应为100',
          en: 'a completed report must say 100 percent',
        });
      const evidence = { text: input.evidence?.text ?? '', links: input.evidence?.links ?? [] };
      const existing = await store.findReportOfPeriod(trx, id, unit, period);
      const reportId = existing?.id ?? randomUUID();
      const row = {
        status: input.status,
        percent: input.percent,
        note: input.note,
        evidence: JSON.stringify(evidence),
        reporterId: actor.userId,
        reportedAt: now,
        idempotencyKey: meta.idempotencyKey ?? null,
        departmentCode: units.find((u) => u.name === unit)?.departmentCode ?? null,
      };
      if (existing)
        await trx
          .updateTable('ledgerReports')
          .set({ ...row, revision: existing.revision + 1 })
          .where('id', '=', existing.id)
          .execute();
      else
        await trx
          .insertInto('ledgerReports')
          .values({
            ...row,
            id: reportId,
            taskId: id,
            regionCode: task.regionCode,
            unitName: unit,
            period,
            revision: 1,
          })
          .execute();
      await this.refreshLatest(trx, id, now);
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: existing ? 'insight.progress_replaced' : 'insight.progress_reported',
        objectType: 'reform_task',
        objectId: id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { reportId, unit, period, status: input.status, percent: input.percent },
      });
      return { replayed: false, created: !existing, reportId };
    });
  }

  // The task row keeps its latest report so warnings and boards read one table.
  private async refreshLatest(trx: Tx, id: string, now: Date) {
    const reports = await trx
      .selectFrom('ledgerReports')
      .select(['period', 'status', 'percent', 'reportedAt'])
      .where('taskId', '=', id)
      .execute();
    const latest = latestReport(reports);
    await trx
      .updateTable('ledgerTasks')
      .set((eb) => ({
        lastPeriod: latest?.period ?? null,
        lastStatus: latest?.status ?? null,
        lastPercent: latest?.percent ?? null,
        lastReportedAt: latest?.reportedAt ?? null,
        version: eb('version', '+', 1),
        updatedAt: now,
      }))
      .where('id', '=', id)
      .execute();
  }

  /** A supervisor ticks a task off (销号) once its latest report says it is completed. */
  async tickOff(
    actor: Actor,
    id: string,
    input: { note: string; version?: number },
    meta: RequestMeta,
    now = new Date(),
  ) {
    return this.decide(actor, id, input, meta, now, 'done');
  }

  /** A supervisor reopens a ticked-off task. */
  async reopen(
    actor: Actor,
    id: string,
    input: { note: string; version?: number },
    meta: RequestMeta,
    now = new Date(),
  ) {
    return this.decide(actor, id, input, meta, now, 'open');
  }

  private async decide(
    actor: Actor,
    id: string,
    input: { note: string; version?: number },
    meta: RequestMeta,
    now: Date,
    to: 'done' | 'open',
  ) {
    if (!canTickOff(actor)) throw forbidden();
    return this.db.transaction().execute(async (trx) => {
      const task = await this.visibleTask(trx, actor, id, true);
      if (input.version !== undefined && input.version !== task.version)
        throw conflict('insight.version_conflict', {
          zh: '任务已被他人更新，请刷新后重试',
          en: 'the task was changed meanwhile; reload and try again',
        });
      if (to === 'done') {
        const problem = tickOffProblem(task);
        if (problem === 'already_done')
          throw conflict('insight.already_done', {
            zh: '任务已销号',
            en: 'the task is already ticked off',
          });
        if (problem === 'completed_report')
          throw invalidField('body', 'completed_report', {
            zh: '销号前须有责任单位报送“已完成”的最新进展',
            en: 'a task is ticked off only when its latest progress report says it is completed',
          });
      } else if (task.state !== 'done') {
        throw conflict('insight.not_done', { zh: '任务未销号', en: 'the task is not ticked off' });
      }
      const done = to === 'done';
      await trx
        .updateTable('ledgerTasks')
        .set({
          state: to,
          doneAt: done ? now : null,
          doneBy: done ? actor.userId : null,
          doneNote: done ? input.note : null,
          version: task.version + 1,
          updatedAt: now,
        })
        .where('id', '=', id)
        .execute();
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: done ? 'insight.task_ticked_off' : 'insight.task_reopened',
        objectType: 'reform_task',
        objectId: id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { note: input.note, version: task.version + 1 },
      });
      return { id, state: to, version: task.version + 1 };
    });
  }

  /** The ledger as an Excel workbook: a summary per document and every matching task. */
  async exportWorkbook(actor: Actor, given: ListFilter, today = toLocalDate(new Date())) {
    const regions = await this.regionsOf(actor);
    const filter = await this.ownUnits(actor, given);
    const bounds = warningBounds(today);
    const [tasks, board, documents] = await Promise.all([
      store.listTasks(this.db, { ...filter, regions }, bounds, null),
      store.boardCounts(this.db, { ...filter, regions }, bounds),
      store.listDocuments(this.db, regions),
    ]);
    const titles = new Map(
      documents.map((d) => [d.key, d.letter ? `${d.letter} ${d.title}` : d.title]),
    );
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'OneThing';
    const summary = workbook.addWorksheet('汇总 Summary');
    summary.columns = [
      { header: '文件 Document', key: 'title', width: 60 },
      { header: '任务数 Tasks', key: 'total', width: 10 },
      { header: '已销号 Done', key: 'done', width: 10 },
      { header: '已逾期 Overdue', key: 'overdue', width: 10 },
      { header: '即将到期 Due soon', key: 'dueSoon', width: 12 },
      { header: '本期未报 Unreported', key: 'unreported', width: 12 },
    ];
    for (const d of board.documents) summary.addRow({ ...d, title: titles.get(d.key) ?? d.title });
    const sheet = workbook.addWorksheet('台账 Ledger');
    sheet.columns = [
      { header: '任务编号 Task id', key: 'id', width: 30 },
      { header: '文件 Document', key: 'document', width: 30 },
      { header: '序号 No.', key: 'path', width: 14 },
      { header: '任务 Task', key: 'title', width: 50 },
      { header: '牵头单位 Lead units', key: 'lead', width: 24 },
      { header: '责任单位 Responsible units', key: 'responsible', width: 30 },
      { header: '完成时限 Due', key: 'dueOn', width: 12 },
      { header: '时限原文 Deadline as written', key: 'deadlines', width: 20 },
      { header: '指标 Targets', key: 'targets', width: 30 },
      { header: '状态 State', key: 'state', width: 10 },
      { header: '最新进展 Latest report', key: 'latest', width: 24 },
      { header: '预警 Warnings', key: 'warnings', width: 20 },
      { header: '销号时间 Ticked off', key: 'doneAt', width: 20 },
      { header: '销号说明 Note', key: 'doneNote', width: 30 },
    ];
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    sheet.getRow(1).font = { bold: true };
    for (const t of tasks.items) {
      sheet.addRow({
        id: t.id,
        document: titles.get(t.documentKey) ?? t.documentKey,
        path: t.path.join('.'),
        title: t.title,
        lead: t.leadUnits.join('、'),
        responsible: t.responsibleUnits.join('、'),
        dueOn: t.dueOn ?? '长期坚持',
        deadlines: t.deadlines.map((d) => d.phrase).join('；'),
        targets: t.targets.join('；'),
        state: STATE_LABELS[t.state].zh,
        latest: t.lastStatus
          ? `${t.lastPeriod} ${REPORT_STATUS_LABELS[t.lastStatus].zh} ${t.lastPercent}%`
          : '',
        warnings: warningsOf(t, today)
          .map((w) => WARNING_LABELS[w].zh)
          .join('、'),
        doneAt: t.doneAt ? toLocalDate(t.doneAt) : '',
        doneNote: t.doneNote ?? '',
      });
    }
    return {
      filename: `改革任务台账-${today}.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      content: Buffer.from(await workbook.xlsx.writeBuffer()),
    };
  }
}
