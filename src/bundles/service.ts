import type { CatalogService, ItemContent, Answers } from '../catalog';
import type { Kdb, Tx } from '../platform/db/database';
import { appendAudit, canonicalJson, type AuditAction } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import type { CalendarService } from '../platform/calendar/service';
import { AppError, notFound } from '../platform/http/errors';
import { checkAgainstSchema, invalidRequest } from '../platform/http/validation';
import type { Text } from '../platform/i18n';
import { listDepartments } from '../platform/regions';
import { checkBundle, guideBundle, type BundleProblem, type Guide } from './model';
import { BUNDLE_CLUSTERS, BundleContentSchema, type BundleContent } from './schema';
import * as store from './store';

/** A published bundle with the catalog items of its members. */
export interface PublishedBundle {
  content: BundleContent;
  version: number;
  publishedAt: Date;
  items: ReadonlyMap<string, ItemContent>;
}

/** A published bundle as listings show it. */
export interface BundleSummary {
  code: string;
  name: Text;
  summary: Text;
  cluster: BundleContent['cluster'];
  clusterName: Text;
  lifeEvent: Text;
  audience: BundleContent['audience'];
  leadDepartment: string;
  leadDepartmentName: Text;
  commitment: BundleContent['commitment'];
  intake: BundleContent['intake'];
  memberCount: number;
  version: number;
  publishedAt: string;
}

/** Filters of the published bundles. */
export interface BundleFilter {
  q?: string;
  cluster?: string;
  audience?: 'person' | 'enterprise';
}

interface Snapshot {
  key: string;
  bundles: Map<string, PublishedBundle>;
  departments: Map<string, Text>;
}

const BUNDLE: Text = { zh: '一件事', en: 'bundle' };

/**
 * The bundles' use cases: published bundles (listed, read, guided) and drafts that administrators
 * write, check and publish. Static checks run on every save; a draft with errors is kept (so work is
 * not lost) but cannot be published. A published version never changes.
 */
export class BundleService {
  #snapshot: Promise<Snapshot> | null = null;

  constructor(
    private readonly db: Kdb,
    private readonly catalog: CatalogService,
    private readonly calendars?: CalendarService,
  ) {}

