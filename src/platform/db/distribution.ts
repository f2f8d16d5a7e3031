import { sql } from 'kysely';
import type { Kdb } from './database';

// The data distribution plan for a distributed PostgreSQL-compatible engine (Citus-like), as data,
// and the rules such an engine imposes that can be checked on a plain PostgreSQL or PGlite catalog.
// docs/scale-out.md explains the plan; src/platform/db/distribution.test.ts runs the migrations and
// holds the catalog to it, so that a new table or key cannot slip in without a decision.

/**
 * Rows of one table that live together: tables in the same group are sharded the same way on a
 * column of the same meaning, so a join or a foreign key on that column stays on one node.
 */
export type ColocationGroup = 'region' | 'subject' | 'user' | 'session';

/** How one table is laid out on a distributed engine. */
export type TablePlacement =
  /** sharded by the value of `column`; rows with the same value are on the same node */
  | { kind: 'distributed'; column: string; group: ColocationGroup; why: string }
  /** copied in full to every node: small, read everywhere, written rarely */
  | { kind: 'reference'; why: string }
  /** kept on the coordinator only (a Citus local table): one writer or a single queue */
  | { kind: 'local'; why: string };

/** A rule of a distributed engine that the current schema may break. */
export type Rule =
  /** a primary key or unique constraint/index of a distributed table omits its distribution column */
  | 'unique-without-distribution-column'
  /** a foreign key between distributed tables does not join their distribution columns */
  | 'foreign-key-not-colocated'
  /** a reference (or local) table points at a distributed table */
  | 'foreign-key-to-distributed'
  /** a distributed table points at a local table */
  | 'foreign-key-to-local'
  /** a distributed table lacks its distribution column, or it may be null */
  | 'missing-distribution-column';

/** One place the schema breaks a rule, found in the catalog. */
export interface Violation {
  rule: Rule;
  table: string;
  /** the constraint or index (or, for a missing column, the column) */
  name: string;
}

/** A known violation the plan accepts for now, with what must change before distributing. */
export interface PlannedException extends Violation {
  change: string;
  /** the key's columns after the change (and the referenced columns of a foreign key); none when dropped */
  proposed?: { columns: string[]; referencedColumns?: string[] };
}

const REGION = (why: string): TablePlacement => ({
  kind: 'distributed',
  column: 'region_code',
  group: 'region',
  why,
});
const SUBJECT = (why: string): TablePlacement => ({
  kind: 'distributed',
  column: 'subject_id',
  group: 'subject',
  why,
});
const REFERENCE = (why: string): TablePlacement => ({ kind: 'reference', why });
const LOCAL = (why: string): TablePlacement => ({ kind: 'local', why });

const CASEWORK = 'casework of one region: an application, its cases and their trail stay together';
const HOTLINE = 'a ticket and its trail stay together in the region that handles it';
const LICENCES = 'licences and their use are issued and verified in the issuing region';
const RATINGS = 'ratings and rectification belong to the region of the rated service';
const SUPERVISION = 'inspections and credit records are planned and kept by region';
const POLICIES = 'grants are decided and paid by the granting region';
const DOSSIER =
  'one dossier per subject (一人一档/一企一档): facts, tags and matches are read together';
const INSIGHT = 'cockpit rollups per day and region; the cockpit sums over regions';
const LEDGER = 'reform tasks are owned by a region and reported on by its units';
const CATALOGUE = 'the published catalogue: small, read by every request, changed by admins';

