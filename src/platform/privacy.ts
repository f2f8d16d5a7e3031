import type { Actor } from './auth/model';
import { checkMobile, checkRic, maskIdentifier } from './ids';

// Who sees personal data in full (PIPL art. 6 minimum necessary; GB/T 22239 8.1.4.11): the person it
// is about, and the staff who work the record with them; everyone else sees it masked. Pure rules;
// the routes apply them to what they answer.

/** How much of a record's personal data a caller sees. */
export type Disclosure = 'full' | 'masked';

/** What the rule needs to know about the record. */
export interface RecordContext {
  /** The subject (person or enterprise) the personal data is about, when known. */
  subjectId?: string | null;
  /**
   * Roles that work this record with the person and so need to reach them: the window clerk of an
   * application in their region, the reviewer of their department's case, the hotline operator,
   * the handling unit on a ticket.
   */
  handledBy?: readonly Actor['role'][];
  /** The caller is on the record (their department or region holds it); required with handledBy. */
  onRecord?: boolean;
}

/**
 * Full for the subject themself (or the person acting for their enterprise) and for a handling role
 * on the record; masked for everyone else — supervisors, administrators, inspectors, the public.
 */
export function maskingFor(actor: Actor | null, record: RecordContext): Disclosure {
  if (!actor) return 'masked';
  if (record.subjectId && actor.subjectId === record.subjectId) return 'full';
  if (record.subjectId && actor.actingFor?.personSubjectId === record.subjectId) return 'full';
  if (record.onRecord && record.handledBy?.includes(actor.role)) return 'full';
  return 'masked';
}

/** 371002199001011234 → 371002********1234 (a USCC names no person and is shown as it is). */
export function maskSubjectIdentifier(kind: 'person' | 'enterprise', identifier: string): string {
  return maskIdentifier(kind === 'person' ? 'ric' : 'uscc', identifier);
}

/** 13812345678 → 138****5678; something that is not a mobile number keeps only its last 4 characters. */
export function maskMobileNumber(mobile: string): string {
  if (checkMobile(mobile).valid) return maskIdentifier('mobile', mobile);
  const chars = [...mobile.trim()];
  return '*'.repeat(Math.max(0, chars.length - 4)) + chars.slice(-4).join('');
}

// Chinese addresses run from large to small: province, city, district/county, town or street
// office, road or village, then the house number (门牌号), building, unit and room.
// 小区 (a housing estate) is part of the home address, not a district.
const AREA_SUFFIX =
  /(?:省|自治区|市|(?<!小)区|县|旗|镇|乡|街道|路|街|大道|道|巷|胡同|弄|村|社区|园区)/g;

/**
 * Keeps an address down to its road, street or village and drops the house number and everything
 * after it: 山东省威海市环翠区新威路17号3单元 → 山东省威海市环翠区新威路***. An address with no
 * number is kept up to its last area word; one without any area word is hidden entirely.
 */
export function maskAddress(address: string): string {
  const text = address.trim();
  if (text === '') return '';
  const firstDigit = text.search(/[0-9０-９]/);
  const head = firstDigit === -1 ? text : text.slice(0, firstDigit);
  let cut = 0;
  for (const match of head.matchAll(AREA_SUFFIX)) cut = match.index + match[0].length;
  if (cut === text.length) return text;
  return `${text.slice(0, cut)}***`;
}

/** An applicant or subject record as responses carry it. */
export interface PersonalFields {
  kind: 'person' | 'enterprise';
  identifier?: string;
  mobile?: string | null;
  address?: string | null;
}

/** The personal fields of a record as a caller with this disclosure sees them; names stay. */
export function applyDisclosure<T extends PersonalFields>(record: T, disclosure: Disclosure): T {
  if (disclosure === 'full') return record;
  return {
    ...record,
    ...(record.identifier !== undefined
      ? { identifier: maskSubjectIdentifier(record.kind, record.identifier) }
      : {}),
    ...(typeof record.mobile === 'string' ? { mobile: maskMobileNumber(record.mobile) } : {}),
    ...(typeof record.address === 'string' ? { address: maskAddress(record.address) } : {}),
  };
}

/**
 * Roles that oversee records rather than work them with the person (督办、系统管理、执法检查): where
 * every other reader of a record works it, these see its personal data masked.
 */
export const OVERSEER_ROLES = [
  'supervisor',
  'admin',
  'inspector',
] as const satisfies readonly Actor['role'][];

/**
 * For records whose every other reader works them (a hotline ticket: operators, handling units,
 * the requester): masked for overseers, full for everyone else the route already lets read it.
 */
export function maskingForOverseers(actor: Actor | null): Disclosure {
  if (!actor) return 'masked';
  return (OVERSEER_ROLES as readonly Actor['role'][]).includes(actor.role) ? 'masked' : 'full';
}

/**
 * A credit code as a caller who may not look subjects up by code sees it (a dossier read by a
 * supervisor or inspector): first 6 and last 4 characters, 91371000********12.
 */
export function maskCreditCode(code: string): string {
  const chars = [...code.trim()];
  if (chars.length <= 10) return '*'.repeat(chars.length);
  return chars.slice(0, 6).join('') + '*'.repeat(chars.length - 10) + chars.slice(-4).join('');
}

// Keys whose string values are addresses in free-form data (form answers, licence fields).
const ADDRESS_KEY = /(?:address|location|domicile|地址|住址|住所)$/i;

/**
 * Free-form data (a case's form answers and results, a licence's fields) with every resident ID
 * and mobile number masked wherever it stands, and every string under an address key reduced by
 * `maskAddress`. Values are recognised by their check digits and pattern, so a number that merely
 * looks long stays; a credit code is shown as it is. Names and other values stay. `key` names the
 * field a lone value stands under (a licence field's key).
 */
export function maskPersonalValues<T>(value: T, key?: string): T {
  return maskValue(value, key !== undefined && ADDRESS_KEY.test(key)) as T;
}

function maskValue(value: unknown, underAddressKey: boolean): unknown {
  if (typeof value === 'string') {
    if (underAddressKey) return maskAddress(value);
    if (checkRic(value).valid) return maskSubjectIdentifier('person', value);
    if (checkMobile(value).valid) return maskMobileNumber(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => maskValue(v, underAddressKey));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, maskValue(v, ADDRESS_KEY.test(key))]),
    );
  }
  return value;
}
