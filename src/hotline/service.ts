import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql, type Updateable } from 'kysely';
import { appendAudit } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import { toLocalDate, type WorkCalendar } from '../platform/calendar';
import type { CalendarService } from '../platform/calendar/service';
import type { Kdb, Tx } from '../platform/db/database';
import type { HotlineTicketsTable } from '../platform/db/schema';
import { AppError, forbidden, invalidField, notFound } from '../platform/http/errors';
import { invalidRequest } from '../platform/http/validation';
import type { Text } from '../platform/i18n';
import { checkMobile, checkUscc } from '../platform/ids';
import {
  ACTION_LABELS,
  STATUS_LABELS,
  type Satisfaction,
  type TicketAction,
  type TicketChannel,
  type TicketStatus,
  type TicketType,
  type Urgency,
} from './codes';
import type { CategoryInput, HotlineSettings } from './config';
import {
  Directory,
  type CategoryView,
  type DepartmentRef,
  type DirectorySnapshot,
} from './directory';
import {
  ACTION_ROLES,
  addLimit,
  availableActions,
  compareTickets,
  extendedDeadline,
  extensionRoom,
  isTrackCode,
  repliedOnTime,
  requesterView,
  rollupDelta,
  roundDeadlines,
  ruleFor,
  stateAllows,
  ticketNumber,
  titleOf,
  trackCodeFrom,
  type DeadlineProfiles,
  type RollupFacts,
  type TicketState,
} from './model';
import { publishEvent } from '../platform/notify';
import * as store from './store';
import type { AssignmentRow, TicketRow } from './store';
import {
  assignmentOut,
  departmentOut,
  extensionOut,
  iso,
  publicText,
  ticketSummary,
  type EventOut,
  type PublicTicket,
  type SimilarOut,
  type TicketDetail,
  type TicketSummary,
} from './views';

const TICKET: Text = { zh: '工单', en: 'ticket' };
const REQUESTER_NAME = '诉求人';

/**
 * Events whose note is written for the requester (answers, deadlines, closure); the notes of other
 * public events (dispatch instructions, reasons to reopen) stay internal.
 */
export const PUBLIC_NOTE_ACTIONS: readonly string[] = [
  'answered',
  'signed',
  'review_accepted',
  'extension_approved',
  'merged',
  'closed',
];
const DAY_MS = 86_400_000;

/** What an operator (or a requester online, or an Open311 client) registers. */
export interface RegisterInput {
  channel: TicketChannel;
  type: TicketType;
  categoryCode: string;
  regionCode: string;
  address?: string;
  lat?: number;
  lng?: number;
  title?: string;
  content: string;
  /** Default: normal. */
  urgency?: Urgency;
  enterprise?: boolean;
  enterpriseName?: string;
  enterpriseUscc?: string;
  anonymous?: boolean;
  confidential?: boolean;
  disclose?: boolean;
  requesterName?: string;
  requesterMobile?: string;
  attributes?: Record<string, string | string[]>;
  mediaUrl?: string;
}

/** What the registration fields an operator may still correct before dispatch. */
export type UpdateInput = Partial<Omit<RegisterInput, 'channel'>>;

/** Filters of ticket lists. */
export interface TicketFilter {
  status?: TicketStatus[];
  q?: string;
  type?: TicketType;
  channel?: TicketChannel;
  categoryCode?: string;
  regionCode?: string;
  department?: string;
  enterprise?: boolean;
  overdue?: boolean;
  escalated?: boolean;
  pendingExtension?: boolean;
  /** A handling unit's queues, current round: to sign for, in hand, assisting, or done. */
  queue?: 'to_sign' | 'in_hand' | 'done';
  from?: string;
  to?: string;
  sort?: 'created' | 'due';
  limit?: number;
  offset?: number;
}

/** A probe for duplicate and repeat detection while an operator types. */
export interface SimilarProbe {
  requesterMobile?: string;
  categoryCode?: string;
  regionCode?: string;
  address?: string;
  lat?: number;
  lng?: number;
  content: string;
}

interface ActContext {
  trx: Tx;
  /** Looked up before the transaction: inside it, nothing may use the database but `trx`. */
  dir: DirectorySnapshot;
  calendar: WorkCalendar;
  ticket: TicketRow;
  assignments: AssignmentRow[];
  mine: AssignmentRow | null;
  state: TicketState;
  now: Date;
}

/** The events a step on a ticket records; each is audited as `hotline.` and the event. */
type StepEvent =
  | 'updated'
  | 'answered'
  | 'dispatched'
  | 'merged'
  | 'signed'
  | 'returned'
  | 'contacted'
  | 'opinion'
  | 'replied'
  | 'extension_requested'
  | 'extension_approved'
  | 'extension_rejected'
  | 'review_accepted'
  | 'review_rejected'
  | 'callback'
  | 'closed'
  | 'reopened'
  | 'escalated'
  | 'attached';

interface ActResult {
  patch?: Updateable<HotlineTicketsTable>;
  event: {
    action: StepEvent;
    note?: string | null;
    public?: boolean;
    detail?: Record<string, unknown>;
  };
}

function statusOf(ticket: TicketRow): TicketStatus {
  return ticket.status as TicketStatus;
}

function rollupFacts(t: TicketRow): RollupFacts {
  return {
    createdAt: t.createdAt,
    categoryCode: t.categoryCode,
    regionCode: t.regionCode,
    finishedAt: t.finishedAt,
    onTime: t.onTime,
    satisfaction: t.satisfaction,
    reopenCount: t.reopenCount,
    enterprise: t.enterprise,
    relation: t.relation,
  };
}

/** 409 for an action the ticket's current state does not allow. */
export function invalidState(status: TicketStatus, action: TicketAction): AppError {
  const s = STATUS_LABELS[status];
  const a = ACTION_LABELS[action];
  return new AppError(409, 'hotline.invalid_state', {
    zh: `工单当前状态为「${s.zh}」，不能执行「${a.zh}」`,
    en: `the ticket is "${s.en}": "${a.en}" is not possible now`,
  });
}

function required(path: string, what: Text): AppError {
  return invalidField(path, 'required', {
    zh: `请填写${what.zh}`,
    en: `${what.en} is required`,
  });
}

/** The hash under which an Open311 key is kept. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The hotline's use cases: tickets from every channel and their closed loop — dispatch, sign-for,
 * return, extension, reply, review, callback, reopening, escalation — with deadlines on the
 * working-day calendar; the taxonomy; duplicate detection; Open311 keys. Every write is one
 * transaction with its events, its share of the weekly rollups and an audit entry.
 */
export class HotlineService {
  readonly directory: Directory;

  constructor(
    /** The database (Open311 and the analysis read through it). */
    readonly db: Kdb,
    private readonly calendars: CalendarService,
    readonly profiles: DeadlineProfiles,
    readonly settings: HotlineSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.directory = new Directory(db);
  }

  // -------------------------------------------------------------------------------------------
  // Taxonomy

  /** The taxonomy: groups and categories with their dispatch routes. */
  async categories(includeInactive = false): Promise<CategoryView[]> {
    const all = await this.directory.categories();
    return includeInactive ? all : all.filter((c) => c.active);
  }

  /** The suggested responsible department of a category in a region (派单建议). */
  suggest(categoryCode: string, regionCode: string): Promise<DepartmentRef | null> {
    return this.directory.suggestDepartment(categoryCode, regionCode);
  }

