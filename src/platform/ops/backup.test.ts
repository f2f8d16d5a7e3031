import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/db';
import { seedDemoData } from '../../server';
import { verifyAuditChain } from '../audit';
import { freshSchemaName, openDatabase, type Db } from '../db/database';
import { dependencyOrder } from './archive';
import { BackupError, backupDatabase, restoreDatabase } from './backup';

const url = process.env.DATABASE_URL || null;

/** A fresh, empty (unmigrated) database of the engine under test. */
function emptyDb(engine: 'pglite' | 'postgres' = url ? 'postgres' : 'pglite'): Promise<Db> {
  return engine === 'postgres'
    ? openDatabase({ url, schema: freshSchemaName('rs'), dropSchemaOnClose: true, poolSize: 3 })
    : openDatabase({ url: null, memory: true });
}

/** Every row of every table (and every sequence), rendered the same way on either engine. */
async function snapshot(db: Db) {
  return db.kysely.transaction().execute(async (trx) => {
    await sql`set local time zone 'UTC'`.execute(trx);
    const q = trx;
    const { rows: tables } = await sql<{ name: string }>`
      select tablename as name from pg_tables
      where schemaname = current_schema() and tablename <> 'schema_migrations' order by 1`.execute(
      q,
    );
    const out: Record<string, string[]> = {};
    for (const { name } of tables) {
      const { rows } = await sql<{ j: string }>`
        select to_jsonb(t)::text as j from ${sql.id(name)} as t order by 1`.execute(q);
      out[name] = rows.map((r) => r.j);
    }
    const { rows: seqs } = await sql<{ name: string }>`
      select relname as name from pg_class
      where relkind = 'S' and relnamespace = current_schema()::regnamespace order by 1`.execute(q);
    for (const { name } of seqs) {
      const { rows } = await sql<{ v: string }>`
        select last_value::text || '/' || is_called::text as v from ${sql.id(name)}`.execute(q);
      out[`sequence ${name}`] = [rows[0]!.v];
    }
    return out;
  });
}

/** Rewrites an archive's lines; recomputes its checksum when asked (a careful tamperer). */
function tamper(from: string, to: string, edit: (lines: string[]) => string[], rehash: boolean) {
  const lines = gunzipSync(readFileSync(from)).toString('utf8').trimEnd().split('\n');
  let body = edit(lines.slice(0, -1));
  let last = lines.at(-1)!;
  if (rehash) {
    const hex = createHash('sha256')
      .update(body.map((l) => l + '\n').join(''))
      .digest('hex');
    last = `{"sha256":"${hex}"}`;
  }
  body = [...body, last];
  writeFileSync(to, gzipSync(body.join('\n') + '\n'));
}

/** The index of the first row line of a table in an archive's lines. */
function firstRowOf(lines: string[], table: string): number {
  return lines.indexOf(`{"table":"${table}"}`) + 1;
}

async function refusal(promise: Promise<unknown>): Promise<BackupError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackupError);
  return error as BackupError;
}

