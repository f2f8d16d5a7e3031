// 共享数据源: the other departments' data the platform queries instead of asking for a paper — read
// and checked from data/licences/shared-data.yaml, seeded, listed for staff and marked connected
// (已对接) by administrators — and the count of certificate-free scenarios (无证明场景) that the
// sources, the licence types and the catalog allow together (the rules are in scenarios.ts).
// The file, then the use cases, then the routes (kept here so that routes.ts stays shared).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from 'typebox';
import { parse } from 'yaml';
import { BundleService } from '../bundles';
import { CatalogService, type ItemContent } from '../catalog';
import { appendAudit } from '../platform/audit';
import { STAFF_ROLES, type Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import type { Kdb } from '../platform/db/database';
import { requestMeta, requireActor, type App, type AppContext } from '../platform/http/app';
import { notFound } from '../platform/http/errors';
import { errorResponses } from '../platform/http/schemas';
import { checkAgainstSchema } from '../platform/http/validation';
import type { Text } from '../platform/i18n';
import { listDepartments } from '../platform/regions';
import { HOLDER_KINDS, type HolderKind } from './codes';
import { certificateFreeScenarios, type BundleWithItems, type SourceRegistry } from './scenarios';

const SOURCE: Text = { zh: '共享数据源', en: 'shared-data source' };

// ------------------------------------------------------------------------------------------------
// The file
// ------------------------------------------------------------------------------------------------

/** Where the seed shared-data sources live. */
export const SHARED_DATA_FILE = fileURLToPath(
  new URL('../../data/licences/shared-data.yaml', import.meta.url),
);

/** One shared-data source as the file records it. */
export const SharedDataSourceSchema = Type.Object(
  {
    /** The name exactly as catalog materials spell it (`{ kind: shared-data, source: … }`). */
    name: Type.String({ minLength: 1, maxLength: 200 }),
    nameEn: Type.String({ minLength: 1, maxLength: 300 }),
    /** The providing department's code (platform departments). */
    department: Type.String({ minLength: 2, maxLength: 64 }),
    subjectKinds: Type.Array(Type.Enum(HOLDER_KINDS), { minItems: 1, uniqueItems: true }),
    connected: Type.Boolean(),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
/** A shared-data source of the file. */
export type SharedDataSource = Static<typeof SharedDataSourceSchema>;

/** The shared-data sources file. */
export const SharedDataFileSchema = Type.Object(
  { sources: Type.Array(SharedDataSourceSchema, { minItems: 1 }) },
  { additionalProperties: false },
);

/** Reads and checks the shared-data sources file; throws naming every problem. */
export function readSharedDataSources(file = SHARED_DATA_FILE): SharedDataSource[] {
  const data: unknown = parse(readFileSync(file, 'utf8'));
  const problems = checkAgainstSchema(SharedDataFileSchema, data).map(
    (p) => `${p.path}: ${p.message.en}`,
  );
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  const { sources } = data as { sources: SharedDataSource[] };
  const seen = new Set<string>();
  for (const [index, source] of sources.entries()) {
    if (seen.has(source.name)) problems.push(`sources.${index}.name: duplicate ${source.name}`);
    seen.add(source.name);
  }
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  return sources;
}

/** Every shared-data source the catalog's materials name, with how many materials name it. */
export function sharedDataNamedBy(items: Iterable<ItemContent>): Map<string, number> {
  const named = new Map<string, number>();
  for (const item of items) {
    for (const m of item.materials) {
      for (const s of m.sources) {
        if (s.kind === 'shared-data') named.set(s.source, (named.get(s.source) ?? 0) + 1);
      }
    }
  }
  return named;
}

/**
 * Writes the sources whose department exists (the demo's departments) when there are none yet;
 * returns how many it wrote.
 */
export async function seedSharedDataSources(
  db: Kdb,
  sources: readonly SharedDataSource[] = readSharedDataSources(),
): Promise<number> {
  const existing = await db
    .selectFrom('sharedDataSources')
    .select('name')
    .limit(1)
    .executeTakeFirst();
  if (existing) return 0;
  const departments = new Set(
    (await db.selectFrom('departments').select('code').execute()).map((d) => d.code),
  );
  const known = sources.filter((s) => departments.has(s.department));
  if (known.length === 0) return 0;
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sharedDataSources')
      .values(
        known.map((s) => ({
          name: s.name,
          nameEn: s.nameEn,
          departmentCode: s.department,
          subjectKinds: [...s.subjectKinds],
          connected: s.connected,
          note: s.note ?? null,
          updatedAt: now,
        })),
      )
      .execute();
  });
  return known.length;
}

// ------------------------------------------------------------------------------------------------
// Use cases
// ------------------------------------------------------------------------------------------------

/** A shared-data source as staff see it. */
export interface SharedDataView {
  name: string;
  nameEn: string;
  label: Text;
  department: { code: string; name: Text };
  subjectKinds: HolderKind[];
  connected: boolean;
  note: string | null;
  /** How many materials of the published catalog name it. */
  materials: number;
  updatedAt: string;
}

/** What an administrator changes on a source. */
export interface SharedDataChange {
  connected: boolean;
  /** Absent: keep the note; null or empty: clear it. */
  note?: string | null;
}

/** The sources in name order, with text[] read as an array on either engine. */
function sourceRows(db: Kdb) {
  return db
    .selectFrom('sharedDataSources')
    .selectAll()
    .orderBy('departmentCode')
    .orderBy('name')
    .execute();
}

/** The shared-data sources, their connection (已对接) and the certificate-free scenarios they allow. */
export class SharedDataService {
  readonly #catalog: CatalogService;
  readonly #bundles: BundleService;

  constructor(
    private readonly db: Kdb,
    catalog?: CatalogService,
    bundles?: BundleService,
  ) {
    this.#catalog = catalog ?? new CatalogService(db);
    this.#bundles = bundles ?? new BundleService(db, this.#catalog);
  }

  /** Every source, by department then name. */
  async list(): Promise<SharedDataView[]> {
    const [rows, departments, { items }] = await Promise.all([
      sourceRows(this.db),
      listDepartments(this.db),
      this.#catalog.publishedItems(),
    ]);
    const names = new Map(departments.map((d) => [d.code, { zh: d.nameZh, en: d.nameEn }]));
    const named = sharedDataNamedBy(items.values());
    return rows.map((row) => ({
      name: row.name,
      nameEn: row.nameEn,
      label: { zh: row.name, en: row.nameEn },
      department: {
        code: row.departmentCode,
        name: names.get(row.departmentCode) ?? { zh: row.departmentCode, en: row.departmentCode },
      },
      subjectKinds: row.subjectKinds,
      connected: row.connected,
      note: row.note,
      materials: named.get(row.name) ?? 0,
      updatedAt: row.updatedAt.toISOString(),
    }));
  }

  /** Marks a source connected or not (with a note), audited; 404 when there is no such source. */
  async update(
    actor: Actor,
    name: string,
    change: SharedDataChange,
    meta: RequestMeta,
  ): Promise<SharedDataView> {
    const now = new Date();
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('sharedDataSources')
        .select(['name', 'connected', 'note'])
        .where('name', '=', name)
        .forUpdate()
        .executeTakeFirst();
      if (!row) throw notFound(SOURCE);
      const note = change.note === undefined ? row.note : change.note?.trim() || null;
      await trx
        .updateTable('sharedDataSources')
        .set({ connected: change.connected, note, updatedAt: now })
        .where('name', '=', name)
        .execute();
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'licences.shared_data_updated',
        objectType: 'shared_data_source',
        objectId: name,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: {
          from: { connected: row.connected, note: row.note },
          to: { connected: change.connected, note },
        },
      });
    });
    const view = (await this.list()).find((s) => s.name === name);
    if (!view) throw notFound(SOURCE);
    return view;
  }

  /** What the platform can draw on now: licence types, sources and the published items. */
  async #registry(items: ReadonlyMap<string, ItemContent>): Promise<SourceRegistry> {
    const [types, sources] = await Promise.all([
      this.db.selectFrom('licenceTypes').select(['nameZh', 'holderKind']).execute(),
      sourceRows(this.db),
    ]);
    return {
      licenceTypes: types.map((t) => ({ name: t.nameZh, holderKind: t.holderKind })),
      sharedData: sources,
      itemCodes: new Set(items.keys()),
    };
  }

  /** The certificate-free scenarios of the published items and bundles, with the totals. */
  async certificateFree() {
    const { items } = await this.#catalog.publishedItems();
    const { bundles: summaries } = await this.#bundles.list({});
    const bundles: BundleWithItems[] = await Promise.all(
      summaries.map((b) => this.#bundles.published(b.code)),
    );
    return certificateFreeScenarios(items.values(), bundles, await this.#registry(items));
  }
}

// ------------------------------------------------------------------------------------------------
// Routes
// ------------------------------------------------------------------------------------------------

/** Staff read the sources: reference data, no one's personal data. */
const STAFF = { roles: STAFF_ROLES, scope: 'none' } as const;
const ADMIN = { roles: ['admin'], scope: 'all' } as const;
/** The count covers the whole catalog of every region. */
const OVERSEERS = { roles: ['admin', 'supervisor'], scope: 'all' } as const;

const NameParams = Type.Object({
  name: Type.String({
    minLength: 1,
    maxLength: 200,
    description: '共享数据源名称, as catalog materials name it (e.g. 公安人口库)',
  }),
});
const ChangeBody = Type.Object(
  {
    connected: Type.Boolean({ description: '已对接 — whether the platform can query it' }),
    note: Type.Optional(
      Type.Union([Type.String({ maxLength: 500 }), Type.Null()], {
        description: '说明 — e.g. why it is not connected; null or empty clears it',
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * /api/shared-data (the sources, marked connected by administrators) and
 * /api/licences/certificate-free (the certificate-free scenarios against the seeds' target).
 */
export function sharedDataRoutes(app: App, { db }: AppContext) {
  const service = new SharedDataService(db.kysely);

  app.get(
    '/api/shared-data',
    {
      config: { access: STAFF },
      schema: {
        tags: ['licences'],
        summary: 'Shared-data sources and whether they are connected (共享数据源)',
        response: errorResponses(401, 403),
      },
    },
    async () => ({ items: await service.list() }),
  );

  app.put(
    '/api/shared-data/:name',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['licences'],
        summary: 'Mark a shared-data source connected or not (已对接), with a note',
        params: NameParams,
        body: ChangeBody,
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) =>
      service.update(
        requireActor(request),
        request.params.name,
        request.body,
        requestMeta(request),
      ),
  );

  app.get(
    '/api/licences/certificate-free',
    {
      config: { access: OVERSEERS },
      schema: {
        tags: ['licences'],
        summary:
          'Certificate-free scenarios (无证明场景): items and bundles needing no paper, and what blocks the others',
        response: errorResponses(401, 403),
      },
    },
    async () => service.certificateFree(),
  );
}