  /** Creates or replaces a category with its routes (administrators); audited. */
  async saveCategory(actor: Actor, input: CategoryInput, meta: RequestMeta): Promise<CategoryView> {
    const group = await this.directory.category(input.group);
    if (!group || group.parentCode !== null) {
      throw invalidField('body.group', 'exists', {
        zh: `分类组 ${input.group} 不存在`,
        en: `there is no group ${input.group}`,
      });
    }
    if (!input.code.startsWith(`${input.group}-`)) {
      throw invalidField('body.code', 'group', {
        zh: `分类编码应以所属分类组 ${input.group}- 开头`,
        en: `the code must start with its group ${input.group}-`,
      });
    }
    const existing = await this.directory.categoryByServiceCode(input.serviceCode);
    if (existing && existing.code !== input.code) {
      throw new AppError(409, 'hotline.service_code_taken', {
        zh: `Open311 服务编码 ${input.serviceCode} 已被分类 ${existing.code} 使用`,
        en: `Open311 service code ${input.serviceCode} is used by ${existing.code}`,
      });
    }
    const routes: { regionCode: string; departmentId: string }[] = [];
    for (const [index, route] of input.routes.entries()) {
      if (!(await this.directory.regionExists(route.region))) {
        throw invalidField(`body.routes.${index}.region`, 'exists', {
          zh: `区划 ${route.region} 不存在`,
          en: `region ${route.region} does not exist`,
        });
      }
      const department = await this.directory.departmentByCode(route.department);
      if (!department) {
        throw invalidField(`body.routes.${index}.department`, 'exists', {
          zh: `部门 ${route.department} 不存在`,
          en: `department ${route.department} does not exist`,
        });
      }
      if (routes.some((r) => r.regionCode === route.region)) {
        throw invalidField(`body.routes.${index}.region`, 'unique', {
          zh: `区划 ${route.region} 的派单规则重复`,
          en: `region ${route.region} has two routes`,
        });
      }
      routes.push({ regionCode: route.region, departmentId: department.id });
    }
    const now = this.clock();
    const current = await this.directory.category(input.code);
    await this.db.transaction().execute(async (trx) => {
      await store.upsertCategory(
        trx,
        {
          code: input.code,
          parentCode: input.group,
          nameZh: input.name.zh,
          nameEn: input.name.en,
          descriptionZh: input.description?.zh ?? '',
          descriptionEn: input.description?.en ?? '',
          serviceCode: input.serviceCode,
          open311Group: group.open311Group,
          keywords: input.keywords ?? [],
          attributes: input.attributes ?? [],
          active: input.active ?? true,
          sort: current?.sort ?? 0,
        },
        now,
      );
      await store.replaceRoutes(trx, input.code, routes);
      await appendAudit(trx, {
        actorId: actor.userId,
        actorRole: actor.role,
        action: current ? 'hotline.category_updated' : 'hotline.category_created',
        objectType: 'hotline_category',
        objectId: input.code,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { serviceCode: input.serviceCode, routes: input.routes.length },
      });
    });
    this.directory.invalidate();
    return (await this.directory.category(input.code))!;
  }

  // -------------------------------------------------------------------------------------------
  // Intake

