import { sql } from 'kysely';
import { Type } from 'typebox';
import { AppError } from './errors';
import type { App, AppContext } from './app';
import { errorResponses } from './schemas';

/** `GET /api/health`: the server is up and its database answers. */
export function healthRoutes(app: App, { db }: AppContext) {
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
        await sql`select 1`.execute(db.kysely);
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
