// Use cases of e-licences, each owning its transaction: issuing from a decided case (inside the
// event handler's transaction), verification, the holder's and staff's views, status changes.
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import { toLocalDate } from '../platform/calendar';
import type { Kdb, Tx } from '../platform/db/database';
import { AppError, invalidField, notFound } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import { notify } from '../platform/notify';
import { STATUS_LABELS, type HolderKind, type LicenceStatus, type StatusAction } from './codes';
import { buildLicenceIdentifier, checkLicenceIdentifier } from './identifier';
import {
  PROBLEM_TEXTS,
  canChangeStatus,
  canManageLicence,
  effectiveStatus,
  fillFields,
  holderOf,
  isHolder,
  licenceContent,
  licenceTypeToIssue,
  maskHolderName,
  statusAfter,
  validUntilOf,
  verificationProblems,
  type CaseDecidedPayload,
  type LicenceField,
} from './model';
import {
  SM2_USER_ID,
  canonicalForm,
  contentHash,
  generateSigningKeyPair,
  signCanonical,
  verifyCanonical,
} from './signature';
import * as store from './store';
import { refreshTags } from './dossiers';
import type { LicenceRow, LicenceTypeRow } from './store';

const LICENCE: Text = { zh: '电子证照', en: 'e-licence' };

/** The signature algorithm, as published with keys and verifications. */
export const SIGNATURE_ALGORITHM = 'SM2-SM3';

/** What a verification tells anyone holding an identifier: as little as needed to trust it. */
export interface Verification {
  identifier: string;
  valid: boolean;
  type: { code: string; name: Text };
  holder: { kind: HolderKind; name: string };
  issuer: { code: string; name: Text };
  issuedAt: string;
  validFrom: string;
  validUntil: string | null;
  status: LicenceStatus;
  statusLabel: Text;
  signature: { valid: boolean; algorithm: string; keyId: string; reason: Text | null };
  problems: { code: string; message: Text }[];
}

/** A licence as its holder and the issuing department see it. */
export interface LicenceView {
  id: string;
  identifier: string;
  type: { code: string; name: Text };
  holder: { kind: HolderKind; identifier: string; name: string; subjectId: string | null };
  fields: { key: string; label: Text; type: string; value: string | number | null }[];
  issuer: { code: string; name: Text };
  issuedAt: string;
  validFrom: string;
  validUntil: string | null;
  status: LicenceStatus;
  statusLabel: Text;
  statusReason: string | null;
  replacedBy: string | null;
  sourceCaseId: string | null;
  signature: { algorithm: string; keyId: string; value: string; contentHash: string };
  history: {
    action: string;
    fromStatus: string | null;
    toStatus: string;
    reason: string | null;
    at: string;
  }[];
  /** What the caller may do next. */
  actions: StatusAction[];
}

function text(zh: string, en: string): Text {
  return { zh, en };
}

/** E-licences: issue, verify, show, suspend, revoke, reinstate. */
export class LicenceService {
  constructor(private readonly db: Kdb) {}

  /** The active signing key, generated on first use (one per platform). */
  async signingKey(trx: Tx): Promise<store.SigningKeyRow> {
    const existing = await store.activeSigningKey(trx);
    if (existing) return existing;
    const pair = generateSigningKeyPair();
    await store.insertActiveSigningKey(trx, { id: randomUUID(), ...pair });
    // Another transaction may have won the race for the one active key: use whichever is active.
    return (await store.activeSigningKey(trx))!;
  }

