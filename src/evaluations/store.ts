// SQL of 好差评: rateable services, window visits, ratings, rectifications and their events.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Kdb, Tx } from '../platform/db/database';
import type {
  RateableServicesTable,
  RatingsTable,
  RectificationEventsTable,
  RectificationsTable,
  WindowVisitsTable,
} from '../platform/db/schema';

type Db = Kdb | Tx;

export type ServiceRow = Selectable<RateableServicesTable>;
export type RatingRow = Selectable<RatingsTable>;
export type RectificationRow = Selectable<RectificationsTable>;
export type VisitRow = Selectable<WindowVisitsTable>;

/** Records a rateable service once per target; returns it (the existing one on a repeat). */
export async function insertService(
  trx: Tx,
  row: Insertable<RateableServicesTable>,
): Promise<{ row: ServiceRow; created: boolean }> {
  const inserted = await trx
    .insertInto('rateableServices')
    .values(row)
    .onConflict((oc) => oc.columns(['kind', 'targetId']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, created: true };
  const existing = await trx
    .selectFrom('rateableServices')
    .selectAll()
    .where('kind', '=', row.kind)
    .where('targetId', '=', row.targetId)
    .executeTakeFirstOrThrow();
  return { row: existing, created: false };
}

export function findService(db: Db, id: string) {
  return db.selectFrom('rateableServices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A subject's services, newest first, each with the subject's rating and its rectification. */
export async function servicesOf(
  db: Db,
  subjectId: string,
  filter: { number?: string; limit: number; offset: number },
) {
  let query = db.selectFrom('rateableServices').where('subjectId', '=', subjectId);
  if (filter.number) query = query.where('number', '=', filter.number);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('completedAt', 'desc')
      .orderBy('kind')
      .orderBy('id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The ratings of services by a rater (null: anonymous), by service id. */
export async function ratingsOf(
  db: Db,
  serviceIds: readonly string[],
  raterSubjectId: string | null,
): Promise<Map<string, RatingRow>> {
  if (serviceIds.length === 0) return new Map();
  let query = db
    .selectFrom('ratings')
    .selectAll()
    .where('serviceId', 'in', [...serviceIds]);
  query =
    raterSubjectId === null
      ? query.where('raterSubjectId', 'is', null)
      : query.where('raterSubjectId', '=', raterSubjectId);
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.serviceId, r]));
}

/** Inserts a rating; null when the rater rated the service already (one per rater per service). */
export async function insertRating(trx: Tx, row: Insertable<RatingsTable>) {
  // the anonymous one-per-service rule is a partial unique index: conflicts on either are refusals
  const existing = await trx
    .selectFrom('ratings')
    .select('id')
    .where('serviceId', '=', row.serviceId)
    .where((eb) =>
      row.raterSubjectId
        ? eb('raterSubjectId', '=', row.raterSubjectId)
        : eb('raterSubjectId', 'is', null),
    )
    .executeTakeFirst();
  if (existing) return null;
  return trx
    .insertInto('ratings')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst()
    .then((r) => r ?? null);
}

export function findRating(db: Db, id: string) {
  return db.selectFrom('ratings').selectAll().where('id', '=', id).executeTakeFirst();
}

export function flagRating(trx: Tx, id: string, note: string) {
  return trx
    .updateTable('ratings')
    .set({ flagged: true, flagNote: note })
    .where('id', '=', id)
    .execute();
}

export async function insertRectification(trx: Tx, row: Insertable<RectificationsTable>) {
  return trx.insertInto('rectifications').values(row).returningAll().executeTakeFirstOrThrow();
}

export function rectificationsOfRatings(db: Db, ratingIds: readonly string[]) {
  if (ratingIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('rectifications')
    .selectAll()
    .where('ratingId', 'in', [...ratingIds])
    .execute();
}

export function findRectification(db: Db, id: string) {
  return db.selectFrom('rectifications').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockRectification(trx: Tx, id: string) {
  return trx
    .selectFrom('rectifications')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function updateRectification(
  trx: Tx,
  id: string,
  patch: Updateable<RectificationsTable>,
): Promise<RectificationRow> {
  return trx
    .updateTable('rectifications')
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertRectificationEvent(
  trx: Tx,
  row: Insertable<RectificationEventsTable>,
): Promise<void> {
  await trx.insertInto('rectificationEvents').values(row).execute();
}

export function rectificationEventsOf(db: Db, id: string) {
  return db
    .selectFrom('rectificationEvents')
    .select(['action', 'actorName', 'note', 'at'])
    .where('rectificationId', '=', id)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** The queue of rectifications: of departments and/or regions, by state, earliest due first. */
export async function listRectifications(
  db: Db,
  filter: {
    departmentCode?: string;
    regions?: readonly string[];
    state?: string;
    limit: number;
    offset: number;
  },
) {
  let query = db.selectFrom('rectifications');
  if (filter.departmentCode) query = query.where('departmentCode', '=', filter.departmentCode);
  if (filter.regions) query = query.where('regionCode', 'in', [...filter.regions]);
  if (filter.state) query = query.where('state', '=', filter.state as RectificationRow['state']);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('dueAt')
      .orderBy('id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export function ratingsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('ratings')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

export function servicesByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('rateableServices')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

export async function insertVisit(trx: Tx, row: Insertable<WindowVisitsTable>) {
  await trx.insertInto('windowVisits').values(row).execute();
}

export function findVisitByTokenHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('windowVisits')
    .innerJoin('users', 'users.id', 'windowVisits.clerkId')
    .innerJoin('departments', 'departments.code', 'windowVisits.departmentCode')
    .select([
      'windowVisits.id',
      'windowVisits.regionCode',
      'windowVisits.clerkId',
      'windowVisits.departmentCode',
      'windowVisits.windowCode',
      'windowVisits.applicationNumber',
      'windowVisits.startedAt',
      'windowVisits.expiresAt',
      'users.displayName as clerkName',
      'departments.nameZh as departmentZh',
      'departments.nameEn as departmentEn',
    ])
    .where('windowVisits.tokenHash', '=', tokenHash)
    .executeTakeFirst();
}

/** A staff member's department code and display name. */
export function staffCard(db: Db, userId: string) {
  return db
    .selectFrom('users')
    .leftJoin('departments', 'departments.id', 'users.departmentId')
    .select(['users.displayName', 'departments.code as departmentCode'])
    .where('users.id', '=', userId)
    .executeTakeFirst();
}

/** Names of departments by code. */
export async function departmentNames(db: Db): Promise<Map<string, { zh: string; en: string }>> {
  const rows = await db.selectFrom('departments').select(['code', 'nameZh', 'nameEn']).execute();
  return new Map(rows.map((r) => [r.code, { zh: r.nameZh, en: r.nameEn }]));
}
