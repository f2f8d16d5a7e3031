// Dossiers (一人一档 / 一企一档): one view of a subject — identity, licences, applications, credit,
// tags — built from the platform's own records, read by staff by role and region and logged with
// every read; and the tags (标签) that policy matching and inspections select subjects by.
// Pure rules first, then the use cases, then the routes (kept here so that routes.ts stays shared).
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import { BundleService } from '../bundles';
import { CatalogService } from '../catalog';
import { ApplicationService, defaultScanner } from '../cases';
import { appendAudit } from '../platform/audit';
import { publishEvent } from '../platform/notify';
import type { Actor, Role } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import { toLocalDate } from '../platform/calendar';
import { CalendarService } from '../platform/calendar/service';
import type { Kdb, Tx } from '../platform/db/database';
import { requestMeta, requireActor, type App, type AppContext } from '../platform/http/app';
import { invalidField, notFound } from '../platform/http/errors';
import { errorResponses } from '../platform/http/schemas';
import type { Text } from '../platform/i18n';
import { checkRic, checkUscc } from '../platform/ids';
import { maskCreditCode, maskSubjectIdentifier } from '../platform/privacy';
import { regionsUnder } from '../platform/regions';
import { STATUS_LABELS, type LicenceStatus } from './codes';
import * as dossierStore from './dossier-store';
import type { SubjectRow, TagRow } from './dossier-store';
import { effectiveStatus } from './model';
import * as store from './store';

const DOSSIER: Text = { zh: '档案', en: 'dossier' };

// ------------------------------------------------------------------------------------------------
// Rules
// ------------------------------------------------------------------------------------------------

/** Staff roles that read dossiers. */
export const DOSSIER_READERS = [
  'clerk',
  'reviewer',
  'supervisor',
  'inspector',
  'admin',
] as const satisfies readonly Role[];

/** Roles whose work needs a subject's whole identifier (intake, review, administration). */
const WHOLE_IDENTIFIER_ROLES: readonly Role[] = ['clerk', 'reviewer', 'admin'];

/** Whether the role sees identifiers whole; supervisors and inspectors see them masked. */
export function seesWholeIdentifier(role: Role): boolean {
  return WHOLE_IDENTIFIER_ROLES.includes(role);
}

/** Inspectors say why they read a dossier (执法检查须说明事由); others may. */
export function reasonRequired(role: Role): boolean {
  return role === 'inspector';
}

/**
 * The identifier as a role may see it. A credit code is published elsewhere, but a dossier read by
 * a supervisor or inspector still masks it, so the dossier never works as a lookup by code.
 */
export function identifierFor(role: Role, kind: 'person' | 'enterprise', identifier: string) {
  if (seesWholeIdentifier(role)) return identifier;
  return kind === 'person'
    ? maskSubjectIdentifier('person', identifier)
    : maskCreditCode(identifier);
}

