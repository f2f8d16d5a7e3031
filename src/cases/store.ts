import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import {
  currentSealPattern,
  jsonNeedsSealing,
  lookupForms,
  open,
  openJson,
  openOptional,
  reseal,
  resealJson,
  resealLookup,
  seal,
  sealColumnsInBatches,
  sealInBatches,
  sealJson,
  sealOptional,
  sealSubjectIdentifier,
  textNeedsSealing,
  type SealOutcome,
} from '../platform/crypto';
import type { Kdb, Tx } from '../platform/db/database';
import type {
  ApplicationMembersTable,
  ApplicationNoticesTable,
  ApplicationsTable,
  ApplicationUploadsTable,
} from '../platform/db/schema';
import type { ApplicationStatus, NoticeKind } from './model';

// The SQL of applications and their intake. Functions take `db` or a transaction first; those that
// lock rows or must write together demand a `Tx`.

type Reader = Kdb | Tx;

/** An application row as stored. */
export type ApplicationRow = Selectable<ApplicationsTable>;

/** An upload without its bytes. */
export type UploadMeta = Omit<Selectable<ApplicationUploadsTable>, 'content'>;

const UPLOAD_META = [
  'id',
  'applicationId',
  'regionCode',
  'materialKey',
  'filename',
  'contentType',
  'size',
  'sha256',
  'uploadedBy',
  'uploadedAt',
  'removedAt',
  'removedBy',
] as const;

// ------------------------------------------------------------------------------------------------
// Applications
// ------------------------------------------------------------------------------------------------

/** The columns of a new application, as the use case prepares them (JSON already serialised). */
export type NewApplication = Omit<Insertable<ApplicationsTable>, 'number'> & {
  numberPrefix: string;
};

const JSON_COLUMNS = [
  'applicant',
  'consent',
  'answers',
  'data',
  'pledges',
  'snapshot',
  'deficiency',
  'correction',
  'refusal',
] as const;

// The applicant in an application's JSON is personal data sealed at rest (SM4): a person's resident
// ID number deterministically (like `subjects.identifier`), the mobile and address with a random
// IV. Every application row this store returns has them opened; the name stays plain (it is
// searched, and shown in every queue).

/** The applicant JSON as stored: identifier (a person's), mobile and address sealed. */
export function sealApplicant(applicant: unknown): unknown {
  if (!applicant || typeof applicant !== 'object') return applicant;
  const a = applicant as Record<string, unknown>;
  // Always sealed, even text that looks sealed: an address typed as `sm4:1:…` must not be stored
  // as if it were a sealed value (reading it would fail).
  const sealText = (value: unknown) => (typeof value === 'string' ? seal(value) : value);
  return {
    ...a,
    ...(typeof a.identifier === 'string'
      ? { identifier: sealSubjectIdentifier(String(a.kind), a.identifier) }
      : {}),
    ...('mobile' in a ? { mobile: sealText(a.mobile) } : {}),
    ...('address' in a ? { address: sealText(a.address) } : {}),
  };
}

/** The applicant JSON as read: sealed values opened (plain ones stored before sealing pass). */
export function openApplicant(applicant: unknown): unknown {
  if (!applicant || typeof applicant !== 'object') return applicant;
  const a = applicant as Record<string, unknown>;
  const openText = (value: unknown) => (typeof value === 'string' ? open(value) : value);
  return {
    ...a,
    ...('identifier' in a ? { identifier: openText(a.identifier) } : {}),
    ...('mobile' in a ? { mobile: openText(a.mobile) } : {}),
    ...('address' in a ? { address: openText(a.address) } : {}),
  };
}

// The form answers and data repeat the applicant's and others' ID numbers, mobiles and addresses:
// each is sealed as a whole (random IV) and stored as a JSON string `"sm4:1:…"`; no SQL reads
// inside them. A JSON value that is not a sealed string (stored before sealing) reads as is.
const SEALED_WHOLE = ['answers', 'data'] as const;

