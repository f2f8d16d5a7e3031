import { randomInt } from 'node:crypto';
import type { Text } from '../i18n';

/** The shortest password the platform accepts (MLPS 2.0 level 3 asks for complexity and length). */
export const PASSWORD_MIN_LENGTH = 10;

/** The longest password accepted (argon2 hashes anything, but a bound keeps sign-in cheap). */
export const PASSWORD_MAX_LENGTH = 256;

/** How many of the four character classes (lower, upper, digit, other) a password must mix. */
export const PASSWORD_MIN_CLASSES = 3;

/** One rule of the password policy that a candidate password breaks. */
export interface PasswordProblem {
  /** The rule's stable name: `minLength`, `maxLength`, `classes`, `username`, `common`. */
  rule: 'minLength' | 'maxLength' | 'classes' | 'username' | 'common';
  message: Text;
}

// Passwords found at the top of every leaked-password list, and the ones people in China reach for
// first, compared without case and with digits and symbols at the ends ignored (see baseOf).
const COMMON = [
  'password',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'qwerty',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  '1qaz2wsx',
  '1q2w3e4r',
  'abc123',
  'abcd1234',
  'admin',
  'administrator',
  'root',
  'welcome',
  'letmein',
  'iloveyou',
  'woaini',
  'woaini1314',
  'changeme',
  'default',
  'test',
  'guest',
  'user',
  'master',
  'dragon',
  'monkey',
  'sunshine',
  'football',
  'baseball',
  'superman',
  'trustno1',
  'huawei',
  'china',
  'zhongguo',
  'beijing',
  'shandong',
  'weihai',
  'aa123456',
  'a123456',
  'a12345678',
  'qq123456',
  '12345678',
  '123456789',
  '1234567890',
  '0123456789',
  '11111111',
  '88888888',
  '66666666',
  '00000000',
  '147258369',
  '5201314',
];

// Common words also count when decorated: `Password123!` and `Admin@2024` are still `password`
// and `admin`. Leading and trailing digits and symbols are stripped before comparing.
function baseOf(password: string): string {
  return password
    .toLowerCase()
    .replace(/^[^a-z]+/, '')
    .replace(/[^a-z]+$/, '');
}

const COMMON_SET = new Set(COMMON);

/** How many character classes (lower, upper, digit, other) a password uses. */
export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** Whether a password is one of the common passwords, or one dressed up with digits and symbols. */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (COMMON_SET.has(lower)) return true;
  const base = baseOf(password);
  return base !== '' && COMMON_SET.has(base);
}

/**
 * The rules of the password policy a candidate breaks (none: acceptable): at least ten characters,
 * three of the four character classes, not the username (nor containing it, nor it reversed),
 * and not a common password.
 */
export function passwordProblems(password: string, username: string | null): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    problems.push({
      rule: 'minLength',
      message: {
        zh: `密码至少需要 ${PASSWORD_MIN_LENGTH} 个字符`,
        en: `a password needs at least ${PASSWORD_MIN_LENGTH} characters`,
      },
    });
  }
  if (length > PASSWORD_MAX_LENGTH) {
    problems.push({
      rule: 'maxLength',
      message: {
        zh: `密码不能超过 ${PASSWORD_MAX_LENGTH} 个字符`,
        en: `a password may have at most ${PASSWORD_MAX_LENGTH} characters`,
      },
    });
  }
  if (characterClasses(password) < PASSWORD_MIN_CLASSES) {
    problems.push({
      rule: 'classes',
      message: {
        zh: '密码须包含小写字母、大写字母、数字、特殊字符四类中的至少三类',
        en: 'a password must mix at least three of: lower-case letters, upper-case letters, digits, other characters',
      },
    });
  }
  const name = username?.trim().toLowerCase() ?? '';
  const lower = password.toLowerCase();
  if (name.length >= 3 && (lower.includes(name) || lower.includes([...name].reverse().join('')))) {
    problems.push({
      rule: 'username',
      message: { zh: '密码不能包含用户名', en: 'a password must not contain the username' },
    });
  }
  if (isCommonPassword(password)) {
    problems.push({
      rule: 'common',
      message: {
        zh: '密码过于常见，容易被猜中，请换一个',
        en: 'this password is too common and easily guessed; choose another',
      },
    });
  }
  return problems;
}

// Letters and digits that cannot be mistaken for one another when read out or copied by hand
// (no 0/O/o, 1/l/I).
const TEMPORARY_ALPHABETS = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789'];

/**
 * A temporary password an administrator hands over (new account, reset): 3 groups of 4 random
 * characters joined by `-` (about 69 bits), mixing all four character classes, so it always meets
 * the policy; the account must replace it at its next sign-in.
 */
export function newTemporaryPassword(username: string | null = null): string {
  const all = TEMPORARY_ALPHABETS.join('');
  for (;;) {
    const chars = Array.from({ length: 12 }, () => all[randomInt(all.length)]!);
    // One character of each alphabet at a random place, so every class is present.
    for (const alphabet of TEMPORARY_ALPHABETS) {
      chars[randomInt(chars.length)] = alphabet[randomInt(alphabet.length)]!;
    }
    const candidate = [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
    if (passwordProblems(candidate, username).length === 0) return candidate;
  }
}
