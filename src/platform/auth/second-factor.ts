import type { Config } from '../config';
import type { Kdb } from '../db/database';
import { appendAudit } from '../audit/store';
import { blindIndex, blindIndexForms, open, seal } from '../crypto';
import { AppError, invalidField, notFound } from '../http/errors';
import type { Text } from '../i18n';
import { rotateSession, type RotatedSession } from './credentials';
import { isRole, takesSecondFactor, type Actor } from './model';
import {
  lockedOut,
  openSession,
  profileOf,
  recordFailedSignIn,
  sessionTokenHash,
  type Profile,
  type RequestMeta,
  type SignedIn,
} from './service';
import {
  acceptTotpStep,
  confirmSecondFactor,
  countChallengeAttempt,
  countRecoveryCodes,
  deleteChallenge,
  deleteOtherSessions,
  deleteSecondFactor,
  deleteUserSessions,
  findChallenge,
  findSecondFactor,
  findUserRole,
  markSessionSecondFactor,
  putPendingSecondFactor,
  replaceRecoveryCodes,
  useRecoveryCode,
} from './store';
import {
  RECOVERY_CODE_COUNT,
  matchTotp,
  newRecoveryCode,
  newTotpSecret,
  normalizeRecoveryCode,
  totpUri,
} from './totp';

/** Wrong codes one sign-in challenge takes before the password must be given again. */
export const CHALLENGE_MAX_ATTEMPTS = 5;

/** Where the caller's second factor stands, as `GET /api/me/second-factor` shows it. */
export interface SecondFactorStatus {
  /** A confirmed authenticator is enrolled. */
  enrolled: boolean;
  /** Enrolment was started and waits for its first code. */
  pending: boolean;
  confirmedAt: Date | null;
  /** Unused recovery codes left. */
  recoveryCodesLeft: number;
  /** ONETHING_SECOND_FACTOR: whether staff accounts must have one. */
  policy: Config['secondFactor'];
}

/** The secret of a started enrolment, shown once. */
export interface EnrolmentStart {
  /** The base32 shared secret, for typing into an authenticator app. */
  secret: string;
  /** The `otpauth://totp/…` URI, for the QR code. */
  uri: string;
}

/** 403: a session that may only enrol a second factor called another route. */
export function secondFactorEnrolmentRequired(): AppError {
  return new AppError(403, 'auth.second_factor_enrolment_required', {
    zh: '工作人员账号须先绑定身份验证器（双因素认证）才能继续使用',
    en: 'staff accounts must enrol an authenticator app (two-factor authentication) before going on',
  });
}

function recoveryIndexInput(userId: string, code: string): string {
  return `recovery-code:${userId}:${normalizeRecoveryCode(code)}`;
}

/** Where the caller's second factor stands. */
export async function secondFactorStatus(
  db: Kdb,
  config: Config,
  actor: Actor,
): Promise<SecondFactorStatus> {
  const factor = await findSecondFactor(db, actor.userId);
  return {
    enrolled: Boolean(factor?.confirmedAt),
    pending: factor !== undefined && factor.confirmedAt === null,
    confirmedAt: factor?.confirmedAt ?? null,
    recoveryCodesLeft: factor?.confirmedAt ? await countRecoveryCodes(db, actor.userId) : 0,
    policy: config.secondFactor,
  };
}

function alreadyEnrolled(): AppError {
  return new AppError(409, 'auth.second_factor_enrolled', {
    zh: '已绑定身份验证器；如需更换，请联系系统管理员重置',
    en: 'an authenticator is already enrolled; ask an administrator to reset it to change it',
  });
}

function staffOnly(actor: Actor): void {
  if (!takesSecondFactor(actor.role)) {
    throw new AppError(403, 'auth.forbidden', {
      zh: '仅工作人员账号可绑定身份验证器',
      en: 'only staff accounts enrol an authenticator',
    });
  }
}

/**
 * Starts enrolment: a fresh secret, stored sealed and waiting for its first code, replacing an
 * earlier unconfirmed one. The secret and its URI are returned this once.
 */
export async function startEnrolment(
  db: Kdb,
  actor: Actor,
  meta: RequestMeta,
  now = new Date(),
): Promise<EnrolmentStart> {
  staffOnly(actor);
  const secret = newTotpSecret();
  await db.transaction().execute(async (trx) => {
    if (!(await putPendingSecondFactor(trx, actor.userId, seal(secret), now))) {
      throw alreadyEnrolled();
    }
    await appendAudit(trx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'auth.second_factor_enrolment_started',
      objectType: 'user',
      objectId: actor.userId,
      ip: meta.ip,
      requestId: meta.requestId,
      at: now,
      detail: {},
    });
  });
  return { secret, uri: totpUri(secret, actor.username) };
}

