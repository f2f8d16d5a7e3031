import type { Text } from '../i18n';
import { findRegionCode, isKnownProvinceCode } from './region-codes';

import { ID_KINDS, type IdKind } from './kinds';

export { ID_KINDS, type IdKind };

/** Why an identifier was rejected; the first failing rule in the order listed. */
export type IdFailure = 'empty' | 'length' | 'format' | 'checksum' | 'birthdate' | 'region';

/** The outcome of checking one identifier. */
export interface IdCheck {
  /** Whether the identifier is acceptable; warnings never make it invalid. */
  valid: boolean;
  /** The rule that failed, `null` when valid. */
  reason: IdFailure | null;
  /** What to tell the user about the failure, `null` when valid. */
  message: Text | null;
  /** Points worth a second look that do not reject the identifier. */
  warnings: Text[];
  /** The input after the kind's normalisation, also filled in when invalid. */
  normalized: string;
}

const LABELS: Record<IdKind, Text> = {
  uscc: { zh: '统一社会信用代码', en: 'unified social credit code' },
  ric: { zh: '公民身份号码', en: 'resident identity card number' },
  region: { zh: '行政区划代码', en: 'administrative division code' },
  mobile: { zh: '手机号码', en: 'mobile phone number' },
};

function passed(normalized: string, warnings: Text[] = []): IdCheck {
  return { valid: true, reason: null, message: null, warnings, normalized };
}

function failed(
  normalized: string,
  reason: IdFailure,
  message: Text,
  warnings: Text[] = [],
): IdCheck {
  return { valid: false, reason, message, warnings, normalized };
}

function emptyMessage(kind: IdKind): Text {
  return { zh: `未填写${LABELS[kind].zh}`, en: `the ${LABELS[kind].en} is empty` };
}

function lengthMessage(kind: IdKind, expected: number, actual: number): Text {
  const unit = kind === 'uscc' ? 'characters' : 'digits';
  return {
    zh: `${LABELS[kind].zh}应为 ${expected} 位，实际为 ${actual} 位`,
    en: `the ${LABELS[kind].en} must have ${expected} ${unit}; got ${actual}`,
  };
}

// ---------------------------------------------------------------------------
// Unified social credit code (统一社会信用代码), GB 32100-2015
// ---------------------------------------------------------------------------

/** GB 32100-2015 character set: digits and uppercase letters without I, O, S, V, Z. */
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights 3^(i-1) mod 31: 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28. */
const USCC_WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);

/** GB 11714 organisation code weights for its eight body characters. */
const ORGANISATION_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** Positions 3–8 of a USCC for organs registered at the central level (全国), which no province owns. */
const NATIONAL_REGION_CODE = '100000';

/** Computes the GB 32100-2015 check character (position 18) for the first 17 characters of a USCC. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) {
    throw new RangeError(`usccCheckChar needs 17 characters, got ${first17.length}`);
  }
  let sum = 0;
  for (const [i, weight] of USCC_WEIGHTS.entries()) {
    const value = USCC_CHARSET.indexOf(first17.charAt(i));
    if (value < 0) {
      throw new RangeError(`usccCheckChar: "${first17.charAt(i)}" is outside the USCC set`);
    }
    sum += value * weight;
  }
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** Computes the GB 11714 check character (the ninth) for the eight body characters of an organisation code. */
export function organisationCodeCheckChar(first8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(first8)) {
    throw new RangeError('organisationCodeCheckChar needs 8 digits or uppercase letters');
  }
  let sum = 0;
  for (const [i, weight] of ORGANISATION_CODE_WEIGHTS.entries()) {
    // parseInt in base 36 gives exactly GB 11714's values: 0–9 for digits, A=10 … Z=35.
    sum += Number.parseInt(first8.charAt(i), 36) * weight;
  }
  const check = 11 - (sum % 11);
  if (check === 10) return 'X';
  if (check === 11) return '0';
  return String(check);
}

function normalizeUscc(value: string): string {
  // Codes are printed on licences in groups (91 110000 600037341L) and copied with hyphens.
  return halfWidth(value).trim().replace(/[\s-]/g, '').toUpperCase();
}

/**
 * Full-width digits and letters (１２３, ＡＢＣ) come from Chinese input methods; they mean the same
 * characters, so they are folded to ASCII before any rule is checked.
 */
