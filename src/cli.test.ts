import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../test/support/child-server';
import { DEMO_PASSWORD } from '../test/support/server';
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

// A real deployment: no demo data, the first administrator from the command line.
describe('the onething command with ONETHING_DEMO=off', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'onething-golive-'));
  const schema = freshSchemaName('golive');
  const env = {
    ...process.env,
    ONETHING_DATA_DIR: dataDir,
    ONETHING_DEMO: 'off',
    ...(url ? { ONETHING_DB_SCHEMA: schema } : {}),
  };
  const onething = (args: string[], extra: Record<string, string> = {}) =>
    run(process.execPath, [BIN, ...args], { env: { ...env, ...extra }, timeout: 120_000 }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  const open = () => openDatabase({ url, dataDir, schema: url ? schema : undefined });
  let server: ChildServer | undefined;

  afterAll(async () => {
    await server?.kill();
    if (url) {
      const db = await openDatabase({ url, schema, dropSchemaOnClose: true });
      await db.close();
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.key`, { force: true });
  });

  it('refuses an ONETHING_DEMO that is neither on nor off, naming it', async () => {
    const refused = await onething(['seed'], { ONETHING_DEMO: 'yes' });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/ONETHING_DEMO must be "on" or "off", got "yes"/);
  });

  it('seeds the reference data and no demo data: no people, accounts, keys or history', async () => {
    const seeded = await onething(['seed']);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/reference data \(no demo data: ONETHING_DEMO=off\) seeded/);
    const db = await open();
    try {
      const count = async (table: string) =>
        Number(
          (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
            db.kysely,
          ))!.rows[0]!.n,
        );
      for (const table of ['regions', 'departments', 'catalog_items', 'bundles']) {
        expect(await count(table), table).toBeGreaterThan(0);
      }
      for (const table of [
        'hotline_categories',
        'licence_types',
        'shared_data_sources',
        'policies',
        'inspection_items',
        'ledger_tasks',
      ]) {
        expect(await count(table), table).toBeGreaterThan(0);
      }
      for (const table of [
        'users',
        'subjects',
        'licences',
        'hotline_tickets',
        'hotline_api_keys',
        'domain_events',
        'inspectors',
        'inspection_targets',
        'credit_records',
      ]) {
        expect(await count(table), table).toBe(0);
      }
      // The seeds name the departments; their real credit codes are the administrator's to enter.
      const usccs = await db.kysely.selectFrom('departments').select('uscc').execute();
      expect(usccs.every((d) => d.uscc === null)).toBe(true);
    } finally {
      await db.close();
    }
    const again = await onething(['seed']);
    expect(again.stdout).toMatch(/nothing seeded/);
  }, 180_000);

  it('creates the first administrator, whose temporary password signs in and holds back to the password change', async () => {
    const created = await onething(['admin', 'create', 'Chief', '--name', '王主任']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/administrator chief \(王主任\) created/);
    const password = /temporary password[^:]*: (\S+)/.exec(created.stdout)?.[1];
    expect(password).toMatch(/^\S{4}-\S{4}-\S{4}$/);

    const duplicate = await onething(['admin', 'create', 'chief', '--name', '另一人']);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toMatch(/username: chief is already taken/);
    for (const bad of [
      ['admin', 'create', 'no space', '--name', 'X'],
      ['admin', 'create', 'nobody'],
      ['admin', 'create', 'far', '--name', 'X', '--region', '110000'],
    ]) {
      const refused = await onething(bad);
      expect(refused.code, bad.join(' ')).toBe(2);
      expect(refused.stderr, bad.join(' ')).not.toBe('');
    }

    const db = await open();
    try {
      const entry = await db.kysely
        .selectFrom('auditLog')
        .select(['actorId', 'actorRole', 'detail'])
        .where('action', '=', 'auth.user_created')
        .executeTakeFirstOrThrow();
      expect(entry).toMatchObject({ actorId: null, actorRole: null });
      expect(entry.detail).toMatchObject({ username: 'chief', role: 'admin', by: 'cli' });
      expect(JSON.stringify(entry.detail)).not.toContain(password);
      const users = await db.kysely.selectFrom('users').select('username').execute();
      expect(users.map((u) => u.username)).toEqual(['chief']);
    } finally {
      await db.close();
    }

    // Started once with the demo switched on by mistake: users exist, so no demo, and none of the
    // demo's other parts (its Open311 key, history, tickets) go into a platform never seeded as one.
    const mistaken = await onething(['seed'], { ONETHING_DEMO: 'on' });
    expect(mistaken.code, mistaken.stderr).toBe(0);
    expect(mistaken.stdout).toMatch(/nothing seeded/);
    const after = await open();
    try {
      for (const table of ['hotline_api_keys', 'domain_events', 'subjects'] as const) {
        const { rows } = await sql<{
          n: number;
        }>`select count(*)::int as n from ${sql.table(table)}`.execute(after.kysely);
        expect(rows[0]!.n, table).toBe(0);
      }
    } finally {
      await after.close();
    }

    server = await startChildServer({
      ONETHING_DATA_DIR: dataDir,
      ONETHING_DEMO: 'off',
      ONETHING_OUTBOX_SECONDS: '0',
      ONETHING_SLA_SWEEP_SECONDS: '0',
      ...(url ? { ONETHING_DB_SCHEMA: schema } : {}),
    });
    const items = await server.api('/api/catalog/items');
    expect(items.body.total).toBeGreaterThan(0);
    const bundles = await server.api('/api/bundles');
    expect(bundles.status).toBe(200);
    expect(JSON.stringify(bundles.body)).toMatch(/"code"/);
    // No demo account exists, so the published password opens nothing.
    for (const username of ['admin', 'clerk', 'citizen']) {
      const demo = await server.api('/api/session', {
        method: 'POST',
        body: { username, password: DEMO_PASSWORD },
      });
      expect(demo.status, username).toBe(401);
    }
    const cookie = await server.signIn('chief', password);
    const me = await server.api('/api/me', { cookie });
    expect(me.body.user).toMatchObject({
      username: 'chief',
      role: 'admin',
      passwordChangeRequired: true,
    });
    const held = await server.api('/api/users', { cookie, lang: 'en' });
    expect(held.status).toBe(403);
    expect(held.body.error.code).toBe('auth.password_change_required');
    const changed = await server.api('/api/me/password', {
      method: 'PUT',
      cookie,
      body: { currentPassword: password, newPassword: 'Going-Live-2026' },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(204);
    await server.kill();
    server = undefined;
  }, 240_000);
});