/** Every table of the migrations and where it goes on a distributed engine. */
export const DISTRIBUTION_PLAN: Readonly<Record<string, TablePlacement>> = {
  // platform
  schema_migrations: LOCAL('the migration runner’s bookkeeping, one writer under a lock'),
  sealing_steps: LOCAL('start-up bookkeeping like the migrations’: a row per sealing step and key'),
  regions: REFERENCE('the division tree (区划): small and joined by everything'),
  departments: REFERENCE('a few hundred rows, joined by queues and routing everywhere'),
  subjects: REFERENCE(
    'persons and enterprises, referenced by every capability; the first to outgrow a reference table',
  ),
  users: REFERENCE('accounts are referenced as actors from every table; small next to casework'),
  subject_representatives: REFERENCE('who may act for an enterprise, read at every sign-in'),
  sessions: {
    kind: 'distributed',
    column: 'token_hash',
    group: 'session',
    why: 'looked up by token hash on every request; written on every request (last seen)',
  },
  user_second_factors: REFERENCE('one authenticator per account, read with the account at sign-in'),
  user_recovery_codes: REFERENCE('a handful per staff account, read only at sign-in'),
  sign_in_challenges: {
    kind: 'distributed',
    column: 'token_hash',
    group: 'session',
    why: 'looked up by token hash between the password and the second factor',
  },
  audit_log: LOCAL(
    'SM3 chains per lane, each gapless under its own lock; verified and backed up whole',
  ),
  calendar_overrides: REFERENCE('read by every due-date computation in every region'),
  // catalogue and bundles
  catalog_items: REFERENCE(CATALOGUE),
  catalog_item_versions: REFERENCE(CATALOGUE),
  bundles: REFERENCE(CATALOGUE),
  bundle_versions: REFERENCE(CATALOGUE),
  // cases
  applications: REGION(CASEWORK),
  application_requests: {
    kind: 'distributed',
    column: 'user_id',
    group: 'user',
    why: 'idempotency keys are looked up by (user, key) before anything else is known',
  },
  application_uploads: REGION(CASEWORK),
  application_events: REGION(CASEWORK),
  application_notices: REGION(CASEWORK),
  application_members: REGION(CASEWORK),
  cases: REGION(CASEWORK),
  case_clock_segments: REGION(CASEWORK),
  case_events: REGION(CASEWORK),
  case_action_requests: REGION(CASEWORK),
  // hotline
  hotline_categories: REFERENCE('the complaint taxonomy: small, read by every ticket'),
  hotline_routes: REFERENCE('routing rules: small, read when a ticket is dispatched'),
  hotline_api_keys: REFERENCE('Open311 client keys: a handful, checked on every Open311 call'),
  hotline_tickets: REGION(HOTLINE),
  hotline_assignments: REGION(HOTLINE),
  hotline_extensions: REGION(HOTLINE),
  hotline_events: REGION(HOTLINE),
  hotline_attachments: REGION(HOTLINE),
  hotline_weekly_stats: REGION(INSIGHT),
  // notifications and domain events
  domain_events: LOCAL('the event queue: claimed with row locks by every server’s dispatcher'),
  domain_event_deliveries: LOCAL('delivery records of the event queue, beside it'),
  outbox: LOCAL('the SMS/email queue: claimed with FOR UPDATE SKIP LOCKED by every server'),
  messages: {
    kind: 'distributed',
    column: 'user_id',
    group: 'user',
    why: 'in-app messages are read and marked by their owner only',
  },
  // licences
  licence_types: REFERENCE('the licence catalogue: small, read everywhere'),
  licence_signing_keys: REFERENCE('public keys, read by every verification'),
  licences: REGION(LICENCES),
  licence_events: REGION(LICENCES),
  licence_shares: REGION(LICENCES),
  licence_share_views: REGION(LICENCES),
  licence_uses: REGION(LICENCES),
  subject_tags: SUBJECT(DOSSIER),
  dossier_access_log: SUBJECT('who read a dossier, kept beside the dossier'),
  shared_data_sources: REFERENCE('the other departments’ data sources: a short list'),
  // evaluations
  rateable_services: REGION(RATINGS),
  window_visits: REGION(RATINGS),
  ratings: REGION(RATINGS),
  rectifications: REGION(RATINGS),
  rectification_events: REGION(RATINGS),
  // policies
  policies: REFERENCE('a few hundred policies, matched against every dossier'),
  dossier_facts: SUBJECT(DOSSIER),
  policy_dossiers: SUBJECT(DOSSIER),
  policy_matches: SUBJECT(DOSSIER),
  policy_grants: REGION(POLICIES),
  policy_grant_ledger: REGION(POLICIES),
  // supervision
  inspection_items: REFERENCE('the inspection item lists: small, read by every plan'),
  inspectors: REFERENCE('the inspector registry: read by every random draw in any region'),
  inspection_targets: SUBJECT('the target registry entry of a subject, beside its dossier'),
  inspector_conflicts: SUBJECT('an inspector’s conflicts are checked per drawn subject'),
  inspection_plans: REGION(SUPERVISION),
  inspections: REGION(SUPERVISION),
  inspection_events: REGION(SUPERVISION),
  credit_records: REGION(SUPERVISION),
  credit_repairs: REGION(SUPERVISION),
  // insight
  ledger_documents: REGION(LEDGER),
  ledger_tasks: REGION(LEDGER),
  ledger_task_units: REGION(LEDGER),
  ledger_units: REFERENCE('the reporting units: a short list joined with every report'),
  ledger_reports: REGION(LEDGER),
  insight_application_days: REGION(INSIGHT),
  insight_application_durations: REGION(INSIGHT),
  insight_ticket_days: REGION(INSIGHT),
};

