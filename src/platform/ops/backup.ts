import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'kysely';
import { verifyAuditChain } from '../audit';
import type { Db, Kdb, Tx } from '../db/database';
import { migrate, readMigrations, type Migration } from '../db/migrate';
import {
  ArchiveChecker,
  BACKUP_FORMAT,
  BACKUP_VERSION,
  BackupError,
  dependencyOrder,
  encode,
  refused,
  type BackupHeader,
  type SequenceManifest,
  type TableManifest,
} from './archive';

export { BackupError, type BackupHeader } from './archive';

// The migrations' own bookkeeping: the archive carries it in the header, not as data.
const MIGRATIONS_TABLE = 'schema_migrations';
const FETCH_ROWS = 1000;
const BATCH_ROWS = 500;
const BATCH_BYTES = 4 * 1024 * 1024;

type Q = Kdb;

const id = (name: string) => sql.id(name);

/** The platform's tables in the current schema, without the migrations' bookkeeping. */
async function listTables(q: Q): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = current_schema() order by 1`.execute(
    q,
  );
  return rows.map((r) => r.name).filter((n) => n !== MIGRATIONS_TABLE);
}

async function listColumns(q: Q, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select attname as name from pg_attribute
    where attrelid = ${`"${table}"`}::regclass and attnum > 0 and not attisdropped
    order by attnum`.execute(q);
  return rows.map((r) => r.name);
}

interface ForeignKey {
  name: string;
  child: string;
  parent: string;
  deferrable: boolean;
}

async function listForeignKeys(q: Q): Promise<ForeignKey[]> {
  const { rows } = await sql<ForeignKey>`
    select c.conname as name, cl.relname as child, pc.relname as parent, c.condeferrable as deferrable
    from pg_constraint c
    join pg_class cl on cl.oid = c.conrelid
    join pg_class pc on pc.oid = c.confrelid
    where c.contype = 'f' and c.connamespace = current_schema()::regnamespace
    order by 2, 1`.execute(q);
  return rows;
}

async function listSequences(q: Q): Promise<SequenceManifest[]> {
  const { rows } = await sql<{ name: string }>`
    select relname as name from pg_class
    where relkind = 'S' and relnamespace = current_schema()::regnamespace order by 1`.execute(q);
  const sequences: SequenceManifest[] = [];
  for (const { name } of rows) {
    const { rows: values } = await sql<{ last: string; called: boolean }>`
      select last_value::text as last, is_called as called from ${id(name)}`.execute(q);
    sequences.push({ name, lastValue: values[0]!.last, isCalled: values[0]!.called });
  }
  return sequences;
}

/**
 * Row count and an order-independent digest of a table's rows as the database renders them
 * (to_jsonb in UTC): the sum of the first 60 bits of each row's MD5. Computed the same way at
 * backup and after a restore, so equal digests mean the same rows came back.
 */
export async function tableDigest(q: Q, table: string): Promise<{ rows: number; digest: string }> {
  const { rows } = await sql<{ count: number | string; digest: string }>`
    select count(*) as count,
      coalesce(sum(('x' || substr(md5(to_jsonb(t)::text), 1, 15))::bit(60)::bigint), 0)::text as digest
    from ${id(table)} as t`.execute(q);
  return { rows: Number(rows[0]!.count), digest: rows[0]!.digest };
}

async function appliedMigrations(q: Q) {
  const { rows } = await sql<{ version: number; name: string; checksum: string }>`
    select version, name, checksum from schema_migrations order by version`.execute(q);
  return rows.map((r) => ({ version: Number(r.version), name: r.name, checksum: r.checksum }));
}

/** A line writer into a gzip file that waits when the compressor is behind. */
function gzipWriter(file: string) {
  const gzip = createGzip();
  const out = createWriteStream(file);
  gzip.pipe(out);
  const hash = createHash('sha256');
  return {
    async write(text: string) {
      hash.update(text);
      if (!gzip.write(text)) await once(gzip, 'drain');
    },
    async close() {
      gzip.end(encode.checksum(hash.digest('hex')));
      await finished(out);
    },
    abort() {
      gzip.destroy();
      out.destroy();
    },
  };
}

