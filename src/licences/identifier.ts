// 电子证照标识 (GB/T 36904-2018 电子证照 标识规范): the national identifier of an e-licence.
//
//   1.2.156.3005.2 . <证照类型代码> . <颁发机构代码> . <流水号> . <版本号> . <校验位>
//   root OID         licence type    issuer code      serial     3 digits   check character
//
// The check character is ISO/IEC 7064 MOD 37,36 (GB/T 17710-2008, identical to ISO/IEC 7064:2003)
// over the four middle segments concatenated without their dots. This layout and the input of the
// check character are those of identifiers published in public integrations of the national
// e-licence system, e.g. "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"
// (the 住建部 safety-officer certificate interface's format reference), and a Zhejiang project
// platform's file "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0";
// identifier.test.ts checks them. Node-free: the web app may validate identifiers too.
import type { Text } from '../platform/i18n';
import { LICENCE_OID } from './codes';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const M = 36;

/**
 * The ISO/IEC 7064 MOD 37,36 check character (hybrid system, M = 36, M + 1 = 37) of a string of
 * digits and upper-case letters; throws on any other character.
 */
export function mod3736CheckChar(input: string): string {
  let p = M;
  for (const char of input) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) throw new Error(`mod3736CheckChar: "${char}" is not in 0-9A-Z`);
    const s = (p + value) % M || M;
    p = (s * 2) % (M + 1);
  }
  return ALPHABET[(M + 1 - p) % M]!;
}

/** The parts of an identifier, without the root OID and the check character. */
export interface IdentifierParts {
  /** 证照类型代码 — e.g. the competent authority's credit code and a 3-digit number. */
  typeCode: string;
  /** 颁发机构代码 — the issuing authority's unified social credit code. */
  issuerCode: string;
  /** 流水号 — unique per type and issuer. */
  serial: string;
  /** 版本号 — 1 for a first issue, raised on each re-issue. */
  version: number;
}

const SEGMENT = /^[0-9A-Z]{1,64}$/;

/** Builds the identifier of the parts, with its check character. */
export function buildLicenceIdentifier(parts: IdentifierParts): string {
  for (const segment of [parts.typeCode, parts.issuerCode, parts.serial]) {
    if (!SEGMENT.test(segment)) throw new Error(`buildLicenceIdentifier: bad segment "${segment}"`);
  }
  if (!Number.isInteger(parts.version) || parts.version < 1 || parts.version > 999) {
    throw new Error(`buildLicenceIdentifier: bad version ${parts.version}`);
  }
  const version = String(parts.version).padStart(3, '0');
  const body = `${parts.typeCode}${parts.issuerCode}${parts.serial}${version}`;
  return `${LICENCE_OID}.${parts.typeCode}.${parts.issuerCode}.${parts.serial}.${version}.${mod3736CheckChar(body)}`;
}

/** The rules an identifier can break, as named in error details. */
export type IdentifierRule = 'licence-identifier-format' | 'iso7064-mod37-36';

/** The result of checking an identifier. */
export type IdentifierCheck =
  | { valid: true; parts: IdentifierParts; checkChar: string }
  | { valid: false; rule: IdentifierRule; message: Text };

const FORMAT = new RegExp(
  `^${LICENCE_OID.replaceAll('.', '\\.')}\\.([0-9A-Z]{1,64})\\.([0-9A-Z]{1,64})\\.([0-9A-Z]{1,64})\\.([0-9]{3})\\.([0-9A-Z])$`,
);

/** Checks the layout and the check character of an identifier (upper case, as issued). */
export function checkLicenceIdentifier(value: string): IdentifierCheck {
  const match = FORMAT.exec(value);
  if (!match) {
    return {
      valid: false,
      rule: 'licence-identifier-format',
      message: {
        zh: `电子证照标识格式不符合 GB/T 36904-2018：应为 ${LICENCE_OID}.证照类型代码.颁发机构代码.流水号.三位版本号.校验位（数字和大写字母）`,
        en: `the e-licence identifier does not follow GB/T 36904-2018: expected ${LICENCE_OID}.type code.issuer code.serial.3-digit version.check character (digits and upper-case letters)`,
      },
    };
  }
  const [, typeCode, issuerCode, serial, version, check] = match as unknown as string[];
  const expected = mod3736CheckChar(`${typeCode}${issuerCode}${serial}${version}`);
  if (check !== expected) {
    return {
      valid: false,
      rule: 'iso7064-mod37-36',
      message: {
        zh: `电子证照标识校验位错误：按 ISO/IEC 7064 MOD 37,36（GB/T 17710）应为 ${expected}，实为 ${check}`,
        en: `wrong check character of the e-licence identifier: ISO/IEC 7064 MOD 37,36 (GB/T 17710) gives ${expected}, found ${check}`,
      },
    };
  }
  return {
    valid: true,
    parts: {
      typeCode: typeCode!,
      issuerCode: issuerCode!,
      serial: serial!,
      version: Number(version),
    },
    checkChar: check!,
  };
}