describe('backup and restore', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'onething-backup-'));
  const archive = path.join(dir, 'platform.backup.gz');
  let source: Db;
  let before: Record<string, string[]>;

  beforeAll(async () => {
    source = await createTestDb();
    await seedDemoData(source);
    // Binary content, quotes and newlines in text: rows the demo does not make.
    await sql`insert into hotline_attachments
        (id, ticket_id, region_code, filename, content_type, size, sha256, content, uploaded_at)
      select gen_random_uuid(), id, region_code, '附件 "一".bin', 'application/octet-stream', 4,
        'x', '\\x00ff0a22'::bytea, now()
      from hotline_tickets limit 1`.execute(source.kysely);
    before = await snapshot(source);
  }, 300_000);

  afterAll(async () => {
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up every table with its row count and the audit head', async () => {
    const header = await backupDatabase(source, archive);
    expect(header.engine).toBe(source.kind);
    expect(header.tables.map((t) => t.name)).not.toContain('schema_migrations');
    for (const table of header.tables) expect(table.rows).toBe(before[table.name]!.length);
    const audit = await verifyAuditChain(source.kysely);
    expect(audit.ok && header.audit?.entries).toBe(audit.entries);
    // Parents come before the tables that refer to them.
    const order = header.tables.map((t) => t.name);
    expect(order.indexOf('regions')).toBeLessThan(order.indexOf('departments'));
    expect(order.indexOf('users')).toBeLessThan(order.indexOf('sessions'));
  }, 120_000);

  it('restores into an empty database with every row, sequence and a verified audit chain', async () => {
    const target = await emptyDb();
    try {
      const report = await restoreDatabase(target, archive);
      expect(report.rows).toBe(report.header.tables.reduce((n, t) => n + t.rows, 0));
      expect(await snapshot(target)).toEqual(before);
      expect((await verifyAuditChain(target.kysely)).ok).toBe(true);
      // The restored platform keeps working: the audit log is append-only again.
      await expect(sql`delete from audit_log`.execute(target.kysely)).rejects.toThrow(
        /append-only/,
      );
    } finally {
      await target.close();
    }
  }, 120_000);

  it('restores into the other engine too (PostgreSQL backups into PGlite)', async () => {
    const target = await emptyDb('pglite');
    try {
      await restoreDatabase(target, archive);
      expect(await snapshot(target)).toEqual(before);
    } finally {
      await target.close();
    }
  }, 120_000);

  it('refuses to restore into a database that holds data unless forced', async () => {
    const target = await emptyDb();
    try {
      await restoreDatabase(target, archive);
      const error = await refusal(restoreDatabase(target, archive));
      expect(error.text.en).toMatch(/not empty .*--force/);
      expect(error.text.zh).toMatch(/不是空的/);
      await sql`update users set display_name = 'changed'`.execute(target.kysely);
      await restoreDatabase(target, archive, { force: true });
      expect(await snapshot(target)).toEqual(before);
    } finally {
      await target.close();
    }
  }, 180_000);

  it('refuses an archive changed after it was written, and keeps nothing', async () => {
    const changed = path.join(dir, 'changed.gz');
    const target = await emptyDb();
    try {
      tamper(
        archive,
        changed,
        (lines) => {
          const i = firstRowOf(lines, 'users');
          lines[i] = lines[i]!.replace(/"display_name": "[^"]*"/, '"display_name": "Mallory"');
          return lines;
        },
        false,
      );
      expect((await refusal(restoreDatabase(target, changed))).text.en).toMatch(
        /checksum mismatch/,
      );

      // Rehashed, an edited audit entry still fails the SM3 chain.
      tamper(
        archive,
        changed,
        (lines) => {
          const i = firstRowOf(lines, 'audit_log');
          const row = JSON.parse(lines[i]!) as { row: Record<string, unknown> };
          row.row.actor_role = 'admin-forged';
          lines[i] = JSON.stringify(row);
          return lines;
        },
        true,
      );
      const chain = await refusal(restoreDatabase(target, changed));
      expect(chain.text.en).toMatch(/audit chain's lane \d+ breaks at entry 1 \(hash_mismatch\)/);
      expect(chain.text.zh).toMatch(/审计链第 \d+ 道在第 1 条断开/);

      // Rehashed, an edited row of another table fails its table's digest.
      tamper(
        archive,
        changed,
        (lines) => {
          const i = firstRowOf(lines, 'users');
          lines[i] = lines[i]!.replace(/"display_name": "[^"]*"/, '"display_name": "Mallory"');
          return lines;
        },
        true,
      );
      expect((await refusal(restoreDatabase(target, changed))).text.en).toMatch(
        /table users .* does not match the manifest's digest/,
      );

      // Rehashed, a dropped row no longer matches the manifest's count.
      tamper(
        archive,
        changed,
        (lines) => lines.filter((_, i) => i !== firstRowOf(lines, 'departments')),
        true,
      );
      expect((await refusal(restoreDatabase(target, changed))).text.en).toMatch(
        /table departments holds \d+ rows, the manifest says \d+/,
      );

      writeFileSync(changed, 'not a backup');
      expect((await refusal(restoreDatabase(target, changed))).text.en).toMatch(/not a gzip/);

      // Every refusal rolled back: the target is still empty, so a good archive restores.
      await restoreDatabase(target, archive);
      expect(await snapshot(target)).toEqual(before);
    } finally {
      await target.close();
    }
  }, 180_000);
});

describe('dependencyOrder', () => {
  it('puts referenced tables first and tolerates self-references and cycles', () => {
    expect(
      dependencyOrder(
        ['sessions', 'users', 'regions', 'departments', 'a', 'b'],
        [
          { child: 'sessions', parent: 'users' },
          { child: 'users', parent: 'departments' },
          { child: 'departments', parent: 'regions' },
          { child: 'regions', parent: 'regions' },
          { child: 'a', parent: 'b' },
          { child: 'b', parent: 'a' },
        ],
      ),
    ).toEqual(['regions', 'departments', 'users', 'sessions', 'a', 'b']);
  });
});