/** A subject reference in a URL: an id, a resident ID or a credit code. */
export type SubjectRef = { by: 'id'; id: string } | { by: 'identifier'; identifier: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads a subject reference, or null when it is none of the three. */
export function parseSubjectRef(value: string): SubjectRef | null {
  const trimmed = value.trim();
  if (UUID.test(trimmed)) return { by: 'id', id: trimmed.toLowerCase() };
  const ric = checkRic(trimmed);
  if (ric.valid) return { by: 'identifier', identifier: ric.normalized };
  const uscc = checkUscc(trimmed);
  if (uscc.valid) return { by: 'identifier', identifier: uscc.normalized };
  return null;
}

/**
 * GB/T 4754-2017 sections (门类) recognised in a business scope or industry text, by keyword. Only
 * the sections the platform's registrations commonly name; a scope can name several.
 */
const INDUSTRY_KEYWORDS: readonly [section: string, pattern: RegExp][] = [
  ['A', /种植|养殖|水产|渔业|林业|畜牧/],
  ['C', /制造|加工|生产|纺织|机械/],
  ['E', /建筑|施工|装修|装饰/],
  ['F', /批发|零售|销售/],
  ['G', /运输|物流|仓储|货运/],
  ['H', /餐饮|住宿|食堂|酒店/],
  ['I', /软件|信息技术|互联网|数据处理|电子/],
  ['M', /技术开发|技术服务|研发|检验检测|设计/],
  ['Q', /医疗|诊所|卫生|养老|中医/],
];

/** The industry sections a text names. */
export function industriesOf(text: string): string[] {
  return INDUSTRY_KEYWORDS.filter(([, pattern]) => pattern.test(text)).map(([section]) => section);
}

/** 企业规模 from employees (the industrial thresholds of 工信部联企业〔2011〕300号). */
export function sizeByEmployees(employees: number): string {
  if (employees < 20) return 'micro';
  if (employees < 300) return 'small';
  if (employees < 1000) return 'medium';
  return 'large';
}

/**
 * A size estimate from registered capital (万元) when employees are unknown; the 2011 thresholds
 * use employees and revenue, which registrations do not carry, so this is a platform convention.
 */
export function sizeByCapital(capital: number): string {
  if (capital < 100) return 'micro';
  if (capital < 1000) return 'small';
  if (capital < 10000) return 'medium';
  return 'large';
}

/** A licence as tags see it: its effective status on the day and its field values. */
export interface TaggedLicence {
  identifier: string;
  typeCode: string;
  status: LicenceStatus;
  fields: Record<string, unknown>;
  /** A registration (营业执照) rather than a qualification to do something. */
  registration: boolean;
}

function numberOf(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * The tags of a subject: `region:` for its region and each above, `kind:`, and from each valid
 * licence `licence:<type>`, `qualification:<type>` (permits, not registrations), `industry:<GB/T
 * 4754 section>` and `size:` (employees first, else registered capital). First source wins a tag.
 */
export function computeTags(
  subject: { kind: 'person' | 'enterprise'; regionCode: string },
  regionChain: readonly string[],
  licences: readonly TaggedLicence[],
): TagRow[] {
  const tags = new Map<string, TagRow>();
  const add = (namespace: string, value: string, source: string) => {
    const tag = `${namespace}:${value}`;
    if (!tags.has(tag)) tags.set(tag, { tag, value, source });
  };
  for (const code of [subject.regionCode, ...regionChain]) add('region', code, 'subject');
  add('kind', subject.kind, 'subject');
  let size: { value: string; source: string; byEmployees: boolean } | null = null;
  for (const licence of licences) {
    if (licence.status !== 'valid') continue;
    const source = `licence:${licence.identifier}`;
    add('licence', licence.typeCode, source);
    if (subject.kind === 'enterprise' && !licence.registration) {
      add('qualification', licence.typeCode, source);
    }
    const texts = ['industry', 'business-scope', 'business-items']
      .map((key) => licence.fields[key])
      .filter((v): v is string => typeof v === 'string');
    for (const section of industriesOf(texts.join('；'))) add('industry', section, source);
    if (subject.kind !== 'enterprise') continue;
    const employees = numberOf(licence.fields.employees ?? licence.fields['employee-count']);
    const capital = numberOf(licence.fields['registered-capital']);
    if (employees !== null && !size?.byEmployees) {
      size = { value: sizeByEmployees(employees), source, byEmployees: true };
    } else if (capital !== null && !size) {
      size = { value: sizeByCapital(capital), source, byEmployees: false };
    }
  }
  if (size) add('size', size.value, size.source);
  return [...tags.values()];
}

// ------------------------------------------------------------------------------------------------
// Use cases
// ------------------------------------------------------------------------------------------------

/** An application of the subject as the dossier lists it. */
export interface DossierApplication {
  id: string;
  number: string;
  bundle: { code: string; name: Text };
  status: string;
  statusName: Text;
  submittedAt: string | null;
  acceptedAt: string | null;
  expectedBy: string | null;
  updatedAt: string;
}

/** Where the applications of a subject come from (cases' public surface). */
export type ApplicationsOf = (subject: SubjectRow) => Promise<DossierApplication[]>;

const REGISTRATION_TYPE_NAME = '营业执照';

/** Recomputes and stores a subject's tags in the caller's transaction; no-op for an unknown id. */
export async function refreshTags(trx: Tx, subjectId: string, now: Date = new Date()) {
  const subject = await dossierStore.findSubjectById(trx, subjectId);
  if (!subject) return [];
  const [chain, rows, types] = await Promise.all([
    regionChain(trx, subject.regionCode),
    store.listLicencesOfSubject(trx, subject),
    dossierStore.licenceTypeNames(trx),
  ]);
  const today = toLocalDate(now);
  const tags = computeTags(
    subject,
    chain,
    rows.map((r) => ({
      identifier: r.identifier,
      typeCode: r.typeCode,
      status: effectiveStatus(r.status, r.validUntil, today),
      fields: (r.fields ?? {}) as Record<string, unknown>,
      registration: types.get(r.typeCode)?.nameZh === REGISTRATION_TYPE_NAME,
    })),
  );
  const before = (await dossierStore.tagsOfSubjects(trx, [subject.id])).get(subject.id) ?? [];
  await dossierStore.replaceTags(trx, subject, tags, now);
  const after = tags.map((t) => t.tag).sort();
  if (before.join('\n') !== after.join('\n')) {
    // Policies re-match the subject when its tags change (政策找人).
    await publishEvent(trx, {
      type: TAGS_CHANGED,
      key: `${subject.id}:${randomUUID()}`,
      regionCode: subject.regionCode,
      payload: { subjectId: subject.id },
      occurredAt: now,
    });
  }
  return tags;
}

/** The event published when a subject's tags change; its payload is `{ subjectId }`. */
export const TAGS_CHANGED = 'licences.tags_changed';

/** The regions above a region, nearest first. */
async function regionChain(db: Kdb | Tx, code: string): Promise<string[]> {
  const chain: string[] = [];
  let current = await db
    .selectFrom('regions')
    .select('parentCode')
    .where('code', '=', code)
    .executeTakeFirst();
  while (current?.parentCode && !chain.includes(current.parentCode)) {
    chain.push(current.parentCode);
    current = await db
      .selectFrom('regions')
      .select('parentCode')
      .where('code', '=', current.parentCode)
      .executeTakeFirst();
  }
  return chain;
}

/**
 * An enterprise's credit grade as supervision keeps it (信用分级分类). Supervision depends on
 * licences, so the server's composition passes the lookup in (`creditGradeOf`).
 */
export type CreditOf = (
  subjectId: string,
) => Promise<{ score: number; grade: string; asOf: string }>;

const CREDIT_NOTES = {
  person: {
    zh: '自然人的信用信息属于个人信息，不在档案中显示',
    en: "a person's credit information is personal and not shown in the dossier",
  },
  unavailable: {
    zh: '本服务未接入信用分级分类',
    en: 'credit grades are not connected to this service',
  },
} satisfies Record<string, Text>;

/** Dossiers: read by staff (logged), by the subject itself, and subjects selected by tag. */
export class DossierService {
  constructor(
    private readonly db: Kdb,
    private readonly applicationsOf: ApplicationsOf | null = null,
    private readonly creditOf: CreditOf | null = null,
  ) {}

  async #regions(actor: Actor): Promise<readonly string[] | 'all'> {
    return actor.role === 'admin' ? 'all' : regionsUnder(this.db, actor.regionCode);
  }

  /** The subject a staff member may read; 404 when unknown or outside their regions. */
  async #readable(actor: Actor, ref: string): Promise<SubjectRow> {
    const parsed = parseSubjectRef(ref);
    if (!parsed) {
      throw invalidField('params.subject', 'subject-reference', {
        zh: '应为主体编号、公民身份号码或统一社会信用代码',
        en: 'must be a subject id, a resident ID number or a unified social credit code',
      });
    }
    const subject =
      parsed.by === 'id'
        ? await dossierStore.findSubjectById(this.db, parsed.id)
        : await dossierStore.findSubjectByIdentifier(this.db, parsed.identifier);
    if (!subject) throw notFound(DOSSIER);
    const regions = await this.#regions(actor);
    if (regions !== 'all' && !regions.includes(subject.regionCode)) throw notFound(DOSSIER);
    return subject;
  }

  /** A subject's dossier for staff; the read is logged and audited before anything is shown. */
  async read(actor: Actor, ref: string, reason: string | undefined, meta: RequestMeta) {
    const why = reason?.trim() || null;
    if (!why && reasonRequired(actor.role)) {
      throw invalidField('querystring.reason', 'required-for-role', {
        zh: '执法检查人员查阅档案须说明事由',
        en: 'inspectors must give a reason to read a dossier',
      });
    }
    const subject = await this.#readable(actor, ref);
    await this.#log(actor, subject, why, meta);
    return this.#dossier(actor, subject, why);
  }

  /** The caller's own dossier (citizens and enterprises). */
  async mine(actor: Actor, meta: RequestMeta) {
    const subject = actor.subjectId
      ? await dossierStore.findSubjectById(this.db, actor.subjectId)
      : undefined;
    if (!subject) throw notFound(DOSSIER);
    await this.#log(actor, subject, null, meta);
    return this.#dossier(actor, subject, null);
  }

  /** Who read the caller's dossier (their own reads left out). */
  async myAccessLog(actor: Actor, page: { limit: number; offset: number }) {
    if (!actor.subjectId) throw notFound(DOSSIER);
    return this.#accessLog(actor.subjectId, page);
  }

  /** Who read a subject's dossier (administrators). */
  async accessLog(actor: Actor, ref: string, page: { limit: number; offset: number }) {
    const subject = await this.#readable(actor, ref);
    return this.#accessLog(subject.id, page);
  }

  /** Subjects by tag and/or name or identifier, in the caller's regions, identifiers by role. */
  async search(actor: Actor, query: { tag?: string; q?: string; limit: number; offset: number }) {
    if (!query.tag?.trim() && !query.q?.trim()) {
      throw invalidField('querystring', 'tag-or-q', {
        zh: '请提供标签（tag）或名称、证件号（q）',
        en: 'give a tag or a name or identifier (q)',
      });
    }
    const { rows, total } = await dossierStore.searchSubjects(this.db, {
      ...query,
      tag: query.tag?.trim() || undefined,
      regions: await this.#regions(actor),
    });
    const names = await dossierStore.regionNames(this.db, [
      ...new Set(rows.map((r) => r.regionCode)),
    ]);
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        name: r.name,
        identifier: identifierFor(actor.role, r.kind, r.identifier),
        region: regionOf(names, r.regionCode),
      })),
    };
  }

  /** Recomputes one subject's tags on demand, audited. */
  async refresh(actor: Actor, ref: string, meta: RequestMeta, now: Date = new Date()) {
    const subject = await this.#readable(actor, ref);
    const tags = await this.db.transaction().execute(async (trx) => {
      const computed = await refreshTags(trx, subject.id, now);
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'dossiers.tags_refreshed',
        objectType: 'subject',
        objectId: subject.id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { tags: computed.map((t) => t.tag) },
      });
      return computed;
    });
    return { subjectId: subject.id, tags };
  }

  /** Recomputes every subject's tags (administrators), one transaction per subject. */
  async refreshAll(actor: Actor, meta: RequestMeta, now: Date = new Date()) {
    const ids = await dossierStore.allSubjectIds(this.db);
    let tags = 0;
    for (const id of ids) {
      tags += await this.db
        .transaction()
        .execute(async (trx) => (await refreshTags(trx, id, now)).length);
    }
    await this.db.transaction().execute((trx) =>
      appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'dossiers.tags_refreshed_all',
        objectType: 'subject',
        objectId: null,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { subjects: ids.length, tags },
      }),
    );
    return { subjects: ids.length, tags };
  }

  async #log(actor: Actor, subject: SubjectRow, reason: string | null, meta: RequestMeta) {
    const reader = await dossierStore.findReader(this.db, actor.userId);
    const now = new Date();
    await this.db.transaction().execute(async (trx) => {
      const id = randomUUID();
      await dossierStore.insertAccess(trx, {
        id,
        subjectId: subject.id,
        regionCode: subject.regionCode,
        actorId: actor.userId,
        actorRole: actor.role,
        actorName: reader?.displayName ?? actor.username,
        departmentCode: reader?.departmentCode ?? null,
        reason,
        at: now,
      });
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'dossiers.read',
        objectType: 'subject',
        objectId: subject.id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { accessId: id, reason },
      });
    });
  }

  async #accessLog(subjectId: string, page: { limit: number; offset: number }) {
    const { rows, total } = await dossierStore.listAccess(this.db, subjectId, page);
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        role: r.actorRole,
        name: r.actorName,
        department: r.departmentCode
          ? {
              code: r.departmentCode,
              name: {
                zh: r.departmentNameZh ?? r.departmentCode,
                en: r.departmentNameEn ?? r.departmentCode,
              },
            }
          : null,
        reason: r.reason,
        at: r.at.toISOString(),
      })),
    };
  }

  async #dossier(actor: Actor, subject: SubjectRow, reason: string | null) {
    const now = new Date();
    // A subject known before tags existed gets them on first read, so the list by tag finds it.
    if (!(await dossierStore.hasTags(this.db, subject.id))) {
      await this.db.transaction().execute((trx) => refreshTags(trx, subject.id, now));
    }
    const [licences, types, tags, names, applications, credit] = await Promise.all([
      store.listLicencesOfSubject(this.db, subject),
      dossierStore.licenceTypeNames(this.db),
      dossierStore.listTags(this.db, subject.id),
      dossierStore.regionNames(this.db, [subject.regionCode]),
      this.#applications(subject),
      // An enterprise's grade is public (信用信息公示); a person's credit is not shown here.
      subject.kind === 'enterprise' && this.creditOf ? this.creditOf(subject.id) : null,
    ]);
    const today = toLocalDate(now);
    const whole = seesWholeIdentifier(actor.role) || actor.subjectId === subject.id;
    return {
      subject: {
        id: subject.id,
        kind: subject.kind,
        name: subject.name,
        identifier: whole
          ? subject.identifier
          : identifierFor(actor.role, subject.kind, subject.identifier),
        identifierMasked: !whole,
        region: regionOf(names, subject.regionCode),
        since: subject.createdAt.toISOString(),
      },
      tags: tags.map((t) => ({ ...t, updatedAt: t.updatedAt.toISOString() })),
      licences: licences.map((l) => {
        const status = effectiveStatus(l.status, l.validUntil, today);
        const type = types.get(l.typeCode);
        return {
          id: l.id,
          identifier: l.identifier,
          type: {
            code: l.typeCode,
            name: type ? { zh: type.nameZh, en: type.nameEn } : { zh: l.typeCode, en: l.typeCode },
          },
          issuerDepartmentCode: l.issuerDepartmentCode,
          issuedAt: l.issuedAt.toISOString(),
          validFrom: l.validFrom,
          validUntil: l.validUntil,
          status,
          statusLabel: STATUS_LABELS[status],
        };
      }),
      applications,
      credit,
      creditNote: credit
        ? null
        : subject.kind === 'person'
          ? CREDIT_NOTES.person
          : CREDIT_NOTES.unavailable,
      access: { reason, at: now.toISOString() },
      actions: {
        accessLog: actor.role === 'admin',
        refreshTags: (['clerk', 'reviewer', 'admin'] as Role[]).includes(actor.role),
      },
    };
  }

  async #applications(subject: SubjectRow) {
    if (!this.applicationsOf) {
      return { available: false, items: [] as DossierApplication[], note: APPLICATIONS_NOTE };
    }
    return { available: true, items: await this.applicationsOf(subject), note: null };
  }
}