/** Where lookups by a globally unique value alone (public pages, QR codes, verification) go. */
export const DIRECTORY_NOTE =
  'stays globally unique by construction (sequence number or random token); lookups by it alone ' +
  'go through a directory table distributed by it that names the region';

const KEY = 'unique-without-distribution-column' as const;
const FK = 'foreign-key-not-colocated' as const;

const primaryKey = (table: string, name: string, columns: string[]): PlannedException => ({
  rule: KEY,
  table,
  name,
  change: `primary key (${columns.join(', ')})`,
  proposed: { columns },
});
const uniqueKey = (table: string, name: string, columns: string[]): PlannedException => ({
  rule: KEY,
  table,
  name,
  change: `unique (${columns.join(', ')})`,
  proposed: { columns },
});
const globalKey = (table: string, name: string, columns: string[]): PlannedException => ({
  rule: KEY,
  table,
  name,
  change: `unique (${columns.join(', ')}); ${columns.at(-1)} ${DIRECTORY_NOTE}`,
  proposed: { columns },
});
const foreignKey = (
  table: string,
  name: string,
  columns: string[],
  references: string,
  referencedColumns: string[],
): PlannedException => ({
  rule: FK,
  table,
  name,
  change: `foreign key (${columns.join(', ')}) references ${references} (${referencedColumns.join(', ')})`,
  proposed: { columns, referencedColumns },
});
const dropForeignKey = (table: string, name: string, why: string): PlannedException => ({
  rule: FK,
  table,
  name,
  change: `drop the foreign key: ${why}`,
});

/**
 * What the current schema breaks under the plan, each with the change needed before the tables are
 * distributed (the multi-tenant pattern: the distribution column joins every key). Kept exactly
 * equal to what the catalog shows by distribution.test.ts, so it cannot go stale.
 */
