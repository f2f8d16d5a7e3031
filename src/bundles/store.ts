import type { Kdb, Tx } from '../platform/db/database';
import type { BundleProblem } from './model';
import type { BundleContent } from './schema';

type Reader = Kdb | Tx;

const VERSION_COLUMNS = [
  'bundleCode',
  'version',
  'status',
  'content',
  'problems',
  'basedOn',
  'createdBy',
  'createdAt',
  'publishedBy',
  'publishedAt',
] as const;

/** Every published version with its content. */
export function publishedVersions(db: Reader) {
  return db
    .selectFrom('bundleVersions')
    .select(VERSION_COLUMNS)
    .where('status', '=', 'published')
    .orderBy('bundleCode')
    .execute();
}

/** Changes whenever a version is published, so each app server can tell its cache is stale. */
export async function publishedFingerprint(db: Reader): Promise<string> {
  const row = await db
    .selectFrom('bundleVersions')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('publishedAt').as('latest')])
    .where('status', '=', 'published')
    .executeTakeFirstOrThrow();
  const latest = row.latest ? new Date(row.latest as unknown as string).toISOString() : '-';
  return `${row.n}:${latest}`;
}

/** One version of a bundle: the published one, or a given version number. */
export function findVersion(db: Reader, code: string, version?: number) {
  let query = db
    .selectFrom('bundleVersions')
    .select(VERSION_COLUMNS)
    .where('bundleCode', '=', code);
  query =
    version === undefined
      ? query.where('status', '=', 'published')
      : query.where('version', '=', version);
  return query.executeTakeFirst();
}

/** The open draft of a bundle, if any. */
export function findDraft(db: Reader, code: string) {
  return db
    .selectFrom('bundleVersions')
    .select(VERSION_COLUMNS)
    .where('bundleCode', '=', code)
    .where('status', '=', 'draft')
    .executeTakeFirst();
}

/** Every version of a bundle, newest first, with who wrote and published it. */
export function listVersions(db: Reader, code: string) {
  return db
    .selectFrom('bundleVersions as v')
    .leftJoin('users as c', 'c.id', 'v.createdBy')
    .leftJoin('users as p', 'p.id', 'v.publishedBy')
    .select([
      'v.version',
      'v.status',
      'v.basedOn',
      'v.createdAt',
      'v.publishedAt',
      'v.supersededAt',
      'c.displayName as createdByName',
      'p.displayName as publishedByName',
    ])
    .where('v.bundleCode', '=', code)
    .orderBy('v.version', 'desc')
    .execute();
}

/** Every open draft with its author. */
export function listDrafts(db: Reader) {
  return db
    .selectFrom('bundleVersions as v')
    .leftJoin('users as c', 'c.id', 'v.createdBy')
    .select([
      'v.bundleCode',
      'v.version',
      'v.basedOn',
      'v.content',
      'v.problems',
      'v.createdAt',
      'c.displayName as createdByName',
    ])
    .where('v.status', '=', 'draft')
    .orderBy('v.bundleCode')
    .execute();
}

/** Takes the bundle's row lock for the rest of the transaction; false when it does not exist. */
export async function lockBundle(trx: Tx, code: string): Promise<boolean> {
  const row = await trx
    .selectFrom('bundles')
    .select('code')
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertBundle(trx: Tx, code: string) {
  await trx.insertInto('bundles').values({ code }).execute();
}

/** Writes the draft: updates the open one, or opens the next version. Returns its number. */
export async function writeDraft(
  trx: Tx,
  content: BundleContent,
  problems: BundleProblem[],
  actorId: string | null,
  now: Date,
): Promise<number> {
  const draft = await findDraft(trx, content.code);
  const columns = {
    nameZh: content.name.zh,
    leadDepartment: content.leadDepartment,
    content: JSON.stringify(content),
    problems: JSON.stringify(problems),
    createdBy: actorId,
    createdAt: now,
  };
  if (draft) {
    await trx
      .updateTable('bundleVersions')
      .set(columns)
      .where('bundleCode', '=', content.code)
      .where('status', '=', 'draft')
      .execute();
    return draft.version;
  }
  const published = await findVersion(trx, content.code);
  const latest = await trx
    .selectFrom('bundleVersions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('bundleCode', '=', content.code)
    .executeTakeFirst();
  const version = Number(latest?.v ?? 0) + 1;
  await trx
    .insertInto('bundleVersions')
    .values({
      ...columns,
      bundleCode: content.code,
      version,
      status: 'draft',
      basedOn: published?.version ?? null,
    })
    .execute();
  return version;
}

export async function deleteDraft(trx: Tx, code: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('bundleVersions')
    .where('bundleCode', '=', code)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Supersedes the published version and publishes the draft, in the caller's transaction. */
export async function publishDraft(trx: Tx, code: string, actorId: string | null, now: Date) {
  await trx
    .updateTable('bundleVersions')
    .set({ status: 'superseded', supersededAt: now })
    .where('bundleCode', '=', code)
    .where('status', '=', 'published')
    .execute();
  await trx
    .updateTable('bundleVersions')
    .set({ status: 'published', publishedBy: actorId, publishedAt: now })
    .where('bundleCode', '=', code)
    .where('status', '=', 'draft')
    .execute();
}
