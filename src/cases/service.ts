import { randomBytes, randomUUID } from 'node:crypto';
import {
  guideBundle,
  splitFormData,
  type BundleService,
  type Guide,
  type PublishedBundle,
} from '../bundles';
import type { Answers, CatalogService } from '../catalog';
import type { Decision } from '../catalog/schema';
import { appendAudit, canonicalJson, type AuditAction } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import { toLocalDate, toOffsetIso } from '../platform/calendar';
import type { CalendarService } from '../platform/calendar/service';
import type { WorkCalendar } from '../platform/calendar';
import { applicationProgress, DEFAULT_WARN_FRACTION, type CaseState } from './casework';
import { fanOutCases, type CaseClock } from './department-fanout';
import { casesOf } from './department-store';
import { publishEvent } from '../platform/notify';
import { CASE_EVENTS, recordOutcomes, tellApplicant } from './department-results';
import type { Tx } from '../platform/db/database';
import type { Kdb } from '../platform/db/database';
import { AppError, forbidden, notFound, type FieldProblem } from '../platform/http/errors';
import { invalidRequest } from '../platform/http/validation';
import type { Text } from '../platform/i18n';
import { checkMobile, checkRic, checkUscc, maskIdentifier } from '../platform/ids';
import { listDepartments, regionsUnder } from '../platform/regions';
import {
  allowedActions,
  applicationNumberPrefix,
  canDecide,
  canRead,
  checkAcceptance,
  checkCorrectionItems,
  checkDeficiency,
  checkPledges,
  checkTransition,
  clockEvents,
  displayFilename,
  EVENT_LABELS,
  idempotencyConflict,
  isApplicant,
  isOwner,
  materialViews,
  missingProblems,
  noticeNumberPrefix,
  noticeTitle,
  outstandingMaterials,
  prefillData,
  acceptsAutomatically,
  AUTO_DEFICIENCY_WORKING_DAYS,
  APPLICATION_STATUSES,
  type AccessFacts,
  type ApplicationStatus,
  type BundleFacts,
  type Correction,
  type Deficiency,
  type IntakeAction,
  type MaterialView,
  type NoticeKind,
  type Refusal,
  type UploadView,
} from './model';
import {
  NO_SOURCES,
  chooseWaivers,
  waiverCandidates,
  wantedSources,
  type Holder,
  type MaterialSources,
  type Waiver,
} from './waivers';
import { sha256Hex, inspectUpload, type MaterialScanner } from './uploads';
import * as store from './store';
import type { ApplicationRow, NewEvent, UploadMeta } from './store';

// The use cases of applying and intake. Reads that go through other services (the published bundle,
// the calendar) happen before a transaction opens: inside one, only the transaction may be used.

const APPLICATION: Text = { zh: '申请', en: 'application' };
const TTL_MS = 60_000;
// Applying reads the published bundle on every request; a new publication reaches new applications
// within this time (each application records the version it was made under).
const PUBLISHED_TTL_MS = 2_000;
const SYSTEM_NAME = '智能受理 (automatic intake)';

/** The applicant as an application states them. */
export interface Applicant {
  kind: 'person' | 'enterprise';
  name: string;
  identifier: string;
  mobile: string | null;
  address: string | null;
}

/** 帮办代办: how the applicant agreed that a clerk applies for them. */
export interface Consent {
  method: 'signature' | 'sms' | 'written';
  reference: string;
}

/** What a creating request may carry. */
export interface CreateInput {
  bundleCode: string;
  answers?: Answers;
  data?: Record<string, unknown>;
  pledges?: string[];
  submit?: boolean;
  applicant?: {
    kind: 'person' | 'enterprise';
    name: string;
    identifier: string;
    mobile?: string;
    address?: string;
  };
  consent?: Consent;
}

/** What a draft update may change. */
export interface UpdateInput {
  answers?: Answers;
  data?: Record<string, unknown>;
  pledges?: string[];
}

/** What an application was submitted under; frozen at submission. */
export interface Snapshot {
  bundle: BundleFacts;
  guide: Guide;
  /** The form data split per member under each item's own keys. */
  byMember: Record<string, Record<string, unknown>>;
  itemVersions: Record<string, number>;
  /** Materials attached from licences and shared data (免提交); absent before waivers existed. */
  waivers?: Record<string, Waiver>;
}

/** Where an application's guide and materials come from: the published bundle or its snapshot. */
interface Basis {
  version: number;
  bundle: BundleFacts;
  guide: Guide;
  formProblems: FieldProblem[];
  byMember: Record<string, Record<string, unknown>>;
  itemVersions: Record<string, number>;
  waivers: Record<string, Waiver>;
}

type Event = {
  at: Date;
  action: string;
  actorName: string;
  actorRole: string | null;
  note: string | null;
};
type NoticeRef = { id: string; kind: string; number: string; issuedAt: Date };

/** The application as the API returns it. */
export type ApplicationView = Awaited<ReturnType<ApplicationService['view']>>;

