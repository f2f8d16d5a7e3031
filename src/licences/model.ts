// Pure rules of e-licences: the licence type schema, validity, status, the canonical signed
// content, filling fields from a case, who holds a licence, masking, and who may change a status.
import { Type, type Static } from 'typebox';
import type { Actor } from '../platform/auth/model';
import type { Text } from '../platform/i18n';
import {
  FIELD_TYPES,
  type FieldType,
  HOLDER_KINDS,
  STATUS_ACTIONS,
  type HolderKind,
  type LicenceStatus,
  type StatusAction,
  type StoredStatus,
} from './codes';

const TextSchema = Type.Object(
  {
    zh: Type.String({ minLength: 1, maxLength: 200 }),
    en: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

/** One field a licence type declares. */
export const LicenceFieldSchema = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }),
    label: TextSchema,
    type: Type.Unsafe<FieldType>(Type.Union(FIELD_TYPES.map((t) => Type.Literal(t)))),
  },
  { additionalProperties: false },
);
/** A field of a licence type. */
export type LicenceField = Static<typeof LicenceFieldSchema>;

/** 证照类型 as data/licences/types.yaml writes it. */
export const LicenceTypeSchema = Type.Object(
  {
    /** 证照类型代码 — the authority's credit code and a 3-digit number. */
    code: Type.String({ pattern: '^[0-9A-Z]{18}[0-9]{3}$' }),
    name: TextSchema,
    /** The local issuing department (its code). */
    department: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }),
    holderKind: Type.Unsafe<HolderKind>(Type.Union(HOLDER_KINDS.map((k) => Type.Literal(k)))),
    fields: Type.Array(LicenceFieldSchema, { maxItems: 50 }),
    /** Years of validity from the day of issue; absent: no end date (长期). */
    validityYears: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
/** A licence type. */
export type LicenceType = Static<typeof LicenceTypeSchema>;

/** The licence types file. */
export const LicenceTypesFileSchema = Type.Object(
  { types: Type.Array(LicenceTypeSchema, { minItems: 1 }) },
  { additionalProperties: false },
);

/** Problems across the types of a file: duplicate codes, names or field keys. */
export function licenceTypeProblems(types: readonly LicenceType[]): string[] {
  const problems: string[] = [];
  const codes = new Set<string>();
  const names = new Set<string>();
  for (const [index, type] of types.entries()) {
    if (codes.has(type.code)) problems.push(`types.${index}.code: duplicate ${type.code}`);
    if (names.has(type.name.zh)) problems.push(`types.${index}.name.zh: duplicate ${type.name.zh}`);
    codes.add(type.code);
    names.add(type.name.zh);
    const keys = new Set<string>();
    for (const field of type.fields) {
      if (keys.has(field.key)) problems.push(`types.${index}.fields: duplicate key ${field.key}`);
      keys.add(field.key);
    }
  }
  return problems;
}

