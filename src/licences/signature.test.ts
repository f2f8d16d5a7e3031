import smCrypto from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalForm,
  contentHash,
  generateSigningKeyPair,
  signCanonical,
  verifyCanonical,
} from './signature';

// SM2 signatures must verify in an independent SM2 implementation (sm-crypto), both ways.

describe('SM2 licence signatures', () => {
  const keys = generateSigningKeyPair();
  const canonical = canonicalForm({ b: 2, a: { d: '营业执照', c: [1, 'x'] } });

  it('writes a canonical form with sorted keys', () => {
    expect(canonical).toBe('{"a":{"c":[1,"x"],"d":"营业执照"},"b":2}');
  });

  it('signs so that sm-crypto verifies, and sm-crypto refuses a changed message', () => {
    const signature = signCanonical(canonical, keys);
    expect(signature).toMatch(/^[0-9a-f]{128}$/);
    expect(
      smCrypto.sm2.doVerifySignature(canonical, signature, keys.publicKey, { hash: true }),
    ).toBe(true);
    expect(
      smCrypto.sm2.doVerifySignature(`${canonical} `, signature, keys.publicKey, { hash: true }),
    ).toBe(false);
  });

  it('verifies what sm-crypto signs, and refuses another key or a malformed signature', () => {
    const signature = smCrypto.sm2.doSignature(canonical, keys.privateKey, { hash: true });
    expect(verifyCanonical(canonical, signature, keys.publicKey)).toBe(true);
    expect(verifyCanonical(canonical, signature, generateSigningKeyPair().publicKey)).toBe(false);
    expect(verifyCanonical(canonical, 'zz', keys.publicKey)).toBe(false);
  });

  it('hashes with SM3 as sm-crypto does', () => {
    expect(contentHash(canonical)).toBe(smCrypto.sm3(canonical));
  });
});