/**
 * Writes a logical backup of the whole platform to `file` (gzip, JSON lines): the applied
 * migrations, then every table in dependency order with the rows of one consistent snapshot, the
 * sequences, the audit chain's head, and a SHA-256 over everything. Either engine restores it.
 * Refuses when the audit chain does not verify, as such a backup could never be restored verified.
 */
export async function backupDatabase(db: Db, file: string): Promise<BackupHeader> {
  const temp = `${file}.partial`;
  const writer = gzipWriter(temp);
  try {
    const header = await db.kysely
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await sql`set transaction read only`.execute(trx);
        await sql`set local time zone 'UTC'`.execute(trx);
        const audit = await verifyAuditChain(trx);
        if (!audit.ok) {
          throw new BackupError({
            zh: `审计链第 ${audit.break.lane} 道在第 ${audit.break.seq} 条断开（${audit.break.reason}），不生成无法验证的备份；请先运行 onething audit verify`,
            en: `the audit chain's lane ${audit.break.lane} breaks at entry ${audit.break.seq} (${audit.break.reason}); no backup is written that could not be verified — run onething audit verify`,
          });
        }
        const names = await listTables(trx);
        const order = dependencyOrder(names, await listForeignKeys(trx));
        const tables: TableManifest[] = [];
        for (const name of order) {
          tables.push({
            name,
            columns: await listColumns(trx, name),
            ...(await tableDigest(trx, name)),
          });
        }
        const header: BackupHeader = {
          format: BACKUP_FORMAT,
          version: BACKUP_VERSION,
          createdAt: new Date().toISOString(),
          engine: db.kind,
          migrations: await appliedMigrations(trx),
          tables,
          sequences: await listSequences(trx),
          audit: audit.entries > 0 ? { entries: audit.entries, headHash: audit.headHash } : null,
        };
        await writer.write(encode.header(header));
        for (const table of tables) {
          await writer.write(encode.table(table.name));
          await sql`declare onething_backup no scroll cursor for
            select to_jsonb(t)::text as j from ${id(table.name)} as t`.execute(trx);
          for (;;) {
            const { rows } = await sql<{ j: string }>`fetch forward ${sql.raw(
              String(FETCH_ROWS),
            )} from onething_backup`.execute(trx);
            for (const row of rows) await writer.write(encode.row(row.j));
            if (rows.length < FETCH_ROWS) break;
          }
          await sql`close onething_backup`.execute(trx);
        }
        return header;
      });
    await writer.close();
    renameSync(temp, file);
    return header;
  } catch (error) {
    writer.abort();
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Reads the lines of a gzip archive; a file that is not gzip is refused as not a backup. */
async function* readArchiveLines(file: string): AsyncGenerator<string> {
  const gunzip = createGunzip();
  const input = createReadStream(file)
    .on('error', (error) => gunzip.destroy(error))
    .pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of input) {
      const lines = (rest + decoder.write(chunk as Buffer)).split('\n');
      rest = lines.pop()!;
      yield* lines;
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') {
      throw new BackupError({ zh: `找不到文件 ${file}`, en: `no such file ${file}` });
    }
    throw refused(
      '文件不是 gzip 压缩的 OneThing 备份或已损坏',
      'the file is not a gzip-compressed OneThing backup, or it is damaged',
    );
  } finally {
    input.destroy();
  }
  rest += decoder.end();
  if (rest !== '') yield rest;
}

/** Reads the whole archive once and checks its structure, counts and checksum. */
export async function checkArchive(file: string): Promise<BackupHeader> {
  const checker = new ArchiveChecker();
  for await (const line of readArchiveLines(file)) checker.push(line);
  return checker.finish();
}

/** What a verified restore brought back. */
export interface RestoreReport {
  header: BackupHeader;
  tables: number;
  rows: number;
  auditEntries: number;
  /** Migrations newer than the archive, applied after the restore. */
  migrated: string[];
}

/** How to restore. */
export interface RestoreOptions {
  /** Empty a database that holds data first (its data is lost). */
  force?: boolean;
  /** The migrations of this release (default: the migrations folder). */
  migrations?: Migration[];
}