export const PLANNED_EXCEPTIONS: readonly PlannedException[] = [
  foreignKey(
    'application_events',
    'application_events_application_id_fkey',
    ['region_code', 'application_id'],
    'applications',
    ['region_code', 'id'],
  ),
  primaryKey('application_events', 'application_events_pkey', ['region_code', 'id']),
  foreignKey(
    'application_members',
    'application_members_application_id_fkey',
    ['region_code', 'application_id'],
    'applications',
    ['region_code', 'id'],
  ),
  primaryKey('application_members', 'application_members_pkey', [
    'region_code',
    'application_id',
    'member_key',
  ]),
  foreignKey(
    'application_notices',
    'application_notices_application_id_fkey',
    ['region_code', 'application_id'],
    'applications',
    ['region_code', 'id'],
  ),
  globalKey('application_notices', 'application_notices_number_key', ['region_code', 'number']),
  primaryKey('application_notices', 'application_notices_pkey', ['region_code', 'id']),
  dropForeignKey(
    'application_requests',
    'application_requests_application_id_fkey',
    'keys are sharded by user, applications by region; both rows are written in one transaction',
  ),
  foreignKey(
    'application_uploads',
    'application_uploads_application_id_fkey',
    ['region_code', 'application_id'],
    'applications',
    ['region_code', 'id'],
  ),
  primaryKey('application_uploads', 'application_uploads_pkey', ['region_code', 'id']),
  globalKey('applications', 'applications_number_key', ['region_code', 'number']),
  primaryKey('applications', 'applications_pkey', ['region_code', 'id']),
  globalKey('applications', 'applications_public_token_key', ['region_code', 'public_token']),
  foreignKey(
    'case_action_requests',
    'case_action_requests_case_id_fkey',
    ['region_code', 'case_id'],
    'cases',
    ['region_code', 'id'],
  ),
  primaryKey('case_action_requests', 'case_action_requests_pkey', [
    'region_code',
    'user_id',
    'idempotency_key',
  ]),
  foreignKey(
    'case_clock_segments',
    'case_clock_segments_case_id_fkey',
    ['region_code', 'case_id'],
    'cases',
    ['region_code', 'id'],
  ),
  primaryKey('case_clock_segments', 'case_clock_segments_pkey', ['region_code', 'id']),
  foreignKey(
    'case_events',
    'case_events_application_id_fkey',
    ['region_code', 'application_id'],
    'applications',
    ['region_code', 'id'],
  ),
  foreignKey('case_events', 'case_events_case_id_fkey', ['region_code', 'case_id'], 'cases', [
    'region_code',
    'id',
  ]),
  primaryKey('case_events', 'case_events_pkey', ['region_code', 'id']),
  foreignKey(
    'cases',
    'cases_application_id_fkey',
    ['region_code', 'application_id'],
    'applications',
    ['region_code', 'id'],
  ),
  uniqueKey('cases', 'cases_application_id_member_key_key', [
    'region_code',
    'application_id',
    'member_key',
  ]),
  primaryKey('cases', 'cases_pkey', ['region_code', 'id']),
  primaryKey('credit_records', 'credit_records_pkey', ['region_code', 'id']),
  foreignKey(
    'credit_repairs',
    'credit_repairs_record_id_fkey',
    ['region_code', 'record_id'],
    'credit_records',
    ['region_code', 'id'],
  ),
  uniqueKey('credit_repairs', 'credit_repairs_open_idx', ['region_code', 'record_id']),
  primaryKey('credit_repairs', 'credit_repairs_pkey', ['region_code', 'id']),
  primaryKey('dossier_access_log', 'dossier_access_log_pkey', ['subject_id', 'id']),
  foreignKey(
    'hotline_assignments',
    'hotline_assignments_ticket_id_fkey',
    ['region_code', 'ticket_id'],
    'hotline_tickets',
    ['region_code', 'id'],
  ),
  primaryKey('hotline_assignments', 'hotline_assignments_pkey', [
    'region_code',
    'ticket_id',
    'round',
    'department_id',
  ]),
  foreignKey(
    'hotline_attachments',
    'hotline_attachments_ticket_id_fkey',
    ['region_code', 'ticket_id'],
    'hotline_tickets',
    ['region_code', 'id'],
  ),
  primaryKey('hotline_attachments', 'hotline_attachments_pkey', ['region_code', 'id']),
  foreignKey(
    'hotline_events',
    'hotline_events_ticket_id_fkey',
    ['region_code', 'ticket_id'],
    'hotline_tickets',
    ['region_code', 'id'],
  ),
  primaryKey('hotline_events', 'hotline_events_pkey', ['region_code', 'id']),
  foreignKey(
    'hotline_extensions',
    'hotline_extensions_ticket_id_fkey',
    ['region_code', 'ticket_id'],
    'hotline_tickets',
    ['region_code', 'id'],
  ),
  uniqueKey('hotline_extensions', 'hotline_extensions_pending_idx', ['region_code', 'ticket_id']),
  primaryKey('hotline_extensions', 'hotline_extensions_pkey', ['region_code', 'id']),
  dropForeignKey(
    'hotline_tickets',
    'hotline_tickets_related_ticket_id_fkey',
    'a duplicate or repeat complaint may have been filed in another region; the link is checked in code',
  ),
  globalKey('hotline_tickets', 'hotline_tickets_number_key', ['region_code', 'number']),
  primaryKey('hotline_tickets', 'hotline_tickets_pkey', ['region_code', 'id']),
  globalKey('hotline_tickets', 'hotline_tickets_track_code_key', ['region_code', 'track_code']),
  foreignKey(
    'inspection_events',
    'inspection_events_inspection_id_fkey',
    ['region_code', 'inspection_id'],
    'inspections',
    ['region_code', 'id'],
  ),
  primaryKey('inspection_events', 'inspection_events_pkey', ['region_code', 'id']),
  globalKey('inspection_plans', 'inspection_plans_number_key', ['region_code', 'number']),
  primaryKey('inspection_plans', 'inspection_plans_pkey', ['region_code', 'id']),
  globalKey('inspections', 'inspections_number_key', ['region_code', 'number']),
  primaryKey('inspections', 'inspections_pkey', ['region_code', 'id']),
  primaryKey('ledger_documents', 'ledger_documents_pkey', ['region_code', 'key']),
  foreignKey(
    'ledger_reports',
    'ledger_reports_task_id_fkey',
    ['region_code', 'task_id'],
    'ledger_tasks',
    ['region_code', 'id'],
  ),
  uniqueKey('ledger_reports', 'ledger_reports_idempotency_key_key', [
    'region_code',
    'idempotency_key',
  ]),
  primaryKey('ledger_reports', 'ledger_reports_pkey', ['region_code', 'id']),
  uniqueKey('ledger_reports', 'ledger_reports_task_id_unit_name_period_key', [
    'region_code',
    'task_id',
    'unit_name',
    'period',
  ]),
  foreignKey(
    'ledger_task_units',
    'ledger_task_units_task_id_fkey',
    ['region_code', 'task_id'],
    'ledger_tasks',
    ['region_code', 'id'],
  ),
  primaryKey('ledger_task_units', 'ledger_task_units_pkey', [
    'region_code',
    'task_id',
    'unit_name',
  ]),
  foreignKey(
    'ledger_tasks',
    'ledger_tasks_document_key_fkey',
    ['region_code', 'document_key'],
    'ledger_documents',
    ['region_code', 'key'],
  ),
  primaryKey('ledger_tasks', 'ledger_tasks_pkey', ['region_code', 'id']),
  foreignKey(
    'licence_events',
    'licence_events_licence_id_fkey',
    ['region_code', 'licence_id'],
    'licences',
    ['region_code', 'id'],
  ),
  primaryKey('licence_events', 'licence_events_pkey', ['region_code', 'id']),
  foreignKey(
    'licence_share_views',
    'licence_share_views_share_id_fkey',
    ['region_code', 'share_id'],
    'licence_shares',
    ['region_code', 'id'],
  ),
  primaryKey('licence_share_views', 'licence_share_views_pkey', ['region_code', 'id']),
  foreignKey(
    'licence_shares',
    'licence_shares_licence_id_fkey',
    ['region_code', 'licence_id'],
    'licences',
    ['region_code', 'id'],
  ),
  primaryKey('licence_shares', 'licence_shares_pkey', ['region_code', 'id']),
  globalKey('licence_shares', 'licence_shares_token_hash_key', ['region_code', 'token_hash']),
  foreignKey(
    'licence_uses',
    'licence_uses_application_id_fkey',
    ['region_code', 'application_id'],
    'applications',
    ['region_code', 'id'],
  ),
  foreignKey(
    'licence_uses',
    'licence_uses_licence_id_fkey',
    ['region_code', 'licence_id'],
    'licences',
    ['region_code', 'id'],
  ),
  primaryKey('licence_uses', 'licence_uses_pkey', ['region_code', 'id']),
  foreignKey('licences', 'licences_replaced_by_fkey', ['region_code', 'replaced_by'], 'licences', [
    'region_code',
    'id',
  ]),
  globalKey('licences', 'licences_identifier_key', ['region_code', 'identifier']),
  primaryKey('licences', 'licences_pkey', ['region_code', 'id']),
  uniqueKey('licences', 'licences_source_case_id_key', ['region_code', 'source_case_id']),
  primaryKey('messages', 'messages_pkey', ['user_id', 'id']),
  foreignKey(
    'policy_grant_ledger',
    'policy_grant_ledger_grant_id_fkey',
    ['region_code', 'grant_id'],
    'policy_grants',
    ['region_code', 'id'],
  ),
  primaryKey('policy_grant_ledger', 'policy_grant_ledger_pkey', ['region_code', 'id']),
  globalKey('policy_grants', 'policy_grants_number_key', ['region_code', 'number']),
  primaryKey('policy_grants', 'policy_grants_pkey', ['region_code', 'id']),
  uniqueKey('policy_grants', 'policy_grants_policy_id_subject_id_key', [
    'region_code',
    'policy_id',
    'subject_id',
  ]),
  uniqueKey('rateable_services', 'rateable_services_kind_target_id_key', [
    'region_code',
    'kind',
    'target_id',
  ]),
  primaryKey('rateable_services', 'rateable_services_pkey', ['region_code', 'id']),
  foreignKey(
    'ratings',
    'ratings_service_id_fkey',
    ['region_code', 'service_id'],
    'rateable_services',
    ['region_code', 'id'],
  ),
  uniqueKey('ratings', 'ratings_one_anonymous_idx', ['region_code', 'service_id']),
  primaryKey('ratings', 'ratings_pkey', ['region_code', 'id']),
  uniqueKey('ratings', 'ratings_service_id_rater_subject_id_key', [
    'region_code',
    'service_id',
    'rater_subject_id',
  ]),
  foreignKey(
    'rectification_events',
    'rectification_events_rectification_id_fkey',
    ['region_code', 'rectification_id'],
    'rectifications',
    ['region_code', 'id'],
  ),
  primaryKey('rectification_events', 'rectification_events_pkey', ['region_code', 'id']),
  foreignKey(
    'rectifications',
    'rectifications_rating_id_fkey',
    ['region_code', 'rating_id'],
    'ratings',
    ['region_code', 'id'],
  ),
  primaryKey('rectifications', 'rectifications_pkey', ['region_code', 'id']),
  uniqueKey('rectifications', 'rectifications_rating_id_key', ['region_code', 'rating_id']),
  primaryKey('window_visits', 'window_visits_pkey', ['region_code', 'id']),
  globalKey('window_visits', 'window_visits_token_hash_key', ['region_code', 'token_hash']),
];

