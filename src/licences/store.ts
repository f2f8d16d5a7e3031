// SQL of e-licences. Functions take the database or a transaction first; those that lock or must
// commit together with others demand a `Tx`.
import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import {
  currentSealPattern,
  jsonNeedsSealing,
  lookupForms,
  open,
  openJson,
  resealJson,
  resealLookup,
  seal,
  sealColumnsInBatches,
  sealInBatches,
  sealJson,
  sealSubjectIdentifier,
  textNeedsSealing,
  type SealOutcome,
} from '../platform/crypto';
import type { Kdb, Tx } from '../platform/db/database';
import type {
  LicenceEventsTable,
  LicenceSharesTable,
  LicenceSigningKeysTable,
  LicenceTypesTable,
  LicencesTable,
} from '../platform/db/schema';

type Db = Kdb | Tx;

/** A stored licence. */
export type LicenceRow = Selectable<LicencesTable>;
/** A stored licence type. */
export type LicenceTypeRow = Selectable<LicenceTypesTable>;
/** A stored signing key. */
export type SigningKeyRow = Selectable<LicenceSigningKeysTable>;

/** Writes a licence type, replacing the one with the same code. */
export async function upsertLicenceType(trx: Tx, row: Insertable<LicenceTypesTable>) {
  await trx
    .insertInto('licenceTypes')
    .values(row)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({
        nameZh: row.nameZh,
        nameEn: row.nameEn,
        departmentCode: row.departmentCode,
        holderKind: row.holderKind,
        fields: row.fields,
        validityYears: row.validityYears ?? null,
        sort: row.sort ?? 0,
        updatedAt: new Date(),
      }),
    )
    .execute();
}

/** Every licence type, in their order. */
export function listLicenceTypes(db: Db) {
  return db.selectFrom('licenceTypes').selectAll().orderBy('sort').orderBy('code').execute();
}

/** A licence type by its code. */
export function findLicenceType(db: Db, code: string) {
  return db.selectFrom('licenceTypes').selectAll().where('code', '=', code).executeTakeFirst();
}

/** A licence type by the name the catalog gives it (`licenceType`). */
export function findLicenceTypeByName(db: Db, nameZh: string) {
  return db.selectFrom('licenceTypes').selectAll().where('nameZh', '=', nameZh).executeTakeFirst();
}

// The private half of a signing key is stored sealed (SM4, the data key); production keeps it in a
// cipher machine (密码机) instead. Keys stored before sealing open as they are.
function withOpenedKey<T extends { privateKey: string }>(row: T | undefined): T | undefined {
  return row && { ...row, privateKey: open(row.privateKey) };
}

/** The active signing key, if one exists. */
export async function activeSigningKey(db: Db) {
  return withOpenedKey(
    await db
      .selectFrom('licenceSigningKeys')
      .selectAll()
      .where('active', '=', true)
      .executeTakeFirst(),
  );
}