/** An application row with its applicant, answers and data opened. */
function opened<T extends { applicant: unknown; answers: unknown; data: unknown }>(row: T): T;
function opened<T extends { applicant: unknown; answers: unknown; data: unknown }>(
  row: T | undefined,
): T | undefined;
function opened<T extends { applicant: unknown; answers: unknown; data: unknown }>(
  row: T | undefined,
): T | undefined {
  return (
    row && {
      ...row,
      applicant: openApplicant(row.applicant),
      answers: openJson(row.answers),
      data: openJson(row.data),
    }
  );
}

/** A new application's columns with its JSON columns serialised for the insert. */
export function newApplication(
  row: Omit<ApplicationRow, 'number'>,
  numberPrefix: string,
): NewApplication {
  const out: Record<string, unknown> = { ...row, numberPrefix };
  for (const column of JSON_COLUMNS) {
    const value = column === 'applicant' ? sealApplicant(row[column]) : row[column];
    const json = value === null ? null : JSON.stringify(value);
    out[column] =
      json !== null && (SEALED_WHOLE as readonly string[]).includes(column) ? sealJson(json) : json;
  }
  return out as NewApplication;
}

/**
 * Inserts an application; its number is the given prefix and the next value of the number sequence
 * (five digits, more when the sequence outgrows them). Only the number comes back: the large JSON
 * columns are not read back and parsed again.
 */
export async function insertApplication(
  trx: Tx,
  row: NewApplication,
): Promise<{ id: string; number: string }> {
  const { numberPrefix, ...values } = row;
  return trx
    .insertInto('applications')
    .values({
      ...values,
      number: sql<string>`${numberPrefix} || lpad(nextval('application_number_seq')::text, 5, '0')`,
    })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();
}

/** One application. */
export async function findApplication(db: Reader, id: string) {
  return opened(
    await db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst(),
  );
}

/** One application by the token of its public status page. */
export async function findByPublicToken(db: Reader, token: string) {
  return opened(
    await db
      .selectFrom('applications')
      .selectAll()
      .where('publicToken', '=', token)
      .executeTakeFirst(),
  );
}

/** Locks an application's row for the rest of the transaction (one decision at a time). */
export async function lockApplication(trx: Tx, id: string) {
  return opened(
    await trx
      .selectFrom('applications')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst(),
  );
}

/** Columns of an application that a use case may change. */
export type ApplicationPatch = Updateable<ApplicationsTable>;

