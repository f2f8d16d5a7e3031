import { existsSync } from 'node:fs';
import { loadConfig } from './platform/config';
import { verifyAuditChain } from './platform/audit';
import { openDatabase } from './platform/db/database';
import { BackupError, backupDatabase, restoreDatabase } from './platform/ops/backup';
import { createAdministrator } from './platform/auth/users';
import { AppError } from './platform/http/errors';
import { findDemoAccounts } from './platform/seed/demo';
import { buildServer, describeDatabase, openPlatformDatabase, seedOnStart } from './server';

/** What a first start or `onething seed` writes, for its message. */
function seededWhat(config: { demo: boolean }): string {
  return config.demo ? 'demo data' : 'reference data (no demo data: ONETHING_DEMO=off)';
}

const USAGE = `onething — OneThing (一件事) platform

  onething start [--memory]   run the platform (migrates; on first start seeds the demo data, or
                              with ONETHING_DEMO=off only the reference data)
  onething migrate            apply pending database migrations
  onething seed               seed the demo data into an empty platform (ONETHING_DEMO=off: only
                              the reference data — regions, departments, catalog, bundles, …)
  onething admin create USERNAME --name NAME [--department CODE] [--region CODE]
                              create an administrator with a one-time temporary password, printed
                              once (the first administrator of a deployment without demo data);
                              department default dsj, region default the department's
  onething audit verify       check the audit log's SM3 chain; names the first broken entry
  onething backup FILE        write a verified logical backup of the whole platform (gzip)
  onething restore FILE [--force]
                              restore a backup into an empty database and verify it (row counts,
                              table digests, audit chain); --force overwrites a database with data

Configuration by environment variables: PORT, HOST, DATABASE_URL, ONETHING_DATA_DIR,
ONETHING_DEMO (on|off), … (docs/operations.md)`;

/** The department an administrator made on the command line works in unless told otherwise. */
const ADMIN_DEPARTMENT = 'dsj';

/** The value after `--name`-style option `name`; undefined when absent, '' when it has none. */
function optionOf(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  return value === undefined || value.startsWith('--') ? '' : value;
}

/** Prints a refused command's error in Chinese and English, with the options it names. */
function printRefusal(error: AppError) {
  const [first] = error.details;
  // A single problem's message is the error's own; several are listed under it.
  if (error.details.length === 1 && first) {
    console.error(`${first.path}: ${first.message.zh}\n${first.path}: ${first.message.en}`);
    return;
  }
  console.error(`${error.text.zh}\n${error.text.en}`);
  for (const detail of error.details) {
    console.error(`  ${detail.path}: ${detail.message.zh} / ${detail.message.en}`);
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, sub] = argv;
  const config = loadConfig(process.env, argv);
  switch (command) {
    case 'start': {
      const db = await openPlatformDatabase(config);
      const seeded = await seedOnStart(db, config);
      const app = await buildServer(db, config);
      if (!config.demo) {
        // ONETHING_DEMO=off seeds none, but a database seeded as a demo before keeps its accounts.
        const demoAccounts = await findDemoAccounts(db.kysely);
        if (demoAccounts.length > 0) {
          app.log.warn(
            { demoAccounts },
            `ONETHING_DEMO=off, but ${demoAccounts.length} demo accounts with the published demo ` +
              `password are enabled (${demoAccounts.join(', ')}): anyone can sign in with them. ` +
              'A demo database also holds synthetic people, licences, tickets and history: go live ' +
              'on an empty database (ONETHING_DEMO=off, then `onething admin create`; ' +
              'docs/operations.md, "Going live"), or at least disable these accounts on the users ' +
              'page (用户与角色, /workbench/users).',
          );
        }
      }
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
          `  database: ${describeDatabase(db, config)}${seeded ? ` — ${seededWhat(config)} seeded` : ''}\n` +
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
      const seeded = await seedOnStart(db, config);
      console.log(
        seeded
          ? `${seededWhat(config)} seeded`
          : config.demo
            ? 'the platform already has users; nothing seeded'
            : 'the reference data is there already; nothing seeded',
      );
      await db.close();
      return 0;
    }
    case 'admin': {
      if (sub !== 'create') break;
      const username = argv[2];
      const name = optionOf(argv, '--name');
      const department = optionOf(argv, '--department');
      const region = optionOf(argv, '--region');
      if (!username || username.startsWith('--') || !name || department === '' || region === '') {
        console.error(
          '用法：onething admin create 用户名 --name 姓名 [--department 部门代码] [--region 区划代码]\n' +
            'usage: onething admin create USERNAME --name NAME [--department CODE] [--region CODE]',
        );
        return 2;
      }
      const db = await openPlatformDatabase(config);
      try {
        const { user, temporaryPassword } = await createAdministrator(db.kysely, {
          username,
          displayName: name,
          departmentCode: department ?? ADMIN_DEPARTMENT,
          regionCode: region,
        });
        console.log(
          `administrator ${user.username} (${user.displayName}) created in ` +
            `${user.department?.name.zh ?? department ?? ADMIN_DEPARTMENT}, region ${user.regionCode}\n` +
            `temporary password (shown once; to be changed at the first sign-in): ${temporaryPassword}`,
        );
        return 0;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        printRefusal(error);
        return 2;
      } finally {
        await db.close();
      }
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
