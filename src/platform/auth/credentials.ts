import type { Config } from '../config';
import type { Kdb, Tx } from '../db/database';
import { appendAudit } from '../audit/store';
import { AppError, unauthenticated } from '../http/errors';
import type { Actor } from './model';
import { hashPassword, verifyPassword } from './password';
import { passwordProblems } from './password-policy';
import {
  lockedOut,
  newSessionToken,
  recordFailedSignIn,
  sessionTokenHash,
  type RequestMeta,
} from './service';
import {
  deleteOtherSessions,
  findPasswordHash,
  findUserForSignIn,
  rotateSessionToken,
  setPasswordHash,
} from './store';

/**
 * Refuses a password that breaks the policy with 422, naming every rule it breaks at `path`.
 * Every place that sets a password goes through this (or `hashNewPassword`).
 */
export function assertPasswordPolicy(password: string, username: string | null, path: string) {
  const problems = passwordProblems(password, username);
  if (problems.length === 0) return;
  throw new AppError(
    422,
    'request.invalid',
    {
      zh: `请求参数有误：${problems.map((p) => p.message.zh).join('；')}`,
      en: `invalid request: ${problems.map((p) => p.message.en).join('; ')}`,
    },
    problems.map((p) => ({ path, rule: `password.${p.rule}`, message: p.message })),
  );
}

/** Checks a new password against the policy and hashes it (argon2id). */
export async function hashNewPassword(
  password: string,
  username: string | null,
  path = 'body.password',
): Promise<string> {
  assertPasswordPolicy(password, username, path);
  return hashPassword(password);
}

/** A session after its token was replaced: the new token and the unchanged absolute expiry. */
export interface RotatedSession {
  token: string;
  expiresAt: Date;
}

/**
 * Gives the session a new token in the same transaction as a change of privilege (a new
 * password, acting for another subject), so a token seen before the change is worthless after it.
 */
export async function rotateSession(trx: Tx, token: string, now: Date): Promise<RotatedSession> {
  const fresh = newSessionToken();
  const expiresAt = await rotateSessionToken(
    trx,
    sessionTokenHash(token),
    sessionTokenHash(fresh),
    now,
  );
  if (!expiresAt) throw unauthenticated();
  return { token: fresh, expiresAt };
}

/**
 * Changes the caller's own password: the current one must be right (a wrong one counts towards
 * the lock-out like a failed sign-in), the new one must meet the policy and differ from it. Every
 * other session of the account ends and this one gets a new token.
 */
export async function changePassword(
  db: Kdb,
  config: Config,
  actor: Actor,
  token: string,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
  now = new Date(),
): Promise<RotatedSession> {
  const user = await findUserForSignIn(db, actor.username);
  if (!user) throw unauthenticated();
  if (user.lockedUntil && user.lockedUntil > now) throw lockedOut(user.lockedUntil, now);
  const currentHash = await findPasswordHash(db, actor.userId);
  if (!(await verifyPassword(currentHash, input.currentPassword))) {
    const lockedUntil = await recordFailedSignIn(db, config, user, meta, now);
    if (lockedUntil) throw lockedOut(lockedUntil, now);
    throw new AppError(
      422,
      'request.invalid',
      { zh: '请求参数有误：当前密码不正确', en: 'invalid request: the current password is wrong' },
      [
        {
          path: 'body.currentPassword',
          rule: 'password.current',
          message: { zh: '当前密码不正确', en: 'the current password is wrong' },
        },
      ],
    );
  }
  assertPasswordPolicy(input.newPassword, user.username, 'body.newPassword');
  if (input.newPassword === input.currentPassword) {
    throw new AppError(
      422,
      'request.invalid',
      {
        zh: '请求参数有误：新密码不能与当前密码相同',
        en: 'invalid request: the new password must differ from the current one',
      },
      [
        {
          path: 'body.newPassword',
          rule: 'password.reused',
          message: {
            zh: '新密码不能与当前密码相同',
            en: 'the new password must differ from the current one',
          },
        },
      ],
    );
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, actor.userId, passwordHash);
    const rotated = await rotateSession(trx, token, now);
    const ended = await deleteOtherSessions(trx, actor.userId, sessionTokenHash(rotated.token));
    await appendAudit(trx, {
      actorId: actor.userId,
      actorRole: user.role,
      action: 'auth.password_changed',
      objectType: 'user',
      objectId: actor.userId,
      ip: meta.ip,
      requestId: meta.requestId,
      at: now,
      detail: { endedSessions: ended },
    });
    return rotated;
  });
}
