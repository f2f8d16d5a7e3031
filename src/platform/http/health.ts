import { sql } from 'kysely';
import { Type } from 'typebox';
import { AppError } from './errors';
import type { App, AppContext } from './app';
import { errorResponses } from './schemas';

/** How long the health check waits for the database before it says the database is down. */
const HEALTH_DB_TIMEOUT_MS = 3_000;

/** Resolves when `work` does, rejects when it fails or takes longer than `ms`. */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /api/health`: the server is up and its database answers. While the database is out of reach
 * (restarting, connections cut) it answers 503 within a few seconds instead of hanging, so a load
 * balancer takes the server out of rotation until the database is back.
 */
export function healthRoutes(app: App, { db, config }: AppContext) {
  app.get(
    '/api/platform',
    {
      // Every page's footer asks, a held-back session's too: it tells nothing of the account.
      config: {
        access: { roles: 'public', scope: 'none' },
        secondFactorSetup: true,
        passwordChange: true,
      },
      schema: {
        tags: ['platform'],
        summary:
          'What the web app shows of this deployment (平台信息): whether it runs the demo (ONETHING_DEMO), whose sign-in page lists the demo accounts',
        response: { 200: Type.Object({ demo: Type.Boolean() }) },
      },
    },
    async () => ({ demo: config.demo }),
  );

  app.get(
    '/api/health',
    {
      config: { access: { roles: 'public', scope: 'none' } },
      schema: {
        tags: ['platform'],
        summary: 'Liveness and database check (健康检查)',
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            db: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
          }),
          ...errorResponses(503),
        },
      },
    },
    async () => {
      try {
        await within(sql`select 1`.execute(db.kysely), HEALTH_DB_TIMEOUT_MS);
      } catch {
        throw new AppError(503, 'health.db_unavailable', {
          zh: '数据库不可用',
          en: 'the database is unavailable',
        });
      }
      return { status: 'ok' as const, db: db.kind };
    },
  );
}
