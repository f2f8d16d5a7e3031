// What the government already holds for a subject, so that applications need not ask for it
// (免提交): the subject's valid e-licences, the other departments' shared data connected to the
// platform, and the results of items the subject completed. Implements the cases capability's
// MaterialSources port; every use is logged (licence_uses) for the holder to see.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import {
  approvedResultsOf,
  sourceName,
  usePurpose,
  type HeldSource,
  type Holder,
  type MaterialSources,
  type MaterialUse,
} from '../cases';
import type { MaterialSource } from '../catalog/schema';
import { appendAudit } from '../platform/audit';
import { lookupForms, sealSubjectIdentifier } from '../platform/crypto';
import type { Actor } from '../platform/auth/model';
import { toLocalDate } from '../platform/calendar';
import type { Kdb, Tx } from '../platform/db/database';
import type { Text } from '../platform/i18n';
import type { LicenceService } from './service';

type Db = Kdb | Tx;

function namesOf(wanted: readonly MaterialSource[], kind: MaterialSource['kind']): string[] {
  return [...new Set(wanted.filter((s) => s.kind === kind).map(sourceName))];
}

/** The licences capability's answer to "what does this applicant hold?" (MaterialSources). */
export class LicenceHoldings implements MaterialSources {
  constructor(
    private readonly db: Kdb,
    private readonly licences: LicenceService,
  ) {}

  async held(db: Db, holder: Holder, wanted: readonly MaterialSource[]): Promise<HeldSource[]> {
    const [licences, data, results] = await Promise.all([
      this.#licences(db, holder, namesOf(wanted, 'licence')),
      this.#sharedData(db, holder, namesOf(wanted, 'shared-data')),
      this.#results(db, holder, namesOf(wanted, 'item-result')),
    ]);
    return [...licences, ...data, ...results];
  }

  /** Valid, unexpired licences of the wanted types; the latest issued of each type. */
  async #licences(db: Db, holder: Holder, types: string[]): Promise<HeldSource[]> {
    if (types.length === 0) return [];
    const today = toLocalDate(new Date());
    const rows = await db
      .selectFrom('licences')
      .innerJoin('licenceTypes', 'licenceTypes.code', 'licences.typeCode')
      .select([
        'licences.id',
        'licences.identifier',
        'licences.validUntil',
        'licenceTypes.nameZh',
        'licenceTypes.nameEn',
      ])
      .where('licences.holderKind', '=', holder.kind)
      .where('licences.holderIdentifier', 'in', lookupForms(holder.identifier))
      .where('licences.status', '=', 'valid')
      .where((eb) =>
        eb.or([eb('licences.validUntil', 'is', null), eb('licences.validUntil', '>=', today)]),
      )
      .where('licenceTypes.nameZh', 'in', types)
      .orderBy('licences.issuedAt', 'desc')
      .execute();
    const latest = new Map<string, (typeof rows)[number]>();
    for (const row of rows) if (!latest.has(row.nameZh)) latest.set(row.nameZh, row);
    return [...latest.values()].map((row) => ({
      kind: 'licence',
      name: row.nameZh,
      label: { zh: `电子证照「${row.nameZh}」`, en: `e-licence "${row.nameEn}"` },
      licence: { id: row.id, identifier: row.identifier, validUntil: row.validUntil },
    }));
  }

  /** Connected data sources that hold data on subjects of the holder's kind. */
  async #sharedData(db: Db, holder: Holder, names: string[]): Promise<HeldSource[]> {
    if (names.length === 0) return [];
    const rows = await db
      .selectFrom('sharedDataSources')
      .select(['name', 'nameEn'])
      .where('name', 'in', names)
      .where('connected', '=', true)
      .where(sql<boolean>`${holder.kind} = any(subject_kinds)`)
      .execute();
    return rows.map((row) => ({
      kind: 'shared-data',
      name: row.name,
      label: { zh: `共享数据「${row.name}」`, en: `shared data "${row.nameEn}"` },
      licence: null,
    }));
  }

  /** Items the holder's applications had approved, with the licence a result issued if any. */
  async #results(db: Db, holder: Holder, codes: string[]): Promise<HeldSource[]> {
    const results = await approvedResultsOf(db, holder, codes);
    if (results.length === 0) return [];
    const licences = await db
      .selectFrom('licences')
      .select(['id', 'identifier', 'validUntil', 'sourceCaseId'])
      .where(
        'sourceCaseId',
        'in',
        results.map((r) => r.caseId),
      )
      .where('status', '=', 'valid')
      .execute();
    return results.map((result) => {
      const licence = licences.find((l) => l.sourceCaseId === result.caseId);
      return {
        kind: 'item-result',
        name: result.itemCode,
        label: {
          zh: `已办结事项 ${result.itemCode} 的结果`,
          en: `result of item ${result.itemCode}`,
        },
        licence: licence
          ? { id: licence.id, identifier: licence.identifier, validUntil: licence.validUntil }
          : null,
      };
    });
  }

  async recordUses(trx: Tx, uses: readonly MaterialUse[], at: Date): Promise<void> {
    await insertUses(
      trx,
      uses.map((use) => ({ ...use, action: 'attached' as const })),
      at,
    );
  }

  async openLicence(licenceId: string, use: MaterialUse, at: Date) {
    const licence = await this.licences.attached(licenceId, at);
    if (!licence) return null;
    await this.db.transaction().execute(async (trx) => {
      await insertUses(trx, [{ ...use, action: 'viewed' }], at);
      await appendAudit(trx, {
        at,
        actorId: use.actor.userId,
        actorRole: use.actor.role,
        action: 'licences.viewed_for_case',
        objectType: 'licence',
        objectId: licenceId,
        ip: null,
        requestId: null,
        detail: { application: use.application.number, material: use.material.key },
      });
    });
    return licence;
  }
}