/** Sequences and what each needs on a distributed engine (see docs/scale-out.md). */
export const SEQUENCES: Readonly<Record<string, string>> = {
  application_number_seq: 'application numbers: one coordinator sequence, unique across regions',
  application_notice_number_seq: 'notice numbers: one coordinator sequence',
  hotline_ticket_number_seq: 'ticket numbers: one coordinator sequence',
  licence_serial_seq: 'licence serials: one coordinator sequence',
  application_events_id_seq: 'identity of an event table: unique, ordered per shard only',
  case_events_id_seq: 'identity of an event table: unique, ordered per shard only',
  hotline_events_id_seq: 'identity of an event table: unique, ordered per shard only',
  inspection_events_id_seq: 'identity of an event table: unique, ordered per shard only',
  policy_grant_ledger_id_seq: 'identity of the grant ledger: unique, ordered per shard only',
  audit_log_seq_seq: 'order of the whole audit log; the chains are gapless per lane, not by it',
};

// ------------------------------------------------------------------------------------------------
// The catalog as the rules need it
// ------------------------------------------------------------------------------------------------

/** A primary key, unique constraint or unique index (partial ones included). */
export interface UniqueKey {
  table: string;
  name: string;
  columns: string[];
}

/** A foreign key and the columns it pairs. */
export interface ForeignKey {
  table: string;
  name: string;
  columns: string[];
  references: string;
  referencedColumns: string[];
}