function text(zh: string, en: string): Text {
  return { zh, en };
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

function editable(status: ApplicationStatus): boolean {
  return status === 'draft' || status === 'correction';
}

function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function applicantOf(row: ApplicationRow): Applicant {
  return row.applicant as Applicant;
}

function maskedIdentifier(applicant: Applicant): string {
  return maskIdentifier(applicant.kind === 'person' ? 'ric' : 'uscc', applicant.identifier);
}

/** Applications for bundles: drafts, materials, submission, intake decisions, notices. */
export class ApplicationService {
  readonly #guides = new WeakMap<PublishedBundle, Map<string, Guide>>();
  readonly #itemVersions = new WeakMap<PublishedBundle, Promise<Record<string, number>>>();
  readonly #published = new Map<string, { bundle: Promise<PublishedBundle>; at: number }>();
  readonly #regions = new Map<string, { set: Set<string>; at: number }>();
  readonly #users = new Map<string, { card: UserCard; at: number }>();
  #departments: { map: Map<string, Text>; at: number } | null = null;

  constructor(
    private readonly db: Kdb,
    private readonly bundles: BundleService,
    private readonly catalog: CatalogService,
    private readonly calendars: CalendarService,
    private readonly scanner: MaterialScanner,
    private readonly warnFraction = DEFAULT_WARN_FRACTION,
    readonly sources: MaterialSources = NO_SOURCES,
  ) {}

  // ----------------------------------------------------------------------------------------------
  // Cached reads
  // ----------------------------------------------------------------------------------------------

  /** The guide of a published bundle for some answers; computed once per answers per snapshot. */
  #guide(bundle: PublishedBundle, answers: Answers): Guide {
    let byAnswers = this.#guides.get(bundle);
    if (!byAnswers) this.#guides.set(bundle, (byAnswers = new Map()));
    const key = canonicalJson(answers);
    let guide = byAnswers.get(key);
    if (!guide) {
      guide = guideBundle(bundle.content, bundle.items, answers);
      if (byAnswers.size >= 1000) byAnswers.delete(byAnswers.keys().next().value!);
      byAnswers.set(key, guide);
    }
    return guide;
  }

  /** The published version of a bundle, read at most every PUBLISHED_TTL_MS (404 when none). */
  #publishedBundle(code: string): Promise<PublishedBundle> {
    const hit = this.#published.get(code);
    if (hit && Date.now() - hit.at < PUBLISHED_TTL_MS) return hit.bundle;
    const bundle = this.bundles.published(code);
    this.#published.set(code, { bundle, at: Date.now() });
    bundle.catch(() => this.#published.delete(code));
    return bundle;
  }

  /** The catalog versions of a published bundle's member items. */
  #versionsOf(bundle: PublishedBundle): Promise<Record<string, number>> {
    let versions = this.#itemVersions.get(bundle);
    if (!versions) {
      versions = this.catalog.snapshot().then((snapshot) => {
        const out: Record<string, number> = {};
        for (const code of bundle.items.keys()) {
          const published = snapshot.items.get(code);
          if (published) out[code] = published.version;
        }
        return out;
      });
      this.#itemVersions.set(bundle, versions);
    }
    return versions;
  }

  /** The actor's region and the regions below it. */
  async #regionsOf(code: string): Promise<Set<string>> {
    const cached = this.#regions.get(code);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.set;
    const set = new Set(await regionsUnder(this.db, code));
    this.#regions.set(code, { set, at: Date.now() });
    return set;
  }

  async #departmentNames(): Promise<Map<string, Text>> {
    if (this.#departments && Date.now() - this.#departments.at < TTL_MS) {
      return this.#departments.map;
    }
    const map = new Map(
      (await listDepartments(this.db)).map((d) => [d.code, { zh: d.nameZh, en: d.nameEn }]),
    );
    this.#departments = { map, at: Date.now() };
    return map;
  }

  async #user(userId: string): Promise<UserCard> {
    const cached = this.#users.get(userId);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.card;
    const row = await store.findUserCard(this.db, userId);
    const card: UserCard = {
      name: row?.displayName ?? userId,
      role: row?.role ?? null,
      departmentCode: row?.departmentCode ?? null,
    };
    this.#users.set(userId, { card, at: Date.now() });
    return card;
  }

  /**
   * The published bundle with the guide, form problems and split data for some answers and data,
   * and the materials the holder need not hand in (none while the applicant is not yet known).
   */
  async #live(
    code: string,
    answers: Answers,
    data: Record<string, unknown>,
    holder: Holder | null,
  ): Promise<Basis> {
    const bundle = await this.#publishedBundle(code);
    const guide = this.#guide(bundle, answers);
    const split = splitFormData(bundle.content, guide, bundle.items, data);
    const c = bundle.content;
    return {
      version: bundle.version,
      bundle: {
        code: c.code,
        name: c.name,
        intake: c.intake,
        regionCode: c.regionCode,
        leadDepartment: c.leadDepartment,
        audience: c.audience,
        commitment: c.commitment,
        materials: c.materials,
      },
      guide,
      formProblems: split.problems,
      byMember: split.byMember,
      itemVersions: await this.#versionsOf(bundle),
      waivers: holder ? await this.#waivers(code, guide, holder) : {},
    };
  }

  /** What of the guide's materials the holder's licences, shared data and results stand in for. */
  async #waivers(code: string, guide: Guide, holder: Holder): Promise<Record<string, Waiver>> {
    const bundle = await this.#publishedBundle(code);
    const candidates = waiverCandidates(guide, bundle.items);
    if (candidates.size === 0) return {};
    const held = await this.sources.held(this.db, holder, wantedSources(candidates));
    return chooseWaivers(candidates, held);
  }

  /** Drafts and corrections follow the published bundle; submitted applications their snapshot. */
  async #basis(row: ApplicationRow): Promise<Basis> {
    if (editable(row.status) || row.snapshot === null) {
      return this.#live(
        row.bundleCode,
        row.answers as Answers,
        row.data as Record<string, unknown>,
        applicantOf(row),
      );
    }
    const snapshot = row.snapshot as Snapshot;
    return {
      version: row.bundleVersion,
      bundle: snapshot.bundle,
      guide: snapshot.guide,
      formProblems: [],
      byMember: snapshot.byMember,
      itemVersions: snapshot.itemVersions,
      waivers: snapshot.waivers ?? {},
    };
  }

  async #facts(actor: Actor, row: ApplicationRow): Promise<AccessFacts> {
    const inActorRegion =
      actor.role === 'admin' || (await this.#regionsOf(actor.regionCode)).has(row.regionCode);
    return {
      status: row.status,
      subjectId: row.subjectId,
      createdBy: row.createdBy,
      assistedBy: row.assistedBy,
      inActorRegion,
    };
  }

  /** The application if the actor may see it; 404 otherwise, so ids of others' do not leak. */
  async #readable(actor: Actor, id: string): Promise<{ row: ApplicationRow; facts: AccessFacts }> {
    const row = await store.findApplication(this.db, id);
    if (!row) throw notFound(APPLICATION);
    const facts = await this.#facts(actor, row);
    if (!canRead(actor, facts)) throw notFound(APPLICATION);
    return { row, facts };
  }

  /** …and the actor is its applicant or assisting clerk (403 for others who may only see it). */
  async #owned(actor: Actor, id: string) {
    const found = await this.#readable(actor, id);
    if (!isOwner(actor, found.facts)) {
      throw forbidden(
        text(
          '只有申请人或代办窗口人员可以操作此申请',
          'only the applicant or the assisting clerk may do this',
        ),
      );
    }
    return found;
  }

  /** …and the actor is a clerk of its region. */
  async #decidable(actor: Actor, id: string) {
    const found = await this.#readable(actor, id);
    if (!canDecide(actor, found.facts)) throw forbidden();
    return found;
  }

  // ----------------------------------------------------------------------------------------------
  // Views
  // ----------------------------------------------------------------------------------------------

  /** The application as its reader sees it, with what they may do next. */
  async view(
    actor: Actor,
    row: ApplicationRow,
    basis: Basis,
    loaded?: { uploads: UploadMeta[]; events: Event[]; notices: NoticeRef[] },
  ) {
    const [uploads, events, notices] = loaded
      ? [loaded.uploads, loaded.events, loaded.notices]
      : await Promise.all([
          store.listUploads(this.db, [row.id]),
          store.listEvents(this.db, row.id),
          store.listNotices(this.db, row.id),
        ]);
    const departments = await this.#departmentNames();
    const facts = await this.#facts(actor, row);
    const pledges = row.pledges as string[];
    const materials = materialViews(
      basis.bundle.materials,
      basis.guide,
      pledges,
      uploadViews(uploads),
      basis.waivers,
    );
    // once accepted, the overall progress derives from the department cases
    const progress =
      row.status === 'accepted'
        ? applicationProgress(
            (await casesOf(this.db, [row.id])).map((c) => ({
              state: c.state as CaseState,
              committedDueAt: c.committedDueAt,
              results: c.results,
            })),
          )
        : null;
    const assisted = row.assistedBy
      ? {
          clerkId: row.assistedBy,
          clerkName: (await this.#user(row.assistedBy)).name,
          consent: row.consent as Consent,
        }
      : null;
    return {
      id: row.id,
      number: row.number,
      bundle: { code: row.bundleCode, version: basis.version, name: basis.bundle.name },
      status: row.status,
      statusName: APPLICATION_STATUSES[row.status],
      channel: row.channel,
      intake: basis.bundle.intake,
      regionCode: row.regionCode,
      applicant: applicantOf(row),
      subjectId: row.subjectId,
      assisted,
      answers: row.answers as Answers,
      data: row.data as Record<string, unknown>,
      pledges,
      guide: {
        ...basis.guide,
        items: basis.guide.items.map((item) => ({
          ...item,
          departmentName: departments.get(item.department) ?? {
            zh: item.department,
            en: item.department,
          },
        })),
      },
      materials,
      missing: editable(row.status)
        ? missingProblems(basis.guide, basis.formProblems, materials)
        : [],
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      submittedAt: iso(row.submittedAt),
      acceptedAt: iso(row.acceptedAt),
      decidedAt: iso(row.decidedAt),
      expectedBy: row.expectedBy ? toOffsetIso(row.expectedBy) : null,
      expectedProvisional: row.expectedProvisional ?? false,
      progress: progress
        ? {
            status: progress.progress,
            expectedBy: progress.dueAt ? toOffsetIso(progress.dueAt) : null,
          }
        : null,
      deficiency: row.deficiency as Deficiency | null,
      correction: row.correction as Correction | null,
      refusal: row.refusal as Refusal | null,
      notices: notices.map((n) => ({
        id: n.id,
        kind: n.kind as NoticeKind,
        number: n.number,
        title: noticeTitle(n.kind as NoticeKind, row.deficiency !== null),
        issuedAt: n.issuedAt.toISOString(),
      })),
      events: events.map((e) => ({
        at: e.at.toISOString(),
        action: e.action,
        label: EVENT_LABELS[e.action] ?? text(e.action, e.action),
        actorName: e.actorName,
        actorRole: e.actorRole,
        note: e.note,
      })),
      actions: allowedActions(actor, facts),
      publicToken: row.publicToken,
    };
  }

  async #viewOf(actor: Actor, row: ApplicationRow) {
    return this.view(actor, row, await this.#basis(row));
  }

  // ----------------------------------------------------------------------------------------------
  // Reading
  // ----------------------------------------------------------------------------------------------

  /** One application (404 when the caller may not see it). */
  async get(actor: Actor, id: string) {
    const { row } = await this.#readable(actor, id);
    return this.#viewOf(actor, row);
  }

  /** Applications the caller may see: their own, or their region's queue (oldest submitted first). */
  async list(actor: Actor, filter: store.ApplicationFilter) {
    const scope: store.ListScope = isApplicant(actor)
      ? { kind: 'subject', subjectId: actor.subjectId ?? '' }
      : {
          kind: 'regions',
          regions: actor.role === 'admin' ? 'all' : [...(await this.#regionsOf(actor.regionCode))],
          userId: actor.userId,
        };
    const { rows, total } = await store.listApplications(this.db, scope, filter);
    const names = new Map<string, Text>();
    for (const code of new Set(rows.filter((r) => r.snapshot === null).map((r) => r.bundleCode))) {
      const published = await this.#publishedBundle(code).catch(() => null);
      names.set(code, published?.content.name ?? text(code, code));
    }
    return {
      total,
      items: rows.map((row) => {
        const applicant = applicantOf(row);
        return {
          id: row.id,
          number: row.number,
          bundle: {
            code: row.bundleCode,
            version: row.bundleVersion,
            name: row.snapshot
              ? (row.snapshot as Snapshot).bundle.name
              : (names.get(row.bundleCode) ?? text(row.bundleCode, row.bundleCode)),
          },
          status: row.status,
          statusName: APPLICATION_STATUSES[row.status],
          channel: row.channel,
          regionCode: row.regionCode,
          applicant: {
            kind: applicant.kind,
            name: applicant.name,
            identifier: maskedIdentifier(applicant),
          },
          assisted: row.assistedBy !== null,
          assistedByName: row.assistedByName,
          createdAt: row.createdAt.toISOString(),
          updatedAt: row.updatedAt.toISOString(),
          submittedAt: iso(row.submittedAt),
          acceptedAt: iso(row.acceptedAt),
          expectedBy: row.expectedBy ? toOffsetIso(row.expectedBy) : null,
          deficiency: row.deficiency as Deficiency | null,
        };
      }),
    };
  }

  /** The applicant and form data prefilled from what the platform knows of the caller's subject. */
  async prefill(actor: Actor, bundleCode: string) {
    const bundle = await this.#publishedBundle(bundleCode);
    const subject = actor.subjectId ? await store.findSubject(this.db, actor.subjectId) : undefined;
    if (!subject) throw notFound(text('申请主体', 'applicant subject'));
    return {
      bundle: { code: bundleCode, version: bundle.version, name: bundle.content.name },
      applicant: {
        kind: subject.kind,
        name: subject.name,
        identifier: subject.identifier,
        mobile: subject.mobile,
      },
      data: prefillData(bundleCode, bundle.content.form, subject),
    };
  }

  // ----------------------------------------------------------------------------------------------
  // Applying
  // ----------------------------------------------------------------------------------------------

  /**
   * Creates an application (a draft, or submitted at once with `submit`), once per idempotency key:
   * a replay with the same key and body returns the application the first request created (also
   * when both race: the key's unique constraint decides), the same key with another body is 409.
   */
  async create(
    actor: Actor,
    key: string,
    input: CreateInput,
    meta: RequestMeta,
    now = new Date(),
  ): Promise<{ created: boolean; application: ApplicationView }> {
    const requestHash = sha256Hex(Buffer.from(canonicalJson(input)));
    const replay = async () => {
      const first = await store.findIdempotencyKey(this.db, actor.userId, key);
      if (!first) return null;
      if (first.requestHash !== requestHash) {
        throw idempotencyConflict();
      }
      const row = (await store.findApplication(this.db, first.applicationId))!;
      return { created: false, application: await this.#viewOf(actor, row) };
    };
    const answers = input.answers ?? {};
    const data = input.data ?? {};
    const pledges = input.pledges ?? [];
    const submit = input.submit ?? false;
    const channel = isApplicant(actor) ? 'online' : 'window';
    // Everything is checked and read before the transaction; the key's unique constraint inside it
    // tells a replay apart, so the common case costs no extra query. A request that fails here is
    // still answered with the first application when its key was used before.
    const prepare = async () => {
      const [general, ownSubject] = await Promise.all([
        this.#live(input.bundleCode, answers, data, null),
        isApplicant(actor) && actor.subjectId
          ? store.findSubject(this.db, actor.subjectId)
          : Promise.resolve(undefined),
      ]);
      const who = await this.#applicantFor(actor, input, general.bundle, ownSubject);
      const waivers = await this.#waivers(input.bundleCode, general.guide, who.applicant);
      const basis = { ...general, waivers };
      const problems = checkPledges(basis.bundle.materials, pledges);
      if (problems.length > 0) throw invalidRequest(problems);
      const materials = materialViews(
        basis.bundle.materials,
        basis.guide,
        pledges,
        [],
        basis.waivers,
      );
      if (submit) {
        const missing = missingProblems(basis.guide, basis.formProblems, materials);
        if (missing.length > 0) throw incomplete(missing);
      }
      const autoAccept = submit && acceptsAutomatically(channel, basis.bundle.intake, []);
      return {
        basis,
        ...who,
        materials,
        autoAccept,
        auto: autoAccept ? await this.#automaticIntake(basis, materials, now) : null,
        actorCard: await this.#user(actor.userId),
      };
    };
    let prepared: Awaited<ReturnType<typeof prepare>>;
    try {
      prepared = await prepare();
    } catch (error) {
      const earlier = await replay();
      if (earlier) return earlier;
      throw error;
    }
    const { basis, applicant, subjectId, consent, materials, autoAccept, auto, actorCard } =
      prepared;
    const localDate = toLocalDate(now);

    const outcome = await this.db.transaction().execute(async (trx) => {
      const id = randomUUID();
      const subject = subjectId
        ? subjectId
        : (
            await store.ensureSubject(trx, {
              kind: applicant.kind,
              name: applicant.name,
              identifier: applicant.identifier,
              regionCode: actor.regionCode,
              mobile: applicant.mobile,
            })
          ).id;
      const claimed = await store.claimIdempotencyKey(trx, {
        userId: actor.userId,
        key,
        requestHash,
        applicationId: id,
        at: now,
      });
      if (!claimed) return null;
      const status: ApplicationStatus = autoAccept ? 'accepted' : submit ? 'submitted' : 'draft';
      const fresh: Omit<ApplicationRow, 'number'> = {
        id,
        bundleCode: basis.bundle.code,
        bundleVersion: basis.version,
        status,
        channel,
        regionCode: basis.bundle.regionCode,
        subjectId: subject,
        applicant,
        applicantName: applicant.name,
        createdBy: actor.userId,
        assistedBy: consent ? actor.userId : null,
        consent,
        answers,
        data,
        pledges,
        snapshot: submit ? snapshotOf(basis) : null,
        deficiency: auto?.deficiency ?? null,
        correction: null,
        refusal: null,
        expectedBy: auto?.expected.due ?? null,
        expectedProvisional: auto?.expected.provisional ?? null,
        publicToken: newToken(),
        createdAt: now,
        updatedAt: now,
        submittedAt: submit ? now : null,
        acceptedAt: autoAccept ? now : null,
        decidedAt: autoAccept ? now : null,
      };
      const { number } = await store.insertApplication(
        trx,
        store.newApplication(fresh, applicationNumberPrefix(localDate)),
      );
      const row: ApplicationRow = { ...fresh, number };
      const by = { actorId: actor.userId, actorName: actorCard.name, actorRole: actor.role };
      const events: NewEvent[] = [
        {
          ...by,
          action: 'created',
          note: consent ? `帮办代办 (${consent.method}: ${consent.reference})` : null,
        },
      ];
      if (submit) events.push({ ...by, action: 'submitted' });
      if (auto) {
        events.push({
          actorId: null,
          actorName: SYSTEM_NAME,
          actorRole: null,
          action: 'auto_accepted',
          note: auto.deficiency ? deficiencyNote(auto.deficiency) : null,
        });
      }
      await store.appendEvents(trx, row, now, events);
      if (submit) {
        await this.#recordWaivers(trx, row, basis, {}, by, actorCard, now);
        await publishSubmitted(trx, row, now);
      }
      const notices: NoticeRef[] = [];
      if (auto) {
        notices.push(
          await this.#accept(
            trx,
            row,
            basis,
            materials,
            auto.deficiency,
            auto.expected,
            null,
            auto.departments,
            auto.cases,
            now,
          ),
        );
      }
      await audit(trx, actor, meta, 'cases.application_created', row.id, {
        number: row.number,
        bundle: row.bundleCode,
        version: row.bundleVersion,
        status,
        channel,
        assisted: consent !== null,
      });
      return {
        row,
        events: events.map((e) => ({
          at: now,
          action: e.action,
          actorName: e.actorName,
          actorRole: e.actorRole,
          note: e.note ?? null,
        })),
        notices,
      };
    });
    if (!outcome) {
      const again = await replay();
      if (again) return again;
      throw new AppError(409, 'conflict.concurrent', text('请重试', 'please retry'));
    }
    const application = await this.view(actor, outcome.row, basis, {
      uploads: [],
      events: outcome.events,
      notices: outcome.notices,
    });
    return { created: true, application };
  }

  /** The applicant of a new application: the caller's own subject, or the one a clerk names. */
  async #applicantFor(
    actor: Actor,
    input: CreateInput,
    bundle: BundleFacts,
    ownSubject: Awaited<ReturnType<typeof store.findSubject>>,
  ): Promise<{ applicant: Applicant; subjectId: string | null; consent: Consent | null }> {
    if (isApplicant(actor)) {
      const refused: FieldProblem[] = (['applicant', 'consent'] as const)
        .filter((k) => input[k] !== undefined)
        .map((k) => ({
          path: `body.${k}`,
          rule: 'not_allowed',
          message: text(
            '本人申请时申请人取自登录身份，不能另行指定',
            'when you apply yourself, the applicant is your signed-in identity',
          ),
        }));
      if (refused.length > 0) throw invalidRequest(refused);
      const subject = ownSubject;
      if (!subject) throw notFound(text('申请主体', 'applicant subject'));
      checkAudience(bundle, subject.kind, 'body.bundleCode');
      return {
        applicant: {
          kind: subject.kind,
          name: subject.name,
          identifier: subject.identifier,
          mobile: subject.mobile,
          address: null,
        },
        subjectId: subject.id,
        consent: null,
      };
    }
    // A clerk applies on someone's behalf (帮办代办): who, and their consent, are both required.
    const problems: FieldProblem[] = [];
    if (!input.applicant) {
      problems.push({
        path: 'body.applicant',
        rule: 'required',
        message: text('代办时须填写申请人', 'name the applicant you apply for'),
      });
    }
    if (!input.consent) {
      problems.push({
        path: 'body.consent',
        rule: 'required',
        message: text(
          '代办须有申请人的授权（签字、短信或书面）',
          "applying on someone's behalf needs their consent (signature, SMS or written)",
        ),
      });
    }
    const given = input.applicant;
    let identifier = given?.identifier ?? '';
    if (given) {
      const check =
        given.kind === 'person' ? checkRic(given.identifier) : checkUscc(given.identifier);
      if (!check.valid) {
        problems.push({
          path: 'body.applicant.identifier',
          rule: given.kind === 'person' ? 'ric' : 'uscc',
          message: check.message!,
        });
      }
      identifier = check.normalized;
      if (given.mobile !== undefined) {
        const mobile = checkMobile(given.mobile);
        if (!mobile.valid) {
          problems.push({
            path: 'body.applicant.mobile',
            rule: 'mobile',
            message: mobile.message!,
          });
        }
      }
    }
    if (problems.length > 0) throw invalidRequest(problems);
    const applicant = given!;
    checkAudience(bundle, applicant.kind, 'body.applicant.kind');
    if (!(await this.#regionsOf(actor.regionCode)).has(bundle.regionCode)) {
      throw forbidden(
        text('该一件事不在您所在区划的受理范围内', "this bundle is outside your region's intake"),
      );
    }
    const existing = await store.findSubjectByIdentifier(this.db, identifier);
    if (existing && existing.kind !== applicant.kind) {
      throw invalidRequest([
        {
          path: 'body.applicant.kind',
          rule: 'matches_subject',
          message: text(
            '证件号码已登记为另一类主体',
            'the identifier belongs to another kind of subject',
          ),
        },
      ]);
    }
    return {
      applicant: {
        kind: applicant.kind,
        name: applicant.name.trim(),
        identifier,
        mobile: applicant.mobile ?? existing?.mobile ?? null,
        address: applicant.address?.trim() || null,
      },
      subjectId: existing?.id ?? null,
      consent: input.consent!,
    };
  }

  /** Saves answers, form data and pledges of a draft or an application under correction. */
  async update(actor: Actor, id: string, input: UpdateInput, meta: RequestMeta, now = new Date()) {
    const { row: before } = await this.#owned(actor, id);
    checkTransition(before.status, 'update');
    const answers = input.answers ?? (before.answers as Answers);
    const data = input.data ?? (before.data as Record<string, unknown>);
    const pledges = input.pledges ?? (before.pledges as string[]);
    const basis = await this.#live(before.bundleCode, answers, data, applicantOf(before));
    const problems = checkPledges(basis.bundle.materials, pledges);
    if (problems.length > 0) throw invalidRequest(problems);
    const row = await this.db.transaction().execute(async (trx) => {
      const locked = await this.#lock(trx, id, 'update');
      const updated = await store.updateApplication(trx, id, {
        answers: JSON.stringify(answers),
        data: JSON.stringify(data),
        pledges: JSON.stringify(pledges),
        bundleVersion: basis.version,
        updatedAt: now,
      });
      await audit(trx, actor, meta, 'cases.application_saved', id, {
        number: locked.number,
        fields: Object.keys(input),
      });
      return updated;
    });
    return this.view(actor, row, basis);
  }

  /** Locks the application and checks that the action is allowed in its current status. */
  async #lock(trx: Tx, id: string, action: IntakeAction): Promise<ApplicationRow> {
    const locked = await store.lockApplication(trx, id);
    if (!locked) throw notFound(APPLICATION);
    checkTransition(locked.status, action);
    return locked;
  }

  /** Refuses an upload before its bytes are read: someone else's, or not editable now. */
  async checkUploadAllowed(actor: Actor, id: string): Promise<void> {
    const { row } = await this.#owned(actor, id);
    const deficiency = row.deficiency as Deficiency | null;
    if (!(row.status === 'accepted' && deficiency !== null)) checkTransition(row.status, 'upload');
  }

  /**
   * Stores an uploaded material after the virus scan and the type check: for an applicable upload
   * material, while the application may be edited — or, once accepted with deficiency, for a
   * material listed in the deficiency.
   */
  async upload(
    actor: Actor,
    id: string,
    materialKey: string,
    file: { filename: string; bytes: Buffer },
    meta: RequestMeta,
    now = new Date(),
  ) {
    const { row } = await this.#owned(actor, id);
    const late = lateMaterial(row, materialKey);
    if (!late) checkTransition(row.status, 'upload');
    const basis = await this.#basis(row);
    const material = basis.guide.materials.find((m) => m.key === materialKey);
    if (!material || material.provision !== 'upload') {
      throw invalidRequest([
        {
          path: 'body.material',
          rule: 'applicable',
          message: text(
            `材料 ${materialKey} 不是本申请需要上传的材料`,
            `${materialKey} is not a material this application takes as an upload`,
          ),
        },
      ]);
    }
    const filename = displayFilename(file.filename);
    const { contentType, sha256 } = await inspectUpload(this.scanner, file.bytes, filename);
    const uploadId = randomUUID();
    const card = await this.#user(actor.userId);
    await this.db.transaction().execute(async (trx) => {
      const locked = await store.lockApplication(trx, id);
      if (!locked) throw notFound(APPLICATION);
      if (!lateMaterial(locked, materialKey)) checkTransition(locked.status, 'upload');
      await store.insertUpload(trx, {
        id: uploadId,
        applicationId: id,
        regionCode: locked.regionCode,
        materialKey,
        filename,
        contentType,
        size: file.bytes.length,
        sha256,
        content: file.bytes,
        uploadedBy: actor.userId,
        uploadedAt: now,
      });
      await store.appendEvents(trx, locked, now, [
        {
          action: 'material_uploaded',
          actorId: actor.userId,
          actorName: card.name,
          actorRole: actor.role,
          note: `${material.name.zh}：${filename}`,
        },
      ]);
      await audit(trx, actor, meta, 'cases.material_uploaded', id, {
        material: materialKey,
        upload: uploadId,
        contentType,
        size: file.bytes.length,
        sha256,
      });
    });
    return {
      id: uploadId,
      material: materialKey,
      filename,
      contentType,
      size: file.bytes.length,
      sha256,
      uploadedAt: now.toISOString(),
    };
  }

  /** Removes an uploaded material while the application may be edited (kept as evidence). */
  async removeUpload(
    actor: Actor,
    id: string,
    uploadId: string,
    meta: RequestMeta,
    now = new Date(),
  ) {
    const { row } = await this.#owned(actor, id);
    checkTransition(row.status, 'upload');
    const card = await this.#user(actor.userId);
    await this.db.transaction().execute(async (trx) => {
      const locked = await this.#lock(trx, id, 'upload');
      const removed = await store.removeUpload(trx, id, uploadId, actor.userId, now);
      if (!removed) throw notFound(text('上传的材料', 'uploaded material'));
      await store.appendEvents(trx, locked, now, [
        {
          action: 'material_removed',
          actorId: actor.userId,
          actorName: card.name,
          actorRole: actor.role,
          note: removed.filename,
        },
      ]);
      await audit(trx, actor, meta, 'cases.material_removed', id, {
        material: removed.materialKey,
        upload: uploadId,
        sha256: removed.sha256,
      });
    });
  }

  /** An uploaded file for download, to whoever may read the application. */
  async download(actor: Actor, id: string, uploadId: string) {
    await this.#readable(actor, id);
    const file = await store.findUploadContent(this.db, id, uploadId);
    if (!file) throw notFound(text('上传的材料', 'uploaded material'));
    return file;
  }

  /**
   * Submits a draft, or resubmits after correction (restarting the clock). Idempotent by state: an
   * application already submitted (or already accepted by the system) is returned as it is. A
   * complete online application of an `auto` bundle is accepted in the same transaction.
   */
  async submit(actor: Actor, id: string, meta: RequestMeta, now = new Date()) {
    const { row: before } = await this.#owned(actor, id);
    if (before.status === 'submitted' || before.status === 'accepted') {
      return this.#viewOf(actor, before);
    }
    checkTransition(before.status, 'submit');
    const basis = await this.#basis(before);
    const autoPossible = acceptsAutomatically(before.channel, basis.bundle.intake, []);
    // Read through other services now; the outcome is decided under the lock below.
    const times = autoPossible ? await this.#intakeTimes(basis, now) : null;
    const departments = await this.#departmentNames();
    const card = await this.#user(actor.userId);
    const row = await this.db.transaction().execute(async (trx) => {
      const locked = await store.lockApplication(trx, id);
      if (!locked) throw notFound(APPLICATION);
      if (locked.status === 'submitted' || locked.status === 'accepted') return locked;
      checkTransition(locked.status, 'submit');
      if (locked.updatedAt.getTime() !== before.updatedAt.getTime()) throw changedMeanwhile();
      const uploads = await store.listUploads(trx, [id]);
      const materials = materialViews(
        basis.bundle.materials,
        basis.guide,
        locked.pledges as string[],
        uploadViews(uploads),
        basis.waivers,
      );
      const missing = missingProblems(basis.guide, basis.formProblems, materials);
      if (missing.length > 0) throw incomplete(missing);
      const auto = times ? { ...times, deficiency: this.#autoDeficiency(materials, times) } : null;
      const by = { actorId: actor.userId, actorName: card.name, actorRole: actor.role };
      const events: NewEvent[] = [
        { ...by, action: locked.status === 'correction' ? 'resubmitted' : 'submitted' },
        ...clockEvents(locked.status, 'submitted').map((action) => ({ ...by, action })),
      ];
      if (auto) {
        events.push({
          actorId: null,
          actorName: SYSTEM_NAME,
          actorRole: null,
          action: 'auto_accepted',
          note: auto.deficiency ? deficiencyNote(auto.deficiency) : null,
        });
      }
      const updated = await store.updateApplication(trx, id, {
        status: auto ? 'accepted' : 'submitted',
        bundleVersion: basis.version,
        snapshot: JSON.stringify(snapshotOf(basis)),
        correction: null,
        submittedAt: now,
        updatedAt: now,
        ...(auto
          ? {
              acceptedAt: now,
              decidedAt: now,
              deficiency: auto.deficiency ? JSON.stringify(auto.deficiency) : null,
              expectedBy: auto.expected.due,
              expectedProvisional: auto.expected.provisional,
            }
          : {}),
      });
      await store.appendEvents(trx, updated, now, events);
      const earlier = (locked.snapshot as Snapshot | null)?.waivers ?? {};
      await this.#recordWaivers(trx, updated, basis, earlier, by, card, now);
      if (auto) {
        await this.#accept(
          trx,
          updated,
          basis,
          materials,
          auto.deficiency,
          auto.expected,
          null,
          departments,
          auto.cases,
          now,
        );
      }
      await audit(trx, actor, meta, 'cases.application_submitted', id, {
        number: updated.number,
        status: updated.status,
        resubmitted: locked.status === 'correction',
      });
      await publishSubmitted(trx, updated, now);
      return updated;
    });
    return this.#viewOf(actor, row);
  }

  /**
   * Logs, in the submitting transaction, each source attached in place of a paper that was not
   * attached at an earlier submission: the holder sees which licence or data, for which
   * application and material, by whom.
   */
  async #recordWaivers(
    trx: Tx,
    row: ApplicationRow,
    basis: Basis,
    earlier: Record<string, Waiver>,
    by: { actorId: string; actorName: string },
    card: UserCard,
    now: Date,
  ) {
    const applies = new Map(basis.guide.materials.map((m) => [m.key, m.name]));
    const uses = Object.entries(basis.waivers).flatMap(([key, waiver]) => {
      const name = applies.get(key);
      if (!name) return [];
      const before = new Set(earlier[key]?.sources.map((s) => `${s.kind}:${s.name}`) ?? []);
      return waiver.sources
        .filter((source) => !before.has(`${source.kind}:${source.name}`))
        .map((source) => ({
          source,
          holder: applicantOf(row),
          application: {
            id: row.id,
            number: row.number,
            regionCode: row.regionCode,
            bundleName: basis.bundle.name,
          },
          material: { key, name },
          actor: {
            userId: by.actorId,
            name: by.actorName,
            role: card.role,
            departmentCode: card.departmentCode,
          },
        }));
    });
    if (uses.length > 0) await this.sources.recordUses(trx, uses, now);
  }

  /** Withdraws an application that is not yet decided (by its applicant or assisting clerk). */
  async withdraw(actor: Actor, id: string, meta: RequestMeta, now = new Date()) {
    const { row: before } = await this.#owned(actor, id);
    checkTransition(before.status, 'withdraw');
    const card = await this.#user(actor.userId);
    const row = await this.db.transaction().execute(async (trx) => {
      const locked = await this.#lock(trx, id, 'withdraw');
      const updated = await store.updateApplication(trx, id, {
        status: 'withdrawn',
        updatedAt: now,
        decidedAt: now,
      });
      await store.appendEvents(trx, updated, now, [
        { action: 'withdrawn', actorId: actor.userId, actorName: card.name, actorRole: actor.role },
      ]);
      await audit(trx, actor, meta, 'cases.application_withdrawn', id, {
        number: locked.number,
        from: locked.status,
      });
      return updated;
    });
    return this.#viewOf(actor, row);
  }

  // ----------------------------------------------------------------------------------------------
  // Intake decisions (clerks)
  // ----------------------------------------------------------------------------------------------

  /** When the application, accepted now, is committed to be done (working-day calendar). */
  async #expected(basis: Basis, at: Date) {
    const calendar = await this.calendars.forRegion(basis.bundle.regionCode);
    return {
      ...calendar.addWorkingHours(at, basis.guide.completion.hours),
      calendar,
      cases: await this.#caseSetup(basis, calendar),
    };
  }

  /** What fanning out into department cases needs: the clock and each item's decision rules. */
  async #caseSetup(basis: Basis, calendar: WorkCalendar) {
    const clock: CaseClock = { calendar, warnFraction: this.warnFraction };
    const decisions: Record<string, Decision | null> = {};
    for (const item of basis.guide.items) {
      const version = basis.itemVersions[item.code];
      const content = version ? await this.catalog.content(item.code, version) : null;
      decisions[item.code] = content?.decision ?? null;
    }
    return { clock, decisions };
  }

  /** The dates an acceptance by the system needs: completion, and when materials to follow are due. */
  async #intakeTimes(basis: Basis, at: Date) {
    const calendar = await this.calendars.forRegion(basis.bundle.regionCode);
    return {
      calendar,
      cases: await this.#caseSetup(basis, calendar),
      expected: calendar.addWorkingHours(at, basis.guide.completion.hours),
      deficiencyDue: toLocalDate(calendar.addWorkingDays(at, AUTO_DEFICIENCY_WORKING_DAYS).due),
      departments: await this.#departmentNames(),
    };
  }

  /** The materials an acceptance by the system lets follow: those still owed (all may follow). */
  #autoDeficiency(materials: MaterialView[], times: { deficiencyDue: string }): Deficiency | null {
    const owed = outstandingMaterials(materials);
    if (owed.length === 0) return null;
    return {
      materials: owed.map((m) => m.key),
      dueDate: times.deficiencyDue,
      note: `智能受理：容缺材料请于 ${times.deficiencyDue} 前补交 (materials to follow by ${times.deficiencyDue})`,
    };
  }

  /** Everything an acceptance by the system needs, prepared before its transaction. */
  async #automaticIntake(basis: Basis, materials: MaterialView[], at: Date) {
    const times = await this.#intakeTimes(basis, at);
    return { ...times, deficiency: this.#autoDeficiency(materials, times) };
  }

  /**
   * Records an acceptance in the caller's transaction: the members for the department cases and the
   * acceptance notice (with the deficiency, when some materials follow later), and fans the
   * application out into its department cases (the calendar is read before the transaction).
   */
  async #accept(
    trx: Tx,
    row: ApplicationRow,
    basis: Basis,
    materials: MaterialView[],
    deficiency: Deficiency | null,
    expected: { due: Date; provisional: boolean },
    clerk: { userId: string; card: UserCard } | null,
    departments: Map<string, Text>,
    setup: { clock: CaseClock; decisions: Record<string, Decision | null> },
    now: Date,
  ): Promise<NoticeRef> {
    await store.insertMembers(
      trx,
      basis.guide.items.map((item) => ({
        applicationId: row.id,
        memberKey: item.member,
        regionCode: row.regionCode,
        itemCode: item.code,
        itemVersion: basis.itemVersions[item.code] ?? 0,
        departmentCode: item.department,
        afterMembers: JSON.stringify(item.after),
        answers: JSON.stringify(item.answers),
        data: JSON.stringify(basis.byMember[item.member] ?? {}),
        startsAfterHours: item.startsAfterHours,
        finishesAfterHours: item.finishesAfterHours,
      })),
    );
    const cases = await fanOutCases(
      trx,
      { id: row.id, regionCode: row.regionCode, applicant: applicantOf(row) },
      basis.guide.items,
      basis.byMember,
      basis.itemVersions,
      setup.decisions,
      setup.clock,
      now,
    );
    await recordOutcomes(trx, row, [], cases, now);
    const provided = materials
      .filter((m) => m.required)
      .map((m) => ({
        key: m.key,
        name: m.name,
        provision: m.provision,
        pledged: m.pledged,
        waived: m.waived?.sources.map((source) => source.label) ?? null,
        files: m.uploads.length,
        deficient: deficiency?.materials.includes(m.key) ?? false,
      }));
    return this.#issue(trx, row, 'acceptance', clerk, basis, now, {
      materials: provided,
      deficiency: deficiency
        ? {
            materials: deficiency.materials.map((key) => ({
              key,
              name: materials.find((m) => m.key === key)?.name ?? text(key, key),
            })),
            dueDate: deficiency.dueDate,
            note: deficiency.note,
          }
        : null,
      expectedBy: toOffsetIso(expected.due),
      expectedProvisional: expected.provisional,
      items: basis.guide.items.map((item) => ({
        name: item.name,
        department: departments.get(item.department) ?? text(item.department, item.department),
      })),
    });
  }

  async #issue(
    trx: Tx,
    row: ApplicationRow,
    kind: NoticeKind,
    clerk: { userId: string; card: UserCard } | null,
    basis: Basis,
    now: Date,
    facts: Record<string, unknown>,
  ): Promise<NoticeRef> {
    const notice = await store.insertNotice(trx, {
      id: randomUUID(),
      numberPrefix: noticeNumberPrefix(kind, toLocalDate(now)),
      applicationId: row.id,
      regionCode: row.regionCode,
      kind,
      issuedAt: now,
      issuedBy: clerk?.userId ?? null,
      issuerName: clerk?.card.name ?? SYSTEM_NAME,
      issuerDepartment: clerk?.card.departmentCode ?? basis.bundle.leadDepartment,
      facts: JSON.stringify(facts),
    });
    const title = noticeTitle(kind, kind === 'acceptance' && facts.deficiency != null);
    await tellApplicant(
      trx,
      row,
      {
        kind: `cases.notice_${kind}`,
        title: text(`${title.zh}：申请 ${row.number}`, `${title.en}: application ${row.number}`),
        body: text(
          `已出具${title.zh}（${notice.number}），请查看。`,
          `${title.en} ${notice.number} was issued; please read it.`,
        ),
        dedupeKey: `notice:${notice.id}`,
      },
      now,
    );
    return notice;
  }

  /**
   * The common path of a clerk's decision: who may, what the state allows, reads through other
   * services first (`prepare`), then a row lock, the state check again, the work, events and audit.
   */
  async #decide<P>(
    actor: Actor,
    id: string,
    action: IntakeDecision,
    meta: RequestMeta,
    now: Date,
    prepare: (basis: Basis) => Promise<P>,
    work: (ctx: {
      trx: Tx;
      locked: ApplicationRow;
      basis: Basis;
      materials: MaterialView[];
      clerk: { userId: string; card: UserCard };
      prepared: P;
    }) => Promise<{
      patch: store.ApplicationPatch;
      events: string[];
      note?: string;
      detail: Record<string, unknown>;
    }>,
  ) {
    const { row: before } = await this.#decidable(actor, id);
    checkTransition(before.status, action);
    const basis = await this.#basis(before);
    const prepared = await prepare(basis);
    const card = await this.#user(actor.userId);
    const clerk = { userId: actor.userId, card };
    const row = await this.db.transaction().execute(async (trx) => {
      const locked = await this.#lock(trx, id, action);
      if (locked.updatedAt.getTime() !== before.updatedAt.getTime()) throw changedMeanwhile();
      const uploads = await store.listUploads(trx, [id]);
      const materials = materialViews(
        basis.bundle.materials,
        basis.guide,
        locked.pledges as string[],
        uploadViews(uploads),
        basis.waivers,
      );
      const result = await work({ trx, locked, basis, materials, clerk, prepared });
      const updated = await store.updateApplication(trx, id, { ...result.patch, updatedAt: now });
      const by = { actorId: actor.userId, actorName: card.name, actorRole: actor.role };
      await store.appendEvents(
        trx,
        updated,
        now,
        result.events.map((event, i) => ({
          ...by,
          action: event,
          note: i === 0 ? (result.note ?? null) : null,
        })),
      );
      await audit(trx, actor, meta, DECISION_AUDIT[action], id, {
        number: locked.number,
        ...result.detail,
      });
      return updated;
    });
    return this.#viewOf(actor, row);
  }

  /** 受理: accepts a submitted application whose required materials are all provided or pledged. */
  async accept(actor: Actor, id: string, meta: RequestMeta, now = new Date()) {
    return this.#acceptWith(actor, id, null, meta, now);
  }

  /** 容缺受理: accepts with listed materials to follow by a date. */
  async acceptWithDeficiency(
    actor: Actor,
    id: string,
    input: { materials: string[]; dueDate: string; note?: string },
    meta: RequestMeta,
    now = new Date(),
  ) {
    return this.#acceptWith(
      actor,
      id,
      { materials: input.materials, dueDate: input.dueDate, note: input.note?.trim() ?? '' },
      meta,
      now,
    );
  }

  async #acceptWith(
    actor: Actor,
    id: string,
    deficiency: Deficiency | null,
    meta: RequestMeta,
    now: Date,
  ) {
    const action: IntakeDecision = deficiency ? 'accept-with-deficiency' : 'accept';
    return this.#decide(
      actor,
      id,
      action,
      meta,
      now,
      async (basis) => ({
        expected: await this.#expected(basis, now),
        departments: await this.#departmentNames(),
      }),
      async ({ trx, locked, basis, materials, clerk, prepared }) => {
        const problems = deficiency
          ? checkDeficiency(materials, deficiency, toLocalDate(now))
          : checkAcceptance(materials);
        if (problems.length > 0) throw invalidRequest(problems);
        const { expected, departments } = prepared;
        await this.#accept(
          trx,
          locked,
          basis,
          materials,
          deficiency,
          expected,
          clerk,
          departments,
          expected.cases,
          now,
        );
        return {
          patch: {
            status: 'accepted',
            deficiency: deficiency ? JSON.stringify(deficiency) : null,
            acceptedAt: now,
            decidedAt: now,
            expectedBy: expected.due,
            expectedProvisional: expected.provisional,
          },
          events: [deficiency ? 'accepted_with_deficiency' : 'accepted'],
          note: deficiency ? deficiencyNote(deficiency) : undefined,
          detail: deficiency ? { deficiency } : {},
        };
      },
    );
  }

  /** 补正: one notice listing everything to supply or correct; the intake clock stops. */
  async requestCorrection(
    actor: Actor,
    id: string,
    input: { items: { material?: string; field?: string; note: string }[]; note?: string },
    meta: RequestMeta,
    now = new Date(),
  ) {
    return this.#decide(
      actor,
      id,
      'correction',
      meta,
      now,
      async () => null,
      async ({ trx, locked, basis, materials, clerk }) => {
        const problems = checkCorrectionItems(input.items, materials, basis.guide.fields);
        if (problems.length > 0) throw invalidRequest(problems);
        const correction: Correction = {
          requestedAt: now.toISOString(),
          items: input.items.map((item) => ({ ...item, note: item.note.trim() })),
          note: input.note?.trim() ?? '',
        };
        await this.#issue(trx, locked, 'correction', clerk, basis, now, {
          items: correction.items.map((item) => ({
            ...item,
            materialName: item.material
              ? materials.find((m) => m.key === item.material)?.name
              : undefined,
            fieldLabel: item.field
              ? basis.guide.fields.find((f) => f.key === item.field)?.label
              : undefined,
          })),
          note: correction.note,
        });
        return {
          patch: { status: 'correction', correction: JSON.stringify(correction) },
          events: ['correction_requested', ...clockEvents(locked.status, 'correction')],
          note: correction.items.map((i) => i.note).join('；'),
          detail: { items: correction.items.length },
        };
      },
    );
  }

  /** 不予受理: refuses with the reason and its legal basis. */
  async refuse(actor: Actor, id: string, input: Refusal, meta: RequestMeta, now = new Date()) {
    const refusal: Refusal = { reason: input.reason.trim(), legalBasis: input.legalBasis.trim() };
    const problems: FieldProblem[] = (['reason', 'legalBasis'] as const)
      .filter((k) => refusal[k] === '')
      .map((k) => ({
        path: `body.${k}`,
        rule: 'required',
        message: text('不能为空', 'must not be blank'),
      }));
    if (problems.length > 0) throw invalidRequest(problems);
    return this.#decide(
      actor,
      id,
      'refuse',
      meta,
      now,
      async () => null,
      async ({ trx, locked, basis, clerk }) => {
        await this.#issue(trx, locked, 'refusal', clerk, basis, now, { ...refusal });
        return {
          patch: { status: 'refused', refusal: JSON.stringify(refusal), decidedAt: now },
          events: ['refused'],
          note: refusal.reason,
          detail: { legalBasis: refusal.legalBasis },
        };
      },
    );
  }

  // ----------------------------------------------------------------------------------------------
  // Notices and the public status page
  // ----------------------------------------------------------------------------------------------

  /** A notice of an application, ready to print. */
  async notice(actor: Actor, id: string, noticeId: string) {
    const { row } = await this.#readable(actor, id);
    const notice = await store.findNotice(this.db, id, noticeId);
    if (!notice) throw notFound(text('告知书', 'notice'));
    const departments = await this.#departmentNames();
    const applicant = applicantOf(row);
    const snapshot = row.snapshot as Snapshot | null;
    const facts = notice.facts as Record<string, unknown>;
    return {
      id: notice.id,
      kind: notice.kind,
      number: notice.number,
      title: noticeTitle(notice.kind, notice.kind === 'acceptance' && facts.deficiency != null),
      issuedAt: notice.issuedAt.toISOString(),
      issuer: {
        department: departments.get(notice.issuerDepartment) ?? {
          zh: notice.issuerDepartment,
          en: notice.issuerDepartment,
        },
        name: notice.issuerName,
      },
      application: {
        id: row.id,
        number: row.number,
        bundle: {
          code: row.bundleCode,
          name: snapshot?.bundle.name ?? text(row.bundleCode, row.bundleCode),
        },
        applicantName: applicant.name,
        applicantIdentifier: maskedIdentifier(applicant),
      },
      facts,
      statusPath: `/status/${row.publicToken}`,
    };
  }

  /** What anyone holding the status token may see: no names, no identifiers, no notes. */
  async publicStatus(token: string) {
    const row = await store.findByPublicToken(this.db, token);
    // Only what was submitted has a status worth showing (and a notice that carries the token).
    if (!row || row.submittedAt === null) throw notFound(APPLICATION);
    const basis = await this.#basis(row);
    const departments = await this.#departmentNames();
    const events = await store.listEvents(this.db, row.id);
    return {
      number: row.number,
      bundle: { code: row.bundleCode, name: basis.bundle.name },
      status: row.status,
      statusName: APPLICATION_STATUSES[row.status],
      submittedAt: iso(row.submittedAt),
      acceptedAt: iso(row.acceptedAt),
      expectedBy: row.expectedBy ? toOffsetIso(row.expectedBy) : null,
      items: basis.guide.items.map((item) => ({
        name: item.name,
        department: departments.get(item.department) ?? text(item.department, item.department),
      })),
      events: events
        .filter((e) => !e.action.startsWith('material_'))
        .map((e) => ({
          at: e.at.toISOString(),
          action: e.action,
          label: EVENT_LABELS[e.action] ?? text(e.action, e.action),
        })),
    };
  }
}

