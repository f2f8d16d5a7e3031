import path from 'node:path';
import { DEFAULT_BUSINESS_HOURS, validateBusinessHours, type BusinessHours } from './calendar';

/** Where the platform keeps its data and how it listens; read once from the environment. */
export interface Config {
  /** TCP port of the HTTP server (PORT, default 3000). */
  port: number;
  /** Interface to listen on (HOST, default 127.0.0.1; use 0.0.0.0 behind a load balancer). */
  host: string;
  /** PostgreSQL connection string (DATABASE_URL); when unset the embedded PGlite database is used. */
  databaseUrl: string | null;
  /** PostgreSQL schema to use instead of public (ONETHING_DB_SCHEMA); created if missing. */
  dbSchema: string | null;
  /** Folder of the embedded PGlite database (ONETHING_DATA_DIR, default ./.data/pglite). */
  dataDir: string;
  /** Keep the embedded database in memory only (--memory or ONETHING_MEMORY=1). */
  memory: boolean;
  /** Mark session cookies Secure (ONETHING_COOKIE_SECURE=1; set it whenever users reach the platform over HTTPS). */
  cookieSecure: boolean;
  /** Absolute lifetime of a session in minutes (ONETHING_SESSION_TTL_MINUTES, default 720). */
  sessionTtlMinutes: number;
  /** Idle timeout of a session in minutes (ONETHING_SESSION_IDLE_MINUTES, default 120). */
  sessionIdleMinutes: number;
  /** Failed sign-ins in a row before an account locks (ONETHING_LOCKOUT_ATTEMPTS, default 5). */
  lockoutAttempts: number;
  /** How long a locked account stays locked, in minutes (ONETHING_LOCKOUT_MINUTES, default 15). */
  lockoutMinutes: number;
  /**
   * Business hours of a working day (ONETHING_BUSINESS_HOURS, default "09:00-12:00,13:00-17:00"):
   * working-hour limits count only inside them, and day limits end when the last one closes.
   */
  businessHours: BusinessHours;
  /** Log level for the structured logs (LOG_LEVEL, default info). */
  logLevel: string;
  /** Folder of the built web app served at / (ONETHING_WEB_DIR, default web/dist). */
  webDir: string;
  /** Largest uploaded material in bytes (ONETHING_UPLOAD_MAX_BYTES, default 10 MiB). */
  uploadMaxBytes: number;
  /**
   * Virus scanner given each uploaded file on stdin, exit 0 clean and 1 infected
   * (ONETHING_SCAN_COMMAND, e.g. `clamdscan --no-summary -`); a built-in EICAR check when unset.
   */
  scanCommand: string | null;
  /** Seconds between sweeps that record case warnings as they come due (ONETHING_SLA_SWEEP_SECONDS, default 60; 0 turns it off). */
  slaSweepSeconds: number;
  /** Share of a case's committed limit that is its yellow warning window, the last part of it (ONETHING_SLA_WARN_FRACTION, default 0.2). */
  slaWarnFraction: number;
  /** Seconds between runs of the domain-event dispatcher and the outbox sender (ONETHING_OUTBOX_SECONDS, default 5; 0 turns them off). */
  outboxSeconds: number;
  /** Working days after a service is completed during which it may be rated (ONETHING_RATING_WORKING_DAYS, default 5). */
  ratingWorkingDays: number;
  /** Working days a unit has to rectify a bad rating and answer it (ONETHING_RECTIFY_WORKING_DAYS, default 15). */
  rectifyWorkingDays: number;
}

function positiveIntFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = intFrom(env, name, fallback);
  if (value < 1) throw new Error(`${name} must be a positive integer, got "${env[name]}"`);
  return value;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

function fractionFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value >= 1) {
    throw new Error(`${name} must be a number between 0 and 1 (exclusive), got "${raw}"`);
  }
  return value;
}

function flagFrom(env: NodeJS.ProcessEnv, name: string): boolean {
  return ['1', 'true', 'yes'].includes((env[name] ?? '').toLowerCase());
}

function businessHoursFrom(raw: string | undefined): BusinessHours {
  if (!raw) return DEFAULT_BUSINESS_HOURS;
  const hours = raw.split(',').map((interval) =>
    interval
      .trim()
      .split('-')
      .map((t) => t.trim()),
  );
  const problems = validateBusinessHours(hours);
  if (problems.length > 0) {
    throw new Error(`ONETHING_BUSINESS_HOURS: ${problems.map((p) => p.en).join('; ')}`);
  }
  return hours as unknown as BusinessHours;
}

/** Reads the configuration from environment variables (documented in docs/operations.md). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = []): Config {
  return {
    port: intFrom(env, 'PORT', 3000),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || null,
    dbSchema: env.ONETHING_DB_SCHEMA || null,
    dataDir: path.resolve(env.ONETHING_DATA_DIR || '.data/pglite'),
    memory: argv.includes('--memory') || flagFrom(env, 'ONETHING_MEMORY'),
    cookieSecure: flagFrom(env, 'ONETHING_COOKIE_SECURE'),
    sessionTtlMinutes: intFrom(env, 'ONETHING_SESSION_TTL_MINUTES', 720),
    sessionIdleMinutes: intFrom(env, 'ONETHING_SESSION_IDLE_MINUTES', 120),
    lockoutAttempts: intFrom(env, 'ONETHING_LOCKOUT_ATTEMPTS', 5),
    lockoutMinutes: intFrom(env, 'ONETHING_LOCKOUT_MINUTES', 15),
    businessHours: businessHoursFrom(env.ONETHING_BUSINESS_HOURS),
    logLevel: env.LOG_LEVEL || 'info',
    webDir: path.resolve(env.ONETHING_WEB_DIR || 'web/dist'),
    uploadMaxBytes: positiveIntFrom(env, 'ONETHING_UPLOAD_MAX_BYTES', 10 * 1024 * 1024),
    scanCommand: env.ONETHING_SCAN_COMMAND?.trim() || null,
    slaSweepSeconds: intFrom(env, 'ONETHING_SLA_SWEEP_SECONDS', 60),
    slaWarnFraction: fractionFrom(env, 'ONETHING_SLA_WARN_FRACTION', 0.2),
    outboxSeconds: intFrom(env, 'ONETHING_OUTBOX_SECONDS', 5),
    ratingWorkingDays: positiveIntFrom(env, 'ONETHING_RATING_WORKING_DAYS', 5),
    rectifyWorkingDays: positiveIntFrom(env, 'ONETHING_RECTIFY_WORKING_DAYS', 15),
  };
}
