import { loadConfig } from '../config';
import { resolveDataKey, type DataKeyContext, type ResolvedDataKey } from './keys';
import {
  blindIndexOf,
  isSealed,
  openValue,
  sealDeterministicValue,
  sealValue,
  sealingKey,
  type SealingKey,
} from './sealed';

export {
  DATA_KEY_BYTES,
  SealedValueError,
  blindIndexOf,
  isSealed,
  openValue,
  sealDeterministicValue,
  sealValue,
  sealingKey,
  type SealingKey,
} from './sealed';
export { OpenSealedColumnsPlugin } from './open-plugin';
export {
  jsonNeedsSealing,
  logSealing,
  sealColumnsInBatches,
  sealInBatches,
  textNeedsSealing,
  type SealBatches,
  type SealedColumns,
  type SealLog,
  type SealOutcome,
} from './batches';
export {
  developmentKeyFile,
  pgliteKeyFile,
  resolveDataKey,
  type DataKeyContext,
  type DataKeyOrigin,
  type ResolvedDataKey,
} from './keys';

// One data key per process seals new values; every key seen stays known so values sealed under an
// earlier one (a seed written before the server's configuration was read) still open.
let current: SealingKey | null = null;
const known = new Map<string, SealingKey>();

/** Makes a data key the one new values are sealed with; returns its sealing keys. */
export function useDataKey(key: Buffer): SealingKey {
  const sealing = sealingKey(key);
  known.set(sealing.id, sealing);
  current = sealing;
  return sealing;
}

/**
 * Makes a key known without sealing with it: values sealed under an earlier key (rotation,
 * ONETHING_DATA_KEY_PREVIOUS) still open, and lookups and blind indexes try it too.
 */
export function knowDataKey(key: Buffer): SealingKey {
  const sealing = sealingKey(key);
  known.set(sealing.id, sealing);
  return sealing;
}

/**
 * Forgets every data key, as a process started afresh knows none: the next `configureDataKey` (or
 * seal) decides which keys are known. For tests of rotation, which drop an earlier key.
 */
export function forgetDataKeys(): void {
  known.clear();
  current = null;
}

/**
 * Resolves the data key for a server's configuration and database (see `resolveDataKey`) and
 * uses it; throws when none may be had (PostgreSQL in production without ONETHING_DATA_KEY).
 */
export function configureDataKey(
  config: DataKeyContext['config'],
  kind: DataKeyContext['kind'],
): ResolvedDataKey {
  const resolved = resolveDataKey({
    config,
    kind,
    nodeEnv: process.env.NODE_ENV,
    cwd: process.cwd(),
  });
  for (const previous of config.previousDataKeys ?? []) knowDataKey(previous);
  useDataKey(resolved.key);
  return resolved;
}

/** The key in use; resolved from the process's own environment when no server configured one. */
function activeKey(): SealingKey {
  if (current) return current;
  const config = loadConfig(process.env);
  const resolved = configureDataKey(config, config.databaseUrl ? 'postgres' : 'pglite');
  if (resolved.warning && resolved.origin === 'generated') process.emitWarning(resolved.warning);
  return current!;
}

/** Whether the process knows a key besides the one in use: a rotation is under way. */
export function earlierKeysKnown(): boolean {
  activeKey();
  return known.size > 1;
}

/** The id of the data key in use, as sealed values name it (`sm4:1:<id>:…`). */
export function currentKeyId(): string {
  return activeKey().id;
}

/**
 * A SQL `like` pattern of values sealed under the key in use: a stored value that does not match
 * it is plain (stored before sealing) or sealed under an earlier key, and is re-sealed at start-up.
 * Key ids are hex digits, so the pattern holds no other wildcard.
 */
export function currentSealPattern(): string {
  return `sm4:1:${activeKey().id}:%`;
}

/** Whether a stored value is sealed under the key in use (rather than plain or an earlier key). */
export function sealedUnderCurrentKey(stored: string): boolean {
  return isSealed(stored) && stored.split(':', 3)[2] === activeKey().id;
}

/** A stored value sealed anew under the key in use: opened (any known key, or plain), sealed. */
export function reseal(stored: string): string {
  return sealedUnderCurrentKey(stored) ? stored : seal(open(stored));
}

/** A value found by equality sealed anew, deterministically, under the key in use. */
export function resealLookup(stored: string): string {
  return sealedUnderCurrentKey(stored) ? stored : sealDeterministicValue(activeKey(), open(stored));
}

/**
 * A `jsonb` column's value sealed whole (see `sealJson`) under the key in use: a document stored
 * plain or sealed under an earlier key is opened and sealed anew; SQL null stays null.
 */
export function resealJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && sealedUnderCurrentKey(value)) return JSON.stringify(value);
  return sealJson(JSON.stringify(openJson(value)));
}

/** Seals a value for storage with the data key in use. */
export function seal(plain: string): string {
  return sealValue(activeKey(), plain);
}

/** Seals a value that may be missing (null and undefined stay as they are). */
export function sealOptional<T extends string | null | undefined>(plain: T): T | string {
  return typeof plain === 'string' ? seal(plain) : plain;
}

/** Opens a stored value (plain values from before sealing pass through). */
export function open(stored: string): string {
  activeKey();
  return openValue([...known.values()], stored);
}

/** Opens a stored value that may be missing. */
export function openOptional<T extends string | null | undefined>(stored: T): T | string {
  return typeof stored === 'string' ? open(stored) : stored;
}

/**
 * A JSON document sealed as a whole for a `jsonb` column: the serialised JSON given is sealed
 * (random IV) and returned as the JSON text of a string, `"sm4:1:…"`. SQL cannot read inside it.
 */
export function sealJson(json: string): string {
  return JSON.stringify(seal(json));
}

/**
 * A `jsonb` column's value as read: a sealed string (see `sealJson`) opened and parsed; anything
 * else — a document stored before sealing — as it is.
 */
export function openJson(value: unknown): unknown {
  return typeof value === 'string' && isSealed(value) ? JSON.parse(open(value)) : value;
}

/** The blind index (HMAC-SM3) of an already normalized value under the data key in use. */
export function blindIndex(value: string): string {
  return blindIndexOf(activeKey(), value);
}

/**
 * The blind indexes a lookup must match: under the key in use first, then under every earlier key
 * the process knows (rows written before a rotation). Use as `where column in (...)`.
 */
export function blindIndexForms(value: string): string[] {
  const inUse = activeKey();
  return [inUse, ...[...known.values()].filter((k) => k !== inUse)].map((k) =>
    blindIndexOf(k, value),
  );
}

/**
 * Seals a value found by equality (deterministic, see `sealDeterministicValue`) with the data key
 * in use; a value already sealed is returned as it is.
 */
export function sealLookup(plain: string): string {
  return isSealed(plain) ? plain : sealDeterministicValue(activeKey(), plain);
}

/**
 * Every stored form an equality lookup must match: the plain value (rows stored before sealing,
 * test fixtures) and its deterministic seal under each key the process knows (the one in use
 * first). Use as `where column in (...)`.
 */
export function lookupForms(plain: string): string[] {
  const inUse = activeKey();
  const forms = [plain, sealDeterministicValue(inUse, plain)];
  for (const key of known.values()) {
    if (key !== inUse) forms.push(sealDeterministicValue(key, plain));
  }
  return forms;
}

/**
 * A subject's identifier as stored: a person's resident ID number sealed deterministically, an
 * enterprise's unified social credit code (统一社会信用代码, names no natural person) in the clear.
 */
export function sealSubjectIdentifier(kind: string, identifier: string): string {
  return kind === 'person' ? sealLookup(identifier) : identifier;
}