  /**
   * The published bundles with their member items, rebuilt when a bundle or an item was published
   * since — one small query per read, so every app server sees a publication at once.
   */
  async #current(): Promise<Snapshot> {
    const [fingerprint, catalog] = await Promise.all([
      store.publishedFingerprint(this.db),
      this.catalog.publishedItems(),
    ]);
    const key = `${fingerprint}|${catalog.fingerprint}`;
    const current = await this.#snapshot?.catch(() => null);
    if (current && current.key === key) return current;
    this.#snapshot = this.#build(key, catalog.items);
    return this.#snapshot;
  }

  async #build(key: string, items: ReadonlyMap<string, ItemContent>): Promise<Snapshot> {
    const rows = await store.publishedVersions(this.db);
    const bundles = new Map<string, PublishedBundle>(
      rows.map((row) => {
        const content = row.content as BundleContent;
        return [
          row.bundleCode,
          {
            content,
            version: row.version,
            publishedAt: row.publishedAt!,
            items: membersOf(content, items),
          },
        ];
      }),
    );
    const departments = new Map(
      (await listDepartments(this.db)).map((d) => [d.code, { zh: d.nameZh, en: d.nameEn }]),
    );
    return { key, bundles, departments };
  }

  /** The published version of a bundle with its member items; 404 when there is none. */
  async published(code: string): Promise<PublishedBundle> {
    const bundle = (await this.#current()).bundles.get(code);
    if (!bundle) throw notFound(BUNDLE);
    return bundle;
  }

  /** Published bundles matching the filter, by cluster then name. */
  async list(filter: BundleFilter): Promise<{ bundles: BundleSummary[]; total: number }> {
    const snapshot = await this.#current();
    const q = filter.q?.trim().toLowerCase();
    const bundles = [...snapshot.bundles.values()]
      .filter(({ content: b }) => {
        if (filter.cluster && b.cluster !== filter.cluster) return false;
        if (filter.audience && !b.audience.includes(filter.audience)) return false;
        if (!q) return true;
        const haystack = [b.name.zh, b.name.en, b.summary.zh, b.lifeEvent.zh, ...b.keywords];
        return haystack.some((s) => s.toLowerCase().includes(q));
      })
      .map((p) => summarize(p, snapshot.departments));
    return { bundles, total: bundles.length };
  }

  /** A version of a bundle (published by default; others for administrators) with its members. */
  async get(code: string, version: number | undefined, actor: Actor | null) {
    const row = await store.findVersion(this.db, code, version);
    if (!row || (row.status !== 'published' && actor?.role !== 'admin')) throw notFound(BUNDLE);
    const content = row.content as BundleContent;
    const snapshot = await this.#current();
    const { items } = await this.catalog.publishedItems();
    return {
      code,
      version: row.version,
      status: row.status,
      publishedAt: row.publishedAt?.toISOString() ?? null,
      content,
      members: content.members.map((m) => {
        const item = items.get(m.item);
        return {
          key: m.key,
          item: m.item,
          name: item?.name ?? { zh: m.item, en: m.item },
          department: item?.department ?? '',
          departmentName: (item && snapshot.departments.get(item.department)) ?? {
            zh: item?.department ?? '',
            en: item?.department ?? '',
          },
          committedLimit: item?.committedLimit ?? null,
        };
      }),
      // Problems are for those who can fix them; the published version passed its checks.
      problems: actor?.role === 'admin' ? (row.problems as BundleProblem[]) : [],
    };
  }

  /**
   * What applies to an applicant who gives these answers, with department names and the expected
   * completion on the working-day calendar if the application were accepted now. Administrators
   * may preview another version (a draft) with `version`.
   */
  async guide(
    code: string,
    answers: Answers,
    options: { version?: number; actor?: Actor | null; now?: Date } = {},
  ) {
    const bundle =
      options.version === undefined
        ? await this.published(code)
        : await this.#version(code, options.version, options.actor ?? null);
    const snapshot = await this.#current();
    const guide = guideBundle(bundle.content, bundle.items, answers);
    return {
      bundle: { code, version: bundle.version, name: bundle.content.name },
      ...withDepartmentNames(guide, snapshot.departments),
      expectedBy: await this.expectedBy(bundle.content, guide, options.now ?? new Date()),
    };
  }

  /** A given version with today's published member items; drafts only for administrators. */
  async #version(code: string, version: number, actor: Actor | null) {
    const row = await store.findVersion(this.db, code, version);
    if (!row || (row.status !== 'published' && actor?.role !== 'admin')) throw notFound(BUNDLE);
    const content = row.content as BundleContent;
    const { items } = await this.catalog.publishedItems();
    return { content, version: row.version, items: membersOf(content, items) };
  }

  /** When an application accepted at `start` is committed to be done, on the bundle's calendar. */
  async expectedBy(bundle: BundleContent, guide: Guide, start: Date): Promise<string | null> {
    if (!this.calendars || guide.items.length === 0) return null;
    const calendar = await this.calendars.forRegion(bundle.regionCode);
    return calendar.addWorkingHours(start, guide.completion.hours).due.toISOString();
  }

  /** Checks a definition against the published catalog without saving it. */
  async check(content: unknown): Promise<BundleProblem[]> {
    const { items } = await this.catalog.publishedItems();
    const problems = checkBundle(content, items, 'content');
    const bundle = content as BundleContent;
    if (problems.length === 0 || problems.every((p) => p.severity === 'warning')) {
      const departments = new Set((await listDepartments(this.db)).map((d) => d.code));
      if (!departments.has(bundle.leadDepartment)) {
        problems.push({
          severity: 'error',
          path: 'content.leadDepartment',
          rule: 'exists',
          message: {
            zh: `部门 ${bundle.leadDepartment} 不存在`,
            en: `department ${bundle.leadDepartment} does not exist`,
          },
        });
      }
    }
    return problems;
  }

  /** Every open draft (administrators). */
  async drafts() {
    return (await store.listDrafts(this.db)).map((row) => ({
      code: row.bundleCode,
      name: (row.content as BundleContent).name,
      version: row.version,
      basedOn: row.basedOn,
      errors: (row.problems as BundleProblem[]).filter((p) => p.severity === 'error').length,
      createdAt: row.createdAt.toISOString(),
      createdByName: row.createdByName,
    }));
  }

  /** Every version of a bundle (administrators). */
  async versions(code: string) {
    const versions = await store.listVersions(this.db, code);
    if (versions.length === 0) throw notFound(BUNDLE);
    return versions.map((v) => ({
      ...v,
      createdAt: v.createdAt.toISOString(),
      publishedAt: v.publishedAt?.toISOString() ?? null,
      supersededAt: v.supersededAt?.toISOString() ?? null,
    }));
  }

  /** Shape problems refuse a save (422); rule problems are stored with the draft and returned. */
  async #checked(content: unknown): Promise<BundleProblem[]> {
    const shape = checkAgainstSchema(BundleContentSchema, content, 'content');
    if (shape.length > 0) throw invalidRequest(shape);
    return this.check(content);
  }

  /** Creates a new bundle as a first draft; 409 when the code is taken. */
  async create(actor: Actor, content: BundleContent, meta: RequestMeta) {
    const problems = await this.#checked(content);
    return this.db.transaction().execute(async (trx) => {
      if (await store.findVersion(trx, content.code, 1)) {
        throw new AppError(409, 'bundles.code_taken', {
          zh: `一件事编码 ${content.code} 已存在`,
          en: `bundle code ${content.code} already exists`,
        });
      }
      await store.insertBundle(trx, content.code);
      const version = await store.writeDraft(trx, content, problems, actor.userId, new Date());
      await audit(trx, actor, meta, 'bundles.created', content.code, { version });
      return { code: content.code, version, status: 'draft' as const, problems };
    });
  }

  /** Saves the draft of an existing bundle, opening one (next version) when there is none. */
  async saveDraft(actor: Actor, code: string, content: BundleContent, meta: RequestMeta) {
    if ((content as { code?: unknown } | null)?.code !== code) {
      throw invalidRequest([
        {
          path: 'body.content.code',
          rule: 'matches_path',
          message: {
            zh: `编码应与地址中的 ${code} 一致`,
            en: `code must equal ${code} from the path`,
          },
        },
      ]);
    }
    const problems = await this.#checked(content);
    return this.db.transaction().execute(async (trx) => {
      if (!(await store.lockBundle(trx, code))) throw notFound(BUNDLE);
      const version = await store.writeDraft(trx, content, problems, actor.userId, new Date());
      await audit(trx, actor, meta, 'bundles.draft_saved', code, { version });
      return { code, version, status: 'draft' as const, problems };
    });
  }

  /** Discards a bundle's open draft; 404 when there is none. */
  async discardDraft(actor: Actor, code: string, meta: RequestMeta) {
    await this.db.transaction().execute(async (trx) => {
      if (!(await store.lockBundle(trx, code))) throw notFound(BUNDLE);
      if (!(await store.deleteDraft(trx, code))) {
        throw notFound({ zh: '一件事草稿', en: 'draft of the bundle' });
      }
      await audit(trx, actor, meta, 'bundles.draft_discarded', code, {});
    });
  }

  /**
   * Publishes a bundle's draft after checking it again against today's catalog (an item may have
   * changed since the save); refused with every error when any remains.
   */
  async publish(actor: Actor, code: string, meta: RequestMeta) {
    const draft = await store.findDraft(this.db, code);
    const problems = draft ? await this.check(draft.content) : [];
    return this.db.transaction().execute(async (trx) => {
      if (!(await store.lockBundle(trx, code))) throw notFound(BUNDLE);
      const locked = await store.findDraft(trx, code);
      if (!locked || !draft || canonicalJson(locked.content) !== canonicalJson(draft.content)) {
        throw new AppError(
          409,
          locked ? 'bundles.draft_changed' : 'bundles.no_draft',
          locked
            ? { zh: '草稿刚被修改，请重试', en: 'the draft changed meanwhile; try again' }
            : { zh: '该一件事没有待发布的草稿', en: 'the bundle has no draft to publish' },
        );
      }
      const errors = problems.filter((p) => p.severity === 'error');
      if (errors.length > 0) throw invalidRequest(errors);
      await store.publishDraft(trx, code, actor.userId, new Date());
      await audit(trx, actor, meta, 'bundles.published', code, { version: draft.version });
      return { code, version: draft.version, status: 'published' as const };
    });
  }

  /**
   * Publishes the seed bundles into a platform that has none, checked like any other; a seed bundle
   * with errors stops the seeding with them.
   */
  async seed(bundles: BundleContent[]): Promise<number> {
    const existing = await this.db.selectFrom('bundles').select('code').limit(1).executeTakeFirst();
    if (existing) return 0;
    const checked: { content: BundleContent; problems: BundleProblem[] }[] = [];
    for (const content of bundles) {
      const problems = await this.check(content);
      const errors = problems.filter((p) => p.severity === 'error');
      if (errors.length > 0) {
        throw new Error(`seed bundle ${content.code}: ${errors[0]!.path} ${errors[0]!.message.en}`);
      }
      checked.push({ content, problems });
    }
    await this.db.transaction().execute(async (trx) => {
      const now = new Date();
      for (const { content, problems } of checked) {
        await store.insertBundle(trx, content.code);
        await store.writeDraft(trx, content, problems, null, now);
        await store.publishDraft(trx, content.code, null, now);
      }
      await audit(
        trx,
        null,
        { ip: null, requestId: null, userAgent: null },
        'bundles.seeded',
        null,
        {
          count: checked.length,
        },
      );
    });
    return checked.length;
  }
}

