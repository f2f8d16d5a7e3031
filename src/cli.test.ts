import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { freshSchemaName, openDatabase } from './platform/db/database';

const run = promisify(execFile);
const BIN = path.resolve('bin/onething.mjs');
const url = process.env.DATABASE_URL || null;

// The CLI runs as an operator would run it: a separate process over the configured database.
describe('the onething command', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'onething-cli-'));
  const schema = freshSchemaName('cli');
  const env = {
    ...process.env,
    ONETHING_DATA_DIR: dataDir,
    ...(url ? { ONETHING_DB_SCHEMA: schema } : {}),
  };
  const onething = (...args: string[]) =>
    run(process.execPath, [BIN, ...args], { env, timeout: 120_000 }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  const open = () => openDatabase({ url, dataDir, schema: url ? schema : undefined });

  afterAll(async () => {
    if (url) {
      const db = await openDatabase({ url, schema, dropSchemaOnClose: true });
      await db.close();
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.key`, { force: true });
  });

  it('migrates, seeds, and verifies the audit chain of a fresh platform', async () => {
    const migrated = await onething('migrate');
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/schema up to date/);
    const seeded = await onething('seed');
    expect(seeded.stdout).toMatch(/demo data seeded/);
    const verified = await onething('audit', 'verify');
    expect(verified.code).toBe(0);
    // One entry per seeded part (platform, catalog, bundles, …); seeding again adds none.
    const entries = Number(/audit chain OK: (\d+) entries/.exec(verified.stdout)?.[1]);
    expect(entries).toBeGreaterThanOrEqual(3);
    const again = await onething('seed');
    expect(again.stdout).toMatch(/nothing seeded/);
    const reverified = await onething('audit', 'verify');
    expect(reverified.stdout).toContain(`audit chain OK: ${entries} entries`);
  }, 360_000);

  it('backs the platform up and restores it into an empty database, verified', async () => {
    const file = path.join(dataDir, 'backup.gz');
    const backedUp = await onething('backup', file);
    expect(backedUp.code, backedUp.stderr).toBe(0);
    const written =
      /backup written to .*: (\d+) tables, (\d+) rows, audit chain verified \((\d+) entries\)/.exec(
        backedUp.stdout,
      );
    expect(written).not.toBeNull();
    const [tables, rows, entries] = written!.slice(1).map(Number);
    expect(rows).toBeGreaterThan(100);
    expect(entries).toBeGreaterThanOrEqual(3);

    // Into an empty place: a new data folder (PGlite) or a new schema (PostgreSQL).
    const targetDir = mkdtempSync(path.join(tmpdir(), 'onething-restore-'));
    const targetSchema = freshSchemaName('cli_restore');
    const targetEnv = {
      ...env,
      ONETHING_DATA_DIR: targetDir,
      ...(url ? { ONETHING_DB_SCHEMA: targetSchema } : {}),
    };
    const inTarget = (...args: string[]) =>
      run(process.execPath, [BIN, ...args], { env: targetEnv, timeout: 120_000 }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    try {
      const restored = await inTarget('restore', file);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toContain(`${tables} tables, ${rows} rows`);
      expect(restored.stdout).toContain(`audit chain verified (${entries} entries)`);
      const verified = await inTarget('audit', 'verify');
      expect(verified.stdout).toContain(`audit chain OK: ${entries} entries`);
      // A second restore would overwrite a live platform: refused unless forced.
      const again = await inTarget('restore', file);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/--force/);
      const missing = await inTarget('restore', path.join(targetDir, 'nope.gz'));
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/no such file/);
    } finally {
      if (url) {
        const db = await openDatabase({ url, schema: targetSchema, dropSchemaOnClose: true });
        await db.close();
      }
      rmSync(targetDir, { recursive: true, force: true });
      rmSync(`${targetDir}.key`, { force: true });
    }
  }, 240_000);

  it('names the first broken entry and fails when the log was altered', async () => {
    const db = await open();
    await db.kysely.transaction().execute(async (trx) => {
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(trx);
      await sql`update audit_log set actor_role = 'admin' where seq = 1`.execute(trx);
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(trx);
    });
    await db.close();
    const verified = await onething('audit', 'verify');
    expect(verified.code).toBe(1);
    expect(verified.stderr).toMatch(/BROKEN in lane \d+ at entry 1 \(hash_mismatch\)/);
  }, 60_000);

  it('prints its usage for an unknown command and fails', async () => {
    const result = await onething('frobnicate');
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/onething start/);
  });
});