const WRONG_CODE: Text = {
  zh: '验证码不正确或已过期，请输入身份验证器中当前显示的6位数字',
  en: 'the code is wrong or has expired; enter the 6 digits your authenticator shows now',
};

const REPLAYED_CODE: Text = {
  zh: '该验证码已使用过，请等待身份验证器显示下一个验证码',
  en: 'this code has been used already; wait for the next code in your authenticator',
};

/**
 * Confirms enrolment with a first code: the factor counts from now on, eight recovery codes are
 * made (shown this once, stored only as HMAC-SM3), every other session of the account ends, and
 * this one gets a new token and counts as opened with the second factor.
 */
export async function confirmEnrolment(
  db: Kdb,
  actor: Actor,
  token: string,
  code: string,
  meta: RequestMeta,
  now = new Date(),
): Promise<{ session: RotatedSession; recoveryCodes: string[] }> {
  staffOnly(actor);
  const factor = await findSecondFactor(db, actor.userId);
  if (factor?.confirmedAt) throw alreadyEnrolled();
  if (!factor) {
    throw new AppError(409, 'auth.second_factor_not_started', {
      zh: '尚未开始绑定身份验证器，请先获取密钥',
      en: 'enrolment has not been started; request a secret first',
    });
  }
  const step = matchTotp(open(factor.secret), code, now);
  if (step === null) throw invalidField('body.code', 'second-factor.invalid', WRONG_CODE);
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const session = await db.transaction().execute(async (trx) => {
    if (!(await confirmSecondFactor(trx, actor.userId, step, now))) throw alreadyEnrolled();
    await replaceRecoveryCodes(
      trx,
      actor.userId,
      recoveryCodes.map((c) => blindIndex(recoveryIndexInput(actor.userId, c))),
      now,
    );
    const rotated = await rotateSession(trx, token, now);
    await markSessionSecondFactor(trx, sessionTokenHash(rotated.token));
    const ended = await deleteOtherSessions(trx, actor.userId, sessionTokenHash(rotated.token));
    await appendAudit(trx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'auth.second_factor_enrolled',
      objectType: 'user',
      objectId: actor.userId,
      ip: meta.ip,
      requestId: meta.requestId,
      at: now,
      detail: { method: 'totp', recoveryCodes: RECOVERY_CODE_COUNT, endedSessions: ended },
    });
    return rotated;
  });
  return { session, recoveryCodes };
}

function notEnrolled(): AppError {
  return new AppError(409, 'auth.second_factor_not_enrolled', {
    zh: '尚未绑定身份验证器',
    en: 'no authenticator is enrolled',
  });
}

/**
 * New recovery codes for an enrolled account (the old ones used up, lost or seen by someone
 * else), given the authenticator's current code: the eight new codes replace every earlier one,
 * used or not, and are shown this once. The code is accepted once, like at sign-in. Audited.
 */
export async function renewRecoveryCodes(
  db: Kdb,
  actor: Actor,
  code: string,
  meta: RequestMeta,
  now = new Date(),
): Promise<string[]> {
  staffOnly(actor);
  const factor = await findSecondFactor(db, actor.userId);
  if (!factor?.confirmedAt) throw notEnrolled();
  const step = matchTotp(open(factor.secret), code, now);
  if (step === null) throw invalidField('body.code', 'second-factor.invalid', WRONG_CODE);
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.transaction().execute(async (trx) => {
    if (!(await acceptTotpStep(trx, actor.userId, step))) {
      throw invalidField('body.code', 'second-factor.replayed', REPLAYED_CODE);
    }
    await replaceRecoveryCodes(
      trx,
      actor.userId,
      recoveryCodes.map((c) => blindIndex(recoveryIndexInput(actor.userId, c))),
      now,
    );
    await appendAudit(trx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'auth.recovery_codes_renewed',
      objectType: 'user',
      objectId: actor.userId,
      ip: meta.ip,
      requestId: meta.requestId,
      at: now,
      detail: { recoveryCodes: RECOVERY_CODE_COUNT },
    });
  });
  return recoveryCodes;
}

/**
 * An administrator removes another account's second factor (a lost phone): its recovery codes
 * and sessions go with it, and the account enrols again at its next sign-in. Audited.
 */