/** A user as events and notices name them. */
interface UserCard {
  name: string;
  role: string | null;
  departmentCode: string | null;
}

function uploadViews(uploads: readonly UploadMeta[]): (UploadView & { materialKey: string })[] {
  return uploads.map((u) => ({
    id: u.id,
    materialKey: u.materialKey,
    filename: u.filename,
    contentType: u.contentType,
    size: u.size,
    sha256: u.sha256,
    uploadedAt: u.uploadedAt.toISOString(),
  }));
}

/** Tells the other capabilities an application was submitted: once, not again on resubmission. */
function publishSubmitted(trx: Tx, row: store.ApplicationRow, now: Date) {
  return publishEvent(trx, {
    type: CASE_EVENTS.applicationSubmitted,
    key: row.id,
    regionCode: row.regionCode,
    occurredAt: now,
    payload: { applicationId: row.id, bundleCode: row.bundleCode, channel: row.channel },
  });
}

function snapshotOf(basis: Basis): Snapshot {
  return {
    bundle: basis.bundle,
    guide: basis.guide,
    byMember: basis.byMember,
    itemVersions: basis.itemVersions,
    waivers: basis.waivers,
  };
}

/** Whether an upload is for a material that an acceptance with deficiency lets follow. */
function lateMaterial(row: ApplicationRow, key: string): boolean {
  const deficiency = row.deficiency as Deficiency | null;
  return row.status === 'accepted' && deficiency !== null && deficiency.materials.includes(key);
}