/** Brings the target's schema to exactly the archive's migrations, or says why it cannot. */
async function alignMigrations(db: Db, header: BackupHeader, known: Migration[]) {
  const byVersion = new Map(known.map((m) => [m.version, m]));
  for (const archived of header.migrations) {
    const mine = byVersion.get(archived.version);
    if (!mine) {
      throw refused(
        `备份来自更新的版本（迁移 ${archived.name} 本版本没有）；请用较新的 OneThing 恢复`,
        `the backup comes from a newer release (migration ${archived.name} is unknown here); restore it with a newer OneThing`,
      );
    }
    if (mine.checksum !== archived.checksum) {
      throw refused(
        `迁移 ${archived.name} 与本版本的内容不同`,
        `migration ${archived.name} differs from this release's`,
      );
    }
  }
  const upTo = Math.max(0, ...header.migrations.map((m) => m.version));
  await migrate(
    db.kysely,
    known.filter((m) => m.version <= upTo),
  );
  const applied = await appliedMigrations(db.kysely);
  if (applied.some((m) => m.version > upTo) || applied.length !== header.migrations.length) {
    throw refused(
      '目标数据库的结构比备份新；请恢复到一个空数据库（新的数据目录或新的 PostgreSQL 库/模式）',
      "the target database's schema is newer than the backup; restore into an empty database (a new data folder, or a new PostgreSQL database or schema)",
    );
  }
}

async function insertBatch(trx: Tx, table: TableManifest, rows: Record<string, unknown>[]) {
  const columns = sql.join(table.columns.map(id));
  try {
    await sql`insert into ${id(table.name)} (${columns}) overriding system value
      select ${columns} from json_populate_recordset(null::${id(table.name)}, ${JSON.stringify(
        rows,
      )}::json)`.execute(trx);
  } catch (error) {
    throw refused(
      `表 ${table.name} 的数据无法写入（${(error as Error).message}）`,
      `the rows of table ${table.name} cannot be written (${(error as Error).message})`,
    );
  }
}

/**
 * Restores an archive into an empty database and verifies it, all in one transaction: the file
 * is checked first (structure, row counts, checksum); the target's schema is brought to the
 * archive's migrations; rows are loaded with triggers off and foreign keys checked at the end;
 * then every table's row count and digest must equal the manifest and the audit chain must
 * verify up to the archived head — otherwise nothing is kept. Newer migrations run afterwards.
 */
