import type { DestinationStream } from 'pino';
import { loadConfig, type Config } from '../../src/platform/config';
import type { Db } from '../../src/platform/db/database';
import type { App } from '../../src/platform/http/app';
import { seedDemo } from '../../src/platform/seed/demo';
import { buildServer, seedDemoData } from '../../src/server';
import { createTestDb } from './db';
import { callApi, signInWith } from './http';

/** The demo password of every demo account. */
export const DEMO_PASSWORD = 'OneThing@2026';

/** A reply as tests read it. */
export interface ApiReply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** What a test may send. */
export interface ApiRequest {
  method?: string;
  body?: unknown;
  cookie?: string;
  lang?: string;
  headers?: Record<string, string>;
}

/** A running platform on a real port with its own fresh database. */
export interface TestServer {
  url: string;
  db: Db;
  app: App;
  config: Config;
  /** Calls the API over real HTTP. */
  api<T = any>(path: string, request?: ApiRequest): Promise<ApiReply<T>>;
  /** Signs a demo user in and returns the session cookie to send. */
  signIn(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** Options of a test server. */
export interface TestServerOptions {
  /**
   * What demo data to seed: the platform's (regions, departments, people, accounts — the default),
   * everything including the seed catalog (`all`), or nothing (`false`).
   */
  seed?: 'platform' | 'all' | false;
  /** With `seed: 'all'`: how many synthetic subjects the policies' demo adds (default none). */
  syntheticSubjects?: number;
  /** Environment overrides for the configuration. */
  env?: Record<string, string>;
  /** Where the server's logs go (default: discarded). */
  logStream?: DestinationStream;
}

const silent: DestinationStream = { write: () => undefined };

/**
 * Starts the whole platform on 127.0.0.1 with a random port over a fresh migrated database,
 * seeded with the demo data, serving the built web app.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const db = await createTestDb();
  const seed = options.seed ?? 'platform';
  if (seed === 'all') await seedDemoData(db, { syntheticSubjects: options.syntheticSubjects ?? 0 });
  else if (seed === 'platform') await seedDemo(db.kysely);
  const config = loadConfig({ LOG_LEVEL: 'info', ...options.env });
  const app = await buildServer(db, config, { logStream: options.logStream ?? silent });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;

  const api = <T>(path: string, request: ApiRequest = {}) => callApi<T>(url, path, request);
  const signIn = (username: string, password = DEMO_PASSWORD) =>
    signInWith(api, username, password);

  return {
    url,
    db,
    app,
    config,
    api,
    signIn,
    async close() {
      await app.close();
      await db.close();
    },
  };
}
