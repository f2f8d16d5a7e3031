import { existsSync } from 'node:fs';
import { loadConfig } from './platform/config';
import { verifyAuditChain } from './platform/audit';
import { openDatabase } from './platform/db/database';
import { BackupError, backupDatabase, restoreDatabase } from './platform/ops/backup';
import { buildServer, describeDatabase, openPlatformDatabase, seedDemoData } from './server';

const USAGE = `onething — OneThing (一件事) platform

  onething start [--memory]   run the platform (migrates, seeds demo data on first start)
  onething migrate            apply pending database migrations
  onething seed               seed the demo data into an empty platform
  onething audit verify       check the audit log's SM3 chain; names the first broken entry
  onething backup FILE        write a verified logical backup of the whole platform (gzip)
  onething restore FILE [--force]
                              restore a backup into an empty database and verify it (row counts,
                              table digests, audit chain); --force overwrites a database with data

Configuration by environment variables: PORT, HOST, DATABASE_URL, ONETHING_DATA_DIR, … (docs/operations.md)`;

async function main(argv: string[]): Promise<number> {
  const [command, sub] = argv;
  const config = loadConfig(process.env, argv);
  switch (command) {
    case 'start': {
      const db = await openPlatformDatabase(config);
      const seeded = await seedDemoData(db);
      const app = await buildServer(db, config);
      const shutdown = async () => {
        await app.close();
        await db.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      await app.listen({ port: config.port, host: config.host });
      const shownHost = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host;
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      console.log(
        `\nOneThing (一件事) is running at http://${shownHost}:${port}/\n` +
          `  database: ${describeDatabase(db, config)}${seeded ? ' — demo data seeded' : ''}\n` +
          `  API docs: http://${shownHost}:${port}/api/docs\n`,
      );
      return -1;
    }
    case 'migrate': {
      const db = await openPlatformDatabase(config);
      console.log(`database: ${describeDatabase(db, config)} — schema up to date`);
      await db.close();
      return 0;
    }
    case 'seed': {
      const db = await openPlatformDatabase(config);
      const seeded = await seedDemoData(db);
      console.log(seeded ? 'demo data seeded' : 'the platform already has users; nothing seeded');
      await db.close();
      return 0;
    }
    case 'audit': {
      if (sub !== 'verify') break;
      const db = await openPlatformDatabase(config);
      const result = await verifyAuditChain(db.kysely);
      await db.close();
      if (result.ok) {
        console.log(
          `audit chain OK: ${result.entries} entries in ${result.heads.length} lanes, heads hash ${result.headHash}`,
        );
        // Each lane's head, to keep outside the database: an anchor's entry must still be there.
        for (const head of result.heads) {
          console.log(`  lane ${head.lane}: entry ${head.seq} hash ${head.hash}`);
        }
        return 0;
      }
      console.error(
        `audit chain BROKEN in lane ${result.break.lane} at entry ${result.break.seq} (${result.break.reason}); ` +
          `${result.entries} entries before it verify`,
      );
      return 1;
    }
    case 'backup': {
      if (!sub) break;
      const db = await openPlatformDatabase(config);
      try {
        const header = await backupDatabase(db, sub);
        const rows = header.tables.reduce((n, t) => n + t.rows, 0);
        console.log(
          `backup written to ${sub}: ${header.tables.length} tables, ${rows} rows, ` +
            `audit chain verified (${header.audit?.entries ?? 0} entries) — from ${describeDatabase(db, config)}`,
        );
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'restore': {
      if (!sub) break;
      if (!existsSync(sub)) {
        throw new BackupError({ zh: `找不到文件 ${sub}`, en: `no such file ${sub}` });
      }
      // Not migrated on open: the restore first brings the schema to the backup's migrations.
      const db = await openDatabase({
        url: config.databaseUrl,
        dataDir: config.dataDir,
        memory: config.memory,
        schema: config.dbSchema ?? undefined,
      });
      try {
        const report = await restoreDatabase(db, sub, { force: argv.includes('--force') });
        console.log(
          `restored ${sub} into ${describeDatabase(db, config)}: ${report.tables} tables, ` +
            `${report.rows} rows — row counts and digests match the manifest, ` +
            `audit chain verified (${report.auditEntries} entries)` +
            (report.migrated.length > 0 ? `; then migrated: ${report.migrated.join(', ')}` : ''),
        );
      } finally {
        await db.close();
      }
      return 0;
    }
  }
  console.log(USAGE);
  return command && !['help', '--help', '-h'].includes(command) ? 2 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof BackupError) console.error(`${error.text.zh}\n${error.text.en}`);
    else console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
