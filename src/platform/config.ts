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
  /**
   * Users reach the platform over HTTPS, through a TLS-terminating proxy or directly (ONETHING_HTTPS=1):
   * sends Strict-Transport-Security, asks browsers to upgrade insecure requests, and marks cookies Secure.
   */
  https: boolean;
  /** Mark session cookies Secure (ONETHING_COOKIE_SECURE=1; implied by ONETHING_HTTPS). */
  cookieSecure: boolean;
  /**
   * Which proxies to trust for the client address and protocol (ONETHING_TRUST_PROXY): unset trusts
   * none; a number trusts that many hops; otherwise a comma-separated list of addresses or CIDRs.
   * Rate limits and the audit log key on the client address, so set it behind a load balancer.
   */
  trustProxy: boolean | number | string[];
  /**
   * Origins the browser app is served from besides the request's own host (ONETHING_ORIGINS,
   * comma-separated, e.g. `https://zwfw.example.gov.cn`); unsafe requests carrying a session cookie
   * from any other origin are refused (CSRF).
   */
  allowedOrigins: string[];
  /** Request rate limits per window (see RateLimits); ONETHING_RATE_LIMITS=off turns them all off. */
  rateLimits: RateLimits;
  /** Absolute lifetime of a session in minutes (ONETHING_SESSION_TTL_MINUTES, default 720). */
  sessionTtlMinutes: number;
  /** Idle timeout of a session in minutes (ONETHING_SESSION_IDLE_MINUTES, default 120). */
  sessionIdleMinutes: number;
  /** Failed sign-ins within the lock-out window that lock an account (ONETHING_LOCKOUT_ATTEMPTS, default 5; 0 never locks). */
  lockoutAttempts: number;
  /** Minutes within which failed sign-ins are counted together (ONETHING_LOCKOUT_WINDOW_MINUTES, default 15). */
  lockoutWindowMinutes: number;
  /** How long a locked account stays locked, in minutes (ONETHING_LOCKOUT_MINUTES, default 15). */
  lockoutMinutes: number;
  /**
   * Business hours of a working day (ONETHING_BUSINESS_HOURS, default "09:00-12:00,13:00-17:00"):
   * working-hour limits count only inside them, and day limits end when the last one closes.
   */
  businessHours: BusinessHours;
  /**
   * Second authentication factor (TOTP) of staff accounts (ONETHING_SECOND_FACTOR): `optional`
   * (default) — accounts that enrolled one must give a code at sign-in; `required` — staff accounts
   * without one may only enrol after signing in with their password (set this in production).
   */
  secondFactor: SecondFactorPolicy;
  /**
   * Whether the platform seeds the demo (ONETHING_DEMO): `on` (default) — the first start seeds
   * Weihai's demo people, enterprises and staff accounts sharing one published password, demo
   * licences, tickets, the demo Open311 key and synthetic history; `off` (a real deployment) —
   * only the reference data (regions, departments, catalog, bundles, taxonomies, policies, …).
   */
  demo: boolean;
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
  /** Seconds a server keeps the cockpit's computed figures of a period and region (ONETHING_COCKPIT_MAX_AGE_SECONDS, default 5; 0 computes them on every read). */
  cockpitMaxAgeSeconds: number;
  /** Working days after a service is completed during which it may be rated (ONETHING_RATING_WORKING_DAYS, default 5). */
  ratingWorkingDays: number;
  /** Working days a unit has to rectify a bad rating and answer it (ONETHING_RECTIFY_WORKING_DAYS, default 15). */
  rectifyWorkingDays: number;
  /**
   * 128-bit key that seals personal data at rest with SM4 (ONETHING_DATA_KEY, 32 hex digits).
   * When unset: generated once next to the PGlite data folder; required with PostgreSQL in
   * production; generated into .data/onething-data-key in development (see docs/security.md).
   */
  dataKey: Buffer | null;
  /**
   * Keys personal data was sealed with before the key in use (ONETHING_DATA_KEY_PREVIOUS, comma-
   * separated, 32 hex digits each): values sealed under them still open and are still found.
   */
  previousDataKeys: Buffer[];
}

/** Whether staff accounts may (`optional`) or must (`required`) have a second factor. */
export type SecondFactorPolicy = 'optional' | 'required';

function secondFactorFrom(raw: string | undefined): SecondFactorPolicy {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'optional') return 'optional';
  if (value === 'required') return 'required';
  throw new Error(`ONETHING_SECOND_FACTOR must be "optional" or "required", got "${raw}"`);
}

function demoFrom(raw: string | undefined): boolean {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(`ONETHING_DEMO must be "on" or "off", got "${raw}"`);
}

/**
 * Requests allowed per window and client, by class of route; 0 turns one limit off. Generous by
 * default: a counter hall or a company behind one address must not be shut out.
 */
export interface RateLimits {
  /** Whether any limit applies (ONETHING_RATE_LIMITS=off turns them off, e.g. for load benchmarks). */
  enabled: boolean;
  /** Length of the counting window in seconds (ONETHING_RATE_WINDOW_SECONDS, default 60). */
  windowSeconds: number;
  /** Sign-in attempts per client address (ONETHING_RATE_SIGNIN_PER_IP, default 120). */
  signInPerIp: number;
  /** Sign-in attempts per username (ONETHING_RATE_SIGNIN_PER_USER, default 60). */
  signInPerUser: number;
  /** Submissions (applications, tickets, ratings, uploads, …) per client address (ONETHING_RATE_INTAKE_PER_IP, default 600). */
  intakePerIp: number;
  /** Submissions per signed-in user (ONETHING_RATE_INTAKE_PER_USER, default 120). */
  intakePerUser: number;
  /** Requests to public endpoints (Open311, public tracking, verification, the hall) per client address (ONETHING_RATE_PUBLIC_PER_IP, default 1200). */
  publicPerIp: number;
}