/** Adds an active signing key unless another one became active first; returns whether it did. */
export async function insertActiveSigningKey(
  trx: Tx,
  row: { id: string; publicKey: string; privateKey: string },
): Promise<boolean> {
  const inserted = await trx
    .insertInto('licenceSigningKeys')
    .values({ ...row, privateKey: seal(row.privateKey), active: true })
    // the partial unique index on the active key is the conflict that can happen here
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** A signing key by id. */
export async function findSigningKey(db: Db, id: string) {
  return withOpenedKey(
    await db.selectFrom('licenceSigningKeys').selectAll().where('id', '=', id).executeTakeFirst(),
  );
}

/** The public half of every signing key, newest first. */
export function listPublicKeys(db: Db) {
  return db
    .selectFrom('licenceSigningKeys')
    .select(['id', 'publicKey', 'createdAt', 'active'])
    .orderBy('createdAt', 'desc')
    .execute();
}

/** The next number of the serial sequence. */
export async function nextSerial(trx: Tx): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select nextval('licence_serial_seq')::int8 as n`.execute(trx);
  return Number(rows[0]!.n);
}

// A licence's fields (a person's carries their resident ID number, `ric`) are sealed at rest as a
// whole (SM4, random IV, a JSON string `"sm4:1:…"`); every licence row this store returns has them
// opened, so the content hash and the signature are computed and checked over the plain fields.
// Fields stored before sealing read as they are.

/** A licence row with its fields opened. */
function opened<T extends { fields: unknown }>(row: T): T;
function opened<T extends { fields: unknown }>(row: T | undefined): T | undefined;
function opened<T extends { fields: unknown }>(row: T | undefined): T | undefined {
  return row && { ...row, fields: openJson(row.fields) };
}

/**
 * Inserts a licence unless one came from the same case already; returns it when inserted. A
 * person holder's resident ID number is stored sealed (deterministically) and the fields sealed
 * whole; the signature was computed over the plain values, which every read sees again.
 */
export async function insertLicence(trx: Tx, row: Insertable<LicencesTable>) {
  return opened(
    await trx
      .insertInto('licences')
      .values({
        ...row,
        holderIdentifier: sealSubjectIdentifier(row.holderKind, row.holderIdentifier),
        fields: sealJson(row.fields),
      })
      .onConflict((oc) => oc.column('sourceCaseId').doNothing())
      .returningAll()
      .executeTakeFirst(),
  );
}

/** A licence by id. */
export async function findLicence(db: Db, id: string) {
  return opened(
    await db.selectFrom('licences').selectAll().where('id', '=', id).executeTakeFirst(),
  );
}

/** A licence by its identifier. */
export async function findLicenceByIdentifier(db: Db, identifier: string) {
  return opened(
    await db
      .selectFrom('licences')
      .selectAll()
      .where('identifier', '=', identifier)
      .executeTakeFirst(),
  );
}

/** The licence a case issued, if any. */
export async function findLicenceByCase(db: Db, caseId: string) {
  return opened(
    await db
      .selectFrom('licences')
      .selectAll()
      .where('sourceCaseId', '=', caseId)
      .executeTakeFirst(),
  );
}

/** Locks a licence row until the transaction ends. */
export async function lockLicence(trx: Tx, id: string) {
  return opened(
    await trx
      .selectFrom('licences')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst(),
  );
}

/** Changes the status of a licence (the caller holds its lock). */
export function updateLicenceStatus(
  trx: Tx,
  id: string,
  change: {
    status: LicenceRow['status'];
    statusReason: string | null;
    updatedAt: Date;
    /** the licence that replaces it, for `replaced` */
    replacedBy?: string;
  },
) {
  return trx
    .updateTable('licences')
    .set((eb) => ({ ...change, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
    .then((row) => opened(row));
}

/** Appends a status change. */
export async function insertLicenceEvent(trx: Tx, row: Insertable<LicenceEventsTable>) {
  await trx.insertInto('licenceEvents').values(row).execute();
}

/** The status history of a licence, oldest first. */
export function listLicenceEvents(db: Db, licenceId: string) {
  return db
    .selectFrom('licenceEvents')
    .select(['action', 'fromStatus', 'toStatus', 'reason', 'at'])
    .where('licenceId', '=', licenceId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** The licences of a subject: bound to it, or held under its kind and identifier. */
export function listLicencesOfSubject(
  db: Db,
  subject: { id: string; kind: 'person' | 'enterprise'; identifier: string },
) {
  return db
    .selectFrom('licences')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('subjectId', '=', subject.id),
        eb.and([
          eb('subjectId', 'is', null),
          eb('holderKind', '=', subject.kind),
          eb('holderIdentifier', 'in', lookupForms(subject.identifier)),
        ]),
      ]),
    )
    .orderBy('issuedAt', 'desc')
    .execute()
    .then((rows) => rows.map((row) => opened(row)));
}

/** A subject by id. */
export function findSubject(db: Db, id: string) {
  return db
    .selectFrom('subjects')
    .select(['id', 'kind', 'identifier', 'name', 'regionCode'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A subject by its kind and identifier. */
export function findSubjectByIdentifier(db: Db, kind: 'person' | 'enterprise', identifier: string) {
  return db
    .selectFrom('subjects')
    .select(['id'])
    .where('kind', '=', kind)
    .where('identifier', 'in', lookupForms(identifier))
    .executeTakeFirst();
}

/** A department by code. */
export function findDepartment(db: Db, code: string) {
  return db
    .selectFrom('departments')
    .select(['code', 'nameZh', 'nameEn', 'uscc', 'regionCode'])
    .where('code', '=', code)
    .executeTakeFirst();
}

/** A stored share of a licence (亮证). */
export type LicenceShareRow = Selectable<LicenceSharesTable>;

/** Adds a share. */
export function insertLicenceShare(trx: Tx, row: Insertable<LicenceSharesTable>) {
  return trx.insertInto('licenceShares').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A share by the hash of its token. */
export function findLicenceShareByTokenHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('licenceShares')
    .selectAll()
    .where('tokenHash', '=', tokenHash)
    .executeTakeFirst();
}

/** The shares of a licence, newest first. */
export function listLicenceShares(db: Db, licenceId: string) {
  return db
    .selectFrom('licenceShares')
    .selectAll()
    .where('licenceId', '=', licenceId)
    .orderBy('createdAt', 'desc')
    .orderBy('id')
    .execute();
}

/** Locks a share of a licence until the transaction ends. */
export function lockLicenceShare(trx: Tx, licenceId: string, shareId: string) {
  return trx
    .selectFrom('licenceShares')
    .selectAll()
    .where('id', '=', shareId)
    .where('licenceId', '=', licenceId)
    .forUpdate()
    .executeTakeFirst();
}

/** Withdraws a share. */
export async function revokeLicenceShare(trx: Tx, shareId: string, at: Date) {
  await trx.updateTable('licenceShares').set({ revokedAt: at }).where('id', '=', shareId).execute();
}

/** Counts one opening of a share and appends it to the share's views. */
export async function recordLicenceShareView(
  trx: Tx,
  share: { id: string; regionCode: string },
  view: { id: string; viewedAt: Date },
) {
  await trx
    .updateTable('licenceShares')
    .set((eb) => ({ viewCount: eb('viewCount', '+', 1), lastViewedAt: view.viewedAt }))
    .where('id', '=', share.id)
    .execute();
  await trx
    .insertInto('licenceShareViews')
    .values({
      id: view.id,
      shareId: share.id,
      regionCode: share.regionCode,
      viewedAt: view.viewedAt,
    })
    .execute();
}

export { departmentCodeOf } from '../platform/regions';

/**
 * Seals, a batch at a time, what licences keep sealed and still hold plain (written before sealing)
 * or sealed under an earlier data key: person holders' resident ID numbers in licences and the use
 * log, licences' fields, and signing keys' private halves. Safe on every start and from several
 * servers (`for update skip locked`). The signature covers the plain values, which reads see again.
 */
export async function sealLicences(db: Kdb, batch = 500): Promise<SealOutcome> {
  const pattern = currentSealPattern();
  const outcomes: SealOutcome[] = [];
  for (const table of ['licences', 'licenceUses'] as const) {
    outcomes.push(
      await sealInBatches(
        db,
        `licences.${table}`,
        {
          select: (trx, after: { id: string } | null, limit) =>
            trx
              .selectFrom(table)
              .select([
                'id',
                'holderKind',
                // the stored text: the database layer opens `holderIdentifier` in every result
                sql<string>`holder_identifier`.as('storedIdentifier'),
                ...(table === 'licences' ? [sql<unknown>`fields`.as('fields')] : []),
              ])
              .where((eb) =>
                eb.or([
                  eb.and([
                    eb('holderKind', '=', 'person'),
                    textNeedsSealing('holderIdentifier', pattern),
                  ]),
                  ...(table === 'licences' ? [jsonNeedsSealing('fields', pattern)] : []),
                ]),
              )
              .$if(after !== null, (q) => q.where('id', '>', after!.id))
              .orderBy('id')
              .limit(limit)
              .forUpdate()
              .skipLocked()
              .execute() as Promise<
              { id: string; holderKind: string; storedIdentifier: string; fields?: unknown }[]
            >,
          write: async (trx, row) => {
            const holderIdentifier =
              row.holderKind === 'person'
                ? resealLookup(row.storedIdentifier)
                : row.storedIdentifier;
            await trx
              .updateTable(table)
              .set(
                table === 'licences'
                  ? { holderIdentifier, fields: resealJson(row.fields) ?? 'null' }
                  : { holderIdentifier },
              )
              .where('id', '=', row.id)
              .execute();
            return true;
          },
        },
        batch,
      ),
    );
  }
  outcomes.push(
    await sealColumnsInBatches(
      db,
      'licences.signing-keys',
      { table: 'licence_signing_keys', key: 'id', text: ['private_key'] },
      batch,
    ),
  );
  return {
    sealed: outcomes.reduce((n, o) => n + o.sealed, 0),
    refused: outcomes.reduce((n, o) => n + o.refused, 0),
  };
}