  async #checkRegistration(
    input: RegisterInput | UpdateInput,
    base: Partial<RegisterInput>,
  ): Promise<{ category: CategoryView }> {
    const merged = { ...base, ...input };
    const category = merged.categoryCode
      ? await this.directory.category(merged.categoryCode)
      : null;
    if (!category || !category.parentCode || !category.active) {
      throw invalidField('body.categoryCode', 'exists', {
        zh: `诉求分类 ${merged.categoryCode ?? ''} 不存在或已停用`,
        en: `category ${merged.categoryCode ?? ''} does not exist or is not in use`,
      });
    }
    if (!merged.regionCode || !(await this.directory.regionExists(merged.regionCode))) {
      throw invalidField('body.regionCode', 'exists', {
        zh: `区划 ${merged.regionCode ?? ''} 不存在`,
        en: `region ${merged.regionCode ?? ''} does not exist`,
      });
    }
    if ((merged.lat === undefined) !== (merged.lng === undefined)) {
      throw invalidField(merged.lat === undefined ? 'body.lat' : 'body.lng', 'pair', {
        zh: '经纬度应同时填写',
        en: 'latitude and longitude go together',
      });
    }
    if (merged.anonymous && (merged.requesterName || merged.requesterMobile)) {
      throw invalidField(
        merged.requesterMobile ? 'body.requesterMobile' : 'body.requesterName',
        'anonymous',
        {
          zh: '匿名诉求不登记姓名和电话',
          en: 'an anonymous request records no name or number',
        },
      );
    }
    if (merged.requesterMobile !== undefined && merged.requesterMobile !== '') {
      const check = checkMobile(merged.requesterMobile);
      if (!check.valid) {
        throw invalidField('body.requesterMobile', check.reason ?? 'format', {
          zh: `手机号码无效：${check.message?.zh ?? ''}`,
          en: `the mobile number is invalid: ${check.message?.en ?? ''}`,
        });
      }
    }
    if (merged.enterprise) {
      if (!merged.enterpriseName?.trim()) {
        throw required('body.enterpriseName', { zh: '企业名称', en: 'the enterprise name' });
      }
      if (merged.enterpriseUscc) {
        const check = checkUscc(merged.enterpriseUscc);
        if (!check.valid) {
          throw invalidField('body.enterpriseUscc', check.reason ?? 'checksum', {
            zh: `统一社会信用代码无效：${check.message?.zh ?? ''}`,
            en: `the unified social credit code is invalid: ${check.message?.en ?? ''}`,
          });
        }
      }
    }
    if (input.attributes !== undefined || 'categoryCode' in input) {
      this.#checkAttributes(category, merged.attributes ?? {});
    }
    return { category };
  }

  #checkAttributes(category: CategoryView, values: Record<string, string | string[]>) {
    const problems = [];
    const known = new Set(category.attributes.map((a) => a.code));
    for (const code of Object.keys(values)) {
      if (!known.has(code)) {
        problems.push({
          path: `body.attributes.${code}`,
          rule: 'exists',
          message: {
            zh: `分类「${category.name.zh}」没有补充项 ${code}`,
            en: `category "${category.name.en}" has no attribute ${code}`,
          },
        });
      }
    }
    for (const attribute of category.attributes) {
      const value = values[attribute.code];
      const empty = value === undefined || value === '' || (Array.isArray(value) && !value.length);
      if (empty) {
        if (attribute.required) {
          problems.push({
            path: `body.attributes.${attribute.code}`,
            rule: 'required',
            message: {
              zh: `请填写「${attribute.description.zh}」`,
              en: `"${attribute.description.en}" is required`,
            },
          });
        }
        continue;
      }
      if (attribute.values) {
        const keys = new Set(attribute.values.map((v) => v.key));
        const given = Array.isArray(value) ? value : [value!];
        if (attribute.datatype === 'singlevaluelist' && given.length > 1) {
          problems.push({
            path: `body.attributes.${attribute.code}`,
            rule: 'maxItems',
            message: { zh: '只能选择一项', en: 'choose one value only' },
          });
        }
        for (const v of given) {
          if (!keys.has(v)) {
            problems.push({
              path: `body.attributes.${attribute.code}`,
              rule: 'enum',
              message: {
                zh: `取值应为：${[...keys].join('、')}`,
                en: `must be one of: ${[...keys].join(', ')}`,
              },
            });
          }
        }
      }
    }
    if (problems.length > 0) throw invalidRequest(problems);
  }

  async #newTrackCode(trx: Tx): Promise<string> {
    for (;;) {
      const code = trackCodeFrom(randomBytes(8));
      if (!(await store.findTicketByTrackCode(trx, code))) return code;
    }
  }

  /**
   * Registers a ticket (登记) in one transaction: number and tracking code, the deadline rule,
   * the dispatch suggestion, and a repeat link when the same requester comes back on a matter
   * already closed. `by` is the staff member, the requester (online) or null (Open311).
   */
  async #register(
    by: { actor: Actor | null; name: string; role: string | null },
    input: RegisterInput,
    extra: { subjectId: string | null; auditDetail?: Record<string, unknown> },
    meta: RequestMeta,
  ): Promise<TicketRow> {
    await this.#checkRegistration(input, {});
    const now = this.clock();
    const suggested = await this.directory.suggestDepartment(input.categoryCode, input.regionCode);
    const rule = ruleFor(this.profiles, {
      type: input.type,
      urgency: input.urgency ?? 'normal',
      enterprise: !!input.enterprise,
    });
    const repeat = await this.#bestMatch(
      {
        requesterMobile: input.requesterMobile || undefined,
        categoryCode: input.categoryCode,
        regionCode: input.regionCode,
        address: input.address,
        lat: input.lat,
        lng: input.lng,
        content: `${input.title ?? ''} ${input.content}`,
      },
      null,
    );
    const content = input.content.trim();
    const title = input.title?.trim() || titleOf(content);
    const row = await this.db.transaction().execute(async (trx) => {
      const sequence = await store.nextTicketSequence(trx);
      const ticket = {
        id: randomUUID(),
        number: ticketNumber(toLocalDate(now), sequence),
        trackCode: await this.#newTrackCode(trx),
        channel: input.channel,
        type: input.type,
        categoryCode: input.categoryCode,
        regionCode: input.regionCode,
        address: input.address?.trim() ?? '',
        lat: input.lat ?? null,
        lng: input.lng ?? null,
        title,
        content,
        urgency: input.urgency ?? 'normal',
        enterprise: !!input.enterprise,
        enterpriseName: input.enterprise ? input.enterpriseName?.trim() || null : null,
        enterpriseUscc: input.enterprise
          ? input.enterpriseUscc?.trim().toUpperCase() || null
          : null,
        anonymous: !!input.anonymous,
        confidential: !!input.confidential || input.type === 'report',
        disclose: !!input.disclose && input.type !== 'report',
        requesterName: input.anonymous ? null : input.requesterName?.trim() || null,
        requesterMobile: input.anonymous ? null : input.requesterMobile?.trim() || null,
        requesterSubjectId: extra.subjectId,
        attributes: JSON.stringify(input.attributes ?? {}),
        mediaUrl: input.mediaUrl ?? null,
        status: 'registered',
        profile: rule.key,
        suggestedDepartmentId: suggested?.id ?? null,
        relatedTicketId: repeat?.kind === 'repeat' ? repeat.id : null,
        relation: repeat?.kind === 'repeat' ? 'repeat' : null,
        createdBy: by.actor?.userId ?? null,
        createdAt: now,
        updatedAt: now,
      };
      await store.insertTicket(trx, ticket);
      const created = (await store.findTicket(trx, ticket.id))!;
      await store.applyRollup(trx, rollupDelta(null, rollupFacts(created)));
      await store.insertEvent(trx, {
        ticketId: created.id,
        regionCode: created.regionCode,
        at: now,
        action: 'registered',
        actorId: by.actor?.userId ?? null,
        actorName: by.name,
        actorRole: by.role,
        departmentId: by.actor?.departmentId ?? null,
        note: null,
        public: true,
        status: 'registered',
        detail: {
          channel: input.channel,
          suggested: suggested?.code ?? null,
          ...(repeat?.kind === 'repeat' ? { repeatOf: repeat.number } : {}),
        },
      });
      await appendAudit(trx, {
        actorId: by.actor?.userId ?? null,
        actorRole: by.actor?.role ?? null,
        action: 'hotline.ticket_registered',
        objectType: 'hotline_ticket',
        objectId: created.number,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: {
          channel: input.channel,
          type: input.type,
          category: input.categoryCode,
          region: input.regionCode,
          ...extra.auditDetail,
        },
      });
      return created;
    });
    return row;
  }

  /** An operator registers a call, letter or visit (登记); answers the new ticket. */
  async register(actor: Actor, input: RegisterInput, meta: RequestMeta): Promise<TicketDetail> {
    if (input.channel === 'open311') {
      throw invalidField('body.channel', 'enum', {
        zh: 'Open311 渠道的工单只能经 Open311 接口提交',
        en: 'open311 tickets come through the Open311 API only',
      });
    }
    if (!input.anonymous && !input.requesterMobile) {
      throw required('body.requesterMobile', {
        zh: '诉求人联系电话（匿名诉求请勾选匿名）',
        en: "the requester's mobile number (tick anonymous for an anonymous request)",
      });
    }
    const name = await store.userName(this.db, actor.userId);
    const row = await this.#register(
      { actor, name, role: actor.role },
      input,
      { subjectId: null },
      meta,
    );
    return this.get(actor, row.id);
  }

  /** A citizen or enterprise files a request online (网上诉求); they are the requester. */
  async submitOwn(
    actor: Actor,
    input: Omit<
      RegisterInput,
      | 'channel'
      | 'requesterName'
      | 'requesterMobile'
      | 'enterprise'
      | 'enterpriseName'
      | 'enterpriseUscc'
      | 'anonymous'
    >,
    meta: RequestMeta,
  ): Promise<TicketDetail> {
    const subject = actor.subjectId ? await store.findSubject(this.db, actor.subjectId) : undefined;
    if (!subject) throw forbidden();
    const enterprise = subject.kind === 'enterprise';
    const requesterName = enterprise ? await store.userName(this.db, actor.userId) : subject.name;
    const row = await this.#register(
      { actor, name: REQUESTER_NAME, role: actor.role },
      {
        ...input,
        channel: 'web',
        requesterName,
        requesterMobile: subject.mobile ?? undefined,
        enterprise,
        enterpriseName: enterprise ? subject.name : undefined,
        enterpriseUscc: enterprise ? subject.identifier : undefined,
        anonymous: false,
      },
      { subjectId: subject.id },
      meta,
    );
    return this.get(actor, row.id);
  }

  /** An Open311 client posts a request; returns the new ticket. */
  async submitOpen311(
    key: { id: string; name: string },
    input: RegisterInput,
    meta: RequestMeta,
  ): Promise<TicketRow> {
    return this.#register(
      { actor: null, name: `Open311 · ${key.name}`, role: null },
      { ...input, channel: 'open311' },
      { subjectId: null, auditDetail: { apiKey: key.id } },
      meta,
    );
  }

  /** Earlier tickets that look like the same matter, best first (for the intake form). */
  async similar(
    actor: Actor,
    probe: SimilarProbe,
    excludeId: string | null = null,
  ): Promise<SimilarOut[]> {
    const now = this.clock();
    const since = new Date(now.getTime() - this.profiles.duplicates.windowDays * DAY_MS);
    const regions =
      actor.role === 'admin' ? null : new Set(await this.directory.regionsUnder(actor.regionCode));
    const candidates = await store.similarityCandidates(
      this.db,
      {
        requesterMobile: probe.requesterMobile || null,
        categoryCode: probe.categoryCode ?? null,
        regionCode: probe.regionCode ?? null,
      },
      since,
      excludeId,
    );
    const scored: SimilarOut[] = [];
    for (const c of candidates) {
      if (regions && !regions.has(c.regionCode)) continue;
      const match = compareTickets(
        {
          requesterMobile: probe.requesterMobile || null,
          categoryCode: probe.categoryCode ?? null,
          regionCode: probe.regionCode ?? null,
          address: probe.address ?? '',
          lat: probe.lat ?? null,
          lng: probe.lng ?? null,
          text: probe.content,
        },
        {
          requesterMobile: c.requesterMobile,
          categoryCode: c.categoryCode,
          regionCode: c.regionCode,
          address: c.address,
          lat: c.lat,
          lng: c.lng,
          text: `${c.title} ${c.content}`,
          status: c.status as TicketStatus,
          closedAt: c.closedAt,
        },
        this.profiles.duplicates,
      );
      if (!match) continue;
      scored.push({
        id: c.id,
        number: c.number,
        title: c.title,
        status: c.status as TicketStatus,
        createdAt: iso(c.createdAt)!,
        score: match.score,
        kind: match.kind,
        reasons: match.reasons,
        lead: departmentOut(await this.directory.department(c.leadDepartmentId)),
      });
    }
    return scored.sort((a, b) => b.score - a.score).slice(0, 5);
  }

  async #bestMatch(probe: SimilarProbe, excludeId: string | null) {
    if (!probe.requesterMobile) return null;
    const admin = { role: 'admin', regionCode: this.settings.rootRegion } as Actor;
    const found = await this.similar(admin, probe, excludeId);
    return found.find((f) => f.kind === 'repeat' && f.reasons.includes('same_requester')) ?? null;
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  /** Whether the caller may see the ticket at all (else 404): region, unit, or own ticket. */
  #visible(dir: DirectorySnapshot, actor: Actor, ticket: TicketRow, assignments: AssignmentRow[]) {
    switch (actor.role) {
      case 'admin':
        return true;
      case 'operator':
      case 'supervisor':
        return dir.regionsUnder(actor.regionCode).includes(ticket.regionCode);
      case 'handler':
        return assignments.some((a) => a.departmentId === actor.departmentId);
      case 'citizen':
      case 'enterprise':
        return !!actor.subjectId && ticket.requesterSubjectId === actor.subjectId;
      default:
        return false;
    }
  }

  #state(
    actor: Actor,
    ticket: TicketRow,
    mine: AssignmentRow | null,
    pending: boolean,
  ): TicketState {
    return {
      status: statusOf(ticket),
      assignment: mine ? { role: mine.role, status: mine.status } : null,
      returnUntil: ticket.returnUntil,
      extendedDays: ticket.extendedDays,
      pendingExtension: pending,
      satisfaction: ticket.satisfaction as Satisfaction | null,
      callbackAttempts: ticket.callbackAttempts,
      callable: !ticket.anonymous && !!ticket.requesterMobile,
      ownTicket: !!actor.subjectId && ticket.requesterSubjectId === actor.subjectId,
    };
  }

  #mine(actor: Actor, ticket: TicketRow, assignments: AssignmentRow[]): AssignmentRow | null {
    if (actor.role !== 'handler' || !actor.departmentId) return null;
    // A unit that returned the ticket, or whose part ended, has no part in it any more.
    return (
      assignments.find(
        (a) =>
          a.round === ticket.round &&
          a.departmentId === actor.departmentId &&
          a.status !== 'returned' &&
          a.status !== 'ended',
      ) ?? null
    );
  }

  async #summaryNames(t: TicketRow, related: Map<string, string>) {
    const category = await this.directory.category(t.categoryCode);
    return {
      category: {
        name: category?.name ?? { zh: t.categoryCode, en: t.categoryCode },
        groupName: category?.groupName ?? { zh: '', en: '' },
      },
      region: await this.directory.regionName(t.regionCode),
      lead: await this.directory.department(t.leadDepartmentId),
      relatedNumber: t.relatedTicketId ? (related.get(t.relatedTicketId) ?? null) : null,
    };
  }

  /** One ticket with its timeline and the caller's next actions; 404 when not the caller's to see. */
  async get(actor: Actor, id: string): Promise<TicketDetail> {
    const ticket = await store.findTicket(this.db, id);
    if (!ticket) throw notFound(TICKET);
    const assignments = await store.assignmentsOf(this.db, id);
    const dir = await this.directory.snapshot();
    if (!this.#visible(dir, actor, ticket, assignments)) throw notFound(TICKET);
    const now = this.clock();
    const [extensions, events, attachments, related] = await Promise.all([
      store.extensionsOf(this.db, id),
      store.eventsOf(this.db, id),
      store.attachmentsOf(this.db, id),
      store.numbersOf(this.db, ticket.relatedTicketId ? [ticket.relatedTicketId] : []),
    ]);
    const mine = this.#mine(actor, ticket, assignments);
    const pending = extensions.find((e) => e.status === 'pending') ?? null;
    const state = this.#state(actor, ticket, mine, pending !== null);
    // A unit that returned the ticket is not on it: it no longer needs to reach the requester.
    const onTicket = assignments.some(
      (a) => a.departmentId === actor.departmentId && a.status !== 'returned',
    );
    const view = requesterView(
      actor,
      { ...ticket, type: ticket.type as TicketType },
      onTicket,
      state.ownTicket,
    );
    const summary = ticketSummary(ticket, await this.#summaryNames(ticket, related), view, now);
    const status = statusOf(ticket);
    const similar =
      actor.role === 'operator' && (status === 'registered' || status === 'returned')
        ? await this.similar(
            actor,
            {
              requesterMobile: ticket.requesterMobile ?? undefined,
              categoryCode: ticket.categoryCode,
              regionCode: ticket.regionCode,
              address: ticket.address,
              lat: ticket.lat ?? undefined,
              lng: ticket.lng ?? undefined,
              content: `${ticket.title} ${ticket.content}`,
            },
            ticket.id,
          )
        : [];
    const rule = this.profiles.rules.find((r) => r.key === ticket.profile);
    const showEvents: EventOut[] = [];
    for (const e of events) {
      // The requester sees the public steps of their own ticket only.
      if (state.ownTicket && !e.public) continue;
      showEvents.push({
        id: e.id,
        at: iso(e.at)!,
        action: e.action,
        // Requesters see which unit did what, not the names of the staff.
        actorName: state.ownTicket ? '' : e.actorName,
        actorRole: e.actorRole,
        department: departmentOut(await this.directory.department(e.departmentId)),
        note: state.ownTicket && !PUBLIC_NOTE_ACTIONS.includes(e.action) ? null : e.note,
        public: e.public,
        status: e.status as TicketStatus,
        detail: e.detail,
      });
    }
    const departmentOf = (departmentId: string) => this.directory.department(departmentId);
    return {
      ...summary,
      content: ticket.content,
      address: ticket.address,
      lat: ticket.lat,
      lng: ticket.lng,
      attributes: ticket.attributes,
      mediaUrl: ticket.mediaUrl,
      disclose: ticket.disclose,
      enterpriseUscc: ticket.enterpriseUscc,
      profile: {
        key: ticket.profile,
        name: rule?.name ?? { zh: ticket.profile, en: ticket.profile },
      },
      round: ticket.round,
      answer: ticket.answer,
      signedAt: iso(ticket.signedAt),
      contactedAt: iso(ticket.contactedAt),
      repliedAt: iso(ticket.repliedAt),
      finishedAt: iso(ticket.finishedAt),
      closedAt: iso(ticket.closedAt),
      returnUntil: iso(ticket.returnUntil),
      extendedDays: ticket.extendedDays,
      extensionRoom: extensionRoom(this.profiles, ticket.extendedDays),
      callbackAttempts: ticket.callbackAttempts,
      suggested: departmentOut(await this.directory.department(ticket.suggestedDepartmentId)),
      trackCode: actor.role === 'operator' || state.ownTicket ? ticket.trackCode : null,
      assignments: await Promise.all(
        assignments.map(async (a) => assignmentOut(a, await departmentOf(a.departmentId))),
      ),
      extensions: await Promise.all(
        extensions.map(async (e) => extensionOut(e, await departmentOf(e.departmentId))),
      ),
      pendingExtension: pending
        ? extensionOut(pending, await departmentOf(pending.departmentId))
        : null,
      events: showEvents,
      attachments: attachments.map((a) => ({
        id: a.id,
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        uploadedAt: iso(a.uploadedAt)!,
      })),
      similar,
      myRole: mine?.role ?? null,
      can: availableActions(actor, state, this.profiles, now),
    };
  }

  async #scopeRegions(actor: Actor): Promise<string[] | null> {
    if (actor.role === 'admin') return null;
    return this.directory.regionsUnder(actor.regionCode);
  }

  /** Tickets the caller may see, filtered, newest first (or soonest due first). */
  async list(
    actor: Actor,
    filter: TicketFilter,
  ): Promise<{ items: TicketSummary[]; total: number }> {
    const now = this.clock();
    const regions = await this.#scopeRegions(actor);
    const base = () => {
      let q = this.db.selectFrom('hotlineTickets as t');
      if (actor.role === 'handler') {
        const dept = actor.departmentId ?? '00000000-0000-0000-0000-000000000000';
        const current = (statuses: string[]) =>
          sql<boolean>`exists (select 1 from hotline_assignments a where a.ticket_id = t.id
            and a.round = t.round and a.department_id = ${dept}
            and a.status in (${sql.join(statuses)}))`;
        q = q.where(
          sql<boolean>`exists (select 1 from hotline_assignments a where a.ticket_id = t.id and a.department_id = ${dept})`,
        );
        if (filter.queue === 'to_sign') q = q.where(current(['dispatched']));
        if (filter.queue === 'in_hand') q = q.where(current(['signed']));
        if (filter.queue === 'done') q = q.where((eb) => eb.not(current(['dispatched', 'signed'])));
      } else if (actor.role === 'citizen' || actor.role === 'enterprise') {
        q = q.where(
          't.requesterSubjectId',
          '=',
          actor.subjectId ?? '00000000-0000-0000-0000-000000000000',
        );
      } else if (regions) {
        q = q.where('t.regionCode', 'in', regions);
      }
      if (filter.status?.length) q = q.where('t.status', 'in', filter.status);
      if (filter.type) q = q.where('t.type', '=', filter.type);
      if (filter.channel) q = q.where('t.channel', '=', filter.channel);
      if (filter.categoryCode) {
        q = q.where((eb) =>
          eb.or([
            eb('t.categoryCode', '=', filter.categoryCode!),
            eb('t.categoryCode', 'like', `${filter.categoryCode}-%`),
          ]),
        );
      }
      if (filter.enterprise !== undefined) q = q.where('t.enterprise', '=', filter.enterprise);
      if (filter.escalated) q = q.where('t.escalationLevel', '>', 0);
      if (filter.pendingExtension) {
        q = q.where(
          sql<boolean>`exists (select 1 from hotline_extensions x where x.ticket_id = t.id and x.status = 'pending')`,
        );
      }
      if (filter.overdue) {
        q = q
          .where('t.status', 'in', ['dispatched', 'handling'])
          .where((eb) =>
            eb.or([
              eb.and([eb('t.signedAt', 'is', null), eb('t.signDueAt', '<', now)]),
              eb('t.finishDueAt', '<', now),
              eb.and([eb('t.contactedAt', 'is', null), eb('t.contactDueAt', '<', now)]),
            ]),
          );
      }
      if (filter.from) q = q.where('t.createdAt', '>=', new Date(`${filter.from}T00:00:00+08:00`));
      if (filter.to) {
        q = q.where(
          't.createdAt',
          '<',
          new Date(new Date(`${filter.to}T00:00:00+08:00`).getTime() + DAY_MS),
        );
      }
      return q;
    };
    let filtered = base();
    if (filter.regionCode) {
      const under = await this.directory.regionsUnder(filter.regionCode);
      filtered = filtered.where('t.regionCode', 'in', under);
    }
    if (filter.department) {
      const department = await this.directory.departmentByCode(filter.department);
      filtered = filtered.where(
        't.leadDepartmentId',
        '=',
        department?.id ?? '00000000-0000-0000-0000-000000000000',
      );
    }
    const words = filter.q?.trim() ?? '';
    if (words) {
      const needle = `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      filtered = filtered.where((eb) =>
        eb.or([
          eb('t.number', 'like', needle),
          eb('t.title', 'like', needle),
          eb('t.content', 'like', needle),
          eb('t.address', 'like', needle),
          // Mobiles are sealed at rest: an operator finds a caller by the whole number (blind index).
          ...(actor.role === 'operator' && checkMobile(words).valid
            ? [eb('t.requesterMobileHash', 'in', store.mobileIndexForms(words))]
            : []),
        ]),
      );
    }
    const countRow = await filtered
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    let page = filtered.selectAll('t');
    page =
      filter.sort === 'due'
        ? page.orderBy(sql`coalesce(t.finish_due_at, t.created_at)`, 'asc')
        : page.orderBy('t.createdAt', 'desc');
    const rows = (
      await page
        .orderBy('t.id')
        .limit(filter.limit ?? 20)
        .offset(filter.offset ?? 0)
        .execute()
    ).map(store.openRequester);
    const related = await store.numbersOf(
      this.db,
      rows.flatMap((r) => (r.relatedTicketId ? [r.relatedTicketId] : [])),
    );
    const items: TicketSummary[] = [];
    for (const row of rows) {
      // Lists show units the requester masked; the ticket itself shows what they may see.
      const view = requesterView(
        actor,
        { ...row, type: row.type as TicketType },
        false,
        !!actor.subjectId && row.requesterSubjectId === actor.subjectId,
      );
      items.push(ticketSummary(row, await this.#summaryNames(row, related), view, now));
    }
    return { items, total: Number(countRow.n) };
  }

  /** The public tracking page of a ticket by its tracking code (查询码); no requester data. */
  async track(code: string): Promise<PublicTicket> {
    const normalized = code.trim().toUpperCase();
    const ticket = isTrackCode(normalized)
      ? await store.findTicketByTrackCode(this.db, normalized)
      : undefined;
    if (!ticket)
      throw notFound({ zh: '该查询码对应的工单', en: 'a ticket with this tracking code' });
    const events = (await store.eventsOf(this.db, ticket.id)).filter((e) => e.public);
    const status = statusOf(ticket);
    const answerShown = status === 'reviewed' || status === 'closed';
    const category = await this.directory.category(ticket.categoryCode);
    return {
      number: ticket.number,
      title: publicText(ticket.title)!,
      content: publicText(ticket.content)!,
      type: ticket.type as TicketType,
      category: category?.name ?? { zh: ticket.categoryCode, en: ticket.categoryCode },
      region: await this.directory.regionName(ticket.regionCode),
      status,
      resolution: ticket.resolution as PublicTicket['resolution'],
      createdAt: iso(ticket.createdAt)!,
      finishDueAt: iso(ticket.finishDueAt),
      handledBy: (await this.directory.department(ticket.leadDepartmentId))?.name ?? null,
      answer: answerShown ? publicText(ticket.answer) : null,
      satisfaction: ticket.satisfaction as Satisfaction | null,
      steps: await Promise.all(
        events.map(async (e) => ({
          at: iso(e.at)!,
          action: e.action,
          department: (await this.directory.department(e.departmentId))?.name ?? null,
          note: PUBLIC_NOTE_ACTIONS.includes(e.action) ? publicText(e.note) : null,
        })),
      ),
    };
  }

  /** An attachment's bytes, when the caller may see the ticket. */
  async attachment(actor: Actor, ticketId: string, id: string) {
    const ticket = await store.findTicket(this.db, ticketId);
    const dir = await this.directory.snapshot();
    if (
      !ticket ||
      !this.#visible(dir, actor, ticket, await store.assignmentsOf(this.db, ticketId))
    ) {
      throw notFound(TICKET);
    }
    const file = await store.findAttachment(this.db, ticketId, id);
    if (!file) throw notFound({ zh: '附件', en: 'attachment' });
    return file;
  }

  // -------------------------------------------------------------------------------------------
  // The closed loop

  async #act(
    actor: Actor,
    id: string,
    action: TicketAction,
    meta: RequestMeta,
    work: (ctx: ActContext) => Promise<ActResult>,
  ): Promise<TicketDetail> {
    if (!ACTION_ROLES[action].includes(actor.role)) throw forbidden();
    // What needs the database outside the transaction is looked up first: the directory and the
    // calendar of the ticket's region (PGlite has one connection, which the transaction holds).
    const seen = await store.findTicket(this.db, id);
    if (!seen) throw notFound(TICKET);
    const dir = await this.directory.snapshot();
    const calendar = await this.calendars.forRegion(seen.regionCode);
    await this.db.transaction().execute(async (trx) => {
      const ticket = await store.lockTicket(trx, id);
      if (!ticket) throw notFound(TICKET);
      const assignments = await store.assignmentsOf(trx, id);
      if (!this.#visible(dir, actor, ticket, assignments)) throw notFound(TICKET);
      if (ticket.regionCode !== seen.regionCode) {
        throw new AppError(409, 'conflict.concurrent', {
          zh: '工单刚被他人修改，请刷新后重试',
          en: 'the ticket was changed meanwhile; reload and retry',
        });
      }
      const mine = this.#mine(actor, ticket, assignments);
      const extensions = await store.extensionsOf(trx, id);
      const state = this.#state(
        actor,
        ticket,
        mine,
        extensions.some((e) => e.status === 'pending'),
      );
      const now = this.clock();
      if (action === 'attach' && actor.role === 'handler' && !mine) throw forbidden();
      if (!stateAllows(action, state, this.profiles, now)) {
        throw this.#whyNot(action, ticket, state, mine, now);
      }
      const result = await work({ trx, dir, calendar, ticket, assignments, mine, state, now });
      const after = result.patch
        ? await store.updateTicket(trx, id, { ...result.patch, updatedAt: now })
        : await store.updateTicket(trx, id, { updatedAt: now });
      await store.applyRollup(trx, rollupDelta(rollupFacts(ticket), rollupFacts(after)));
      if (after.status === 'closed' && ticket.status !== 'closed') {
        await publishTicketClosed(trx, after, actor.departmentId, now);
      }
      await store.insertEvent(trx, {
        ticketId: id,
        regionCode: after.regionCode,
        at: now,
        action: result.event.action,
        actorId: actor.userId,
        // A requester acting on their own ticket is never named to the units.
        actorName:
          actor.role === 'citizen' || actor.role === 'enterprise'
            ? REQUESTER_NAME
            : await store.userName(trx, actor.userId),
        actorRole: actor.role,
        departmentId: actor.departmentId,
        note: result.event.note ?? null,
        public: result.event.public ?? false,
        status: after.status,
        detail: result.event.detail,
      });
      await appendAudit(trx, {
        actorId: actor.userId,
        actorRole: actor.role,
        action: `hotline.${result.event.action}`,
        objectType: 'hotline_ticket',
        objectId: ticket.number,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { from: ticket.status, to: after.status, ...result.event.detail },
      });
    });
    return this.get(actor, id);
  }

  #whyNot(
    action: TicketAction,
    ticket: TicketRow,
    state: TicketState,
    mine: AssignmentRow | null,
    now: Date,
  ): AppError {
    if (
      action === 'return' &&
      mine &&
      (mine.status === 'dispatched' || mine.status === 'signed') &&
      ticket.returnUntil &&
      now.getTime() > ticket.returnUntil.getTime()
    ) {
      return new AppError(409, 'hotline.return_window_passed', {
        zh: `退单期限已过（${iso(ticket.returnUntil)}），请按期办理或申请延期`,
        en: `the time to return the ticket ended at ${iso(ticket.returnUntil)}; handle it or ask for an extension`,
      });
    }
    if (action === 'request_extension' && state.pendingExtension) {
      return new AppError(409, 'hotline.extension_pending', {
        zh: '已有待审批的延期申请',
        en: 'an extension request is already waiting for a decision',
      });
    }
    if (action === 'request_extension' && extensionRoom(this.profiles, state.extendedDays) === 0) {
      return new AppError(409, 'hotline.extension_exhausted', {
        zh: `延期已达上限 ${this.profiles.extensionMaxWorkingDays} 个工作日`,
        en: `extensions have reached the limit of ${this.profiles.extensionMaxWorkingDays} working days`,
      });
    }
    if (
      (action === 'reply' || action === 'contact' || action === 'request_extension') &&
      mine?.role === 'assist'
    ) {
      return forbidden({
        zh: '协办单位不能执行此操作，请提交协办意见',
        en: 'an assisting unit cannot do this; submit an assisting opinion instead',
      });
    }
    if (actionNeedsAssignment(action) && !mine) {
      return forbidden({
        zh: '本单位不是此工单当前的承办单位',
        en: 'your unit is not handling this ticket now',
      });
    }
    return invalidState(statusOf(ticket), action);
  }

  async #dispatchRound(
    ctx: ActContext,
    actor: Actor,
    lead: DepartmentRef,
    assist: DepartmentRef[],
    ticket: TicketRow,
  ) {
    const rule = ruleFor(this.profiles, {
      type: ticket.type as TicketType,
      urgency: ticket.urgency as Urgency,
      enterprise: ticket.enterprise,
    });
    const due = roundDeadlines(ctx.calendar, this.profiles, rule, ctx.now);
    const round = ctx.ticket.round + 1;
    await store.endOpenAssignments(ctx.trx, ctx.ticket.id, ctx.ticket.round);
    await store.insertAssignments(
      ctx.trx,
      [lead, ...assist].map((department, index) => ({
        ticketId: ctx.ticket.id,
        round,
        departmentId: department.id,
        regionCode: ticket.regionCode,
        role: index === 0 ? ('lead' as const) : ('assist' as const),
        status: 'dispatched' as const,
        dispatchedAt: ctx.now,
        dispatchedBy: actor.userId,
        signDueAt: due.signDueAt,
      })),
    );
    const patch: Updateable<HotlineTicketsTable> = {
      status: 'dispatched',
      profile: rule.key,
      leadDepartmentId: lead.id,
      round,
      signDueAt: due.signDueAt,
      contactDueAt: due.contactDueAt,
      finishDueAt: due.finishDueAt,
      returnUntil: due.returnUntil,
      dueProvisional: due.provisional,
      extendedDays: 0,
      dispatchedAt: ctx.now,
      signedAt: null,
      contactedAt: null,
      repliedAt: null,
      answer: null,
      finishedAt: null,
      onTime: null,
      callbackDueAt: null,
      closedAt: null,
      resolution: null,
    };
    return { patch, rule, due, round };
  }

  async #departments(lead: string, assist: string[] = []) {
    const leadRef = await this.directory.departmentByCode(lead);
    if (!leadRef) {
      throw invalidField('body.department', 'exists', {
        zh: `承办单位 ${lead} 不存在`,
        en: `department ${lead} does not exist`,
      });
    }
    const assistRefs: DepartmentRef[] = [];
    for (const [index, code] of assist.entries()) {
      const ref = await this.directory.departmentByCode(code);
      if (!ref) {
        throw invalidField(`body.assist.${index}`, 'exists', {
          zh: `协办单位 ${code} 不存在`,
          en: `department ${code} does not exist`,
        });
      }
      if (ref.id === leadRef.id || assistRefs.some((r) => r.id === ref.id)) {
        throw invalidField(`body.assist.${index}`, 'unique', {
          zh: `${ref.name.zh} 已是主办或协办单位`,
          en: `${ref.name.en} is already on the ticket`,
        });
      }
      assistRefs.push(ref);
    }
    return { lead: leadRef, assist: assistRefs };
  }

  /** Corrects the registration before dispatch (分类、区域、内容…). */
  async update(actor: Actor, id: string, input: UpdateInput, meta: RequestMeta) {
    const seen = await store.findTicket(this.db, id);
    if (seen) {
      const current: Partial<RegisterInput> = {
        type: seen.type as TicketType,
        categoryCode: seen.categoryCode,
        regionCode: seen.regionCode,
        urgency: seen.urgency as Urgency,
        enterprise: seen.enterprise,
        enterpriseName: seen.enterpriseName ?? undefined,
        anonymous: seen.anonymous,
        lat: seen.lat ?? undefined,
        lng: seen.lng ?? undefined,
        attributes: seen.attributes as Record<string, string>,
      };
      await this.#checkRegistration(input, current);
    }
    return this.#act(actor, id, 'update', meta, async ({ ticket, dir }) => {
      const changed = Object.keys(input);
      const categoryCode = input.categoryCode ?? ticket.categoryCode;
      const regionCode = input.regionCode ?? ticket.regionCode;
      const suggested = dir.suggestDepartment(categoryCode, regionCode);
      const patch: Updateable<HotlineTicketsTable> = {
        ...(input.type ? { type: input.type } : {}),
        categoryCode,
        regionCode,
        ...(input.address !== undefined ? { address: input.address.trim() } : {}),
        ...(input.lat !== undefined ? { lat: input.lat, lng: input.lng } : {}),
        ...(input.title !== undefined ? { title: input.title.trim() } : {}),
        ...(input.content !== undefined ? { content: input.content.trim() } : {}),
        ...(input.urgency ? { urgency: input.urgency } : {}),
        ...(input.enterprise !== undefined ? { enterprise: input.enterprise } : {}),
        ...(input.enterpriseName !== undefined ? { enterpriseName: input.enterpriseName } : {}),
        ...(input.enterpriseUscc !== undefined ? { enterpriseUscc: input.enterpriseUscc } : {}),
        ...(input.confidential !== undefined ? { confidential: input.confidential } : {}),
        ...(input.disclose !== undefined ? { disclose: input.disclose } : {}),
        ...(input.attributes !== undefined ? { attributes: JSON.stringify(input.attributes) } : {}),
        suggestedDepartmentId: suggested?.id ?? null,
      };
      return { patch, event: { action: 'updated', detail: { fields: changed } } };
    });
  }

  /** Answers the requester directly and closes the ticket (直接答复办结). */
  async answer(
    actor: Actor,
    id: string,
    input: { answer: string; satisfaction?: Satisfaction },
    meta: RequestMeta,
  ) {
    return this.#act(actor, id, 'answer', meta, async ({ now }) => ({
      patch: {
        status: 'closed',
        resolution: 'direct',
        answer: input.answer.trim(),
        repliedAt: now,
        finishedAt: now,
        onTime: true,
        closedAt: now,
        satisfaction: input.satisfaction ?? null,
      },
      event: { action: 'answered', note: input.answer.trim(), public: true },
    }));
  }

  /** Dispatches to a lead unit and any assisting units (派单), with this round's deadlines. */
  async dispatch(
    actor: Actor,
    id: string,
    input: { department: string; assist?: string[]; note?: string },
    meta: RequestMeta,
  ) {
    const { lead, assist } = await this.#departments(input.department, input.assist);
    return this.#act(actor, id, 'dispatch', meta, async (ctx) => {
      const { patch, rule, due, round } = await this.#dispatchRound(
        ctx,
        actor,
        lead,
        assist,
        ctx.ticket,
      );
      return {
        patch,
        event: {
          action: 'dispatched',
          note: input.note?.trim() || null,
          public: true,
          detail: {
            round,
            lead: lead.code,
            leadName: lead.name.zh,
            assist: assist.map((a) => a.code),
            rule: rule.key,
            finishDueAt: iso(due.finishDueAt),
            suggested: ctx.ticket.suggestedDepartmentId === lead.id,
          },
        },
      };
    });
  }

  /** Closes a ticket as a duplicate of an earlier one on the same matter (合并). */
  async merge(actor: Actor, id: string, input: { into: string; note?: string }, meta: RequestMeta) {
    // The ticket merged must be one the caller may see (404 otherwise) before its target is named.
    return this.#act(actor, id, 'merge', meta, async ({ trx, dir, now }) => {
      const target = await store.findTicketByNumber(trx, input.into.trim());
      if (!target || target.id === id || !this.#visible(dir, actor, target, [])) {
        throw invalidField('body.into', 'exists', {
          zh: `工单 ${input.into} 不存在或不能合并`,
          en: `ticket ${input.into} does not exist or cannot take a merge`,
        });
      }
      return {
        patch: {
          status: 'closed',
          resolution: 'merged',
          relation: 'duplicate',
          relatedTicketId: target.id,
          finishedAt: now,
          onTime: true,
          closedAt: now,
          answer: input.note?.trim() || null,
        },
        event: {
          action: 'merged',
          note: `与工单 ${target.number} 合并办理`,
          public: true,
          detail: { into: target.number },
        },
      };
    });
  }

  /** The unit signs for the ticket (签收): the lead's signature starts the handling. */
  async sign(actor: Actor, id: string, meta: RequestMeta) {
    return this.#act(actor, id, 'sign', meta, async ({ trx, ticket, mine, now }) => {
      await store.updateAssignment(trx, mine!, {
        status: 'signed',
        signedAt: now,
        signedBy: actor.userId,
      });
      const lead = mine!.role === 'lead';
      return {
        patch: lead ? { status: 'handling', signedAt: now } : {},
        event: {
          action: 'signed',
          public: lead,
          note: lead ? '承办单位已签收，正在办理' : null,
          detail: { role: mine!.role, late: ticket.signDueAt ? now > ticket.signDueAt : false },
        },
      };
    });
  }

  /** The unit returns a wrong dispatch (退单) within the return window, saying why. */
  async returnTicket(actor: Actor, id: string, input: { reason: string }, meta: RequestMeta) {
    return this.#act(actor, id, 'return', meta, async ({ trx, ticket, mine, now }) => {
      await store.updateAssignment(trx, mine!, {
        status: 'returned',
        returnedAt: now,
        returnReason: input.reason.trim(),
      });
      if (mine!.role === 'assist') {
        return {
          event: { action: 'returned', note: input.reason.trim(), detail: { role: 'assist' } },
        };
      }
      await store.endOpenAssignments(trx, ticket.id, ticket.round);
      return {
        patch: {
          status: 'returned',
          leadDepartmentId: null,
          signDueAt: null,
          contactDueAt: null,
          finishDueAt: null,
          returnUntil: null,
          signedAt: null,
          contactedAt: null,
        },
        event: { action: 'returned', note: input.reason.trim(), detail: { role: 'lead' } },
      };
    });
  }

  /** The lead unit records contacting the requester (联系诉求人). */
  async contact(actor: Actor, id: string, input: { note: string }, meta: RequestMeta) {
    return this.#act(actor, id, 'contact', meta, async ({ ticket, now }) => ({
      patch: ticket.contactedAt ? {} : { contactedAt: now },
      event: {
        action: 'contacted',
        note: input.note.trim(),
        detail: { late: ticket.contactDueAt ? now > ticket.contactDueAt : false },
      },
    }));
  }

  /** An assisting unit gives its opinion to the lead unit (协办意见). */
  async opinion(actor: Actor, id: string, input: { opinion: string }, meta: RequestMeta) {
    return this.#act(actor, id, 'opinion', meta, async ({ trx, mine, now }) => {
      await store.updateAssignment(trx, mine!, {
        status: 'replied',
        opinion: input.opinion.trim(),
        repliedAt: now,
      });
      return { event: { action: 'opinion', note: input.opinion.trim() } };
    });
  }

  /** The lead unit replies with the result (办结答复); the operator reviews it next. */
  async reply(actor: Actor, id: string, input: { reply: string }, meta: RequestMeta) {
    return this.#act(actor, id, 'reply', meta, async ({ trx, ticket, mine, now }) => {
      await store.updateAssignment(trx, mine!, { status: 'replied', repliedAt: now });
      await store.endOpenAssignments(trx, ticket.id, ticket.round);
      return {
        patch: { status: 'replied', answer: input.reply.trim(), repliedAt: now },
        event: {
          action: 'replied',
          note: input.reply.trim(),
          detail: { onTime: repliedOnTime(now, ticket.finishDueAt) },
        },
      };
    });
  }

  /** The lead unit asks for more time (延期); within the configured maximum per dispatch. */
  async requestExtension(
    actor: Actor,
    id: string,
    input: { workingDays: number; reason: string },
    meta: RequestMeta,
  ) {
    return this.#act(actor, id, 'request_extension', meta, async ({ trx, ticket, now }) => {
      const room = extensionRoom(this.profiles, ticket.extendedDays);
      if (input.workingDays > room) {
        throw invalidField('body.workingDays', 'maximum', {
          zh: `延期不得超过 ${room} 个工作日（每次派单合计至多 ${this.profiles.extensionMaxWorkingDays} 个工作日）`,
          en: `at most ${room} working days (${this.profiles.extensionMaxWorkingDays} per dispatch in all)`,
        });
      }
      await store.insertExtension(trx, {
        id: randomUUID(),
        ticketId: ticket.id,
        regionCode: ticket.regionCode,
        round: ticket.round,
        departmentId: actor.departmentId!,
        workingDays: input.workingDays,
        reason: input.reason.trim(),
        status: 'pending',
        requestedBy: actor.userId,
        requestedAt: now,
        dueBefore: ticket.finishDueAt ?? now,
      });
      return {
        event: {
          action: 'extension_requested',
          note: input.reason.trim(),
          detail: { workingDays: input.workingDays },
        },
      };
    });
  }

  /** The hotline centre approves or refuses a pending extension; approval moves the deadline. */
  async decideExtension(
    actor: Actor,
    id: string,
    input: { approve: boolean; note?: string },
    meta: RequestMeta,
  ) {
    return this.#act(
      actor,
      id,
      'decide_extension',
      meta,
      async ({ trx, ticket, calendar, now }) => {
        const pending = (await store.extensionsOf(trx, ticket.id)).find(
          (e) => e.status === 'pending',
        )!;
        if (!input.approve) {
          if (!input.note?.trim()) {
            throw required('body.note', { zh: '不同意延期的理由', en: 'the reason for refusing' });
          }
          await store.decideExtension(trx, pending.id, {
            status: 'rejected',
            decidedBy: actor.userId,
            decidedAt: now,
            decisionNote: input.note.trim(),
          });
          return {
            event: {
              action: 'extension_rejected',
              note: input.note.trim(),
              detail: { extension: pending.id },
            },
          };
        }
        const due = extendedDeadline(calendar, ticket.finishDueAt ?? now, pending.workingDays);
        await store.decideExtension(trx, pending.id, {
          status: 'approved',
          decidedBy: actor.userId,
          decidedAt: now,
          decisionNote: input.note?.trim() || null,
          dueAfter: due.due,
        });
        return {
          patch: {
            finishDueAt: due.due,
            dueProvisional: ticket.dueProvisional || due.provisional,
            extendedDays: ticket.extendedDays + pending.workingDays,
          },
          event: {
            action: 'extension_approved',
            note: `办理期限延长 ${pending.workingDays} 个工作日，至 ${toLocalDate(due.due)}`,
            public: true,
            detail: { workingDays: pending.workingDays, finishDueAt: iso(due.due) },
          },
        };
      },
    );
  }

  /** The operator reviews the unit's reply (审核): accepted → callback, or sent back. */
  async review(
    actor: Actor,
    id: string,
    input: { accept: boolean; note?: string },
    meta: RequestMeta,
  ) {
    return this.#act(actor, id, 'review', meta, async ({ trx, ticket, state, calendar, now }) => {
      if (!input.accept) {
        if (!input.note?.trim()) {
          throw required('body.note', { zh: '退回理由', en: 'the reason for sending it back' });
        }
        await store.updateAssignment(
          trx,
          { ticketId: ticket.id, round: ticket.round, departmentId: ticket.leadDepartmentId! },
          { status: 'signed', repliedAt: null },
        );
        return {
          patch: { status: 'handling', repliedAt: null },
          event: { action: 'review_rejected', note: input.note.trim() },
        };
      }
      const onTime = repliedOnTime(ticket.repliedAt ?? now, ticket.finishDueAt);
      if (!state.callable) {
        return {
          patch: {
            status: 'closed',
            resolution: 'handled',
            finishedAt: now,
            onTime,
            closedAt: now,
          },
          event: {
            action: 'review_accepted',
            note: ticket.answer,
            public: true,
            detail: { onTime },
          },
        };
      }
      const callbackDue = addLimit(calendar, now, this.profiles.callbackWithin);
      return {
        patch: { status: 'reviewed', finishedAt: now, onTime, callbackDueAt: callbackDue.due },
        event: { action: 'review_accepted', note: ticket.answer, public: true, detail: { onTime } },
      };
    });
  }

  /** The operator calls the requester back (回访) and records whether they are satisfied. */
  async callback(
    actor: Actor,
    id: string,
    input: { reached: boolean; satisfaction?: Satisfaction; resolved?: boolean; note?: string },
    meta: RequestMeta,
  ) {
    return this.#act(actor, id, 'callback', meta, async ({ ticket, now }) => {
      if (!input.reached) {
        return {
          patch: { callbackAttempts: ticket.callbackAttempts + 1 },
          event: {
            action: 'callback',
            note: input.note?.trim() || '未接通',
            detail: { reached: false, attempt: ticket.callbackAttempts + 1 },
          },
        };
      }
      if (!input.satisfaction) {
        throw required('body.satisfaction', { zh: '满意度', en: 'the satisfaction verdict' });
      }
      const satisfied = input.satisfaction !== 'unsatisfied';
      return {
        patch: {
          satisfaction: input.satisfaction,
          callbackAttempts: ticket.callbackAttempts + 1,
          ...(satisfied ? { status: 'closed', resolution: 'handled', closedAt: now } : {}),
        },
        event: {
          action: 'callback',
          note: input.note?.trim() || null,
          public: satisfied,
          detail: {
            reached: true,
            satisfaction: input.satisfaction,
            resolved: input.resolved ?? null,
          },
        },
      };
    });
  }

  /** The operator closes after an unsatisfied verdict with an explanation, or when unreachable. */
  async close(
    actor: Actor,
    id: string,
    input: { reason: 'unreachable' | 'unreasonable'; note: string },
    meta: RequestMeta,
  ) {
    return this.#act(actor, id, 'close', meta, async ({ ticket, state, now }) => {
      const unreachable =
        !state.callable || ticket.callbackAttempts >= this.profiles.callbackAttempts;
      if (input.reason === 'unreachable' && !unreachable) {
        throw invalidField('body.reason', 'attempts', {
          zh: `回访不足 ${this.profiles.callbackAttempts} 次，不能以“未联系上”结案`,
          en: `fewer than ${this.profiles.callbackAttempts} callback attempts: cannot close as unreachable`,
        });
      }
      if (input.reason === 'unreasonable' && ticket.satisfaction !== 'unsatisfied') {
        throw invalidField('body.reason', 'satisfaction', {
          zh: '只有回访不满意的工单才能解释结案',
          en: 'only a ticket with an unsatisfied callback can be closed with an explanation',
        });
      }
      return {
        patch: { status: 'closed', resolution: input.reason, closedAt: now },
        event: {
          action: 'closed',
          note: input.note.trim(),
          public: true,
          detail: { reason: input.reason },
        },
      };
    });
  }

  /** Reopens after an unsatisfied callback (重办): a new round to the same or another unit. */
  async reopen(
    actor: Actor,
    id: string,
    input: { note: string; department?: string; assist?: string[] },
    meta: RequestMeta,
  ) {
    const chosen = input.department
      ? await this.#departments(input.department, input.assist)
      : null;
    return this.#act(actor, id, 'reopen', meta, async (ctx) => {
      let lead = chosen?.lead ?? null;
      if (!lead) {
        const last = [...ctx.assignments].reverse().find((a) => a.role === 'lead');
        lead = last ? ctx.dir.department(last.departmentId) : null;
      }
      if (!lead) throw required('body.department', { zh: '承办单位', en: 'the handling unit' });
      const { patch, due, round } = await this.#dispatchRound(
        ctx,
        actor,
        lead,
        chosen?.assist ?? [],
        ctx.ticket,
      );
      return {
        patch: {
          ...patch,
          reopenCount: ctx.ticket.reopenCount + 1,
          satisfaction: null,
          callbackAttempts: 0,
        },
        event: {
          action: 'reopened',
          note: input.note.trim(),
          public: true,
          detail: {
            round,
            lead: lead.code,
            leadName: lead.name.zh,
            finishDueAt: iso(due.finishDueAt),
          },
        },
      };
    });
  }

  /** A supervisor escalates an open ticket (督办); the unit sees it flagged. */
  async escalate(actor: Actor, id: string, input: { note: string }, meta: RequestMeta) {
    return this.#act(actor, id, 'escalate', meta, async ({ ticket, now }) => ({
      patch: { escalationLevel: ticket.escalationLevel + 1, escalatedAt: now },
      event: {
        action: 'escalated',
        note: input.note.trim(),
        detail: { level: ticket.escalationLevel + 1 },
      },
    }));
  }

  /** Stores an attachment of a ticket (photos, letters, the unit's evidence). */
  async attach(
    actor: Actor,
    id: string,
    file: { filename: string; contentType: string; content: Buffer },
    meta: RequestMeta,
  ) {
    return this.#act(actor, id, 'attach', meta, async ({ trx, ticket, now }) => {
      const sha256 = createHash('sha256').update(file.content).digest('hex');
      await store.insertAttachment(trx, {
        id: randomUUID(),
        ticketId: ticket.id,
        regionCode: ticket.regionCode,
        filename: file.filename,
        contentType: file.contentType,
        size: file.content.length,
        sha256,
        content: file.content,
        uploadedBy: actor.userId,
        uploadedAt: now,
      });
      return {
        event: {
          action: 'attached',
          note: file.filename,
          detail: { contentType: file.contentType, size: file.content.length, sha256 },
        },
      };
    });
  }

  /** An Open311 client adds information to a request (servicerequestupdates POST). */
  async addRequesterUpdate(
    key: { id: string; name: string },
    number: string,
    input: { description: string; mediaUrl?: string },
    meta: RequestMeta,
  ): Promise<number> {
    const now = this.clock();
    return this.db.transaction().execute(async (trx) => {
      const found = await store.findTicketByNumber(trx, number);
      const ticket = found ? await store.lockTicket(trx, found.id) : undefined;
      if (!ticket || ticket.type === 'report') throw notFound(TICKET);
      await store.updateTicket(trx, ticket.id, { updatedAt: now });
      const eventId = await store.insertEvent(trx, {
        ticketId: ticket.id,
        regionCode: ticket.regionCode,
        at: now,
        action: 'requester_update',
        actorId: null,
        actorName: `Open311 · ${key.name}`,
        actorRole: null,
        departmentId: null,
        note: input.description.trim(),
        public: false,
        status: ticket.status,
        detail: input.mediaUrl ? { mediaUrl: input.mediaUrl } : {},
      });
      await appendAudit(trx, {
        actorId: null,
        actorRole: null,
        action: 'hotline.requester_update',
        objectType: 'hotline_ticket',
        objectId: ticket.number,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { apiKey: key.id },
      });
      return eventId;
    });
  }

  // -------------------------------------------------------------------------------------------
  // Open311 keys

  /** Every Open311 key (administrators). */
  async apiKeys() {
    return (await store.listApiKeys(this.db)).map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.keyPrefix,
      createdAt: iso(k.createdAt)!,
      createdByName: k.createdByName,
      revokedAt: iso(k.revokedAt),
      lastUsedAt: iso(k.lastUsedAt),
    }));
  }

  /** Issues a key; the key itself is shown once and only its hash is kept. */
  async issueApiKey(actor: Actor | null, name: string, meta: RequestMeta, key?: string) {
    const secret = key ?? `o311_${randomBytes(24).toString('base64url')}`;
    const id = randomUUID();
    const now = this.clock();
    await this.db.transaction().execute(async (trx) => {
      await store.insertApiKey(trx, {
        id,
        name: name.trim(),
        keyHash: hashApiKey(secret),
        keyPrefix: secret.slice(0, 8),
        createdBy: actor?.userId ?? null,
        createdAt: now,
      });
      await appendAudit(trx, {
        actorId: actor?.userId ?? null,
        actorRole: actor?.role ?? null,
        action: 'hotline.api_key_issued',
        objectType: 'hotline_api_key',
        objectId: id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { name: name.trim(), prefix: secret.slice(0, 8) },
      });
    });
    return { id, name: name.trim(), key: secret, prefix: secret.slice(0, 8), createdAt: iso(now)! };
  }

  /** Revokes a key at once; 404 when there is no such active key. */
  async revokeApiKey(actor: Actor, id: string, meta: RequestMeta) {
    const now = this.clock();
    await this.db.transaction().execute(async (trx) => {
      if (!(await store.revokeApiKey(trx, id, actor.userId, now))) {
        throw notFound({ zh: '有效的 API 密钥', en: 'active API key' });
      }
      await appendAudit(trx, {
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'hotline.api_key_revoked',
        objectType: 'hotline_api_key',
        objectId: id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: {},
      });
    });
  }

  /** The active key a client sent, or null. */
  async authenticateKey(key: string | undefined): Promise<{ id: string; name: string } | null> {
    if (!key || key.length > 200) return null;
    const found = await store.findApiKeyByHash(this.db, hashApiKey(key));
    if (!found || found.revokedAt) return null;
    await store.touchApiKey(this.db, found.id, this.clock());
    return { id: found.id, name: found.name };
  }
}

function actionNeedsAssignment(action: TicketAction): boolean {
  return ['sign', 'return', 'contact', 'opinion', 'reply', 'request_extension'].includes(action);
}

/**
 * The domain event `hotline.ticket_closed` (e.g. for 好差评), in the closing transaction. The unit
 * answerable for the ticket is its lead handling unit, or the closing staff member's (the hotline
 * centre, for a request answered at once).
 */
async function publishTicketClosed(
  trx: Tx,
  ticket: TicketRow,
  closerDepartmentId: string | null,
  now: Date,
) {
  const answerable = ticket.leadDepartmentId ?? closerDepartmentId;
  const lead = answerable
    ? await trx
        .selectFrom('departments')
        .select('code')
        .where('id', '=', answerable)
        .executeTakeFirst()
    : undefined;
  await publishEvent(trx, {
    type: 'hotline.ticket_closed',
    // a ticket reopened and closed again is a new closing
    key: `${ticket.id}:${ticket.reopenCount}`,
    regionCode: ticket.regionCode,
    occurredAt: now,
    payload: {
      ticketId: ticket.id,
      number: ticket.number,
      title: ticket.title,
      resolution: ticket.resolution,
      requesterSubjectId: ticket.requesterSubjectId,
      anonymous: ticket.anonymous,
      leadDepartmentCode: lead?.code ?? null,
      operatorId: ticket.createdBy,
      closedAt: now.toISOString(),
      // for the cockpit
      categoryCode: ticket.categoryCode,
      onTime: ticket.onTime,
      satisfaction: ticket.satisfaction,
    },
  });
}