const APPLICATIONS_NOTE: Text = {
  zh: '办件信息暂不可用',
  en: 'applications are not available',
};

function regionOf(names: Map<string, { nameZh: string; nameEn: string }>, code: string) {
  const region = names.get(code);
  return { code, name: region ? { zh: region.nameZh, en: region.nameEn } : { zh: code, en: code } };
}

/**
 * The applications of a subject through cases' public surface. `ApplicationService.list` scopes by
 * the reader, and offers staff no filter by subject, so it is asked as the subject would ask
 * (read-only; the dossier's own region check has already passed). Drafts stay the subject's own.
 */
export function applicationsFrom(service: ApplicationService): ApplicationsOf {
  return async (subject) => {
    const asSubject: Actor = {
      userId: '00000000-0000-0000-0000-000000000000',
      username: 'dossier',
      role: subject.kind === 'person' ? 'citizen' : 'enterprise',
      regionCode: subject.regionCode,
      departmentId: null,
      subjectId: subject.id,
    };
    const page = await service.list(asSubject, { limit: 50, offset: 0 });
    return page.items
      .filter((a) => a.status !== 'draft')
      .map((a) => ({
        id: a.id,
        number: a.number,
        bundle: { code: a.bundle.code, name: a.bundle.name },
        status: a.status,
        statusName: a.statusName,
        submittedAt: a.submittedAt,
        acceptedAt: a.acceptedAt,
        expectedBy: a.expectedBy,
        updatedAt: a.updatedAt,
      }));
  };
}

