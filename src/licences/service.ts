// Use cases of e-licences, each owning its transaction: issuing from a decided case (inside the
// event handler's transaction), verification, the holder's and staff's views, status changes.
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import { toLocalDate } from '../platform/calendar';
import type { Kdb, Tx } from '../platform/db/database';
import { AppError, invalidField, notFound } from '../platform/http/errors';
import { invalidRequest } from '../platform/http/validation';
import type { Text } from '../platform/i18n';
import { notify } from '../platform/notify';
import { STATUS_LABELS, type HolderKind, type LicenceStatus, type StatusAction } from './codes';
import { checkLicenceIdentifier } from './identifier';
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
  verificationProblems,
  type CaseDecidedPayload,
  type LicenceField,
} from './model';
import { SM2_USER_ID, canonicalForm, contentHash, verifyCanonical } from './signature';
import * as store from './store';
import { refreshTags } from './dossiers';
import { issueLicence } from './issuing';
import { ensureSubject } from '../cases';
import { addRepresentative } from '../platform/auth/representatives';
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

/** E-licences: issue, verify, show, suspend, revoke, reinstate, replace. */
export class LicenceService {
  constructor(private readonly db: Kdb) {}

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
    let subjectId =
      holder.subjectId ??
      (await store.findSubjectByIdentifier(trx, holder.kind, holder.identifier))?.id ??
      null;
    const founded = subjectId === null && holder.kind === 'enterprise';
    if (founded) {
      // A business licence of a new enterprise (企业开办): the enterprise becomes known to the
      // platform, and the person who applied for it may act for it as its legal representative.
      subjectId = (
        await ensureSubject(trx, {
          kind: 'enterprise',
          name: holder.name,
          identifier: holder.identifier,
          regionCode,
          mobile: null,
        })
      ).id;
    }
    const fromHolder =
      holder.kind === 'enterprise'
        ? { uscc: holder.identifier, 'enterprise-name': holder.name, 'operator-name': holder.name }
        : { ric: holder.identifier, name: holder.name };
    const fields = fillFields(type.fields as LicenceField[], [
      payload.results ?? {},
      data,
      fromHolder,
    ]);
    const inserted = await issueLicence(trx, {
      type,
      department,
      holder: { ...holder, subjectId },
      fields,
      regionCode,
      sourceCaseId: payload.caseId,
      version: 1,
      serial: null,
      now,
      audit: { caseId: payload.caseId, itemCode: payload.itemCode },
    });
    if (!inserted) return (await store.findLicenceByCase(trx, payload.caseId)) ?? null;
    if (founded && payload.holder.kind === 'person') {
      await addRepresentative(trx, {
        enterpriseId: subjectId!,
        personId: payload.subjectId,
        since: now,
        source: `licence:${inserted.identifier}`,
      });
    }
    return inserted;
  }

  /**
   * Issues a licence of the demo data to a known subject (no case behind it), dated as given;
   * fields not given are filled from the holder (name, identifier). Null when the type is unknown.
   */
  async issueDemo(
    trx: Tx,
    input: { typeName: string; subjectId: string; fields: Record<string, unknown>; issuedAt: Date },
  ): Promise<LicenceRow | null> {
    const type = await store.findLicenceTypeByName(trx, input.typeName);
    const department = type ? await store.findDepartment(trx, type.departmentCode) : undefined;
    const subject = await store.findSubject(trx, input.subjectId);
    if (!type || !department || !subject || subject.kind !== type.holderKind) return null;
    const fromHolder =
      subject.kind === 'enterprise'
        ? {
            uscc: subject.identifier,
            'enterprise-name': subject.name,
            'operator-name': subject.name,
          }
        : { ric: subject.identifier, name: subject.name, 'owner-name': subject.name };
    return issueLicence(trx, {
      type,
      department,
      holder: { ...subject, subjectId: subject.id },
      fields: fillFields(type.fields as LicenceField[], [input.fields, fromHolder]),
      regionCode: subject.regionCode,
      sourceCaseId: null,
      serial: null,
      version: 1,
      now: input.issuedAt,
      audit: { demo: true },
    });
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

  /**
   * 换发: a new version of a valid licence with corrected or changed fields (same serial, next
   * version, a new signature and validity); the old one becomes `replaced` and points to it. By
   * the issuing department's reviewers or an administrator.
   */
  async replace(
    actor: Actor,
    id: string,
    input: { reason: string; fields?: Record<string, string | number> },
    meta: RequestMeta,
    now: Date = new Date(),
  ): Promise<LicenceView> {
    const actorDepartment = await store.departmentCodeOf(this.db, actor.departmentId);
    const created = await this.db.transaction().execute(async (trx) => {
      const row = await store.lockLicence(trx, id);
      if (!row || !canManageLicence(actor, actorDepartment, row.issuerDepartmentCode)) {
        throw notFound(LICENCE);
      }
      if (row.status !== 'valid') {
        throw new AppError(409, 'licences.invalid_status', {
          zh: `证照当前状态为「${STATUS_LABELS[row.status].zh}」，只有有效的证照可以换发`,
          en: `a licence that is ${STATUS_LABELS[row.status].en} cannot be replaced; only a valid one`,
        });
      }
      const type = (await store.findLicenceType(trx, row.typeCode))!;
      const fields = replacedFields(
        type.fields as LicenceField[],
        row.fields as Record<string, string | number>,
        input.fields ?? {},
      );
      const department = (await store.findDepartment(trx, row.issuerDepartmentCode))!;
      const check = checkLicenceIdentifier(row.identifier);
      if (!check.valid) throw new Error(`licences: stored identifier ${row.identifier} is invalid`);
      const { parts } = check;
      const next = await issueLicence(trx, {
        type,
        department,
        holder: {
          kind: row.holderKind,
          identifier: row.holderIdentifier,
          name: row.holderName,
          subjectId: row.subjectId,
        },
        fields,
        regionCode: row.regionCode,
        sourceCaseId: null,
        serial: parts.serial,
        version: parts.version + 1,
        now,
        audit: { replaces: row.identifier, reason: input.reason },
      });
      await store.updateLicenceStatus(trx, id, {
        status: 'replaced',
        statusReason: input.reason,
        replacedBy: next!.id,
        updatedAt: now,
      });
      await store.insertLicenceEvent(trx, {
        id: randomUUID(),
        licenceId: id,
        regionCode: row.regionCode,
        action: 'replaced',
        fromStatus: row.status,
        toStatus: 'replaced',
        reason: input.reason,
        actorId: actor.userId,
        at: now,
      });
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'licences.replaced',
        objectType: 'licence',
        objectId: id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { identifier: row.identifier, by: next!.identifier, reason: input.reason },
      });
      return next!;
    });
    const history = await store.listLicenceEvents(this.db, created.id);
    return this.#view(created, history, now, true);
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

  /**
   * A licence as staff handling an application it was attached to see it (no actions): the caller
   * has checked that it was attached, and logs the opening. Null when it does not exist.
   */
  async attached(id: string, now: Date = new Date()): Promise<LicenceView | null> {
    const row = await store.findLicence(this.db, id);
    if (!row) return null;
    return this.#view(row, await store.listLicenceEvents(this.db, row.id), now, false);
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

/**
 * The fields of a replacement: the old values with the changes applied. Only the type's fields
 * may change, and never the identifiers (the holder's ID or credit code).
 */
function replacedFields(
  typeFields: readonly LicenceField[],
  old: Record<string, string | number>,
  changes: Record<string, string | number>,
): Record<string, string | number> {
  const problems = Object.keys(changes).flatMap((key) => {
    const field = typeFields.find((f) => f.key === key);
    if (!field) {
      return [
        {
          path: `body.fields.${key}`,
          rule: 'licence-field',
          message: text(`证照类型没有字段 ${key}`, `the licence type has no field ${key}`),
        },
      ];
    }
    if (field.type === 'identifier') {
      return [
        {
          path: `body.fields.${key}`,
          rule: 'immutable',
          message: text(
            `「${field.label.zh}」不能在换发时更改`,
            `"${field.label.en}" cannot change in a replacement`,
          ),
        },
      ];
    }
    return [];
  });
  if (problems.length > 0) throw invalidRequest(problems);
  return fillFields(typeFields, [changes, old]);
}

function typeName(type: LicenceTypeRow | undefined, code: string): Text {
  return type ? text(type.nameZh, type.nameEn) : text(code, code);
}

function departmentName(
  department: { nameZh: string; nameEn: string } | undefined,
  code: string,
): Text {
  return department ? text(department.nameZh, department.nameEn) : text(code, code);
}