  /**
   * Issues the licence a decided case produces, in the caller's transaction (the event handler's):
   * nothing when the case was not approved or its result is no licence; the existing licence when
   * the case issued one already (one licence per case).
   */
  async issueFromCase(
    trx: Tx,
    payload: CaseDecidedPayload,
    regionCode: string,
    now: Date,
  ): Promise<LicenceRow | null> {
    const typeName = licenceTypeToIssue(payload);
    if (!typeName) return null;
    const already = await store.findLicenceByCase(trx, payload.caseId);
    if (already) return already;
    const type = await store.findLicenceTypeByName(trx, typeName);
    // Failing makes the bus retry with backoff: the licence follows once the type is configured.
    if (!type) throw new Error(`licences: no licence type named ${typeName}`);
    const department =
      (await store.findDepartment(trx, payload.departmentCode)) ??
      (await store.findDepartment(trx, type.departmentCode));
    if (!department) throw new Error(`licences: no issuing department ${payload.departmentCode}`);
    const data = payload.data ?? {};
    const holder = holderOf(payload, type.holderKind, data);
    const subjectId =
      holder.subjectId ??
      (await store.findSubjectByIdentifier(trx, holder.kind, holder.identifier))?.id ??
      null;
    const fromHolder =
      holder.kind === 'enterprise'
        ? { uscc: holder.identifier, 'enterprise-name': holder.name, 'operator-name': holder.name }
        : { ric: holder.identifier, name: holder.name };
    const fields = fillFields(type.fields as LicenceField[], [
      payload.results ?? {},
      data,
      fromHolder,
    ]);
    const validFrom = toLocalDate(now);
    const serial = `${validFrom.slice(0, 4)}${String(await store.nextSerial(trx)).padStart(10, '0')}`;
    const identifier = buildLicenceIdentifier({
      typeCode: type.code,
      issuerCode: department.uscc.toUpperCase(),
      serial,
      version: 1,
    });
    const key = await this.signingKey(trx);
    const row = {
      id: randomUUID(),
      identifier,
      typeCode: type.code,
      holderKind: holder.kind,
      holderIdentifier: holder.identifier,
      holderName: holder.name,
      subjectId,
      fields,
      issuerDepartmentCode: department.code,
      issuedAt: now,
      validFrom,
      validUntil: validUntilOf(validFrom, type.validityYears),
      regionCode,
      sourceCaseId: payload.caseId,
      signingKeyId: key.id,
    };
    const canonical = canonicalForm(licenceContent(row));
    const inserted = await store.insertLicence(trx, {
      ...row,
      fields: JSON.stringify(fields),
      status: 'valid',
      statusReason: null,
      replacedBy: null,
      contentHash: contentHash(canonical),
      signature: signCanonical(canonical, key),
      updatedAt: now,
    });
    if (!inserted) return (await store.findLicenceByCase(trx, payload.caseId)) ?? null;
    await store.insertLicenceEvent(trx, {
      id: randomUUID(),
      licenceId: inserted.id,
      regionCode,
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
      detail: {
        identifier,
        typeCode: type.code,
        caseId: payload.caseId,
        itemCode: payload.itemCode,
      },
    });
    if (subjectId) await refreshTags(trx, subjectId, now);
    if (subjectId) {
      await notify(
        trx,
        {
          to: { subjectIds: [subjectId] },
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

  /** Public verification: the signature and the status, with minimal disclosure. */
  async verify(identifier: string, now: Date = new Date()): Promise<Verification> {
    const check = checkLicenceIdentifier(identifier);
    if (!check.valid) throw invalidField('params.identifier', check.rule, check.message);
    const row = await store.findLicenceByIdentifier(this.db, identifier);
    if (!row) throw notFound(LICENCE);
    const [type, department, key] = await Promise.all([
      store.findLicenceType(this.db, row.typeCode),
      store.findDepartment(this.db, row.issuerDepartmentCode),
      store.findSigningKey(this.db, row.signingKeyId),
    ]);
    const canonical = canonicalForm(licenceContent(row));
    const signatureValid =
      key !== undefined &&
      contentHash(canonical) === row.contentHash &&
      verifyCanonical(canonical, row.signature, key.publicKey);
    const status = effectiveStatus(row.status, row.validUntil, toLocalDate(now));
    const problems = verificationProblems(signatureValid, status);
    return {
      identifier: row.identifier,
      valid: problems.length === 0,
      type: { code: row.typeCode, name: typeName(type, row.typeCode) },
      holder: { kind: row.holderKind, name: maskHolderName(row.holderKind, row.holderName) },
      issuer: {
        code: row.issuerDepartmentCode,
        name: departmentName(department, row.issuerDepartmentCode),
      },
      issuedAt: row.issuedAt.toISOString(),
      validFrom: row.validFrom,
      validUntil: row.validUntil,
      status,
      statusLabel: STATUS_LABELS[status],
      signature: {
        valid: signatureValid,
        algorithm: SIGNATURE_ALGORITHM,
        keyId: row.signingKeyId,
        reason: signatureValid ? null : PROBLEM_TEXTS.tampered,
      },
      problems: problems.map((code) => ({ code, message: PROBLEM_TEXTS[code] })),
    };
  }

  /** The licences of the caller's subject (citizens and enterprises). */
  async mine(actor: Actor, now: Date = new Date()): Promise<LicenceView[]> {
    const subject = actor.subjectId ? await store.findSubject(this.db, actor.subjectId) : undefined;
    if (!subject) return [];
    const rows = await store.listLicencesOfSubject(this.db, {
      id: subject.id,
      kind: subject.kind,
      identifier: subject.identifier,
    });
    return Promise.all(rows.map((row) => this.#view(row, [], now, false)));
  }

  /** One licence, for its holder or the issuing department's staff (404 for anyone else). */
  async get(actor: Actor, id: string, now: Date = new Date()): Promise<LicenceView> {
    const row = await store.findLicence(this.db, id);
    if (!row) throw notFound(LICENCE);
    const manages = await this.#manages(actor, row);
    if (!manages) {
      const subject = actor.subjectId
        ? await store.findSubject(this.db, actor.subjectId)
        : undefined;
      if (!isHolder(subject ?? null, row)) throw notFound(LICENCE);
    }
    const history = await store.listLicenceEvents(this.db, row.id);
    return this.#view(row, history, now, manages);
  }

  /** Suspends, revokes or reinstates a licence: issuing department's reviewers and admins. */
  async changeStatus(
    actor: Actor,
    id: string,
    action: StatusAction,
    reason: string,
    meta: RequestMeta,
    now: Date = new Date(),
  ): Promise<LicenceView> {
    const actorDepartment = await store.departmentCodeOf(this.db, actor.departmentId);
    const changed = await this.db.transaction().execute(async (trx) => {
      const row = await store.lockLicence(trx, id);
      if (!row || !canManageLicence(actor, actorDepartment, row.issuerDepartmentCode)) {
        throw notFound(LICENCE);
      }
      if (!canChangeStatus(action, row.status)) {
        throw new AppError(409, 'licences.invalid_status', {
          zh: `证照当前状态为「${STATUS_LABELS[row.status].zh}」，不能${ACTION_LABELS[action].zh}`,
          en: `a licence that is ${STATUS_LABELS[row.status].en} cannot be ${ACTION_LABELS[action].en}`,
        });
      }
      const to = statusAfter(action);
      const updated = await store.updateLicenceStatus(trx, id, {
        status: to,
        statusReason: action === 'reinstate' ? null : reason,
        updatedAt: now,
      });
      await store.insertLicenceEvent(trx, {
        id: randomUUID(),
        licenceId: id,
        regionCode: row.regionCode,
        action: EVENT_OF[action],
        fromStatus: row.status,
        toStatus: to,
        reason,
        actorId: actor.userId,
        at: now,
      });
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: `licences.${EVENT_OF[action]}`,
        objectType: 'licence',
        objectId: id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { identifier: row.identifier, from: row.status, to, reason },
      });
      if (row.subjectId) await refreshTags(trx, row.subjectId, now);
      const type = await store.findLicenceType(trx, row.typeCode);
      if (row.subjectId) {
        await notify(
          trx,
          {
            to: { subjectIds: [row.subjectId] },
            kind: `licences.${EVENT_OF[action]}`,
            title: text(
              `电子证照${ACTION_LABELS[action].zh}：${type?.nameZh ?? row.typeCode}`,
              `E-licence ${ACTION_LABELS[action].en}: ${type?.nameEn ?? row.typeCode}`,
            ),
            body: text(`原因：${reason}`, `Reason: ${reason}`),
            link: `/licences/${id}`,
            dedupeKey: `licence-${action}:${id}:${updated.version}`,
          },
          now,
        );
      }
      return updated;
    });
    const history = await store.listLicenceEvents(this.db, id);
    return this.#view(changed, history, now, true);
  }

  /** The published public keys that verify licence signatures. */
  async publicKeys() {
    const keys = await store.listPublicKeys(this.db);
    return keys.map((k) => ({
      id: k.id,
      algorithm: SIGNATURE_ALGORITHM,
      publicKey: k.publicKey,
      userId: SM2_USER_ID,
      active: k.active,
      createdAt: k.createdAt.toISOString(),
    }));
  }

  /** Every licence type with its fields. */
  async types() {
    const rows = await store.listLicenceTypes(this.db);
    return rows.map((t) => ({
      code: t.code,
      name: text(t.nameZh, t.nameEn),
      departmentCode: t.departmentCode,
      holderKind: t.holderKind,
      fields: t.fields as LicenceField[],
      validityYears: t.validityYears,
    }));
  }

  async #manages(actor: Actor, row: LicenceRow): Promise<boolean> {
    if (actor.role !== 'admin' && actor.role !== 'reviewer') return false;
    const department = await store.departmentCodeOf(this.db, actor.departmentId);
    return canManageLicence(actor, department, row.issuerDepartmentCode);
  }

  async #view(
    row: LicenceRow,
    history: Awaited<ReturnType<typeof store.listLicenceEvents>>,
    now: Date,
    manages: boolean,
  ): Promise<LicenceView> {
    const [type, department] = await Promise.all([
      store.findLicenceType(this.db, row.typeCode),
      store.findDepartment(this.db, row.issuerDepartmentCode),
    ]);
    const values = (row.fields ?? {}) as Record<string, string | number>;
    const status = effectiveStatus(row.status, row.validUntil, toLocalDate(now));
    return {
      id: row.id,
      identifier: row.identifier,
      type: { code: row.typeCode, name: typeName(type, row.typeCode) },
      holder: {
        kind: row.holderKind,
        identifier: row.holderIdentifier,
        name: row.holderName,
        subjectId: row.subjectId,
      },
      fields: ((type?.fields ?? []) as LicenceField[]).map((f) => ({
        key: f.key,
        label: f.label,
        type: f.type,
        value: values[f.key] ?? null,
      })),
      issuer: {
        code: row.issuerDepartmentCode,
        name: departmentName(department, row.issuerDepartmentCode),
      },
      issuedAt: row.issuedAt.toISOString(),
      validFrom: row.validFrom,
      validUntil: row.validUntil,
      status,
      statusLabel: STATUS_LABELS[status],
      statusReason: row.statusReason,
      replacedBy: row.replacedBy,
      sourceCaseId: row.sourceCaseId,
      signature: {
        algorithm: SIGNATURE_ALGORITHM,
        keyId: row.signingKeyId,
        value: row.signature,
        contentHash: row.contentHash,
      },
      history: history.map((h) => ({ ...h, at: h.at.toISOString() })),
      actions: manages
        ? (['suspend', 'revoke', 'reinstate'] as const).filter((a) =>
            canChangeStatus(a, row.status),
          )
        : [],
    };
  }
}

const ACTION_LABELS: Record<StatusAction, Text> = {
  suspend: text('暂扣', 'suspended'),
  revoke: text('撤销', 'revoked'),
  reinstate: text('恢复', 'reinstated'),
};

const EVENT_OF = {
  suspend: 'suspended',
  revoke: 'revoked',
  reinstate: 'reinstated',
} as const satisfies Record<StatusAction, string>;

function typeName(type: LicenceTypeRow | undefined, code: string): Text {
  return type ? text(type.nameZh, type.nameEn) : text(code, code);
}

function departmentName(
  department: { nameZh: string; nameEn: string } | undefined,
  code: string,
): Text {
  return department ? text(department.nameZh, department.nameEn) : text(code, code);
}
