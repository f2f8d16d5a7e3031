import type { Kdb, Tx } from '../platform/db/database';
import type { ItemContent } from './schema';

type Reader = Kdb | Tx;

const VERSION_COLUMNS = [
  'itemCode',
  'version',
  'status',
  'content',
  'basedOn',
  'createdBy',
  'createdAt',
  'publishedBy',
  'publishedAt',
] as const;

/** Every published version with its content (for the search index and listings). */
export function publishedVersions(db: Reader) {
  return db
    .selectFrom('catalogItemVersions')
    .select(VERSION_COLUMNS)
    .where('status', '=', 'published')
    .orderBy('itemCode')
    .execute();
}

/**
 * A cheap fingerprint of what is published: it changes whenever a version is published, so that
 * each app server can tell when its search index is stale.
 */
export async function publishedFingerprint(db: Reader): Promise<string> {
  const row = await db
    .selectFrom('catalogItemVersions')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('publishedAt').as('latest')])
    .where('status', '=', 'published')
    .executeTakeFirstOrThrow();
  const latest = row.latest ? new Date(row.latest as unknown as string).toISOString() : '-';
  return `${row.n}:${latest}`;
}

/** One version of an item: the published one, or a given version number. */
export function findVersion(db: Reader, code: string, version?: number) {
  let query = db
    .selectFrom('catalogItemVersions')
    .select(VERSION_COLUMNS)
    .where('itemCode', '=', code);
  query =
    version === undefined
      ? query.where('status', '=', 'published')
      : query.where('version', '=', version);
  return query.executeTakeFirst();
}

/** The open draft of an item, if any. */
export function findDraft(db: Reader, code: string) {
  return db
    .selectFrom('catalogItemVersions')
    .select(VERSION_COLUMNS)
    .where('itemCode', '=', code)
    .where('status', '=', 'draft')
    .executeTakeFirst();
}

/** Every version of an item, newest first, without content, with who wrote and published it. */
export function listVersions(db: Reader, code: string) {
  return db
    .selectFrom('catalogItemVersions as v')
    .leftJoin('users as author', 'author.id', 'v.createdBy')
    .leftJoin('users as publisher', 'publisher.id', 'v.publishedBy')
    .select([
      'v.version',
      'v.status',
      'v.basedOn',
      'v.createdBy',
      'author.displayName as createdByName',
      'v.createdAt',
      'v.publishedBy',
      'publisher.displayName as publishedByName',
      'v.publishedAt',
    ])
    .where('v.itemCode', '=', code)
    .orderBy('v.version', 'desc')
    .execute();
}

/** Every open draft, newest first. */
export function listDrafts(db: Reader) {
  return db
    .selectFrom('catalogItemVersions as v')
    .leftJoin('users as author', 'author.id', 'v.createdBy')
    .select([
      'v.itemCode',
      'v.version',
      'v.basedOn',
      'v.createdBy',
      'author.displayName as createdByName',
      'v.createdAt',
      'v.content',
    ])
    .where('v.status', '=', 'draft')
    .orderBy('v.createdAt', 'desc')
    .execute();
}

/** Whether an item code exists at all (in any state). */
export async function itemExists(db: Reader, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('catalogItems')
    .select('code')
    .where('code', '=', code)
    .executeTakeFirst();
  return row !== undefined;
}

/** Registers a new item code. */
export async function insertItem(trx: Tx, code: string, basicCode: string) {
  await trx.insertInto('catalogItems').values({ code, basicCode }).execute();
}

/** Locks an item's row so that concurrent drafts and publications of it run one after another. */
export async function lockItem(trx: Tx, code: string): Promise<boolean> {
  const row = await trx
    .selectFrom('catalogItems')
    .select('code')
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/** The highest version number of an item (0 when it has none). */
export async function latestVersionNumber(trx: Tx, code: string): Promise<number> {
  const row = await trx
    .selectFrom('catalogItemVersions')
    .select((eb) => eb.fn.max('version').as('latest'))
    .where('itemCode', '=', code)
    .executeTakeFirst();
  return Number(row?.latest ?? 0);
}

/** Inserts a draft version. */
export async function insertDraft(
  trx: Tx,
  draft: {
    content: ItemContent;
    version: number;
    basedOn: number | null;
    createdBy: string | null;
    now: Date;
  },
) {
  await trx
    .insertInto('catalogItemVersions')
    .values({
      itemCode: draft.content.code,
      version: draft.version,
      status: 'draft',
      nameZh: draft.content.name.zh,
      departmentCode: draft.content.department,
      typeCode: draft.content.type,
      content: JSON.stringify(draft.content),
      basedOn: draft.basedOn,
      createdBy: draft.createdBy,
      createdAt: draft.now,
    })
    .execute();
}

/** Replaces the content of an open draft. */
export async function updateDraft(
  trx: Tx,
  content: ItemContent,
  actorId: string | null,
  now: Date,
) {
  await trx
    .updateTable('catalogItemVersions')
    .set({
      nameZh: content.name.zh,
      departmentCode: content.department,
      typeCode: content.type,
      content: JSON.stringify(content),
      createdBy: actorId,
      createdAt: now,
    })
    .where('itemCode', '=', content.code)
    .where('status', '=', 'draft')
    .execute();
}

/** Deletes the open draft of an item; returns whether there was one. */
export async function deleteDraft(trx: Tx, code: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('catalogItemVersions')
    .where('itemCode', '=', code)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Supersedes the published version and publishes the draft, in the caller's transaction. */
export async function publishDraft(trx: Tx, code: string, actorId: string | null, now: Date) {
  await trx
    .updateTable('catalogItemVersions')
    .set({ status: 'superseded', supersededAt: now })
    .where('itemCode', '=', code)
    .where('status', '=', 'published')
    .execute();
  return trx
    .updateTable('catalogItemVersions')
    .set({ status: 'published', publishedBy: actorId, publishedAt: now })
    .where('itemCode', '=', code)
    .where('status', '=', 'draft')
    .returning(['version'])
    .executeTakeFirst();
}
