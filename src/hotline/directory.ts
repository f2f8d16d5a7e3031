import type { Kdb } from '../platform/db/database';
import type { Text } from '../platform/i18n';
import type { CategoryAttribute } from './config';
import * as store from './store';

// What the hotline looks names up in: regions (with their tree), departments, the category
// taxonomy and its dispatch routes. Small tables, cached per app server for a short while; a
// write through this server refreshes at once, other servers within the time-to-live.

const TTL_MS = 30_000;

/** A department as tickets name it. */
export interface DepartmentRef {
  id: string;
  code: string;
  name: Text;
  regionCode: string;
}

/** A category (or group) of the taxonomy. */
export interface CategoryView {
  code: string;
  parentCode: string | null;
  name: Text;
  description: Text;
  serviceCode: string | null;
  open311Group: string;
  keywords: string[];
  attributes: CategoryAttribute[];
  active: boolean;
  sort: number;
  /** The group's name for a category; its own for a group. */
  groupName: Text;
  /** Dispatch routes: region → department code. */
  routes: { regionCode: string; departmentCode: string }[];
}

interface SnapshotData {
  at: number;
  regions: Map<string, { code: string; parentCode: string | null; name: Text; level: string }>;
  children: Map<string, string[]>;
  departments: Map<string, DepartmentRef>;
  departmentsByCode: Map<string, DepartmentRef>;
  categories: Map<string, CategoryView>;
  byServiceCode: Map<string, CategoryView>;
  routes: Map<string, Map<string, string>>;
}

/**
 * One consistent view of the directory with synchronous lookups — what code inside a
 * transaction uses, since on PGlite it must not reach for the database outside the transaction.
 */
export class DirectorySnapshot {
  constructor(readonly data: SnapshotData) {}

  /** One category or group by code. */
  category(code: string): CategoryView | undefined {
    return this.data.categories.get(code);
  }

  /** A region's name, or the code itself when unknown. */
  regionName(code: string): Text {
    return this.data.regions.get(code)?.name ?? { zh: code, en: code };
  }

  /** A region and every region below it. */
  regionsUnder(code: string): string[] {
    const out: string[] = [];
    const walk = (c: string) => {
      out.push(c);
      for (const child of this.data.children.get(c) ?? []) walk(child);
    };
    walk(code);
    return out;
  }

  /** A region and its ancestors, nearest first. */
  lineage(code: string): string[] {
    const out: string[] = [];
    for (
      let c: string | null = code;
      c && !out.includes(c);
      c = this.data.regions.get(c)?.parentCode ?? null
    ) {
      out.push(c);
    }
    return out;
  }

  /** A department by id. */
  department(id: string | null): DepartmentRef | null {
    return id ? (this.data.departments.get(id) ?? null) : null;
  }

  /** The route's department for a category in a region, nearest region first (派单建议). */
  suggestDepartment(categoryCode: string, regionCode: string): DepartmentRef | null {
    const byRegion = this.data.routes.get(categoryCode);
    if (!byRegion) return null;
    for (const region of this.lineage(regionCode)) {
      const code = byRegion.get(region);
      if (code) return this.data.departmentsByCode.get(code) ?? null;
    }
    return null;
  }
}

/** The cached directory of one app server. */
export class Directory {
  #snapshot: Promise<DirectorySnapshot> | null = null;

