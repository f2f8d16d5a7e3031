import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import {
  blindIndex,
  blindIndexForms,
  currentSealPattern,
  isSealed,
  openOptional,
  seal,
  sealInBatches,
  textNeedsSealing,
  type SealOutcome,
} from '../platform/crypto';
import type { Kdb, Tx } from '../platform/db/database';
import type {
  HotlineAssignmentsTable,
  HotlineEventsTable,
  HotlineExtensionsTable,
  HotlineTicketsTable,
} from '../platform/db/schema';
import { checkMobile } from '../platform/ids';
import { ROLLUP_COUNTERS, type RollupCounter, type RollupShare } from './model';

type Reader = Kdb | Tx;

/** A ticket row as stored. */
export type TicketRow = Selectable<HotlineTicketsTable>;
/** An assignment row as stored. */
export type AssignmentRow = Selectable<HotlineAssignmentsTable>;
/** An extension row as stored. */
export type ExtensionRow = Selectable<HotlineExtensionsTable>;
/** An event row as stored. */
export type EventRow = Selectable<HotlineEventsTable>;

// ---------------------------------------------------------------------------------------------
// Taxonomy and routes

/** Every category and group, groups first. */
export function listCategories(db: Reader) {
  return db
    .selectFrom('hotlineCategories')
    .selectAll()
    .orderBy(sql`parent_code is not null`)
    .orderBy('sort')
    .orderBy('code')
    .execute();
}

/** A cheap fingerprint of the taxonomy, so each app server sees an edit at once. */
export async function taxonomyFingerprint(db: Reader): Promise<string> {
  const row = await db
    .selectFrom('hotlineCategories')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updatedAt').as('latest')])
    .executeTakeFirstOrThrow();
  const routes = await db
    .selectFrom('hotlineRoutes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const latest = row.latest ? new Date(row.latest as unknown as string).toISOString() : '-';
  return `${row.n}:${routes.n}:${latest}`;
}

/** Every dispatch route with its department's code. */
export function listRoutes(db: Reader) {
  return db
    .selectFrom('hotlineRoutes as r')
    .innerJoin('departments as d', 'd.id', 'r.departmentId')
    .select(['r.categoryCode', 'r.regionCode', 'r.departmentId', 'd.code as departmentCode'])
    .orderBy('r.categoryCode')
    .orderBy('r.regionCode')
    .execute();
}

/** Inserts or replaces a group or category. */
export async function upsertCategory(
  trx: Tx,
  row: {
    code: string;
    parentCode: string | null;
    nameZh: string;
    nameEn: string;
    descriptionZh: string;
    descriptionEn: string;
    serviceCode: string | null;
    open311Group: string;
    keywords: string[];
    attributes: unknown[];
    active: boolean;
    sort: number;
  },
  now: Date,
) {
  const values = {
    ...row,
    keywords: JSON.stringify(row.keywords),
    attributes: JSON.stringify(row.attributes),
    updatedAt: now,
  };
  await trx
    .insertInto('hotlineCategories')
    .values(values)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({
        parentCode: values.parentCode,
        nameZh: values.nameZh,
        nameEn: values.nameEn,
        descriptionZh: values.descriptionZh,
        descriptionEn: values.descriptionEn,
        serviceCode: values.serviceCode,
        open311Group: values.open311Group,
        keywords: values.keywords,
        attributes: values.attributes,
        active: values.active,
        sort: values.sort,
        updatedAt: now,
      }),
    )
    .execute();
}