/** Appends uses to the log (attached at submission, or viewed by the staff handling the case). */
export async function insertUses(
  trx: Tx,
  uses: readonly (MaterialUse & { action: 'attached' | 'viewed' })[],
  at: Date,
): Promise<void> {
  if (uses.length === 0) return;
  await trx
    .insertInto('licenceUses')
    .values(
      uses.map((use) => ({
        id: randomUUID(),
        licenceId: use.source.licence?.id ?? null,
        sourceKind: use.source.kind,
        sourceName: use.source.name,
        holderKind: use.holder.kind,
        holderIdentifier: sealSubjectIdentifier(use.holder.kind, use.holder.identifier),
        applicationId: use.application.id,
        applicationNumber: use.application.number,
        materialKey: use.material.key,
        materialName: JSON.stringify(use.material.name),
        action: use.action,
        actorId: use.actor.userId,
        actorName: use.actor.name,
        actorRole: use.actor.role,
        departmentCode: use.actor.departmentCode,
        purpose: JSON.stringify(usePurpose(use.application.bundleName, use.material.name)),
        regionCode: use.application.regionCode,
        at,
      })),
    )
    .execute();
}

/** One entry of the use log as the holder reads it. */
export interface LicenceUseView {
  id: string;
  action: 'attached' | 'viewed';
  source: { kind: string; name: string; licenceId: string | null; identifier: string | null };
  application: { id: string; number: string };
  material: { key: string; name: Text };
  actor: { name: string; role: string | null; department: Text | null };
  purpose: Text;
  at: string;
}

/**
 * The use log of a holder's licences and data, newest first: every attachment to an application
 * and every opening by staff. Optionally of one licence only.
 */
export async function listUses(
  db: Db,
  holder: Holder,
  page: { limit: number; offset: number; licenceId?: string },
): Promise<{ items: LicenceUseView[]; total: number }> {
  let query = db
    .selectFrom('licenceUses')
    .where('licenceUses.holderKind', '=', holder.kind)
    .where('licenceUses.holderIdentifier', 'in', lookupForms(holder.identifier));
  if (page.licenceId) query = query.where('licenceUses.licenceId', '=', page.licenceId);
  const [rows, count] = await Promise.all([
    query
      .leftJoin('licences', 'licences.id', 'licenceUses.licenceId')
      .leftJoin('departments', 'departments.code', 'licenceUses.departmentCode')
      .select([
        'licenceUses.id',
        'licenceUses.action',
        'licenceUses.sourceKind',
        'licenceUses.sourceName',
        'licenceUses.licenceId',
        'licences.identifier',
        'licenceUses.applicationId',
        'licenceUses.applicationNumber',
        'licenceUses.materialKey',
        'licenceUses.materialName',
        'licenceUses.actorName',
        'licenceUses.actorRole',
        'departments.nameZh as departmentZh',
        'departments.nameEn as departmentEn',
        'licenceUses.purpose',
        'licenceUses.at',
      ])
      .orderBy('licenceUses.at', 'desc')
      .orderBy('licenceUses.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((row) => ({
      id: row.id,
      action: row.action,
      source: {
        kind: row.sourceKind,
        name: row.sourceName,
        licenceId: row.licenceId,
        identifier: row.identifier,
      },
      application: { id: row.applicationId, number: row.applicationNumber },
      material: { key: row.materialKey, name: row.materialName as Text },
      actor: {
        name: row.actorName,
        role: row.actorRole,
        department: row.departmentZh ? { zh: row.departmentZh, en: row.departmentEn! } : null,
      },
      purpose: row.purpose as Text,
      at: row.at.toISOString(),
    })),
  };
}

/** The holder the actor acts as (their own subject), or null for staff. */
export async function holderOfActor(db: Db, actor: Actor): Promise<Holder | null> {
  if (!actor.subjectId) return null;
  const subject = await db
    .selectFrom('subjects')
    .select(['kind', 'identifier'])
    .where('id', '=', actor.subjectId)
    .executeTakeFirst();
  return subject ?? null;
}
