// Issuing a licence: its identifier in the national form, the SM2 signature over its canonical
// content, the issued event, the audit entry, the holder's tags and message — shared by licences
// from decided cases, the demo data and replacements (换发).
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../platform/audit';
import { toLocalDate } from '../platform/calendar';
import type { Tx } from '../platform/db/database';
import { AppError } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import { notify } from '../platform/notify';
import type { HolderKind } from './codes';
import { refreshTags } from './dossiers';
import { buildLicenceIdentifier } from './identifier';
import { licenceContent, validUntilOf } from './model';
import { canonicalForm, contentHash, generateSigningKeyPair, signCanonical } from './signature';
import * as store from './store';
import type { LicenceRow, LicenceTypeRow } from './store';

/** What a new licence holds, and what it is issued from. */
export interface IssueSpec {
  type: LicenceTypeRow;
  /** The issuing department; its credit code is in every identifier it issues. */
  department: { code: string; uscc: string | null };
  holder: { kind: HolderKind; identifier: string; name: string; subjectId: string | null };
  fields: Record<string, unknown>;
  regionCode: string;
  sourceCaseId: string | null;
  /** The serial of the licence it replaces (same serial, next version), or null for a new one. */
  serial: string | null;
  version: number;
  now: Date;
  /** What the audit entry records besides the identifier and type. */
  audit: Record<string, unknown>;
}

function text(zh: string, en: string): Text {
  return { zh, en };
}

/**
 * 409: the issuing department has no credit code yet (seeded without demo data, to be entered on
 * the 区划与部门 page); a licence's identifier would have no issuer.
 */
function issuerWithoutUscc(code: string): AppError {
  return new AppError(409, 'licences.issuer_uscc_missing', {
    zh: `发证部门 ${code} 尚未登记统一社会信用代码，请管理员在“区划与部门”中补录后再发证`,
    en: `the issuing department ${code} has no unified social credit code yet; an administrator enters it on the regions and departments page`,
  });
}

/** The active signing key, generated on first use (one per platform). */
export async function signingKey(trx: Tx): Promise<store.SigningKeyRow> {
  const existing = await store.activeSigningKey(trx);
  if (existing) return existing;
  const pair = generateSigningKeyPair();
  await store.insertActiveSigningKey(trx, { id: randomUUID(), ...pair });
  // Another transaction may have won the race for the one active key: use whichever is active.
  return (await store.activeSigningKey(trx))!;
}

/**
 * Issues a licence in the caller's transaction. Null when the licence's case issued one meanwhile
 * (one licence per case).
 */
export async function issueLicence(trx: Tx, spec: IssueSpec): Promise<LicenceRow | null> {
  const { type, department, holder, now } = spec;
  if (department.uscc === null) throw issuerWithoutUscc(department.code);
  const validFrom = toLocalDate(now);
  const serial =
    spec.serial ??
    `${validFrom.slice(0, 4)}${String(await store.nextSerial(trx)).padStart(10, '0')}`;
  const identifier = buildLicenceIdentifier({
    typeCode: type.code,
    issuerCode: department.uscc.toUpperCase(),
    serial,
    version: spec.version,
  });
  const key = await signingKey(trx);
  const row = {
    id: randomUUID(),
    identifier,
    typeCode: type.code,
    holderKind: holder.kind,
    holderIdentifier: holder.identifier,
    holderName: holder.name,
    subjectId: holder.subjectId,
    fields: spec.fields,
    issuerDepartmentCode: department.code,
    issuedAt: now,
    validFrom,
    validUntil: validUntilOf(validFrom, type.validityYears),
    regionCode: spec.regionCode,
    sourceCaseId: spec.sourceCaseId,
    signingKeyId: key.id,
  };
  const canonical = canonicalForm(licenceContent(row));
  const inserted = await store.insertLicence(trx, {
    ...row,
    fields: JSON.stringify(spec.fields),
    status: 'valid',
    statusReason: null,
    replacedBy: null,
    contentHash: contentHash(canonical),
    signature: signCanonical(canonical, key),
    updatedAt: now,
  });
  if (!inserted) return null;
  await store.insertLicenceEvent(trx, {
    id: randomUUID(),
    licenceId: inserted.id,
    regionCode: spec.regionCode,
    action: 'issued',
    fromStatus: null,
    toStatus: 'valid',
    reason: null,
    actorId: null,
    at: now,
  });
  await appendAudit(trx, {
    at: now,
    actorId: null,
    actorRole: null,
    action: 'licences.issued',
    objectType: 'licence',
    objectId: inserted.id,
    ip: null,
    requestId: null,
    detail: { identifier, typeCode: type.code, ...spec.audit },
  });
  if (holder.subjectId) {
    await refreshTags(trx, holder.subjectId, now);
    await notify(
      trx,
      {
        to: { subjectIds: [holder.subjectId] },
        kind: 'licences.issued',
        title: text(`电子证照已签发：${type.nameZh}`, `E-licence issued: ${type.nameEn}`),
        body: text(
          `您的「${type.nameZh}」已签发电子证照，标识 ${identifier}。`,
          `Your "${type.nameEn}" was issued as an e-licence, identifier ${identifier}.`,
        ),
        link: `/licences/${inserted.id}`,
        dedupeKey: `licence-issued:${inserted.id}`,
      },
      now,
    );
  }
  return inserted;
}
