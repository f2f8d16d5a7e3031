import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { OpenSealedColumnsPlugin, open } from '../crypto';
import type { Database } from './schema';
import { PGliteDialect } from './pglite-dialect';

/** Which engine is behind the platform: the embedded PGlite or a PostgreSQL server. */
export type DbKind = 'pglite' | 'postgres';

/** The typed query builder over every table of the platform. */
export type Kdb = Kysely<Database>;

/** A transaction over the platform's tables; store functions that must run inside one demand it. */
export type Tx = Transaction<Database>;

/** An open database: the query builder, which engine it is, and how to close it. */
export interface Db {
  kysely: Kdb;
  kind: DbKind;
  close(): Promise<void>;
  /** PostgreSQL: this process's pool — clients open, idle, and callers waiting for one. */
  poolClients?(): { open: number; idle: number; waiting: number };
}

/** How to open the database. */
export interface OpenOptions {
  /** PostgreSQL connection string; when null, PGlite is used. */
  url: string | null;
  /** PGlite data folder; ignored for PostgreSQL and when memory is set. */
  dataDir?: string;
  /** Keep PGlite in memory (tests, throw-away runs). */
  memory?: boolean;
  /**
   * PostgreSQL schema to work in, created if missing and dropped on close when `dropSchemaOnClose`.
   * Tests use a fresh schema each so that they never see each other's data.
   */
  schema?: string;
  dropSchemaOnClose?: boolean;
  /** Pool size for PostgreSQL (default 10). */
  poolSize?: number;
  /**
   * Told of every PostgreSQL connection lost outside a query (server restart, backend terminated,
   * network cut); the pool drops the connection and opens a new one when next needed. Default: one
   * line on stderr.
   */
  onConnectionError?: (error: Error) => void;
}

/** How long taking a PostgreSQL connection may wait before the request fails (503), not hangs. */
const CONNECT_TIMEOUT_MS = 10_000;

const INT8_OID = 20;
const NUMERIC_OID = 1700;

// int8 counts and sequence numbers stay far below 2^53; numbers are easier to use than strings.
pg.types.setTypeParser(INT8_OID, (value) => Number(value));

/** Result columns that may hold a sealed resident ID number (subjects, licences, licence uses). */
const SEALED_LOOKUP_COLUMNS = ['identifier', 'holderIdentifier', 'subjectIdentifier'] as const;

/** Opens PGlite or PostgreSQL behind one Kysely instance with camelCase mapping. */
export async function openDatabase(options: OpenOptions): Promise<Db> {
  // Resident ID numbers are sealed at rest (deterministically, so they are still found by
  // equality); every query's result has them opened.
  const plugins = [new CamelCasePlugin(), new OpenSealedColumnsPlugin(SEALED_LOOKUP_COLUMNS, open)];
  if (options.url) {
    const schema = options.schema;
    if (schema) {
      if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
      const admin = new pg.Client({ connectionString: options.url });
      await admin.connect();
      await admin.query(`create schema if not exists ${schema}`);
      await admin.end();
    }
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    surviveConnectionLoss(pool, options.onConnectionError ?? logConnectionError);
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins });
    return {
      kysely,
      kind: 'postgres',
      poolClients: () => ({
        open: pool.totalCount,
        idle: pool.idleCount,
        waiting: pool.waitingCount,
      }),
      async close() {
        await kysely.destroy();
        if (schema && options.dropSchemaOnClose) {
          const admin = new pg.Client({ connectionString: options.url! });
          await admin.connect();
          await admin.query(`drop schema if exists ${schema} cascade`);
          await admin.end();
        }
      },
    };
  }
  const parsers = { [INT8_OID]: (value: string) => Number(value), [NUMERIC_OID]: String };
  let client: PGlite;
  if (options.memory || !options.dataDir) {
    client = new PGlite({ parsers });
  } else {
    mkdirSync(options.dataDir, { recursive: true });
    client = new PGlite(options.dataDir, { parsers });
  }
  await client.waitReady;
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect(client), plugins });
  return {
    kysely,
    kind: 'pglite',
    async close() {
      await kysely.destroy();
    },
  };
}

/**
 * Keeps a lost PostgreSQL connection from ending the process. pg emits 'error' on a client whose
 * server went away; the pool listens only while the client is idle, so a connection lost while it is
 * checked out (inside a transaction, between two statements) would otherwise be an unhandled 'error'
 * event. The statement in flight fails on its own (the request answers 503 and rolls back); the
 * broken client is not queryable any more, so the pool discards it on release and connects anew.
 */
function surviveConnectionLoss(pool: pg.Pool, report: (error: Error) => void): void {
  // an idle client's error reaches the pool too: reported once, by the client's own listener
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', report);
  });
}

function logConnectionError(error: Error): void {
  const code = (error as { code?: string }).code;
  process.stderr.write(
    `${JSON.stringify({ level: 'warn', msg: 'PostgreSQL connection lost', code, err: error.message })}\n`,
  );
}

/** A fresh, unique schema name for an isolated test database on PostgreSQL. */
export function freshSchemaName(prefix = 't'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** Takes a transaction-scoped advisory lock, serialising writers of one chain or runner. */
export async function lockForTransaction(trx: Tx, key: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
}