// ------------------------------------------------------------------------------------------------
// Routes
// ------------------------------------------------------------------------------------------------

const STAFF = { roles: DOSSIER_READERS, scope: 'region' } as const;
const TAGGERS = { roles: ['clerk', 'reviewer', 'admin'], scope: 'region' } as const;
const ADMIN = { roles: ['admin'], scope: 'all' } as const;
const HOLDERS = { roles: ['citizen', 'enterprise'], scope: 'own' } as const;

const SubjectParams = Type.Object({
  subject: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'subject id, resident ID (公民身份号码) or credit code (统一社会信用代码)',
  }),
});
const Page = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
};
const PageQuery = Type.Object(Page, { additionalProperties: false });

function page(query: { limit?: number; offset?: number }) {
  return { limit: query.limit ?? 20, offset: query.offset ?? 0 };
}

/** /api/dossiers: dossiers for staff and subjects, tags, and the access log. */
export function dossierRoutes(app: App, { db, config }: AppContext, creditOf: CreditOf | null) {
  const catalog = new CatalogService(db.kysely);
  const calendars = new CalendarService(db.kysely, config.businessHours);
  const applications = new ApplicationService(
    db.kysely,
    new BundleService(db.kysely, catalog, calendars),
    catalog,
    calendars,
    // never called: the dossier only lists applications
    defaultScanner({ scanCommand: config.scanCommand }),
  );
  const dossiers = new DossierService(db.kysely, applicationsFrom(applications), creditOf);

  app.get(
    '/api/dossiers',
    {
      config: { access: STAFF },
      schema: {
        tags: ['dossiers'],
        summary: 'Subjects by tag, name or identifier in the caller’s regions (按标签查主体)',
        querystring: Type.Object(
          {
            tag: Type.Optional(
              Type.String({ minLength: 3, maxLength: 200, pattern: '^[a-z]+:.+$' }),
            ),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            ...Page,
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) =>
      dossiers.search(requireActor(request), { ...request.query, ...page(request.query) }),
  );

  app.get(
    '/api/dossiers/mine',
    {
      config: { access: HOLDERS },
      schema: {
        tags: ['dossiers'],
        summary: "The caller's own dossier (我的档案)",
        response: errorResponses(401, 403, 404),
      },
    },
    async (request) => dossiers.mine(requireActor(request), requestMeta(request)),
  );

  app.get(
    '/api/dossiers/mine/access-log',
    {
      config: { access: HOLDERS },
      schema: {
        tags: ['dossiers'],
        summary: "Who read the caller's dossier (档案查阅记录)",
        querystring: PageQuery,
        response: errorResponses(401, 403, 404),
      },
    },
    async (request) => dossiers.myAccessLog(requireActor(request), page(request.query)),
  );

  app.post(
    '/api/dossiers/tags/refresh',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['dossiers'],
        summary: 'Recompute the tags of every subject (重算全部标签)',
        response: errorResponses(401, 403),
      },
    },
    async (request) => dossiers.refreshAll(requireActor(request), requestMeta(request)),
  );

  app.get(
    '/api/dossiers/:subject',
    {
      config: { access: STAFF },
      schema: {
        tags: ['dossiers'],
        summary: 'A subject’s dossier (一人一档/一企一档); every read is logged',
        params: SubjectParams,
        querystring: Type.Object(
          {
            reason: Type.Optional(
              Type.String({
                maxLength: 500,
                description: '查阅事由 — why; required for inspectors',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) =>
      dossiers.read(
        requireActor(request),
        request.params.subject,
        request.query.reason,
        requestMeta(request),
      ),
  );

  app.get(
    '/api/dossiers/:subject/access-log',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['dossiers'],
        summary: 'Who read a subject’s dossier (administrators)',
        params: SubjectParams,
        querystring: PageQuery,
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) =>
      dossiers.accessLog(requireActor(request), request.params.subject, page(request.query)),
  );

  app.post(
    '/api/dossiers/:subject/tags/refresh',
    {
      config: { access: TAGGERS },
      schema: {
        tags: ['dossiers'],
        summary: 'Recompute one subject’s tags now (重算标签)',
        params: SubjectParams,
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) =>
      dossiers.refresh(requireActor(request), request.params.subject, requestMeta(request)),
  );
}