function halfWidth(value: string): string {
  return value.normalize('NFKC');
}

/** The first position (1-based) whose character breaks the USCC layout, or 0. */
function firstUsccFormatError(code: string): number {
  for (let i = 0; i < code.length; i += 1) {
    const ch = code.charAt(i);
    const ok = i >= 2 && i <= 7 ? /^\d$/.test(ch) : USCC_CHARSET.includes(ch);
    if (!ok) return i + 1;
  }
  return 0;
}

/** Checks a unified social credit code (统一社会信用代码) against GB 32100-2015. */
export function checkUscc(value: string): IdCheck {
  const code = normalizeUscc(value);
  if (code === '') return failed(code, 'empty', emptyMessage('uscc'));
  if (code.length !== 18) return failed(code, 'length', lengthMessage('uscc', 18, code.length));

  const badPosition = firstUsccFormatError(code);
  if (badPosition > 0) {
    const ch = code.charAt(badPosition - 1);
    const message: Text =
      badPosition >= 3 && badPosition <= 8
        ? {
            zh: `统一社会信用代码第 ${badPosition} 位应为数字（第 3–8 位是行政区划码），实际为“${ch}”`,
            en: `position ${badPosition} of the unified social credit code must be a digit (positions 3–8 are the administrative division code); got "${ch}"`,
          }
        : {
            zh: `统一社会信用代码第 ${badPosition} 位“${ch}”不合规，应为数字或除 I、O、S、V、Z 以外的大写字母`,
            en: `position ${badPosition} of the unified social credit code ("${ch}") must be a digit or an uppercase letter other than I, O, S, V, Z`,
          };
    return failed(code, 'format', message);
  }

  const expected = usccCheckChar(code.slice(0, 17));
  if (code.charAt(17) !== expected) {
    return failed(code, 'checksum', {
      zh: `统一社会信用代码校验位错误，应为 ${expected}`,
      en: `check character of the unified social credit code is wrong; expected ${expected}`,
    });
  }

  const warnings: Text[] = [];
  const region = code.slice(2, 8);
  if (region !== NATIONAL_REGION_CODE) {
    const province = region.slice(0, 2);
    if (!isKnownProvinceCode(province)) {
      return failed(code, 'region', {
        zh: `统一社会信用代码第 3–4 位“${province}”不是已知的省级行政区划代码`,
        en: `positions 3–4 of the unified social credit code ("${province}") are not a known province code`,
      });
    }
    // The registering authority's division may since have been abolished or renumbered; the code
    // itself stays valid for life, so this only asks for a second look.
    if (findRegionCode(region) === undefined) {
      warnings.push({
        zh: `统一社会信用代码第 3–8 位行政区划码 ${region} 不在现行代码表中（可能已撤销或调整），请核对`,
        en: `administrative division code ${region} in positions 3–8 of the unified social credit code is not in the current table (it may have been abolished or renumbered); please verify`,
      });
    }
  }

  // GB 32100 embeds the organisation code but does not make its own check part of validity, and
  // registrars have issued codes that fail it; warn rather than turn away a licensed enterprise.
  const organisationCheck = organisationCodeCheckChar(code.slice(8, 16));
  if (code.charAt(16) !== organisationCheck) {
    warnings.push({
      zh: `统一社会信用代码第 9–17 位组织机构代码的校验码不符合 GB 11714（应为 ${organisationCheck}），请核对`,
      en: `the organisation code in positions 9–17 of the unified social credit code fails the GB 11714 check (expected ${organisationCheck}); please verify`,
    });
  }
  return passed(code, warnings);
}

// ---------------------------------------------------------------------------
// Resident identity card number (公民身份号码), GB 11643-1999
// ---------------------------------------------------------------------------

/** ISO 7064 MOD 11-2 weights 2^(18-i) mod 11 for positions 1–17. */
const RIC_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** Births before this year are outside GB 11643's use and almost always a typo. */
const RIC_EARLIEST_BIRTH_YEAR = 1900;

/** Computes the GB 11643-1999 check character (digit or X) for the first 17 digits of a RIC. */
export function ricCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError('ricCheckChar needs 17 digits');
  }
  let sum = 0;
  for (const [i, weight] of RIC_WEIGHTS.entries()) {
    sum += Number(first17.charAt(i)) * weight;
  }
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

