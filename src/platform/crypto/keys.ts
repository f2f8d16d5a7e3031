import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { DATA_KEY_BYTES } from './sealed';

/** Where the data key came from, for the start-up log. */
export type DataKeyOrigin = 'setting' | 'file' | 'generated' | 'ephemeral';

/** The data key in use and where it came from. */
export interface ResolvedDataKey {
  key: Buffer;
  origin: DataKeyOrigin;
  /** The key file read or written, when there is one. */
  file: string | null;
  /** Something an operator should hear about (a generated key outside production). */
  warning: string | null;
}

/** What decides where the data key comes from. */
export interface DataKeyContext {
  config: Pick<Config, 'dataKey' | 'dataDir' | 'memory'> &
    Partial<Pick<Config, 'previousDataKeys'>>;
  /** Which engine holds the data. */
  kind: 'pglite' | 'postgres';
  /** NODE_ENV: `production` refuses to invent a key for PostgreSQL. */
  nodeEnv: string | undefined;
  /** The working folder, for the development key file. */
  cwd: string;
}

/** The key file of an embedded PGlite data folder: beside it, never inside PostgreSQL's own files. */
export function pgliteKeyFile(dataDir: string): string {
  return `${dataDir}.key`;
}

/** The key file used with PostgreSQL outside production (under `.data/`, which git ignores). */
export function developmentKeyFile(cwd: string): string {
  return path.join(cwd, '.data', 'onething-data-key');
}

function readKeyFile(file: string): Buffer {
  const text = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-fA-F]{32}$/.test(text)) {
    throw new Error(`${file} does not hold a data key (32 hex digits)`);
  }
  return Buffer.from(text, 'hex');
}

/** Reads the key file, or creates it (mode 0600) with a new random key when there is none. */
function keyFromFile(file: string): { key: Buffer; created: boolean } {
  try {
    return { key: readKeyFile(file), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(DATA_KEY_BYTES);
  try {
    // `wx`: when two processes start at once, the second one reads the first one's key.
    writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return { key, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { key: readKeyFile(file), created: false };
  }
}

/**
 * Finds the data key: ONETHING_DATA_KEY when set; else for PGlite a key file beside the data
 * folder (a fresh random key in memory for --memory, whose data dies with the process); else, for
 * PostgreSQL, a refusal in production, and outside it a development key file with a warning.
 */
export function resolveDataKey(context: DataKeyContext): ResolvedDataKey {
  const { config } = context;
  if (config.dataKey) {
    return { key: config.dataKey, origin: 'setting', file: null, warning: null };
  }
  if (context.kind === 'pglite') {
    if (config.memory) {
      return { key: randomBytes(DATA_KEY_BYTES), origin: 'ephemeral', file: null, warning: null };
    }
    const file = pgliteKeyFile(config.dataDir);
    const { key, created } = keyFromFile(file);
    return { key, origin: created ? 'generated' : 'file', file, warning: null };
  }
  if (context.nodeEnv === 'production') {
    throw new Error(
      'ONETHING_DATA_KEY is required with PostgreSQL in production: 32 hex digits, kept outside the database and its backups',
    );
  }
  const file = developmentKeyFile(context.cwd);
  const { key, created } = keyFromFile(file);
  return {
    key,
    origin: created ? 'generated' : 'file',
    file,
    warning: `ONETHING_DATA_KEY is not set: personal data is sealed with the development key in ${file}; set ONETHING_DATA_KEY in production`,
  };
}