function listFrom(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function trustProxyFrom(raw: string | undefined): boolean | number | string[] {
  const value = (raw ?? '').trim();
  if (value === '' || ['0', 'false', 'no'].includes(value.toLowerCase())) return false;
  if (['true', 'yes'].includes(value.toLowerCase())) return true;
  if (/^\d+$/.test(value)) return Number(value);
  return listFrom(value);
}

function originsFrom(raw: string | undefined): string[] {
  return listFrom(raw).map((origin) => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new Error(`ONETHING_ORIGINS: "${origin}" is not an origin like https://example.gov.cn`);
    }
    if (url.origin === 'null' || !['http:', 'https:'].includes(url.protocol)) {
      throw new Error(`ONETHING_ORIGINS: "${origin}" is not an http(s) origin`);
    }
    return url.origin;
  });
}

function rateLimitsFrom(env: NodeJS.ProcessEnv): RateLimits {
  return {
    enabled: !['0', 'off', 'false', 'no'].includes((env.ONETHING_RATE_LIMITS ?? '').toLowerCase()),
    windowSeconds: positiveIntFrom(env, 'ONETHING_RATE_WINDOW_SECONDS', 60),
    signInPerIp: intFrom(env, 'ONETHING_RATE_SIGNIN_PER_IP', 120),
    signInPerUser: intFrom(env, 'ONETHING_RATE_SIGNIN_PER_USER', 60),
    intakePerIp: intFrom(env, 'ONETHING_RATE_INTAKE_PER_IP', 600),
    intakePerUser: intFrom(env, 'ONETHING_RATE_INTAKE_PER_USER', 120),
    publicPerIp: intFrom(env, 'ONETHING_RATE_PUBLIC_PER_IP', 1200),
  };
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

function dataKeyFrom(raw: string | undefined, name = 'ONETHING_DATA_KEY'): Buffer | null {
  const value = (raw ?? '').trim();
  if (value === '') return null;
  if (!/^[0-9a-fA-F]{32}$/.test(value)) {
    throw new Error(`${name} must be 32 hex digits (a 128-bit SM4 key)`);
  }
  return Buffer.from(value, 'hex');
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
    https: flagFrom(env, 'ONETHING_HTTPS'),
    cookieSecure: flagFrom(env, 'ONETHING_COOKIE_SECURE') || flagFrom(env, 'ONETHING_HTTPS'),
    trustProxy: trustProxyFrom(env.ONETHING_TRUST_PROXY),
    allowedOrigins: originsFrom(env.ONETHING_ORIGINS),
    rateLimits: rateLimitsFrom(env),
    sessionTtlMinutes: positiveIntFrom(env, 'ONETHING_SESSION_TTL_MINUTES', 720),
    sessionIdleMinutes: positiveIntFrom(env, 'ONETHING_SESSION_IDLE_MINUTES', 120),
    lockoutAttempts: intFrom(env, 'ONETHING_LOCKOUT_ATTEMPTS', 5),
    lockoutWindowMinutes: positiveIntFrom(env, 'ONETHING_LOCKOUT_WINDOW_MINUTES', 15),
    lockoutMinutes: intFrom(env, 'ONETHING_LOCKOUT_MINUTES', 15),
    secondFactor: secondFactorFrom(env.ONETHING_SECOND_FACTOR),
    businessHours: businessHoursFrom(env.ONETHING_BUSINESS_HOURS),
    demo: demoFrom(env.ONETHING_DEMO),
    logLevel: env.LOG_LEVEL || 'info',
    webDir: path.resolve(env.ONETHING_WEB_DIR || 'web/dist'),
    uploadMaxBytes: positiveIntFrom(env, 'ONETHING_UPLOAD_MAX_BYTES', 10 * 1024 * 1024),
    scanCommand: env.ONETHING_SCAN_COMMAND?.trim() || null,
    slaSweepSeconds: intFrom(env, 'ONETHING_SLA_SWEEP_SECONDS', 60),
    slaWarnFraction: fractionFrom(env, 'ONETHING_SLA_WARN_FRACTION', 0.2),
    outboxSeconds: intFrom(env, 'ONETHING_OUTBOX_SECONDS', 5),
    cockpitMaxAgeSeconds: intFrom(env, 'ONETHING_COCKPIT_MAX_AGE_SECONDS', 5),
    ratingWorkingDays: positiveIntFrom(env, 'ONETHING_RATING_WORKING_DAYS', 5),
    rectifyWorkingDays: positiveIntFrom(env, 'ONETHING_RECTIFY_WORKING_DAYS', 15),
    dataKey: dataKeyFrom(env.ONETHING_DATA_KEY),
    previousDataKeys: (env.ONETHING_DATA_KEY_PREVIOUS ?? '')
      .split(',')
      .filter((k) => k.trim() !== '')
      .map((k) => dataKeyFrom(k, 'ONETHING_DATA_KEY_PREVIOUS')!),
  };
}