function normalizeRic(value: string): string {
  // Like python-stdnum, inner spaces are kept: a number typed with gaps is more likely mistyped.
  return halfWidth(value).trim().toUpperCase();
}

function hasRicShape(ric: string): boolean {
  return /^\d{17}[\dX]$/.test(ric);
}

/** The calendar date in positions 7–14 as `YYYY-MM-DD`, or undefined when it is no real date. */
function calendarDate(yyyymmdd: string): string | undefined {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2023-02-30 over to March; a round trip catches it.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) return undefined;
  if (date.getUTCDate() !== day) return undefined;
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/** Today's date in China (UTC+8, no daylight saving) as `YYYY-MM-DD`, since births are registered there. */
function chinaToday(now: Date): string {
  return new Date(now.getTime() + 8 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/** The birth date of a RIC as `YYYY-MM-DD`; undefined when the number is malformed or the date unreal. */
export function ricBirthDate(ric: string): string | undefined {
  const normalized = normalizeRic(ric);
  if (!hasRicShape(normalized)) return undefined;
  return calendarDate(normalized.slice(6, 14));
}

/** The sex a RIC encodes (position 17: odd male, even female); undefined when the number is malformed. */
export function ricSex(ric: string): 'male' | 'female' | undefined {
  const normalized = normalizeRic(ric);
  if (!hasRicShape(normalized)) return undefined;
  return Number(normalized.charAt(16)) % 2 === 1 ? 'male' : 'female';
}

/** Checks a resident identity card number (公民身份号码) against GB 11643-1999; `now` fixes "today". */
export function checkRic(value: string, now: Date = new Date()): IdCheck {
  const ric = normalizeRic(value);
  if (ric === '') return failed(ric, 'empty', emptyMessage('ric'));
  if (ric.length !== 18) return failed(ric, 'length', lengthMessage('ric', 18, ric.length));
  if (!hasRicShape(ric)) {
    return failed(ric, 'format', {
      zh: '公民身份号码应为 17 位数字加 1 位数字或 X',
      en: 'the resident identity card number must be 17 digits followed by a digit or X',
    });
  }

  // The expected check digit is not disclosed: told "expected 3", people fix the last digit
  // instead of the mistyped one and end up with someone else's valid number.
  if (ric.charAt(17) !== ricCheckChar(ric.slice(0, 17))) {
    return failed(ric, 'checksum', {
      zh: '公民身份号码校验码错误，请核对号码是否输错',
      en: 'check digit of the resident identity card number is wrong; check the number for typos',
    });
  }

  const birthDate = calendarDate(ric.slice(6, 14));
  if (birthDate === undefined) {
    return failed(ric, 'birthdate', {
      zh: '公民身份号码第 7–14 位不是有效的出生日期',
      en: 'positions 7–14 of the resident identity card number are not a real calendar date',
    });
  }
  if (Number(birthDate.slice(0, 4)) < RIC_EARLIEST_BIRTH_YEAR) {
    return failed(ric, 'birthdate', {
      zh: `公民身份号码中的出生日期早于 ${RIC_EARLIEST_BIRTH_YEAR} 年`,
      en: `the birth date in the resident identity card number is before ${RIC_EARLIEST_BIRTH_YEAR}`,
    });
  }
  if (birthDate > chinaToday(now)) {
    return failed(ric, 'birthdate', {
      zh: '公民身份号码中的出生日期晚于今天',
      en: 'the birth date in the resident identity card number is in the future',
    });
  }

  const province = ric.slice(0, 2);
  if (!isKnownProvinceCode(province)) {
    return failed(ric, 'region', {
      zh: `公民身份号码第 1–2 位“${province}”不是已知的省级行政区划代码`,
      en: `positions 1–2 of the resident identity card number ("${province}") are not a known province code`,
    });
  }
  // A person keeps the address code of where the number was first issued, even after that
  // division is abolished or renumbered (e.g. 412723, a county of the former 周口地区). Our table
  // is current only and undated, so an unknown code under a known province is valid with a warning.
  const warnings: Text[] = [];
  const region = ric.slice(0, 6);
  if (findRegionCode(region) === undefined) {
    warnings.push({
      zh: `公民身份号码第 1–6 位地址码 ${region} 不在现行行政区划代码表中（可能是已撤销的区划），请核对`,
      en: `address code ${region} in positions 1–6 of the resident identity card number is not in the current division table (it may be an abolished division); please verify`,
    });
  }
  return passed(ric, warnings);
}

// ---------------------------------------------------------------------------
// Administrative division code (行政区划代码), GB/T 2260
// ---------------------------------------------------------------------------

/** Checks a six-digit administrative division code against the current GB/T 2260 table. */
export function checkRegionCode(value: string): IdCheck {
  const code = halfWidth(value).trim();
  if (code === '') return failed(code, 'empty', emptyMessage('region'));
  if (code.length !== 6) return failed(code, 'length', lengthMessage('region', 6, code.length));
  if (!/^\d{6}$/.test(code)) {
    return failed(code, 'format', {
      zh: '行政区划代码应为 6 位数字',
      en: 'the administrative division code must be 6 digits',
    });
  }
  const entry = findRegionCode(code);
  if (entry === undefined) {
    return failed(code, 'region', {
      zh: `行政区划代码 ${code} 不在现行代码表中`,
      en: `administrative division code ${code} is not in the current table`,
    });
  }
  if (!entry.standard) {
    // Development zones really are where many OneThing cases are handled, so they stay usable.
    return passed(code, [
      {
        zh: `行政区划代码 ${code}（${entry.name}）是统计用功能区或汇总代码，不是 GB/T 2260 标准行政区划`,
        en: `administrative division code ${code} (${entry.name}) is a statistical functional-zone or grouping code, not a standard GB/T 2260 division`,
      },
    ]);
  }
  return passed(code);
}

// ---------------------------------------------------------------------------
// Mainland China mobile phone number (手机号码)
// ---------------------------------------------------------------------------

function normalizeMobile(value: string): string {
  return halfWidth(value)
    .trim()
    .replace(/[\s-]/g, '')
    .replace(/^(?:\+86|0086)/, '');
}

/** Checks a mainland China mobile phone number (11 digits, 1 then 3–9), with or without +86. */
export function checkMobile(value: string): IdCheck {
  const mobile = normalizeMobile(value);
  if (mobile === '') return failed(mobile, 'empty', emptyMessage('mobile'));
  if (mobile.length !== 11) {
    return failed(mobile, 'length', lengthMessage('mobile', 11, mobile.length));
  }
  if (!/^1[3-9]\d{9}$/.test(mobile)) {
    return failed(mobile, 'format', {
      zh: '手机号码应为 11 位数字，以 1 开头且第 2 位为 3–9',
      en: 'the mobile phone number must be 11 digits starting with 1 and then 3–9',
    });
  }
  return passed(mobile);
}

// ---------------------------------------------------------------------------
// Dispatch and masking
// ---------------------------------------------------------------------------

/** Checks an identifier of the given kind; `now` only matters for the RIC birth date. */
export function checkIdentifier(kind: IdKind, value: string, now: Date = new Date()): IdCheck {
  switch (kind) {
    case 'uscc':
      return checkUscc(value);
    case 'ric':
      return checkRic(value, now);
    case 'region':
      return checkRegionCode(value);
    case 'mobile':
      return checkMobile(value);
  }
}

/** Keeps `head` and `tail` characters and stars the rest; too short to keep anything, stars it all. */
function maskMiddle(value: string, head: number, tail: number): string {
  if (value.length <= head + tail) return '*'.repeat(value.length);
  return value.slice(0, head) + '*'.repeat(value.length - head - tail) + value.slice(-tail);
}

/** Masks personal identifiers for logs and responses (RIC 371002********123X, mobile 138****5678). */
export function maskIdentifier(kind: IdKind, value: string): string {
  switch (kind) {
    case 'ric':
      // The first six digits are only the issuing county, which many people share.
      return maskMiddle(normalizeRic(value), 6, 4);
    case 'mobile':
      return maskMiddle(normalizeMobile(value), 3, 4);
    // A USCC and a division code identify no natural person and are published anyway.
    case 'uscc':
      return normalizeUscc(value);
    case 'region':
      return value.trim();
  }
}