/** Replaces the dispatch routes of a category. */
export async function replaceRoutes(
  trx: Tx,
  categoryCode: string,
  routes: { regionCode: string; departmentId: string }[],
) {
  await trx.deleteFrom('hotlineRoutes').where('categoryCode', '=', categoryCode).execute();
  if (routes.length === 0) return;
  await trx
    .insertInto('hotlineRoutes')
    .values(routes.map((r) => ({ categoryCode, ...r })))
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Directory: regions, departments, users

/** Every region with its parent (the tree is small). */
export function listRegionTree(db: Reader) {
  return db
    .selectFrom('regions')
    .select(['code', 'parentCode', 'nameZh', 'nameEn', 'level'])
    .orderBy('code')
    .execute();
}

/** Every department. */
export function listDepartmentRows(db: Reader) {
  return db
    .selectFrom('departments')
    .select(['id', 'code', 'nameZh', 'nameEn', 'regionCode'])
    .orderBy('code')
    .execute();
}

/** A user's display name. */
export async function userName(db: Reader, userId: string): Promise<string> {
  const row = await db
    .selectFrom('users')
    .select('displayName')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.displayName ?? '';
}

/** A subject's name and mobile (a citizen or enterprise filing their own ticket). */
export async function findSubject(db: Reader, id: string) {
  const row = await db
    .selectFrom('subjects')
    .select(['id', 'kind', 'name', 'identifier', 'mobile', 'regionCode'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { ...row, mobile: openOptional(row.mobile) };
}

// ---------------------------------------------------------------------------------------------
// Tickets

// The requester's name and mobile are sealed at rest (SM4, src/platform/crypto): every write here
// seals them and every read here opens them, so the rest of the capability sees plain values.
// Repeat callers are found by the blind index of the normalized mobile (requester_mobile_hash).

type RequesterFields = { requesterName?: string | null; requesterMobile?: string | null };

const normalizedMobile = (mobile: string) => {
  const check = checkMobile(mobile);
  return check.valid ? check.normalized : mobile.trim();
};

/** The blind index of a mobile as stored: HMAC-SM3 of its normalized form. */
export function mobileIndex(mobile: string): string {
  return blindIndex(normalizedMobile(mobile));
}

/** Every blind index a stored mobile may have: under the key in use and under earlier keys. */
export function mobileIndexForms(mobile: string): string[] {
  return blindIndexForms(normalizedMobile(mobile));
}

function sealRequester<T extends RequesterFields>(row: T) {
  const out: T & { requesterMobileHash?: string | null } = { ...row };
  if (row.requesterName !== undefined) out.requesterName = sealOptionalText(row.requesterName);
  if (row.requesterMobile !== undefined) {
    out.requesterMobile = sealOptionalText(row.requesterMobile);
    out.requesterMobileHash = row.requesterMobile ? mobileIndex(row.requesterMobile) : null;
  }
  return out;
}

function sealOptionalText(value: string | null): string | null {
  return value === null || isSealed(value) ? value : seal(value);
}

/** A ticket row with its requester opened (plain values stored before sealing pass through). */
export function openRequester<T extends RequesterFields>(row: T): T {
  return {
    ...row,
    ...(row.requesterName !== undefined ? { requesterName: openOptional(row.requesterName) } : {}),
    ...(row.requesterMobile !== undefined
      ? { requesterMobile: openOptional(row.requesterMobile) }
      : {}),
  };
}

function openFound<T extends RequesterFields>(row: T | undefined): T | undefined {
  return row && openRequester(row);
}

/**
 * Seals requester values stored in the clear (written before sealing) or sealed under an earlier
 * data key, with the mobile's blind index recomputed under the key in use, a batch at a time;
 * returns how many tickets it sealed. Safe to run on every start and from several servers.
 */
export async function sealRequesters(db: Kdb, batch = 500): Promise<SealOutcome> {
  const pattern = currentSealPattern();
  return sealInBatches(
    db,
    'hotline.requesters',
    {
      select: (trx, after: { id: string } | null, limit) =>
        trx
          .selectFrom('hotlineTickets')
          .select(['id', 'requesterName', 'requesterMobile'])
          .where((eb) =>
            eb.or([
              textNeedsSealing('requesterMobile', pattern),
              textNeedsSealing('requesterName', pattern),
            ]),
          )
          .$if(after !== null, (q) => q.where('id', '>', after!.id))
          .orderBy('id')
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .execute(),
      write: async (trx, row) => {
        const plain = openRequester({
          requesterName: row.requesterName,
          requesterMobile: row.requesterMobile,
        });
        await trx
          .updateTable('hotlineTickets')
          .set(sealRequester(plain))
          .where('id', '=', row.id)
          .execute();
        return true;
      },
    },
    batch,
  );
}

/** The next ticket sequence number. */
export async function nextTicketSequence(trx: Tx): Promise<number> {
  const row = await sql<{ n: number }>`select nextval('hotline_ticket_number_seq') as n`.execute(
    trx,
  );
  return Number(row.rows[0]!.n);
}

/** Inserts a new ticket. */
export async function insertTicket(trx: Tx, row: Insertable<HotlineTicketsTable>) {
  await trx.insertInto('hotlineTickets').values(sealRequester(row)).execute();
}

/** One ticket by id. */
export async function findTicket(db: Reader, id: string) {
  return openFound(
    await db.selectFrom('hotlineTickets').selectAll().where('id', '=', id).executeTakeFirst(),
  );
}

/** One ticket by id, locked until the transaction ends (two writers never both act on it). */
export async function lockTicket(trx: Tx, id: string) {
  return openFound(
    await trx
      .selectFrom('hotlineTickets')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst(),
  );
}

/** One ticket by number (工单号). */
export async function findTicketByNumber(db: Reader, number: string) {
  return openFound(
    await db
      .selectFrom('hotlineTickets')
      .selectAll()
      .where('number', '=', number)
      .executeTakeFirst(),
  );
}

/** One ticket by tracking code (查询码). */
export async function findTicketByTrackCode(db: Reader, code: string) {
  return openFound(
    await db
      .selectFrom('hotlineTickets')
      .selectAll()
      .where('trackCode', '=', code)
      .executeTakeFirst(),
  );
}

/** Changes a ticket and returns it as it now is. */
export async function updateTicket(trx: Tx, id: string, patch: Updateable<HotlineTicketsTable>) {
  return openRequester(
    await trx
      .updateTable('hotlineTickets')
      .set(sealRequester(patch))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

/** Numbers of tickets by id (for related tickets). */
export async function numbersOf(db: Reader, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('hotlineTickets')
    .select(['id', 'number'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.number]));
}

/** Recent tickets that might be the same matter: same requester, or same category and region. */
export async function similarityCandidates(
  db: Reader,
  probe: { requesterMobile: string | null; categoryCode: string | null; regionCode: string | null },
  since: Date,
  excludeId: string | null,
  limit = 300,
) {
  const rows = await db
    .selectFrom('hotlineTickets')
    .select([
      'id',
      'number',
      'title',
      'content',
      'status',
      'resolution',
      'requesterMobile',
      'categoryCode',
      'regionCode',
      'address',
      'lat',
      'lng',
      'createdAt',
      'closedAt',
      'leadDepartmentId',
    ])
    .where('createdAt', '>=', since)
    .where((eb) => {
      const ors = [];
      if (probe.requesterMobile) {
        // The blind index finds sealed rows; the plain comparison, rows not yet sealed.
        ors.push(
          eb('requesterMobileHash', 'in', mobileIndexForms(probe.requesterMobile)),
          eb('requesterMobile', '=', probe.requesterMobile),
        );
      }
      if (probe.categoryCode && probe.regionCode) {
        ors.push(
          eb.and([
            eb('categoryCode', '=', probe.categoryCode),
            eb('regionCode', '=', probe.regionCode),
          ]),
        );
      } else if (probe.regionCode) {
        ors.push(eb('regionCode', '=', probe.regionCode));
      }
      return ors.length > 0 ? eb.or(ors) : eb.val(false);
    })
    .$if(excludeId !== null, (q) => q.where('id', '<>', excludeId!))
    .orderBy('createdAt', 'desc')
    .limit(limit)
    .execute();
  return rows.map(openRequester);
}

// ---------------------------------------------------------------------------------------------
// Assignments, extensions, events, attachments

/** Inserts the assignments of a dispatch round. */
export async function insertAssignments(trx: Tx, rows: Insertable<HotlineAssignmentsTable>[]) {
  if (rows.length > 0) await trx.insertInto('hotlineAssignments').values(rows).execute();
}

/** Every assignment of a ticket, oldest round first, lead first. */
export function assignmentsOf(db: Reader, ticketId: string) {
  return db
    .selectFrom('hotlineAssignments')
    .selectAll()
    .where('ticketId', '=', ticketId)
    .orderBy('round')
    .orderBy(sql`role = 'assist'`)
    .execute();
}

/** Changes one assignment. */
export async function updateAssignment(
  trx: Tx,
  key: { ticketId: string; round: number; departmentId: string },
  patch: Updateable<HotlineAssignmentsTable>,
) {
  await trx
    .updateTable('hotlineAssignments')
    .set(patch)
    .where('ticketId', '=', key.ticketId)
    .where('round', '=', key.round)
    .where('departmentId', '=', key.departmentId)
    .execute();
}

/** Ends every open assignment of a round (on return, review or reopening). */
export async function endOpenAssignments(trx: Tx, ticketId: string, round: number) {
  await trx
    .updateTable('hotlineAssignments')
    .set({ status: 'ended' })
    .where('ticketId', '=', ticketId)
    .where('round', '=', round)
    .where('status', 'in', ['dispatched', 'signed'])
    .execute();
}

/** Inserts an extension request. */
export async function insertExtension(trx: Tx, row: Insertable<HotlineExtensionsTable>) {
  await trx.insertInto('hotlineExtensions').values(row).execute();
}

/** Every extension of a ticket, oldest first. */
export function extensionsOf(db: Reader, ticketId: string) {
  return db
    .selectFrom('hotlineExtensions')
    .selectAll()
    .where('ticketId', '=', ticketId)
    .orderBy('requestedAt')
    .execute();
}

/** Decides a pending extension. */
export async function decideExtension(
  trx: Tx,
  id: string,
  patch: Updateable<HotlineExtensionsTable>,
) {
  await trx.updateTable('hotlineExtensions').set(patch).where('id', '=', id).execute();
}

/** Appends an event to a ticket's timeline; returns its id. */
export async function insertEvent(
  trx: Tx,
  row: Omit<Insertable<HotlineEventsTable>, 'detail'> & { detail?: Record<string, unknown> },
): Promise<number> {
  const inserted = await trx
    .insertInto('hotlineEvents')
    .values({ ...row, detail: JSON.stringify(row.detail ?? {}) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** The timeline of a ticket, oldest first. */
export function eventsOf(db: Reader, ticketId: string) {
  return db
    .selectFrom('hotlineEvents')
    .selectAll()
    .where('ticketId', '=', ticketId)
    .orderBy('id')
    .execute();
}

/** The latest public note of each ticket among events of the given actions (Open311 status_notes). */
export async function latestPublicNotes(
  db: Reader,
  ticketIds: string[],
  actions: readonly string[],
) {
  if (ticketIds.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom('hotlineEvents')
    .select(['ticketId', 'note', 'id'])
    .where('ticketId', 'in', ticketIds)
    .where('public', '=', true)
    .where('action', 'in', [...actions])
    .where('note', 'is not', null)
    .orderBy('id', 'desc')
    .execute();
  const out = new Map<string, string>();
  for (const row of rows) if (!out.has(row.ticketId) && row.note) out.set(row.ticketId, row.note);
  return out;
}

/** Public events in a time range with their ticket (Open311 servicerequestupdates). */
export function publicEventsBetween(db: Reader, from: Date, to: Date, limit: number) {
  return db
    .selectFrom('hotlineEvents as e')
    .innerJoin('hotlineTickets as t', 't.id', 'e.ticketId')
    .select([
      'e.id',
      'e.at',
      'e.action',
      'e.note',
      'e.status',
      't.number',
      't.type',
      't.resolution',
      't.mediaUrl',
    ])
    .where('e.public', '=', true)
    .where('e.at', '>=', from)
    .where('e.at', '<=', to)
    .where('t.type', '<>', 'report')
    .orderBy('e.at')
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

/** Tickets as Open311 lists them (never reports of wrongdoing), newest first. */
export async function open311Tickets(
  db: Reader,
  query: {
    numbers?: string[];
    from?: Date;
    to?: Date;
    categories?: string[];
    open?: boolean;
    limit?: number;
  },
) {
  let q = db.selectFrom('hotlineTickets').selectAll().where('type', '<>', 'report');
  if (query.numbers) {
    q = q.where('number', 'in', query.numbers.length ? query.numbers : ['-']);
  } else {
    if (query.from) q = q.where('createdAt', '>=', query.from);
    if (query.to) q = q.where('createdAt', '<=', query.to);
    if (query.categories) q = q.where('categoryCode', 'in', query.categories);
    if (query.open !== undefined) {
      q = q.where('status', query.open ? '<>' : '=', 'closed');
    }
  }
  const rows = await q
    .orderBy('createdAt', 'desc')
    .limit(query.limit ?? 1000)
    .execute();
  return rows.map(openRequester);
}

/** Inserts an attachment. */
export async function insertAttachment(
  trx: Tx,
  row: {
    id: string;
    ticketId: string;
    regionCode: string;
    filename: string;
    contentType: string;
    size: number;
    sha256: string;
    content: Buffer;
    uploadedBy: string | null;
    uploadedAt: Date;
  },
) {
  await trx.insertInto('hotlineAttachments').values(row).execute();
}

/** The attachments of a ticket, without their bytes. */
export function attachmentsOf(db: Reader, ticketId: string) {
  return db
    .selectFrom('hotlineAttachments')
    .select(['id', 'filename', 'contentType', 'size', 'uploadedBy', 'uploadedAt'])
    .where('ticketId', '=', ticketId)
    .orderBy('uploadedAt')
    .execute();
}

/** One attachment with its bytes. */
export function findAttachment(db: Reader, ticketId: string, id: string) {
  return db
    .selectFrom('hotlineAttachments')
    .selectAll()
    .where('ticketId', '=', ticketId)
    .where('id', '=', id)
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// Weekly rollups

const COLUMN: Record<RollupCounter, string> = {
  received: 'received',
  finished: 'finished',
  onTime: 'on_time',
  rated: 'rated',
  satisfied: 'satisfied',
  reopened: 'reopened',
  enterprise: 'enterprise',
  repeated: 'repeated',
};

/** Adds a ticket's change to the rollup rows, in the transaction of the ticket's write. */
export async function applyRollup(trx: Tx, shares: RollupShare[]) {
  for (const share of shares) {
    await trx
      .insertInto('hotlineWeeklyStats')
      .values({
        weekStart: share.weekStart,
        categoryCode: share.categoryCode,
        regionCode: share.regionCode,
        ...share.counts,
      })
      .onConflict((oc) =>
        oc
          .columns(['weekStart', 'categoryCode', 'regionCode'])
          .doUpdateSet(
            Object.fromEntries(
              ROLLUP_COUNTERS.map((k) => [
                k,
                sql`hotline_weekly_stats.${sql.raw(COLUMN[k])} + excluded.${sql.raw(COLUMN[k])}`,
              ]),
            ),
          ),
      )
      .execute();
  }
}

// The Monday of the week of created_at in Asia/Shanghai (+08:00 all year, no tz database needed).
const WEEK_OF_CREATION = sql`(date_trunc('week', (created_at at time zone 'UTC') + interval '8 hours'))::date`;

/**
 * One row of weekly figures: a week and the counters of a category in a region — or, in the
 * analysis' grouped rows, of a category in every region (regionCode null) or of a region in every
 * category (categoryCode null).
 */
export interface WeeklyRow {
  weekStart: string;
  categoryCode: string | null;
  regionCode: string | null;
  received: number;
  finished: number;
  onTime: number;
  rated: number;
  satisfied: number;
  reopened: number;
  enterprise: number;
  repeated: number;
}

const TICKET_COUNTERS = sql`
  count(*)::int as received,
  count(finished_at)::int as finished,
  (count(*) filter (where finished_at is not null and on_time))::int as on_time,
  count(satisfaction)::int as rated,
  (count(*) filter (where satisfaction in ('satisfied', 'basically_satisfied')))::int as satisfied,
  (count(*) filter (where reopen_count > 0))::int as reopened,
  (count(*) filter (where enterprise))::int as enterprise,
  (count(*) filter (where relation = 'repeat'))::int as repeated`;

/**
 * Rebuilds every rollup row from the tickets with one set-based statement — after a bulk load or
 * to repair; the result equals what the per-write maintenance keeps.
 */
export async function rebuildWeeklyStats(trx: Tx) {
  await trx.deleteFrom('hotlineWeeklyStats').execute();
  await sql`
    insert into hotline_weekly_stats (week_start, category_code, region_code, received, finished,
      on_time, rated, satisfied, reopened, enterprise, repeated)
    select ${WEEK_OF_CREATION}, category_code, region_code, ${TICKET_COUNTERS}
    from hotline_tickets
    group by 1, 2, 3`.execute(trx);
}

/** Rollup rows of whole weeks from `fromWeek` to `toWeek` (Mondays, inclusive), as stored. */
export async function rollupRows(
  db: Reader,
  fromWeek: string,
  toWeek: string,
  regions: string[] | null,
  categories: string[] | null = null,
): Promise<WeeklyRow[]> {
  const rows = await db
    .selectFrom('hotlineWeeklyStats')
    .select([
      sql<string>`to_char(week_start, 'YYYY-MM-DD')`.as('weekStart'),
      'categoryCode',
      'regionCode',
      'received',
      'finished',
      'onTime',
      'rated',
      'satisfied',
      'reopened',
      'enterprise',
      'repeated',
    ])
    .where('weekStart', '>=', fromWeek)
    .where('weekStart', '<=', toWeek)
    .$if(regions !== null, (q) => q.where('regionCode', 'in', regions!))
    .$if(categories !== null, (q) => q.where('categoryCode', 'in', categories!))
    .where('received', '>', 0)
    .execute();
  return rows as WeeklyRow[];
}

const SUMS = sql`
  sum(received)::int as received, sum(finished)::int as finished, sum(on_time)::int as on_time,
  sum(rated)::int as rated, sum(satisfied)::int as satisfied, sum(reopened)::int as reopened,
  sum(enterprise)::int as enterprise, sum(repeated)::int as repeated`;

/**
 * What the analysis reads: the rollups of the weeks from `fromWeek` to `toWeek`, summed by week
 * and category and by week and region (one GROUP BY GROUPING SETS over ~13 weeks of rollup rows).
 */
export async function weeklyFromRollups(
  db: Reader,
  fromWeek: string,
  toWeek: string,
  regions: string[] | null,
  categories: string[] | null = null,
): Promise<WeeklyRow[]> {
  const regionFilter = regions ? sql`and region_code in (${sql.join(regions)})` : sql``;
  const categoryFilter = categories ? sql`and category_code in (${sql.join(categories)})` : sql``;
  const result = await sql<WeeklyRow>`
    select to_char(week_start, 'YYYY-MM-DD') as week_start, category_code, region_code, ${SUMS}
    from hotline_weekly_stats
    where week_start >= ${fromWeek}::date and week_start <= ${toWeek}::date and received > 0
      ${regionFilter} ${categoryFilter}
    group by grouping sets ((week_start, category_code), (week_start, region_code))`.execute(db);
  return result.rows;
}

/**
 * The same figures by a plain GROUP BY over the tickets (the benchmark's baseline and the
 * tests' check on the rollups): tickets created in the weeks from `fromWeek` to `toWeek`.
 */
export async function weeklyFromTickets(
  db: Reader,
  fromWeek: string,
  toWeek: string,
  regions: string[] | null,
  categories: string[] | null = null,
): Promise<WeeklyRow[]> {
  const from = new Date(`${fromWeek}T00:00:00+08:00`);
  const to = new Date(new Date(`${toWeek}T00:00:00+08:00`).getTime() + 7 * 86_400_000);
  const regionFilter = regions ? sql`and region_code in (${sql.join(regions)})` : sql``;
  const categoryFilter = categories ? sql`and category_code in (${sql.join(categories)})` : sql``;
  const result = await sql<WeeklyRow>`
    select to_char(${WEEK_OF_CREATION}, 'YYYY-MM-DD') as week_start, category_code, region_code,
      ${TICKET_COUNTERS}
    from hotline_tickets
    where created_at >= ${from} and created_at < ${to} ${regionFilter} ${categoryFilter}
    group by 1, 2, 3`.execute(db);
  return result.rows;
}

// ---------------------------------------------------------------------------------------------
// API keys

/** Every Open311 key, newest first, without hashes. */
export function listApiKeys(db: Reader) {
  return db
    .selectFrom('hotlineApiKeys as k')
    .leftJoin('users as u', 'u.id', 'k.createdBy')
    .select([
      'k.id',
      'k.name',
      'k.keyPrefix',
      'k.createdAt',
      'u.displayName as createdByName',
      'k.revokedAt',
      'k.lastUsedAt',
    ])
    .orderBy('k.createdAt', 'desc')
    .execute();
}

/** Stores a new key's hash. */
export async function insertApiKey(
  trx: Tx,
  row: {
    id: string;
    name: string;
    keyHash: string;
    keyPrefix: string;
    createdBy: string | null;
    createdAt: Date;
  },
) {
  await trx.insertInto('hotlineApiKeys').values(row).execute();
}

/** A key by its hash. */
export function findApiKeyByHash(db: Reader, keyHash: string) {
  return db
    .selectFrom('hotlineApiKeys')
    .select(['id', 'name', 'revokedAt'])
    .where('keyHash', '=', keyHash)
    .executeTakeFirst();
}

/** Revokes a key; false when there was no such key or it was revoked already. */
export async function revokeApiKey(trx: Tx, id: string, by: string, at: Date): Promise<boolean> {
  const result = await trx
    .updateTable('hotlineApiKeys')
    .set({ revokedAt: at, revokedBy: by })
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Notes when a key was last used. */
export async function touchApiKey(db: Reader, id: string, at: Date) {
  await db.updateTable('hotlineApiKeys').set({ lastUsedAt: at }).where('id', '=', id).execute();
}
