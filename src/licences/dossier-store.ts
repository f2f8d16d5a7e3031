// SQL of dossiers (一人一档 / 一企一档): subjects as the dossier finds them, their stored tags and the
// log of reads. Functions take the database or a transaction first; writes demand a `Tx`.
import type { Insertable } from 'kysely';
import { lookupForms } from '../platform/crypto';
import type { Kdb, Tx } from '../platform/db/database';
import { checkRic } from '../platform/ids';
import type { DossierAccessLogTable } from '../platform/db/schema';

type Db = Kdb | Tx;

/** A subject as a dossier shows it. */
export interface SubjectRow {
  id: string;
  kind: 'person' | 'enterprise';
  name: string;
  identifier: string;
  regionCode: string;
  createdAt: Date;
}

/** A tag to store. */
export interface TagRow {
  tag: string;
  value: string;
  source: string;
}

const SUBJECT_COLUMNS = ['id', 'kind', 'name', 'identifier', 'regionCode', 'createdAt'] as const;

/** A subject by id. */
export function findSubjectById(db: Db, id: string): Promise<SubjectRow | undefined> {
  return db.selectFrom('subjects').select(SUBJECT_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** A subject by its resident ID or credit code (unique across both kinds). */
export function findSubjectByIdentifier(
  db: Db,
  identifier: string,
): Promise<SubjectRow | undefined> {
  return db
    .selectFrom('subjects')
    .select(SUBJECT_COLUMNS)
    .where('identifier', 'in', lookupForms(identifier))
    .executeTakeFirst();
}

/** Names of regions by code. */
export async function regionNames(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return new Map<string, { nameZh: string; nameEn: string }>();
  const rows = await db
    .selectFrom('regions')
    .select(['code', 'nameZh', 'nameEn'])
    .where('code', 'in', [...codes])
    .execute();
  return new Map(rows.map((r) => [r.code, r]));
}

/** The staff member reading: display name and department code. */
export function findReader(db: Db, userId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.departmentId')
    .select(['u.displayName', 'd.code as departmentCode'])
    .where('u.id', '=', userId)
    .executeTakeFirst();
}

/** Licence type names by code. */
export async function licenceTypeNames(db: Db) {
  const rows = await db.selectFrom('licenceTypes').select(['code', 'nameZh', 'nameEn']).execute();
  return new Map(rows.map((r) => [r.code, r]));
}

/** The stored tags of a subject, in tag order. */
export function listTags(db: Db, subjectId: string) {
  return db
    .selectFrom('subjectTags')
    .select(['tag', 'value', 'source', 'updatedAt'])
    .where('subjectId', '=', subjectId)
    .orderBy('tag')
    .execute();
}

/** Replaces every tag of a subject with the given ones (a subject's tags are computed whole). */
export async function replaceTags(
  trx: Tx,
  subject: { id: string; regionCode: string },
  tags: readonly TagRow[],
  now: Date,
): Promise<void> {
  await trx.deleteFrom('subjectTags').where('subjectId', '=', subject.id).execute();
  if (tags.length === 0) return;
  await trx
    .insertInto('subjectTags')
    .values(
      tags.map((t) => ({
        subjectId: subject.id,
        tag: t.tag,
        value: t.value,
        source: t.source,
        regionCode: subject.regionCode,
        updatedAt: now,
      })),
    )
    .execute();
}

/** The stored tags of these subjects, by subject id (a subject without tags is absent). */
export async function tagsOfSubjects(
  db: Db,
  subjectIds: readonly string[],
): Promise<Map<string, string[]>> {
  const tags = new Map<string, string[]>();
  if (subjectIds.length === 0) return tags;
  const rows = await db
    .selectFrom('subjectTags')
    .select(['subjectId', 'tag'])
    .where('subjectId', 'in', subjectIds)
    .orderBy('tag')
    .execute();
  for (const row of rows) tags.set(row.subjectId, [...(tags.get(row.subjectId) ?? []), row.tag]);
  return tags;
}

/** The ids of every subject, oldest first (for recomputing all tags). */
export async function allSubjectIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('subjects').select('id').orderBy('createdAt').execute();
  return rows.map((r) => r.id);
}

/** Whether a subject has any stored tag. */
export async function hasTags(db: Db, subjectId: string): Promise<boolean> {
  const row = await db
    .selectFrom('subjectTags')
    .select('tag')
    .where('subjectId', '=', subjectId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** What a search of subjects asks for. */
export interface SubjectSearch {
  /** Subjects carrying this exact tag. */
  tag?: string;
  /** Part of the name, a whole resident ID number, or the start of a credit code. */
  q?: string;
  /** Regions the caller may see; `all` for administrators. */
  regions: readonly string[] | 'all';
  limit: number;
  offset: number;
}

/** A page of subjects matching a search, with the total. */
export async function searchSubjects(db: Db, search: SubjectSearch) {
  let query = db.selectFrom('subjects as s');
  if (search.regions !== 'all') {
    query = query.where('s.regionCode', 'in', search.regions.length ? [...search.regions] : ['']);
  }
  if (search.tag) {
    const tag = search.tag;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('subjectTags as t')
          .select('t.tag')
          .whereRef('t.subjectId', '=', 's.id')
          .where('t.tag', '=', tag),
      ),
    );
  }
  const q = search.q?.trim();
  if (q) {
    const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
    // A resident ID number is sealed at rest (deterministically): found whole, never by a prefix.
    const ric = checkRic(q);
    query = query.where((eb) =>
      eb.or([
        eb('s.name', 'ilike', `%${escaped}%`),
        ric.valid
          ? eb('s.identifier', 'in', lookupForms(ric.normalized))
          : eb('s.identifier', 'like', `${escaped.toUpperCase()}%`),
      ]),
    );
  }
  const [rows, count] = await Promise.all([
    query
      .select(['s.id', 's.kind', 's.name', 's.identifier', 's.regionCode', 's.createdAt'])
      .orderBy('s.name')
      .orderBy('s.id')
      .limit(search.limit)
      .offset(search.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as SubjectRow[], total: Number(count.n) };
}

/** Appends a read of a dossier. */
export async function insertAccess(trx: Tx, row: Insertable<DossierAccessLogTable>) {
  await trx.insertInto('dossierAccessLog').values(row).execute();
}

/** The reads of a subject's dossier, newest first; without the subject's own. */
export async function listAccess(
  db: Db,
  subjectId: string,
  page: { limit: number; offset: number },
) {
  const base = db
    .selectFrom('dossierAccessLog as l')
    .where('l.subjectId', '=', subjectId)
    .where('l.actorRole', 'not in', ['citizen', 'enterprise']);
  const [rows, count] = await Promise.all([
    base
      .leftJoin('departments as d', 'd.code', 'l.departmentCode')
      .select([
        'l.id',
        'l.actorRole',
        'l.actorName',
        'l.departmentCode',
        'd.nameZh as departmentNameZh',
        'd.nameEn as departmentNameEn',
        'l.reason',
        'l.at',
      ])
      .orderBy('l.at', 'desc')
      .orderBy('l.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