function membersOf(content: BundleContent, items: ReadonlyMap<string, ItemContent>) {
  const own = new Map<string, ItemContent>();
  for (const m of content.members) {
    const item = items.get(m.item);
    if (item) own.set(m.item, item);
  }
  return own;
}

function summarize(p: PublishedBundle, departments: Map<string, Text>): BundleSummary {
  const b = p.content;
  return {
    code: b.code,
    name: b.name,
    summary: b.summary,
    cluster: b.cluster,
    clusterName: BUNDLE_CLUSTERS[b.cluster],
    lifeEvent: b.lifeEvent,
    audience: b.audience,
    leadDepartment: b.leadDepartment,
    leadDepartmentName: departments.get(b.leadDepartment) ?? {
      zh: b.leadDepartment,
      en: b.leadDepartment,
    },
    commitment: b.commitment,
    intake: b.intake,
    memberCount: b.members.length,
    version: p.version,
    publishedAt: p.publishedAt.toISOString(),
  };
}

function withDepartmentNames(guide: Guide, departments: Map<string, Text>) {
  return {
    ...guide,
    items: guide.items.map((item) => ({
      ...item,
      departmentName: departments.get(item.department) ?? {
        zh: item.department,
        en: item.department,
      },
    })),
  };
}

async function audit(
  trx: Tx,
  actor: Actor | null,
  meta: RequestMeta,
  action: AuditAction,
  code: string | null,
  detail: Record<string, unknown>,
) {
  await appendAudit(trx, {
    actorId: actor?.userId ?? null,
    actorRole: actor?.role ?? null,
    action,
    objectType: 'bundle',
    objectId: code,
    ip: meta.ip,
    requestId: meta.requestId,
    detail,
  });
}
