import { randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

// Time-based one-time passwords (RFC 6238) as every authenticator app knows them: HMAC-SHA1,
// six digits, 30-second steps. Authenticator apps support no other algorithm reliably, so the
// national algorithms (SM3) are used for everything stored about the factor instead.

/** Seconds per TOTP step. */
export const TOTP_PERIOD_SECONDS = 30;
/** Digits of a TOTP code. */
export const TOTP_DIGITS = 6;
/** Steps before and after the current one whose code is still accepted (clock drift). */
export const TOTP_WINDOW = 1;
/** The issuer shown in authenticator apps. */
export const TOTP_ISSUER = 'OneThing';
/** How many recovery codes an account gets. */
export const RECOVERY_CODE_COUNT = 8;

/** A six-digit code as typed (spaces allowed between the digits). */
export const TOTP_CODE_PATTERN = '^\\s*[0-9](\\s?[0-9]){5}\\s*$';

function totpOf(secretBase32: string, username: string): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label: username,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A fresh shared secret (160 bits, RFC 4226's recommendation), in base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/…` URI an authenticator app scans (as a QR code) to add the account. */
export function totpUri(secretBase32: string, username: string): string {
  return totpOf(secretBase32, username).toString();
}

/** The code of a secret at an instant (for tests and for showing the current code). */
export function totpCode(secretBase32: string, at: Date): string {
  return totpOf(secretBase32, '').generate({ timestamp: at.getTime() });
}

/** The TOTP step an instant falls in. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The step whose code was given, within ±`TOTP_WINDOW` steps of `at`, or null when the code
 * matches none of them. The caller accepts it only when later than the last step accepted.
 */
export function matchTotp(secretBase32: string, code: string, at: Date): number | null {
  const token = code.replace(/\s/g, '');
  if (!/^[0-9]{6}$/.test(token)) return null;
  const delta = totpOf(secretBase32, '').validate({
    token,
    timestamp: at.getTime(),
    window: TOTP_WINDOW,
  });
  return delta === null ? null : totpStep(at) + delta;
}

// No 0/o, 1/l/i: a recovery code is read off paper and typed by hand.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A fresh recovery code: 12 characters (about 59 bits) in groups of four, `abcd-efgh-jkmn`. */
export function newRecoveryCode(): string {
  const chars = Array.from(
    { length: 12 },
    () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)],
  );
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** A recovery code as typed, reduced to its characters (case, spaces and dashes ignored). */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}