export async function resetSecondFactor(
  db: Kdb,
  admin: Actor,
  userId: string,
  meta: RequestMeta,
  now = new Date(),
): Promise<void> {
  const user = await findUserRole(db, userId);
  if (!user) throw notFound({ zh: '用户', en: 'user' });
  await db.transaction().execute(async (trx) => {
    const hadFactor = await deleteSecondFactor(trx, userId);
    const endedSessions = hadFactor ? await deleteUserSessions(trx, userId) : 0;
    await appendAudit(trx, {
      actorId: admin.userId,
      actorRole: admin.role,
      action: 'auth.second_factor_reset',
      objectType: 'user',
      objectId: userId,
      ip: meta.ip,
      requestId: meta.requestId,
      at: now,
      detail: { username: user.username, hadFactor, endedSessions },
    });
  });
}

function challengeExpired(): AppError {
  return new AppError(401, 'auth.second_factor_challenge_expired', {
    zh: '登录验证已过期，请重新输入用户名和密码',
    en: 'the sign-in has expired; enter your username and password again',
  });
}

function secondFactorRefused(path: string, rule: string, message: Text): AppError {
  return new AppError(
    401,
    'auth.second_factor_invalid',
    { zh: `验证失败：${message.zh}`, en: `verification failed: ${message.en}` },
    [{ path, rule, message }],
  );
}

/** What the second step of a sign-in gives: a TOTP code or a recovery code, exactly one. */
export interface SecondFactorInput {
  code?: string;
  recoveryCode?: string;
}

/**
 * Completes a sign-in whose password was accepted: the challenge must be live, and the code
 * right, not used before (a TOTP step is accepted once; a recovery code once), within ±1 step.
 * A wrong code counts towards the lock-out like a wrong password, and a challenge takes
 * `CHALLENGE_MAX_ATTEMPTS` of them before the password must be given again.
 */
export async function completeSignIn(
  db: Kdb,
  config: Config,
  challenge: string | undefined,
  input: SecondFactorInput,
  meta: RequestMeta,
  now = new Date(),
): Promise<SignedIn> {
  const given = [input.code, input.recoveryCode].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw invalidField('body.code', 'second-factor.one-of', {
      zh: '请填写6位动态验证码（code）或一个恢复码（recoveryCode），二者填其一',
      en: 'give either the 6-digit code (code) or a recovery code (recoveryCode), exactly one',
    });
  }
  if (!challenge) throw challengeExpired();
  const tokenHash = sessionTokenHash(challenge);
  const user = await findChallenge(db, tokenHash);
  if (!user || user.expiresAt <= now || user.disabled || !isRole(user.role)) {
    throw challengeExpired();
  }
  if (user.lockedUntil && user.lockedUntil > now) throw lockedOut(user.lockedUntil, now);
  const factor = await findSecondFactor(db, user.id);
  if (!factor?.confirmedAt) throw challengeExpired();

  const usingCode = input.code !== undefined;
  const step = usingCode ? matchTotp(open(factor.secret), input.code!, now) : null;
  const session = await db.transaction().execute(async (trx) => {
    if (usingCode) {
      if (step === null || !(await acceptTotpStep(trx, user.id, step))) return null;
    } else {
      const forms = blindIndexForms(recoveryIndexInput(user.id, input.recoveryCode!));
      if (!(await useRecoveryCode(trx, user.id, forms, now))) return null;
    }
    await deleteChallenge(trx, tokenHash);
    return openSession(trx, config, user, meta, now, usingCode ? 'totp' : 'recovery-code');
  });
  if (session) {
    const profile: Profile = await profileOf(db, user.id);
    return { ...session, profile };
  }

  // A wrong (or replayed) code: counted against the challenge and the account's lock-out.
  const attempts = await db.transaction().execute((trx) => countChallengeAttempt(trx, tokenHash));
  if (attempts >= CHALLENGE_MAX_ATTEMPTS) await deleteChallenge(db, tokenHash);
  const lockedUntil = await recordFailedSignIn(db, config, user, meta, now);
  if (lockedUntil) {
    await deleteChallenge(db, tokenHash);
    throw lockedOut(lockedUntil, now);
  }
  if (!usingCode) {
    throw secondFactorRefused('body.recoveryCode', 'second-factor.recovery-code', {
      zh: '恢复码不正确或已使用',
      en: 'the recovery code is wrong or has been used',
    });
  }
  if (step !== null) {
    throw secondFactorRefused('body.code', 'second-factor.replayed', REPLAYED_CODE);
  }
  throw secondFactorRefused('body.code', 'second-factor.invalid', WRONG_CODE);
}