/** What the rules read from a database catalog. */
export interface SchemaCatalog {
  /** table → its columns and whether each is NOT NULL */
  tables: Record<string, Record<string, { notNull: boolean }>>;
  uniqueKeys: UniqueKey[];
  foreignKeys: ForeignKey[];
  sequences: string[];
}

/** Reads the tables, keys and sequences of the current schema from pg_catalog. */
export async function readSchemaCatalog(db: Kdb): Promise<SchemaCatalog> {
  const columns = await sql<{ table: string; column: string; notNull: boolean }>`
    select c.relname as table, a.attname as column, a.attnotnull as "notNull"
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where n.nspname = current_schema() and c.relkind in ('r', 'p')`.execute(db);
  const unique = await sql<{ table: string; name: string; columns: string[] }>`
    select t.relname as table, ic.relname as name,
      array(
        select a.attname from unnest(i.indkey::int2[]) with ordinality as k(attnum, ord)
        join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
        order by k.ord
      )::text[] as columns
    from pg_index i
    join pg_class ic on ic.oid = i.indexrelid
    join pg_class t on t.oid = i.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = current_schema() and i.indisunique`.execute(db);
  const foreign = await sql<{
    table: string;
    name: string;
    columns: string[];
    references: string;
    referencedColumns: string[];
  }>`
    select t.relname as table, c.conname as name, f.relname as references,
      array(
        select a.attname from unnest(c.conkey) with ordinality as k(attnum, ord)
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
        order by k.ord
      )::text[] as columns,
      array(
        select a.attname from unnest(c.confkey) with ordinality as k(attnum, ord)
        join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum
        order by k.ord
      )::text[] as "referencedColumns"
    from pg_constraint c
    join pg_class t on t.oid = c.conrelid
    join pg_class f on f.oid = c.confrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = current_schema() and c.contype = 'f'`.execute(db);
  const sequences = await sql<{ name: string }>`
    select c.relname as name from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind = 'S'`.execute(db);
  const tables: SchemaCatalog['tables'] = {};
  for (const row of columns.rows) {
    (tables[row.table] ??= {})[row.column] = { notNull: row.notNull };
  }
  return {
    tables,
    uniqueKeys: unique.rows,
    foreignKeys: foreign.rows,
    sequences: sequences.rows.map((r) => r.name).sort(),
  };
}