export async function restoreDatabase(
  db: Db,
  file: string,
  options: RestoreOptions = {},
): Promise<RestoreReport> {
  const header = await checkArchive(file);
  const known = options.migrations ?? readMigrations();
  await alignMigrations(db, header, known);

  const report = await db.kysely.transaction().execute(async (trx) => {
    await sql`set local time zone 'UTC'`.execute(trx);
    const targetTables = await listTables(trx);
    const archived = new Map(header.tables.map((t) => [t.name, t]));
    const missing = header.tables.filter((t) => !targetTables.includes(t.name)).map((t) => t.name);
    const extra = targetTables.filter((t) => !archived.has(t));
    if (missing.length > 0 || extra.length > 0) {
      throw refused(
        `表不一致（目标缺少：${missing.join(', ') || '无'}；备份缺少：${extra.join(', ') || '无'}）`,
        `the tables differ (missing in the target: ${missing.join(', ') || 'none'}; missing in the backup: ${extra.join(', ') || 'none'})`,
      );
    }
    for (const table of header.tables) {
      const columns = await listColumns(trx, table.name);
      if ([...columns].sort().join() !== [...table.columns].sort().join()) {
        throw refused(`表 ${table.name} 的列不一致`, `the columns of table ${table.name} differ`);
      }
    }
    const nonEmpty: string[] = [];
    for (const name of targetTables) {
      const { rows } = await sql<{ any: boolean }>`
        select exists (select 1 from ${id(name)}) as any`.execute(trx);
      if (rows[0]!.any) nonEmpty.push(name);
    }
    if (nonEmpty.length > 0 && !options.force) {
      const shown = nonEmpty.slice(0, 5).join(', ') + (nonEmpty.length > 5 ? ', …' : '');
      throw refused(
        `目标数据库不是空的（${shown} 中有数据）；要覆盖其中的数据，请加 --force`,
        `the target database is not empty (${shown} hold data); add --force to overwrite its data`,
      );
    }

    // User triggers (the audit log's append-only guard, immutable versions) stay off while the
    // archived rows go back as they were; foreign keys are checked once all rows are in.
    for (const name of targetTables) {
      await sql`alter table ${id(name)} disable trigger user`.execute(trx);
    }
    if (nonEmpty.length > 0) {
      await sql`truncate ${sql.join(targetTables.map(id))} cascade`.execute(trx);
    }
    const keys = (await listForeignKeys(trx)).filter((k) => !k.deferrable);
    for (const key of keys) {
      await sql`alter table ${id(key.child)} alter constraint ${id(key.name)}
        deferrable initially deferred`.execute(trx);
    }
    await sql`set constraints all deferred`.execute(trx);

    let table: TableManifest | null = null;
    let batch: Record<string, unknown>[] = [];
    let batchBytes = 0;
    const flush = async () => {
      if (table && batch.length > 0) await insertBatch(trx, table, batch);
      batch = [];
      batchBytes = 0;
    };
    const checker = new ArchiveChecker();
    for await (const line of readArchiveLines(file)) {
      const parsed = checker.push(line);
      if (parsed.kind === 'table') {
        await flush();
        table = archived.get(parsed.name)!;
      } else if (parsed.kind === 'row') {
        batch.push(parsed.row);
        batchBytes += line.length;
        if (batch.length >= BATCH_ROWS || batchBytes >= BATCH_BYTES) await flush();
      }
    }
    await flush();
    checker.finish();

    for (const sequence of header.sequences) {
      try {
        await sql`select setval(${`"${sequence.name}"`}::regclass, ${sequence.lastValue}::bigint, ${sequence.isCalled})`.execute(
          trx,
        );
      } catch {
        throw refused(
          `目标数据库没有序列 ${sequence.name}`,
          `the target database has no sequence ${sequence.name}`,
        );
      }
    }
    try {
      await sql`set constraints all immediate`.execute(trx);
    } catch (error) {
      throw refused(
        `外键不一致（${(error as Error).message}）`,
        `foreign keys do not hold (${(error as Error).message})`,
      );
    }
    for (const key of keys) {
      await sql`alter table ${id(key.child)} alter constraint ${id(key.name)}
        not deferrable`.execute(trx);
    }
    for (const name of targetTables) {
      await sql`alter table ${id(name)} enable trigger user`.execute(trx);
    }

    const audit = await verifyAuditChain(trx);
    if (!audit.ok) {
      throw refused(
        `审计链第 ${audit.break.lane} 道在第 ${audit.break.seq} 条断开（${audit.break.reason}）`,
        `the audit chain's lane ${audit.break.lane} breaks at entry ${audit.break.seq} (${audit.break.reason})`,
      );
    }
    const head = audit.entries > 0 ? { entries: audit.entries, headHash: audit.headHash } : null;
    if (JSON.stringify(head) !== JSON.stringify(header.audit)) {
      throw refused(
        '审计链的末条与备份记录的不同',
        "the audit chain's head differs from the one the backup recorded",
      );
    }
    let rows = 0;
    for (const expected of header.tables) {
      const actual = await tableDigest(trx, expected.name);
      if (actual.rows !== expected.rows) {
        throw refused(
          `表 ${expected.name} 恢复了 ${actual.rows} 行，清单记录 ${expected.rows} 行`,
          `table ${expected.name} has ${actual.rows} rows after the restore, the manifest says ${expected.rows}`,
        );
      }
      if (actual.digest !== expected.digest) {
        throw refused(
          `表 ${expected.name} 恢复后的内容与清单的摘要不符`,
          `the content of table ${expected.name} after the restore does not match the manifest's digest`,
        );
      }
      rows += actual.rows;
    }
    return { header, tables: header.tables.length, rows, auditEntries: audit.entries };
  });
  const migrated = await migrate(db.kysely, known);
  return { ...report, migrated };
}
