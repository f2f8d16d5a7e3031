import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

// A PostgreSQL 15 cluster of one test's own, in a temporary folder on a free port, for tests that
// must stop, restart or disconnect the database: the shared server on 5432 serves other test files
// at the same time and must never be touched. The cluster runs as the `postgres` account (initdb and
// postgres refuse root), so the test process must be root with `runuser`, or be `postgres` itself.

const run = promisify(execFile);
const BIN = process.env.ONETHING_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const RUNUSER = '/usr/sbin/runuser';

/** A running private cluster: where to connect, and how to stop, restart or remove it. */
export interface PrivatePostgres {
  /** Connection string of the cluster's `postgres` database (trust authentication). */
  url: string;
  port: number;
  /** Stops the server: `fast` rolls back and disconnects, `immediate` is a crash (no checkpoint). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Ends every backend of the given application_name; returns how many it ended. */
  terminate(applicationName: string): Promise<number>;
  /** Stops the server (if running) and deletes its folder. */
  remove(): Promise<void>;
}

/** Why a private cluster cannot be made here, or null when it can. */
export function privatePostgresUnavailable(): string | null {
  if (!existsSync(join(BIN, 'initdb')) || !existsSync(join(BIN, 'pg_ctl'))) {
    return `no PostgreSQL binaries in ${BIN} (set ONETHING_PG_BIN)`;
  }
  const uid = process.getuid?.();
  if (uid === 0 && !existsSync(RUNUSER)) return `running as root without ${RUNUSER}`;
  if (uid !== 0 && process.env.USER !== 'postgres') {
    return 'a private cluster needs root (to run it as postgres) or the postgres account';
  }
  return null;
}

/** A TCP port nobody listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Runs a PostgreSQL program as the postgres account. */
async function asPostgres(program: string, args: string[]): Promise<string> {
  const command = join(BIN, program);
  const [file, argv] =
    process.getuid?.() === 0
      ? [RUNUSER, ['-u', 'postgres', '--', command, ...args]]
      : [command, args];
  const { stdout } = await run(file, argv, { timeout: 120_000 });
  return stdout;
}

/** Creates a cluster in a fresh temporary folder and starts it; remove() it when done. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const reason = privatePostgresUnavailable();
  if (reason) throw new Error(`no private PostgreSQL: ${reason}`);
  const dir = mkdtempSync(join(tmpdir(), 'onething-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await asPostgres('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  const port = await freePort();
  // small and quick: a test cluster, not a tuned server; fsync off as nothing here must outlive it
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const pgCtl = (...args: string[]) =>
    asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', ...args]);
  let running = false;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const handle: PrivatePostgres = {
    url,
    port,
    async start() {
      await pgCtl('start');
      running = true;
    },
    async stop(mode = 'fast') {
      await pgCtl('stop', '-m', mode);
      running = false;
    },
    async terminate(applicationName) {
      const admin = new pg.Client({
        connectionString: url,
        application_name: 'onething-test-admin',
      });
      await admin.connect();
      try {
        const { rows } = await admin.query(
          `select pg_terminate_backend(pid) as ended from pg_stat_activity
           where application_name = $1 and pid <> pg_backend_pid()`,
          [applicationName],
        );
        return rows.filter((r: { ended: boolean }) => r.ended).length;
      } finally {
        await admin.end();
      }
    },
    async remove() {
      try {
        if (running) await handle.stop('immediate');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    await handle.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return handle;
}
