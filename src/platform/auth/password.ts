import argon2 from 'argon2';

// A hash of a random password: verifying against it when the user does not exist makes a
// wrong username cost the same time as a wrong password, so usernames cannot be probed by timing.
let dummyHash: Promise<string> | null = null;

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** Checks a password against an argon2 hash; a missing hash costs the same time and fails. */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (hash === null) {
    dummyHash ??= hashPassword(`no-such-user-${Math.random()}`);
    await argon2.verify(await dummyHash, password);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
