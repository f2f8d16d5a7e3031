import type { Kdb, Tx } from '../platform/db/database';
import { appendAudit, canonicalJson, type AuditAction } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import { AppError, notFound, type FieldProblem } from '../platform/http/errors';
import { invalidRequest } from '../platform/http/validation';
import type { Text } from '../platform/i18n';
import { findDepartmentByCode, listDepartments } from '../platform/regions';
import { applySituations, checkItem, type Answers } from './model';
import { ITEM_TYPES, type ItemContent, type ItemTypeCode } from './schema';
import { createCatalogIndex, loadSynonyms, type CatalogIndex, type SynonymTable } from './search';
import * as store from './store';

/** A published item as listings show it. */
export interface ItemSummary {
  code: string;
  name: Text;
  type: string;
  typeName: Text;
  department: string;
  departmentName: Text;
  audience: string[];
  themes: string[];
  committedLimit: ItemContent['committedLimit'];
  visits: number;
  onlineDepth: number;
  version: number;
  publishedAt: string;
  score?: number;
}

/** Filters of the published catalog. */
export interface ItemFilter {
  q?: string;
  department?: string;
  type?: string;
  audience?: 'person' | 'enterprise';
  theme?: string;
  limit?: number;
  offset?: number;
}

interface Published {
  content: ItemContent;
  version: number;
  publishedAt: Date;
}

interface Snapshot {
  fingerprint: string;
  items: Map<string, Published>;
  contents: ReadonlyMap<string, ItemContent>;
  index: CatalogIndex;
  departments: Map<string, Text>;
}

const ITEM: Text = { zh: '事项', en: 'service item' };

function typeName(code: string): Text {
  return ITEM_TYPES[code as ItemTypeCode] ?? { zh: code, en: code };
}

/**
 * The service catalog's use cases: the published catalog (listed, searched, read), and drafts that
 * administrators write, preview and publish. A published version never changes; revising an item
 * means a new draft that supersedes it when published.
 */
export class CatalogService {
  #snapshot: Promise<Snapshot> | null = null;
  #synonyms: SynonymTable | null = null;

  constructor(private readonly db: Kdb) {}

  /**
   * The published catalog with its search index, rebuilt when anything was published since —
   * checked on every read with one small query, so every app server sees a publication at once.
   */
  async snapshot(): Promise<Snapshot> {
    const fingerprint = await store.publishedFingerprint(this.db);
    const current = await this.#snapshot?.catch(() => null);
    if (current && current.fingerprint === fingerprint) return current;
    this.#snapshot = this.#build(fingerprint);
    return this.#snapshot;
  }

