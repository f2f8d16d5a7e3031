import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

// Personal data at rest (GB/T 22239 8.1.4.8, PIPL art. 51): a value is sealed with SM4-CBC under a
// random IV, then authenticated with HMAC-SM3 over everything before the MAC (encrypt-then-MAC), so
// a changed byte, a swapped IV or a value moved from another key is refused before decryption.
// The stored form describes itself — `sm4:1:<keyId>:<iv>:<ciphertext>:<mac>` (base64) — so plain
// values written before sealing was introduced pass through `openValue` unchanged.

const PREFIX = 'sm4';
const VERSION = '1';
const IV_BYTES = 16;
/** Length in bytes of a data key (SM4 has a 128-bit key). */
export const DATA_KEY_BYTES = 16;

/** The keys derived from one data key: encryption, MAC and blind index never share a key. */
export interface SealingKey {
  /** Short public name of the data key (first 8 hex digits of an HMAC-SM3 of it). */
  id: string;
  encKey: Buffer;
  macKey: Buffer;
  indexKey: Buffer;
  /** Derives the synthetic IV of a deterministic seal (never the encryption or MAC key). */
  sivKey: Buffer;
}

function derive(master: Buffer, label: string): Buffer {
  return createHmac('sm3', master).update(`onething/${label}`).digest();
}

/** Derives the sealing keys from a 128-bit data key. */
export function sealingKey(master: Buffer): SealingKey {
  if (master.length !== DATA_KEY_BYTES) {
    throw new Error(`a data key has ${DATA_KEY_BYTES} bytes, got ${master.length}`);
  }
  return {
    id: derive(master, 'key-id').subarray(0, 4).toString('hex'),
    encKey: derive(master, 'sm4-cbc').subarray(0, DATA_KEY_BYTES),
    macKey: derive(master, 'hmac-sm3'),
    indexKey: derive(master, 'blind-index'),
    sivKey: derive(master, 'sm4-siv'),
  };
}

/** Whether a stored value is in the sealed form (rather than a plain value from before sealing). */
export function isSealed(value: string): boolean {
  return value.startsWith(`${PREFIX}:${VERSION}:`);
}

function mac(key: SealingKey, head: string): Buffer {
  return createHmac('sm3', key.macKey).update(head).digest();
}

/** Seals a string: SM4-CBC with a fresh random IV, then HMAC-SM3 over the whole text form. */
export function sealValue(key: SealingKey, plain: string): string {
  return sealWithIv(key, randomBytes(IV_BYTES), plain);
}

/**
 * Seals a string deterministically, for values found by equality (resident ID numbers): the IV is
 * synthetic — HMAC-SM3 of the plaintext under its own derived key, cut to 16 bytes (as in SIV,
 * RFC 5297) — so the same value under the same key always gives the same text, and equality
 * lookups, joins and unique constraints work on the stored text. It leaks which rows hold equal
 * values and nothing else, like a blind index; the text form is that of `sealValue`, so
 * `openValue` opens it unchanged.
 */
export function sealDeterministicValue(key: SealingKey, plain: string): string {
  const iv = createHmac('sm3', key.sivKey).update(plain, 'utf8').digest().subarray(0, IV_BYTES);
  return sealWithIv(key, iv, plain);
}

function sealWithIv(key: SealingKey, iv: Buffer, plain: string): string {
  const cipher = createCipheriv('sm4-cbc', key.encKey, iv);
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const head = [PREFIX, VERSION, key.id, iv.toString('base64'), ciphertext.toString('base64')].join(
    ':',
  );
  return `${head}:${mac(key, head).toString('base64')}`;
}

/** A sealed value that cannot be opened: changed, cut, or sealed under a key not given. */
export class SealedValueError extends Error {
  constructor(reason: string) {
    super(`sealed value refused: ${reason}`);
    this.name = 'SealedValueError';
  }
}

/**
 * Opens a sealed value with whichever of the keys sealed it; a value not in the sealed form is
 * returned as it is (rows stored before sealing). Tampering throws SealedValueError.
 */
export function openValue(keys: readonly SealingKey[], stored: string): string {
  if (!isSealed(stored)) return stored;
  const parts = stored.split(':');
  if (parts.length !== 6) throw new SealedValueError('malformed');
  const [, , keyId, ivText, ctText, macText] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const key = keys.find((k) => k.id === keyId);
  if (!key) throw new SealedValueError(`sealed under key ${keyId}, which is not configured`);
  const expected = mac(key, parts.slice(0, 5).join(':'));
  const given = Buffer.from(macText, 'base64');
  // Constant-time comparison: the time taken says nothing about how much of the MAC matched.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SealedValueError('authentication failed');
  }
  const iv = Buffer.from(ivText, 'base64');
  if (iv.length !== IV_BYTES) throw new SealedValueError('malformed IV');
  const decipher = createDecipheriv('sm4-cbc', key.encKey, iv);
  return Buffer.concat([decipher.update(Buffer.from(ctText, 'base64')), decipher.final()]).toString(
    'utf8',
  );
}

/**
 * A keyed, deterministic digest (HMAC-SM3, hex) of a value, to find rows by an exact value
 * without storing it in the clear (blind index). Normalize the value first.
 */
export function blindIndexOf(key: SealingKey, value: string): string {
  return createHmac('sm3', key.indexKey).update(value).digest('hex');
}
