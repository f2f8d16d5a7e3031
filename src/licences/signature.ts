// SM2 signatures (GB/T 32918.2, GM/T 0003) over the canonical form of a licence, with the
// sm-crypto-v2 package. Node's crypto is not used for this: it signs with ECDSA over the SM2
// curve, without the Z value (the hash of the signer's identity and public key) that the SM2
// signature scheme prefixes to the message, so its signatures do not verify in SM2 implementations
// (see docs/architecture.md, Licences). SM3 for the content hash comes from Node's crypto, which
// implements it exactly.
import { createHash } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { canonicalJson } from '../platform/audit';

/**
 * The signer identity in Z (GM/T 0009-2012's default user ID "1234567812345678"), which every
 * SM2 library uses unless told otherwise; verifiers need no extra parameter.
 */
export const SM2_USER_ID = '1234567812345678';

/** A key pair in hex: the uncompressed public key (04 || x || y) and the private scalar. */
export interface SigningKeyPair {
  publicKey: string;
  privateKey: string;
}

/** Generates a new SM2 key pair. */
export function generateSigningKeyPair(): SigningKeyPair {
  const { publicKey, privateKey } = sm2.generateKeyPairHex();
  return { publicKey, privateKey };
}

/** JSON with keys sorted at every level: the exact bytes that are hashed and signed. */
export function canonicalForm(content: unknown): string {
  return canonicalJson(content);
}

/** SM3 of the canonical form, hex. */
export function contentHash(canonical: string): string {
  return createHash('sm3').update(canonical, 'utf8').digest('hex');
}

/** The SM2 signature (r || s, 128 hex digits) of the canonical form, with Z and SM3. */
export function signCanonical(canonical: string, keys: SigningKeyPair): string {
  return sm2.doSignature(canonical, keys.privateKey, {
    hash: true,
    der: false,
    publicKey: keys.publicKey,
    userId: SM2_USER_ID,
  });
}

/** Whether a signature of the canonical form verifies with the public key. */
export function verifyCanonical(canonical: string, signature: string, publicKey: string): boolean {
  if (!/^[0-9a-f]{128}$/i.test(signature)) return false;
  try {
    return sm2.doVerifySignature(canonical, signature, publicKey, {
      hash: true,
      der: false,
      userId: SM2_USER_ID,
    });
  } catch {
    return false;
  }
}