  async #build(fingerprint: string): Promise<Snapshot> {
    const rows = await store.publishedVersions(this.db);
    const items = new Map<string, Published>(
      rows.map((row) => [
        row.itemCode,
        {
          content: row.content as ItemContent,
          version: row.version,
          publishedAt: row.publishedAt!,
        },
      ]),
    );
    this.#synonyms ??= loadSynonyms();
    const index = createCatalogIndex(
      [...items.values()].map((p) => p.content),
      this.#synonyms,
    );
    const departments = new Map(
      (await listDepartments(this.db)).map((d) => [d.code, { zh: d.nameZh, en: d.nameEn }]),
    );
    const contents = new Map([...items].map(([code, p]) => [code, p.content]));
    return { fingerprint, items, contents, index, departments };
  }

  /** Every published item's content by code, and a fingerprint that changes when any is published. */
  async publishedItems(): Promise<{
    fingerprint: string;
    items: ReadonlyMap<string, ItemContent>;
  }> {
    const snapshot = await this.snapshot();
    return { fingerprint: snapshot.fingerprint, items: snapshot.contents };
  }

  /** Published items matching the filter; ranked by relevance when there is a query. */
  async list(filter: ItemFilter): Promise<{ items: ItemSummary[]; total: number }> {
    const snapshot = await this.snapshot();
    const keep = (item: ItemContent) =>
      (!filter.department || item.department === filter.department) &&
      (!filter.type || item.type === filter.type) &&
      (!filter.audience || item.audience.includes(filter.audience)) &&
      (!filter.theme || item.themes.includes(filter.theme));
    let ranked: { code: string; score?: number }[];
    if (filter.q?.trim()) {
      ranked = snapshot.index.search(filter.q, {
        limit: 1000,
        filter: (item) => keep(item),
      });
    } else {
      ranked = [...snapshot.items.values()]
        .filter((p) => keep(p.content))
        .map((p) => ({ code: p.content.code }));
    }
    const offset = filter.offset ?? 0;
    const page = ranked.slice(offset, offset + (filter.limit ?? 50));
    return {
      total: ranked.length,
      items: page.flatMap((hit) => {
        const published = snapshot.items.get(hit.code);
        return published ? [this.#summary(snapshot, published, hit.score)] : [];
      }),
    };
  }

  #summary(snapshot: Snapshot, published: Published, score?: number): ItemSummary {
    const item = published.content;
    return {
      code: item.code,
      name: item.name,
      type: item.type,
      typeName: typeName(item.type),
      department: item.department,
      departmentName: snapshot.departments.get(item.department) ?? {
        zh: item.department,
        en: item.department,
      },
      audience: item.audience,
      themes: item.themes,
      committedLimit: item.committedLimit,
      visits: item.visits,
      onlineDepth: item.onlineDepth,
      version: published.version,
      publishedAt: published.publishedAt.toISOString(),
      ...(score === undefined ? {} : { score }),
    };
  }

  /** Counts of published items by theme, department and type, for browsing. */
  async facets() {
    const snapshot = await this.snapshot();
    const themes = new Map<string, { count: number; byAudience: Record<string, number> }>();
    const departments = new Map<string, number>();
    const types = new Map<string, number>();
    for (const { content } of snapshot.items.values()) {
      for (const theme of content.themes) {
        const entry = themes.get(theme) ?? { count: 0, byAudience: {} };
        entry.count++;
        for (const a of content.audience) entry.byAudience[a] = (entry.byAudience[a] ?? 0) + 1;
        themes.set(theme, entry);
      }
      departments.set(content.department, (departments.get(content.department) ?? 0) + 1);
      types.set(content.type, (types.get(content.type) ?? 0) + 1);
    }
    return {
      // Counted per audience too: a theme shared by people and enterprises has different items for each.
      themes: [...themes].map(([name, e]) => ({
        name,
        count: e.count,
        byAudience: e.byAudience,
        audience: Object.keys(e.byAudience).sort(),
      })),
      departments: [...departments].map(([code, count]) => ({
        code,
        name: snapshot.departments.get(code) ?? { zh: code, en: code },
        count,
      })),
      types: [...types].sort().map(([code, count]) => ({ code, name: typeName(code), count })),
    };
  }

  /**
   * One version of an item: the published one by default. Drafts and superseded versions are for
   * administrators only; to anyone else they do not exist.
   */
  async get(code: string, version: number | undefined, actor: Actor | null) {
    const row = await store.findVersion(this.db, code, version);
    if (!row || (row.status !== 'published' && actor?.role !== 'admin')) throw notFound(ITEM);
    const content = row.content as ItemContent;
    const department = await findDepartmentByCode(this.db, content.department);
    return {
      item: content,
      version: row.version,
      status: row.status,
      publishedAt: row.publishedAt?.toISOString() ?? null,
      publishedBy: row.publishedBy,
      departmentName: department ? { zh: department.nameZh, en: department.nameEn } : null,
      typeName: typeName(content.type),
    };
  }

  /**
   * The content of one version of an item whatever its status, for what was decided under it
   * (cases keep the version they were created under); null when there is no such version.
   */
  async content(code: string, version: number): Promise<ItemContent | null> {
    const published = (await this.snapshot()).items.get(code);
    if (published?.version === version) return published.content;
    const row = await store.findVersion(this.db, code, version);
    return row ? (row.content as ItemContent) : null;
  }

  /** What applies to an applicant who gives these situation answers (published version). */
  async applicable(code: string, answers: Answers) {
    const snapshot = await this.snapshot();
    const published = snapshot.items.get(code);
    if (!published) throw notFound(ITEM);
    return applySituations(published.content, answers);
  }

  /** Every version of an item (administrators). */
  async versions(code: string) {
    if (!(await store.itemExists(this.db, code))) throw notFound(ITEM);
    return store.listVersions(this.db, code);
  }

  /** Every open draft (administrators). */
  async drafts() {
    return (await store.listDrafts(this.db)).map((row) => ({
      code: row.itemCode,
      name: (row.content as ItemContent).name,
      version: row.version,
      basedOn: row.basedOn,
      createdAt: row.createdAt.toISOString(),
      createdBy: row.createdBy,
      createdByName: row.createdByName,
    }));
  }

  /** Checks content for saving: its own rules, then that its department exists. */
  async #validate(db: Kdb | Tx, content: ItemContent, context: string): Promise<FieldProblem[]> {
    const problems = checkItem(content, context);
    if (problems.length === 0 && !(await findDepartmentByCode(db, content.department))) {
      problems.push({
        path: [context, 'department'].filter(Boolean).join('.'),
        rule: 'exists',
        message: {
          zh: `部门 ${content.department} 不存在`,
          en: `department ${content.department} does not exist`,
        },
      });
    }
    return problems;
  }

  /** Creates a new item as a first draft; 409 when the code is taken. */
  async createItem(actor: Actor, content: ItemContent, meta: RequestMeta) {
    const problems = await this.#validate(this.db, content, 'body');
    if (problems.length) throw invalidRequest(problems);
    return this.db.transaction().execute(async (trx) => {
      if (await store.itemExists(trx, content.code)) {
        throw new AppError(409, 'catalog.code_taken', {
          zh: `事项编码 ${content.code} 已存在`,
          en: `item code ${content.code} already exists`,
        });
      }
      await store.insertItem(trx, content.code, content.basicCode);
      await store.insertDraft(trx, {
        content,
        version: 1,
        basedOn: null,
        createdBy: actor.userId,
        now: new Date(),
      });
      await this.#audit(trx, actor, meta, 'catalog.item_created', content.code, { version: 1 });
      return { code: content.code, version: 1, status: 'draft' as const };
    });
  }

  /** Saves the draft of an existing item, opening one (next version) when there is none. */
  async saveDraft(actor: Actor, code: string, content: ItemContent, meta: RequestMeta) {
    if (content.code !== code) {
      throw invalidRequest([
        {
          path: 'body.code',
          rule: 'matches_path',
          message: {
            zh: `编码应与地址中的 ${code} 一致`,
            en: `code must equal ${code} from the path`,
          },
        },
      ]);
    }
    const problems = await this.#validate(this.db, content, 'body');
    if (problems.length) throw invalidRequest(problems);
    return this.db.transaction().execute(async (trx) => {
      if (!(await store.lockItem(trx, code))) throw notFound(ITEM);
      const version = await this.#writeDraft(trx, content, actor.userId);
      await this.#audit(trx, actor, meta, 'catalog.draft_saved', code, { version });
      return { code, version, status: 'draft' as const };
    });
  }

  async #writeDraft(trx: Tx, content: ItemContent, actorId: string | null): Promise<number> {
    const now = new Date();
    const draft = await store.findDraft(trx, content.code);
    if (draft) {
      await store.updateDraft(trx, content, actorId, now);
      return draft.version;
    }
    const published = await store.findVersion(trx, content.code);
    const version = (await store.latestVersionNumber(trx, content.code)) + 1;
    await store.insertDraft(trx, {
      content,
      version,
      basedOn: published?.version ?? null,
      createdBy: actorId,
      now,
    });
    return version;
  }

  /** Discards an item's open draft; 404 when there is none. */
  async discardDraft(actor: Actor, code: string, meta: RequestMeta) {
    await this.db.transaction().execute(async (trx) => {
      if (!(await store.lockItem(trx, code))) throw notFound(ITEM);
      if (!(await store.deleteDraft(trx, code))) {
        throw notFound({ zh: '事项草稿', en: 'draft of the item' });
      }
      await this.#audit(trx, actor, meta, 'catalog.draft_discarded', code, {});
    });
  }

  /** Publishes an item's draft; the version it revises becomes superseded. */
  async publish(actor: Actor, code: string, meta: RequestMeta) {
    return this.db.transaction().execute(async (trx) => {
      if (!(await store.lockItem(trx, code))) throw notFound(ITEM);
      const draft = await store.findDraft(trx, code);
      if (!draft) {
        throw new AppError(409, 'catalog.no_draft', {
          zh: '该事项没有待发布的草稿',
          en: 'the item has no draft to publish',
        });
      }
      const problems = await this.#validate(trx, draft.content as ItemContent, 'draft');
      if (problems.length) throw invalidRequest(problems);
      await store.publishDraft(trx, code, actor.userId, new Date());
      await this.#audit(trx, actor, meta, 'catalog.published', code, { version: draft.version });
      return { code, version: draft.version, status: 'published' as const };
    });
  }

  /**
   * Imports a whole catalog in one transaction: every item is checked first and nothing is written
   * if any is wrong. New or changed items become drafts (published at once with `publish`); items
   * identical to their published version are left alone, so importing an export changes nothing.
   */
  async importItems(
    actor: Actor | null,
    items: ItemContent[],
    options: { publish: boolean },
    meta: RequestMeta,
  ) {
    const problems: FieldProblem[] = [];
    for (const [index, item] of items.entries()) {
      problems.push(...(await this.#validate(this.db, item, `items.${index}`)));
    }
    if (problems.length) throw invalidRequest(problems);
    return this.db.transaction().execute(async (trx) => {
      let imported = 0;
      let published = 0;
      let unchanged = 0;
      const now = new Date();
      for (const item of items) {
        if (!(await store.lockItem(trx, item.code)))
          await store.insertItem(trx, item.code, item.basicCode);
        const current = await store.findVersion(trx, item.code);
        const draft = await store.findDraft(trx, item.code);
        if (!draft && current && sameContent(current.content, item)) {
          unchanged++;
          continue;
        }
        await this.#writeDraft(trx, item, actor?.userId ?? null);
        imported++;
        if (options.publish) {
          await store.publishDraft(trx, item.code, actor?.userId ?? null, now);
          published++;
        }
      }
      await this.#audit(trx, actor, meta, 'catalog.imported', null, {
        imported,
        published,
        unchanged,
      });
      return { imported, published, unchanged };
    });
  }

  /** Every published item's content, by code (for export). */
  async exportItems(): Promise<ItemContent[]> {
    const rows = await store.publishedVersions(this.db);
    return rows.map((row) => row.content as ItemContent);
  }

  async #audit(
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
      objectType: 'catalog_item',
      objectId: code,
      ip: meta.ip,
      requestId: meta.requestId,
      detail,
    });
  }
}

// jsonb gives keys back in its own order; compare as canonical JSON.
function sameContent(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