  constructor(
    private readonly db: Kdb,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Forgets what is cached (after a write through this server). */
  invalidate(): void {
    this.#snapshot = null;
  }

  /** A fresh enough snapshot; take it before a transaction and use it inside. */
  async snapshot(): Promise<DirectorySnapshot> {
    const current = await this.#snapshot?.catch(() => null);
    if (current && this.clock() - current.data.at < TTL_MS) return current;
    this.#snapshot = this.#load();
    return this.#snapshot;
  }

  async #load(): Promise<DirectorySnapshot> {
    const [regionRows, departmentRows, categoryRows, routeRows] = await Promise.all([
      store.listRegionTree(this.db),
      store.listDepartmentRows(this.db),
      store.listCategories(this.db),
      store.listRoutes(this.db),
    ]);
    const regions = new Map(
      regionRows.map((r) => [
        r.code,
        {
          code: r.code,
          parentCode: r.parentCode,
          name: { zh: r.nameZh, en: r.nameEn },
          level: r.level,
        },
      ]),
    );
    const children = new Map<string, string[]>();
    for (const r of regionRows) {
      if (!r.parentCode) continue;
      children.set(r.parentCode, [...(children.get(r.parentCode) ?? []), r.code]);
    }
    const departments = new Map<string, DepartmentRef>();
    const departmentsByCode = new Map<string, DepartmentRef>();
    for (const d of departmentRows) {
      const ref = {
        id: d.id,
        code: d.code,
        name: { zh: d.nameZh, en: d.nameEn },
        regionCode: d.regionCode,
      };
      departments.set(d.id, ref);
      departmentsByCode.set(d.code, ref);
    }
    const routes = new Map<string, Map<string, string>>();
    for (const r of routeRows) {
      const byRegion = routes.get(r.categoryCode) ?? new Map<string, string>();
      byRegion.set(r.regionCode, r.departmentCode);
      routes.set(r.categoryCode, byRegion);
    }
    const groups = new Map(categoryRows.filter((c) => !c.parentCode).map((c) => [c.code, c]));
    const categories = new Map<string, CategoryView>();
    const byServiceCode = new Map<string, CategoryView>();
    for (const c of categoryRows) {
      const group = c.parentCode ? groups.get(c.parentCode) : c;
      const view: CategoryView = {
        code: c.code,
        parentCode: c.parentCode,
        name: { zh: c.nameZh, en: c.nameEn },
        description: { zh: c.descriptionZh, en: c.descriptionEn },
        serviceCode: c.serviceCode,
        open311Group: c.open311Group,
        keywords: c.keywords,
        attributes: (c.attributes as CategoryAttribute[]) ?? [],
        active: c.active,
        sort: c.sort,
        groupName: group ? { zh: group.nameZh, en: group.nameEn } : { zh: '', en: '' },
        routes: [...(routes.get(c.code) ?? new Map<string, string>())].map(
          ([regionCode, code]) => ({ regionCode, departmentCode: code }),
        ),
      };
      categories.set(c.code, view);
      if (c.serviceCode) byServiceCode.set(c.serviceCode, view);
    }
    return new DirectorySnapshot({
      at: this.clock(),
      regions,
      children,
      departments,
      departmentsByCode,
      categories,
      byServiceCode,
      routes,
    });
  }

  /** Every category and group, groups first. */
  async categories(): Promise<CategoryView[]> {
    return [...(await this.snapshot()).data.categories.values()];
  }

  /** One category or group by code. */
  async category(code: string): Promise<CategoryView | undefined> {
    return (await this.snapshot()).category(code);
  }

  /** A category by its Open311 service code. */
  async categoryByServiceCode(serviceCode: string): Promise<CategoryView | undefined> {
    return (await this.snapshot()).data.byServiceCode.get(serviceCode);
  }

  /** A region's name, or the code itself when unknown. */
  async regionName(code: string): Promise<Text> {
    return (await this.snapshot()).regionName(code);
  }

  /** Whether a region exists. */
  async regionExists(code: string): Promise<boolean> {
    return (await this.snapshot()).data.regions.has(code);
  }

  /** Every region with its name (for guessing the region of an address). */
  async regions(): Promise<
    { code: string; parentCode: string | null; name: Text; level: string }[]
  > {
    return [...(await this.snapshot()).data.regions.values()];
  }

  /** A region and every region below it. */
  async regionsUnder(code: string): Promise<string[]> {
    return (await this.snapshot()).regionsUnder(code);
  }

  /** A department by id. */
  async department(id: string | null): Promise<DepartmentRef | null> {
    return (await this.snapshot()).department(id);
  }

  /** A department by code. */
  async departmentByCode(code: string): Promise<DepartmentRef | null> {
    return (await this.snapshot()).data.departmentsByCode.get(code) ?? null;
  }

  /** Every department. */
  async departments(): Promise<DepartmentRef[]> {
    return [...(await this.snapshot()).data.departments.values()];
  }

  /** The department the routes suggest for a category in a region (派单建议). */
  async suggestDepartment(categoryCode: string, regionCode: string): Promise<DepartmentRef | null> {
    return (await this.snapshot()).suggestDepartment(categoryCode, regionCode);
  }
}
