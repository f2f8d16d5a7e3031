import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;

/** regions — GB/T 2260 divisions and non-standard functional zones. */
export interface RegionsTable {
  code: string;
  nameZh: string;
  nameEn: string;
  parentCode: string | null;
  level: 'province' | 'city' | 'county' | 'zone';
  standard: Generated<boolean>;
  createdAt: CreatedAt;
}

/** departments — government departments with their unified social credit code. */
export interface DepartmentsTable {
  id: Generated<string>;
  code: string;
  nameZh: string;
  nameEn: string;
  uscc: string;
  regionCode: string;
  createdAt: CreatedAt;
}

/** subjects — natural persons and market subjects. */
export interface SubjectsTable {
  id: Generated<string>;
  kind: 'person' | 'enterprise';
  name: string;
  identifier: string;
  regionCode: string;
  mobile: string | null;
  createdAt: CreatedAt;
}

/** users — accounts with one role, bound to a region and a department or subject. */
export interface UsersTable {
  id: Generated<string>;
  username: string;
  displayName: string;
  passwordHash: string;
  role: string;
  regionCode: string;
  departmentId: string | null;
  subjectId: string | null;
  failedAttempts: Generated<number>;
  lockedUntil: Date | null;
  disabled: Generated<boolean>;
  createdAt: CreatedAt;
}

/** sessions — signed-in sessions, keyed by the hash of the cookie token. */
export interface SessionsTable {
  tokenHash: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

/** audit_log — the append-only SM3 chain of state-changing actions. */
export interface AuditLogTable {
  seq: number;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  ip: string | null;
  requestId: string | null;
  detail: ColumnType<Record<string, unknown>, string, never>;
  prevHash: string;
  hash: string;
}

/** calendar_overrides — per-region holidays and make-up working days. */
export interface CalendarOverridesTable {
  regionCode: string;
  day: ColumnType<string, string, string>;
  kind: 'workday' | 'holiday';
  nameZh: Generated<string>;
  nameEn: Generated<string>;
  createdAt: CreatedAt;
}

/** schema_migrations — which numbered migrations have run. */
export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  appliedAt: CreatedAt;
}

/** catalog_items — service items by implementation code. */
export interface CatalogItemsTable {
  code: string;
  basicCode: string;
  createdAt: CreatedAt;
}

/** catalog_item_versions — drafts and immutable published versions of service items. */
export interface CatalogItemVersionsTable {
  itemCode: string;
  version: number;
  status: 'draft' | 'published' | 'superseded';
  nameZh: string;
  departmentCode: string;
  typeCode: string;
  content: ColumnType<unknown, string, string>;
  basedOn: number | null;
  createdBy: string | null;
  createdAt: Date;
  publishedBy: string | null;
  publishedAt: Date | null;
  supersededAt: Date | null;
}

export interface BundlesTable {
  code: string;
  createdAt: Generated<Date>;
}

export interface BundleVersionsTable {
  bundleCode: string;
  version: number;
  status: 'draft' | 'published' | 'superseded';
  nameZh: string;
  leadDepartment: string;
  content: ColumnType<unknown, string, string>;
  problems: ColumnType<unknown, string | undefined, string>;
  basedOn: number | null;
  createdBy: string | null;
  createdAt: Date;
  publishedBy: string | null;
  publishedAt: Date | null;
  supersededAt: Date | null;
}

/** Every table of the platform; capabilities add theirs here as they arrive. */
export interface Database {
  bundles: BundlesTable;
  bundleVersions: BundleVersionsTable;
  catalogItems: CatalogItemsTable;
  catalogItemVersions: CatalogItemVersionsTable;
  regions: RegionsTable;
  departments: DepartmentsTable;
  subjects: SubjectsTable;
  users: UsersTable;
  sessions: SessionsTable;
  auditLog: AuditLogTable;
  calendarOverrides: CalendarOverridesTable;
  schemaMigrations: SchemaMigrationsTable;
}