function checkAudience(bundle: BundleFacts, kind: 'person' | 'enterprise', path: string) {
  if (!bundle.audience.includes(kind)) {
    throw invalidRequest([
      {
        path,
        rule: 'audience',
        message:
          kind === 'person'
            ? text('该一件事不面向自然人', 'this bundle is not for natural persons')
            : text('该一件事不面向企业', 'this bundle is not for enterprises'),
      },
    ]);
  }
}

function deficiencyNote(deficiency: Deficiency): string {
  return `容缺材料：${deficiency.materials.join('、')}，${deficiency.dueDate} 前补交`;
}

function incomplete(missing: FieldProblem[]): AppError {
  return new AppError(
    422,
    'cases.incomplete',
    text(
      `申请尚不完整，还有 ${missing.length} 项需要处理`,
      `the application is incomplete: ${missing.length} thing(s) still missing`,
    ),
    missing,
  );
}

/** The clerk's decisions on a submitted application (they take the common path, `#decide`). */
type IntakeDecision = Extract<
  IntakeAction,
  'accept' | 'accept-with-deficiency' | 'correction' | 'refuse'
>;

/** What the audit log records for each decision. */
const DECISION_AUDIT: Record<IntakeDecision, AuditAction> = {
  accept: 'cases.accept',
  'accept-with-deficiency': 'cases.accept_with_deficiency',
  correction: 'cases.correction',
  refuse: 'cases.refuse',
};

function changedMeanwhile(): AppError {
  return new AppError(
    409,
    'conflict.concurrent',
    text('申请刚被修改，请刷新后重试', 'the application changed meanwhile; reload and try again'),
  );
}

async function audit(
  trx: Tx,
  actor: Actor,
  meta: RequestMeta,
  action: AuditAction,
  id: string,
  detail: Record<string, unknown>,
) {
  await appendAudit(trx, {
    actorId: actor.userId,
    actorRole: actor.role,
    action,
    objectType: 'application',
    objectId: id,
    ip: meta.ip,
    requestId: meta.requestId,
    detail,
  });
}