/** `YYYY-MM-DD` plus whole years, the day before the anniversary (a 5-year licence of 2026-03-01 ends 2031-02-28). */
export function validUntilOf(validFrom: string, years: number | null | undefined): string | null {
  if (!years) return null;
  const [y, m, d] = validFrom.split('-').map(Number) as [number, number, number];
  // Date.UTC rolls 29 February over to 1 March in a common year, which is the anniversary we want.
  const anniversary = new Date(Date.UTC(y + years, m - 1, d));
  return new Date(anniversary.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/** The status a licence shows on a day (Beijing date): a valid one past its end is expired. */
export function effectiveStatus(
  stored: StoredStatus,
  validUntil: string | null,
  today: string,
): LicenceStatus {
  if (stored === 'valid' && validUntil !== null && today > validUntil) return 'expired';
  return stored;
}

/** What a licence's signature covers: everything fixed at issue (not status, which changes). */
export interface LicenceContent {
  identifier: string;
  typeCode: string;
  holder: { kind: HolderKind; identifier: string; name: string };
  fields: Record<string, string | number>;
  issuerDepartmentCode: string;
  issuedAt: string;
  validFrom: string;
  validUntil: string | null;
  regionCode: string;
  sourceCaseId: string | null;
  signingKeyId: string;
}

/** The signed content of a stored licence row, in a fixed shape (version 1 of the form). */
export function licenceContent(row: {
  identifier: string;
  typeCode: string;
  holderKind: HolderKind;
  holderIdentifier: string;
  holderName: string;
  fields: unknown;
  issuerDepartmentCode: string;
  issuedAt: Date;
  validFrom: string;
  validUntil: string | null;
  regionCode: string;
  sourceCaseId: string | null;
  signingKeyId: string;
}): LicenceContent & { form: 1 } {
  return {
    form: 1,
    identifier: row.identifier,
    typeCode: row.typeCode,
    holder: { kind: row.holderKind, identifier: row.holderIdentifier, name: row.holderName },
    fields: (row.fields ?? {}) as Record<string, string | number>,
    issuerDepartmentCode: row.issuerDepartmentCode,
    issuedAt: row.issuedAt.toISOString(),
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    regionCode: row.regionCode,
    sourceCaseId: row.sourceCaseId,
    signingKeyId: row.signingKeyId,
  };
}

/**
 * The type's fields filled from the given sources, the first that has a key winning (the case's
 * results before its form data); values that are not strings or numbers are left out.
 */
export function fillFields(
  fields: readonly LicenceField[],
  sources: readonly Record<string, unknown>[],
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const field of fields) {
    for (const source of sources) {
      const value = source[field.key];
      if ((typeof value === 'string' && value.trim() !== '') || typeof value === 'number') {
        out[field.key] = typeof value === 'string' ? value.trim().slice(0, 2000) : value;
        break;
      }
    }
  }
  return out;
}

/** What `cases.case_decided` carries (docs/architecture.md, Department cases). */
export interface CaseDecidedPayload {
  caseId: string;
  itemCode: string;
  departmentCode: string;
  decision: string | null;
  result: { kind: string; name?: Text; licenceType?: string } | null;
  results: Record<string, unknown> | null;
  /** The case's own form data (its part of the merged form). */
  data?: Record<string, unknown>;
  subjectId: string;
  holder: { kind: string; name: string; identifier: string };
}

/** Whether a decided case issues a licence, and of which type (by its catalog name). */
export function licenceTypeToIssue(payload: CaseDecidedPayload): string | null {
  if (payload.decision !== 'approved' && payload.decision !== 'deemed_approved') return null;
  if (payload.result?.kind !== 'licence' || !payload.result.licenceType) return null;
  return payload.result.licenceType;
}

/** The holder of a licence issued from a case. */
export interface Holder {
  kind: HolderKind;
  identifier: string;
  name: string;
  /** The applicant's subject when the holder is the applicant; otherwise found by identifier. */
  subjectId: string | null;
}

/**
 * Who holds the licence: a new enterprise whose credit code the case assigned (营业执照 of an
 * enterprise opening: `results.uscc`, named by the form's enterprise name), or else the applicant.
 */
export function holderOf(
  payload: CaseDecidedPayload,
  holderKind: HolderKind,
  data: Record<string, unknown>,
): Holder {
  const uscc = payload.results?.uscc;
  if (
    holderKind === 'enterprise' &&
    typeof uscc === 'string' &&
    uscc !== payload.holder.identifier
  ) {
    const name = [data['enterprise-name'], data['proposed-name']].find(
      (v): v is string => typeof v === 'string' && v.trim() !== '',
    );
    return { kind: 'enterprise', identifier: uscc, name: name?.trim() ?? uscc, subjectId: null };
  }
  return {
    kind: payload.holder.kind === 'enterprise' ? 'enterprise' : 'person',
    identifier: payload.holder.identifier,
    name: payload.holder.name,
    subjectId: payload.subjectId,
  };
}

/**
 * A holder's name for the public verification page: a person's surname only (张**), an
 * enterprise's name with its middle hidden (威海市****机械厂).
 */
export function maskHolderName(kind: HolderKind, name: string): string {
  const chars = [...name];
  if (kind === 'person') return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
  if (chars.length <= 6) return chars[0] + '*'.repeat(chars.length - 1);
  return chars.slice(0, 3).join('') + '****' + chars.slice(-3).join('');
}

/** Whether a status change applies to a licence in its stored status. */
export function canChangeStatus(action: StatusAction, stored: StoredStatus): boolean {
  switch (action) {
    case 'suspend':
      return stored === 'valid';
    case 'revoke':
      return stored === 'valid' || stored === 'suspended';
    case 'reinstate':
      return stored === 'suspended';
  }
}

/** The status a change leads to. */
export function statusAfter(action: StatusAction): StoredStatus {
  return STATUS_ACTIONS[action];
}

/** Staff who may see and change a licence: admins, and reviewers of the issuing department. */
export function canManageLicence(
  actor: Pick<Actor, 'role'>,
  actorDepartmentCode: string | null,
  issuerDepartmentCode: string,
): boolean {
  if (actor.role === 'admin') return true;
  return actor.role === 'reviewer' && actorDepartmentCode === issuerDepartmentCode;
}

/** Whether a licence is the actor's own: held by their subject, or under their identifier. */
export function isHolder(
  subject: { id: string; kind: string; identifier: string } | null,
  licence: { subjectId: string | null; holderKind: string; holderIdentifier: string },
): boolean {
  if (!subject) return false;
  if (licence.subjectId !== null) return licence.subjectId === subject.id;
  return licence.holderKind === subject.kind && licence.holderIdentifier === subject.identifier;
}

/** Why a verification fails, if it does. */
export type VerificationProblem = 'tampered' | 'revoked' | 'suspended' | 'expired' | 'replaced';

/** The problems of a licence as verified: the signature first, then the status. */
export function verificationProblems(
  signatureValid: boolean,
  status: LicenceStatus,
): VerificationProblem[] {
  const problems: VerificationProblem[] = [];
  if (!signatureValid) problems.push('tampered');
  if (status !== 'valid') problems.push(status);
  return problems;
}

/** What each verification problem tells the verifier. */
export const PROBLEM_TEXTS: Record<VerificationProblem, Text> = {
  tampered: {
    zh: '签名校验未通过：证照内容与签发时签名的内容不一致，可能已被篡改',
    en: 'signature check failed: the licence content differs from what was signed at issue and may have been tampered with',
  },
  revoked: {
    zh: '证照已被撤销（吊销），不再有效',
    en: 'the licence has been revoked and is no longer valid',
  },
  suspended: {
    zh: '证照已被暂扣（中止），暂不可用',
    en: 'the licence is suspended and cannot be used for now',
  },
  expired: { zh: '证照已超过有效期', en: 'the licence is past its validity' },
  replaced: { zh: '证照已换发，请使用新证照', en: 'the licence has been replaced by a newer one' },
};