/** Writes changed columns of a locked application. */
export async function updateApplication(
  trx: Tx,
  id: string,
  patch: Updateable<ApplicationsTable>,
): Promise<ApplicationRow> {
  const set = { ...patch };
  if (typeof patch.applicant === 'string') {
    set.applicant = JSON.stringify(sealApplicant(JSON.parse(patch.applicant)));
  }
  for (const column of SEALED_WHOLE) {
    const json = patch[column];
    if (typeof json === 'string') set[column] = sealJson(json);
  }
  return opened(
    await trx
      .updateTable('applications')
      .set(set)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

/** Filters of the application lists. */
export interface ApplicationFilter {
  status?: ApplicationStatus;
  bundle?: string;
  q?: string;
  limit: number;
  offset: number;
}

/** Who is listing: an applicant sees their subject's; staff see regions (and own assisted drafts). */
export type ListScope =
  | { kind: 'subject'; subjectId: string }
  | { kind: 'regions'; regions: readonly string[] | 'all'; userId: string };

/** A page of applications and the total, for the given scope and filter. */
export async function listApplications(db: Reader, scope: ListScope, filter: ApplicationFilter) {
  let query = db.selectFrom('applications as a').leftJoin('users as u', 'u.id', 'a.assistedBy');
  if (scope.kind === 'subject') {
    query = query.where('a.subjectId', '=', scope.subjectId);
  } else {
    const regions = scope.regions;
    query = query.where((eb) =>
      eb.or([
        eb.and([
          eb('a.status', '<>', 'draft'),
          ...(regions === 'all'
            ? []
            : [eb('a.regionCode', 'in', regions.length > 0 ? [...regions] : [''])]),
        ]),
        eb('a.assistedBy', '=', scope.userId),
      ]),
    );
  }
  if (filter.status) query = query.where('a.status', '=', filter.status);
  if (filter.bundle) query = query.where('a.bundleCode', '=', filter.bundle);
  if (filter.q?.trim()) {
    const like = `%${filter.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('a.number', 'ilike', like), eb('a.applicantName', 'ilike', like)]),
    );
  }
  const total = await query
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  let page = query.selectAll('a').select('u.displayName as assistedByName');
  page =
    scope.kind === 'subject'
      ? page.orderBy('a.updatedAt', 'desc')
      : page.orderBy(sql`a.submitted_at asc nulls last`).orderBy('a.createdAt', 'asc');
  const rows = await page.orderBy('a.id').limit(filter.limit).offset(filter.offset).execute();
  return { rows: rows.map((row) => opened(row)), total: Number(total.n) };
}

// ------------------------------------------------------------------------------------------------
// Idempotency keys
// ------------------------------------------------------------------------------------------------

/**
 * Claims an idempotency key for an application about to be created. Returns false when the key is
 * taken — if another transaction holds it, this waits for that one to end, so two racing requests
 * can never both create (the unique key decides, not a check before the insert).
 */
export async function claimIdempotencyKey(
  trx: Tx,
  row: { userId: string; key: string; requestHash: string; applicationId: string; at: Date },
): Promise<boolean> {
  const inserted = await trx
    .insertInto('applicationRequests')
    .values({
      userId: row.userId,
      idempotencyKey: row.key,
      requestHash: row.requestHash,
      applicationId: row.applicationId,
      createdAt: row.at,
    })
    .onConflict((oc) => oc.columns(['userId', 'idempotencyKey']).doNothing())
    .returning('applicationId')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The request that first used a key. */
export function findIdempotencyKey(db: Reader, userId: string, key: string) {
  return db
    .selectFrom('applicationRequests')
    .select(['requestHash', 'applicationId'])
    .where('userId', '=', userId)
    .where('idempotencyKey', '=', key)
    .executeTakeFirst();
}

// ------------------------------------------------------------------------------------------------
// Uploads
// ------------------------------------------------------------------------------------------------

/** Stores an uploaded file. */
export async function insertUpload(trx: Tx, row: Insertable<ApplicationUploadsTable>) {
  await trx.insertInto('applicationUploads').values(row).execute();
}

/** The current uploads of applications (not removed), without their bytes, oldest first. */
export function listUploads(db: Reader, applicationIds: readonly string[]): Promise<UploadMeta[]> {
  if (applicationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('applicationUploads')
    .select(UPLOAD_META)
    .where('applicationId', 'in', [...applicationIds])
    .where('removedAt', 'is', null)
    .orderBy('uploadedAt')
    .orderBy('id')
    .execute();
}

/** One current upload of an application with its bytes. */
export function findUploadContent(db: Reader, applicationId: string, uploadId: string) {
  return db
    .selectFrom('applicationUploads')
    .select([...UPLOAD_META, 'content'])
    .where('applicationId', '=', applicationId)
    .where('id', '=', uploadId)
    .where('removedAt', 'is', null)
    .executeTakeFirst();
}

/** Marks an upload removed (the bytes stay as evidence); false when there was none. */
export async function removeUpload(
  trx: Tx,
  applicationId: string,
  uploadId: string,
  by: string,
  at: Date,
): Promise<UploadMeta | undefined> {
  return trx
    .updateTable('applicationUploads')
    .set({ removedAt: at, removedBy: by })
    .where('applicationId', '=', applicationId)
    .where('id', '=', uploadId)
    .where('removedAt', 'is', null)
    .returning(UPLOAD_META)
    .executeTakeFirst();
}

// ------------------------------------------------------------------------------------------------
// Events, notices, members
// ------------------------------------------------------------------------------------------------

/** One event to append. */
export interface NewEvent {
  action: string;
  actorId: string | null;
  actorName: string;
  actorRole: string | null;
  note?: string | null;
}

/** Appends events of an application in order, all at one instant. */
export async function appendEvents(
  trx: Tx,
  app: { id: string; regionCode: string },
  at: Date,
  events: readonly NewEvent[],
) {
  if (events.length === 0) return;
  await trx
    .insertInto('applicationEvents')
    .values(
      events.map((e) => ({
        applicationId: app.id,
        regionCode: app.regionCode,
        at,
        action: e.action,
        actorId: e.actorId,
        actorName: e.actorName,
        actorRole: e.actorRole,
        note: e.note ?? null,
      })),
    )
    .execute();
}

/** The events of applications, in order. */
export function listEvents(db: Reader, applicationId: string) {
  return db
    .selectFrom('applicationEvents')
    .select(['at', 'action', 'actorName', 'actorRole', 'note'])
    .where('applicationId', '=', applicationId)
    .orderBy('id')
    .execute();
}

/** Issues a notice; its number is the prefix and the next value of the notice sequence. */
export async function insertNotice(
  trx: Tx,
  row: Omit<Insertable<ApplicationNoticesTable>, 'number'> & { numberPrefix: string },
) {
  const { numberPrefix, ...values } = row;
  return trx
    .insertInto('applicationNotices')
    .values({
      ...values,
      number: sql<string>`${numberPrefix} || lpad(nextval('application_notice_number_seq')::text, 5, '0')`,
    })
    .returning(['id', 'kind', 'number', 'issuedAt'])
    .executeTakeFirstOrThrow();
}

/** The notices of an application, oldest first, without their facts. */
export function listNotices(db: Reader, applicationId: string) {
  return (
    db
      .selectFrom('applicationNotices')
      .select(['id', 'kind', 'number', 'issuedAt'])
      .where('applicationId', '=', applicationId)
      .orderBy('issuedAt')
      // the result notice of an application completed at once follows its acceptance notice
      .orderBy(sql`case when kind = 'result' then 1 else 0 end`)
      .orderBy('number')
      .execute()
  );
}

/** One notice of an application with its facts. */
export function findNotice(db: Reader, applicationId: string, noticeId: string) {
  return db
    .selectFrom('applicationNotices')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .where('id', '=', noticeId)
    .executeTakeFirst();
}

// A member's copy of the form (its answers and its share of the data) repeats the applicant's
// personal data: sealed whole like the application's own answers and data.

/** Records the members of an accepted application (what department cases start from). */
export async function insertMembers(trx: Tx, rows: Insertable<ApplicationMembersTable>[]) {
  if (rows.length === 0) return;
  await trx
    .insertInto('applicationMembers')
    .values(
      rows.map((row) => ({ ...row, answers: sealJson(row.answers), data: sealJson(row.data) })),
    )
    .execute();
}

/** The members of an application, their answers and data opened, in member order. */
export async function membersOf(db: Reader, applicationId: string) {
  const rows = await db
    .selectFrom('applicationMembers')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .orderBy('memberKey')
    .execute();
  return rows.map((row) => ({ ...row, answers: openJson(row.answers), data: openJson(row.data) }));
}

/** Kind of notice as stored. */
export type StoredNoticeKind = NoticeKind;

// ------------------------------------------------------------------------------------------------
// Subjects, staff, regions (platform directory reads the intake needs)
// ------------------------------------------------------------------------------------------------

// A subject's mobile is sealed at rest (SM4, src/platform/crypto); reads open it, and values stored
// before sealing pass through. A person's resident ID number is sealed deterministically, found by
// any of its stored forms (`lookupForms`) and opened in every result by the database layer.

/** A subject by id. */
export async function findSubject(db: Reader, id: string) {
  const row = await db
    .selectFrom('subjects')
    .select(['id', 'kind', 'name', 'identifier', 'regionCode', 'mobile'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { ...row, mobile: openOptional(row.mobile) };
}

/** A subject by its identifier (resident ID or USCC). */
export async function findSubjectByIdentifier(db: Reader, identifier: string) {
  const row = await db
    .selectFrom('subjects')
    .select(['id', 'kind', 'name', 'identifier', 'regionCode', 'mobile'])
    .where('identifier', 'in', lookupForms(identifier))
    .executeTakeFirst();
  return row && { ...row, mobile: openOptional(row.mobile) };
}

/**
 * Seals people's resident ID numbers and subjects' mobiles stored in the clear (written before
 * sealing) or sealed under an earlier data key (ONETHING_DATA_KEY_PREVIOUS), a batch at a time in
 * id order. Safe on every start and from several servers (`for update skip locked`). A row whose
 * new sealed ID another row already holds (a registration racing the upgrade) keeps its ID as it
 * is: both are found by `lookupForms`.
 */
export async function sealSubjects(db: Kdb, batch = 500): Promise<SealOutcome> {
  const pattern = currentSealPattern();
  return sealInBatches(
    db,
    'cases.subjects',
    {
      select: (trx, after: { id: string } | null, limit) =>
        trx
          .selectFrom('subjects')
          .select(['id', 'kind', sql<string>`identifier`.as('storedIdentifier'), 'mobile'])
          .where((eb) =>
            eb.or([
              eb.and([eb('kind', '=', 'person'), textNeedsSealing('identifier', pattern)]),
              textNeedsSealing('mobile', pattern),
            ]),
          )
          .$if(after !== null, (q) => q.where('id', '>', after!.id))
          .orderBy('id')
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .execute(),
      write: async (trx, row) => {
        const set: { identifier?: string; mobile?: string | null } = {};
        if (row.mobile !== null) set.mobile = reseal(row.mobile);
        if (row.kind === 'person') {
          const identifier = resealLookup(row.storedIdentifier);
          const taken = await trx
            .selectFrom('subjects')
            .select('id')
            .where('identifier', '=', identifier)
            .executeTakeFirst();
          if (!taken) set.identifier = identifier;
        }
        if (Object.keys(set).length === 0) return false;
        await trx.updateTable('subjects').set(set).where('id', '=', row.id).execute();
        return true;
      },
    },
    batch,
  );
}

/**
 * Seals applications' applicant, answers and data, members' copies of the form and department
 * cases' inputs stored plain or under an earlier data key, a batch at a time (see `sealSubjects`).
 */
export async function sealApplicationForms(db: Kdb, batch = 500): Promise<SealOutcome> {
  const pattern = currentSealPattern();
  const applications = await sealInBatches(
    db,
    'cases.applications',
    {
      select: (trx, after: { id: string } | null, limit) =>
        trx
          .selectFrom('applications')
          .select(['id', 'applicant', 'answers', 'data'])
          .where((eb) =>
            eb.or([
              jsonNeedsSealing('answers', pattern),
              jsonNeedsSealing('data', pattern),
              sql<boolean>`(applicant->>'kind' = 'person' and applicant->>'identifier' not like ${pattern})`,
              sql<boolean>`(jsonb_typeof(applicant->'mobile') = 'string' and applicant->>'mobile' not like ${pattern})`,
              sql<boolean>`(jsonb_typeof(applicant->'address') = 'string' and applicant->>'address' not like ${pattern})`,
            ]),
          )
          .$if(after !== null, (q) => q.where('id', '>', after!.id))
          .orderBy('id')
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .execute(),
      write: async (trx, row) => {
        await trx
          .updateTable('applications')
          .set({
            applicant: JSON.stringify(sealApplicant(openApplicant(row.applicant))),
            answers: resealJson(row.answers) ?? 'null',
            data: resealJson(row.data) ?? 'null',
          })
          .where('id', '=', row.id)
          .execute();
        return true;
      },
    },
    batch,
  );
  const members = await sealInBatches(
    db,
    'cases.members',
    {
      select: (trx, after: { applicationId: string; memberKey: string } | null, limit) =>
        trx
          .selectFrom('applicationMembers')
          .select(['applicationId', 'memberKey', 'answers', 'data'])
          .where((eb) =>
            eb.or([jsonNeedsSealing('answers', pattern), jsonNeedsSealing('data', pattern)]),
          )
          .$if(after !== null, (q) =>
            q.where(
              sql<boolean>`(application_id, member_key) > (${after!.applicationId}::uuid, ${after!.memberKey})`,
            ),
          )
          .orderBy('applicationId')
          .orderBy('memberKey')
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .execute(),
      write: async (trx, row) => {
        await trx
          .updateTable('applicationMembers')
          .set({ answers: resealJson(row.answers) ?? 'null', data: resealJson(row.data) ?? 'null' })
          .where('applicationId', '=', row.applicationId)
          .where('memberKey', '=', row.memberKey)
          .execute();
        return true;
      },
    },
    batch,
  );
  const cases = await sealColumnsInBatches(
    db,
    'cases.cases',
    { table: 'cases', key: 'id', json: ['inputs'] },
    batch,
  );
  return {
    sealed: applications.sealed + members.sealed + cases.sealed,
    refused: applications.refused + members.refused + cases.refused,
  };
}

/**
 * Links a subject by identifier or registers it; under a concurrent registration of the same
 * identifier, the unique constraint decides and the existing row is returned.
 */
export async function ensureSubject(
  trx: Tx,
  subject: {
    kind: 'person' | 'enterprise';
    name: string;
    identifier: string;
    regionCode: string;
    mobile: string | null;
  },
) {
  await trx
    .insertInto('subjects')
    .values({
      ...subject,
      identifier: sealSubjectIdentifier(subject.kind, subject.identifier),
      mobile: sealOptional(subject.mobile),
    })
    .onConflict((oc) => oc.column('identifier').doNothing())
    .execute();
  return (await findSubjectByIdentifier(trx, subject.identifier))!;
}

/** A user's name and department, for events and notices. */
export function findUserCard(db: Reader, userId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.departmentId')
    .select(['u.id', 'u.displayName', 'u.role', 'd.code as departmentCode', 'd.nameZh', 'd.nameEn'])
    .where('u.id', '=', userId)
    .executeTakeFirst();
}

/** A department's names by code. */
export function findDepartmentName(db: Reader, code: string) {
  return db
    .selectFrom('departments')
    .select(['nameZh', 'nameEn'])
    .where('code', '=', code)
    .executeTakeFirst();
}

// ------------------------------------------------------------------------------------------------
// Benchmark baseline
// ------------------------------------------------------------------------------------------------

/** The rows one automatically accepted application writes, prepared outside the transaction. */
export interface ApplicationRows {
  application: NewApplication;
  request: { userId: string; key: string; requestHash: string };
  events: NewEvent[];
  notice: Omit<Insertable<ApplicationNoticesTable>, 'number' | 'applicationId'> & {
    numberPrefix: string;
  };
  members: Omit<Insertable<ApplicationMembersTable>, 'applicationId'>[];
}

/**
 * Inserts exactly the rows of one accepted application — application, idempotency key, events,
 * acceptance notice, members — and nothing else (no reads, no rules). The benchmark's baseline;
 * the caller adds the audit entry in the same transaction as the real path does.
 */
export async function insertApplicationRows(trx: Tx, rows: ApplicationRows, at: Date) {
  const app = await insertApplication(trx, rows.application);
  await claimIdempotencyKey(trx, { ...rows.request, applicationId: app.id, at });
  await appendEvents(trx, { id: app.id, regionCode: rows.application.regionCode }, at, rows.events);
  await insertNotice(trx, { ...rows.notice, applicationId: app.id });
  await insertMembers(
    trx,
    rows.members.map((m) => ({ ...m, applicationId: app.id })),
  );
  return app;
}

/**
 * The latest approved case of each of the items for a holder's applications: the results of items
 * they completed, which other applications may take instead of a paper (免提交).
 */
export async function approvedResultsOf(
  db: Reader,
  holder: { kind: 'person' | 'enterprise'; identifier: string },
  itemCodes: readonly string[],
): Promise<{ itemCode: string; caseId: string; finishedAt: Date | null }[]> {
  if (itemCodes.length === 0) return [];
  const rows = await db
    .selectFrom('cases')
    .innerJoin('applications', 'applications.id', 'cases.applicationId')
    .innerJoin('subjects', 'subjects.id', 'applications.subjectId')
    .select(['cases.itemCode', 'cases.id as caseId', 'cases.finishedAt'])
    .where('subjects.kind', '=', holder.kind)
    .where('subjects.identifier', 'in', lookupForms(holder.identifier))
    .where('cases.itemCode', 'in', [...itemCodes])
    .where('cases.state', 'in', ['approved', 'deemed_approved'])
    .orderBy('cases.finishedAt', 'desc')
    .execute();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (!latest.has(row.itemCode)) latest.set(row.itemCode, row);
  return [...latest.values()];
}