// ------------------------------------------------------------------------------------------------
// The rules
// ------------------------------------------------------------------------------------------------

/** Tables in the catalog but not in the plan, and in the plan but not in the catalog. */
export function planCoverage(
  catalog: SchemaCatalog,
  plan: Readonly<Record<string, TablePlacement>>,
): { unplanned: string[]; missing: string[] } {
  const inCatalog = Object.keys(catalog.tables);
  return {
    unplanned: inCatalog.filter((t) => !(t in plan)).sort(),
    missing: Object.keys(plan)
      .filter((t) => !(t in catalog.tables))
      .sort(),
  };
}

/**
 * Whether a foreign key between two distributed tables keeps to one node: both tables in the same
 * colocation group and the key pairing the referencing table's distribution column with the
 * referenced table's.
 */
function colocated(
  fk: ForeignKey,
  from: Extract<TablePlacement, { kind: 'distributed' }>,
  to: Extract<TablePlacement, { kind: 'distributed' }>,
): boolean {
  if (from.group !== to.group) return false;
  return fk.columns.some((c, i) => c === from.column && fk.referencedColumns[i] === to.column);
}

/** Every place the catalog breaks a rule of a distributed engine under `plan`, sorted. */
export function distributionViolations(
  catalog: SchemaCatalog,
  plan: Readonly<Record<string, TablePlacement>>,
): Violation[] {
  const found: Violation[] = [];
  for (const [table, placement] of Object.entries(plan)) {
    if (placement.kind !== 'distributed' || !catalog.tables[table]) continue;
    if (!catalog.tables[table][placement.column]?.notNull) {
      found.push({ rule: 'missing-distribution-column', table, name: placement.column });
    }
  }
  for (const key of catalog.uniqueKeys) {
    const placement = plan[key.table];
    if (placement?.kind === 'distributed' && !key.columns.includes(placement.column)) {
      found.push({ rule: 'unique-without-distribution-column', table: key.table, name: key.name });
    }
  }
  for (const fk of catalog.foreignKeys) {
    const from = plan[fk.table];
    const to = plan[fk.references];
    if (!from || !to) continue;
    const violation = (rule: Rule) => found.push({ rule, table: fk.table, name: fk.name });
    if (from.kind === 'distributed' && to.kind === 'distributed') {
      if (!colocated(fk, from, to)) violation('foreign-key-not-colocated');
    } else if (from.kind !== 'distributed' && to.kind === 'distributed') {
      violation('foreign-key-to-distributed');
    } else if (from.kind === 'distributed' && to.kind === 'local') {
      violation('foreign-key-to-local');
    }
  }
  return found.sort(compareViolations);
}

/** Orders violations by table, rule and name, so that lists compare as sets. */
export function compareViolations(a: Violation, b: Violation): number {
  return (
    a.table.localeCompare(b.table) || a.rule.localeCompare(b.rule) || a.name.localeCompare(b.name)
  );
}
