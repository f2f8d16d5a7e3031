import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, decideAccess, type Actor, type Role } from '../auth/model';
import { startTestServer, type TestServer } from '../../../test/support/server';
import { createApp } from './app';

// Walks every declared /api route with an anonymous caller and with every role, and proves that
// each caller the declaration refuses is refused (401 or 403) and each it admits gets past the check.
describe('the access matrix over every route', () => {
  let server: TestServer;
  const cookies = new Map<Role, string>();

  beforeAll(async () => {
    server = await startTestServer();
    for (const role of ROLES) cookies.set(role, await server.signIn(role));
  });
  afterAll(() => server?.close());

  function fakeActor(role: Role): Actor {
    return {
      userId: 'x',
      username: role,
      role,
      regionCode: '371000',
      departmentId: null,
      subjectId: null,
    };
  }

  function concretePath(url: string) {
    return url.replace(/:([A-Za-z]+)/g, (_m, name: string) => (name === 'kind' ? 'uscc' : 'x'));
  }

  it('declares access on a good number of routes', () => {
    expect(server.app.accessTable.length).toBeGreaterThanOrEqual(8);
  });

  it('refuses or admits every caller on every route as declared', async () => {
    const failures: string[] = [];
    for (const route of server.app.accessTable) {
      const callers: (Role | null)[] = [null, ...ROLES];
      for (const role of callers) {
        const decision = decideAccess(route.access, role ? fakeActor(role) : null);
        // Signing out ends the session it is called with: use a throwaway one.
        const cookie =
          role && route.method === 'DELETE' && route.url === '/api/session'
            ? await server.signIn(role)
            : role
              ? cookies.get(role)
              : undefined;
        const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
        const reply = await server.api(concretePath(route.url), {
          method: route.method,
          cookie,
          body: hasBody ? {} : undefined,
        });
        const who = role ?? 'anonymous';
        if (decision === 'unauthenticated' && reply.status !== 401) {
          failures.push(
            `${route.method} ${route.url} as ${who}: expected 401, got ${reply.status}`,
          );
        }
        if (decision === 'forbidden' && reply.status !== 403) {
          failures.push(
            `${route.method} ${route.url} as ${who}: expected 403, got ${reply.status}`,
          );
        }
        if (decision === 'allow' && (reply.status === 401 || reply.status === 403)) {
          failures.push(`${route.method} ${route.url} as ${who}: refused with ${reply.status}`);
        }
        if (reply.status >= 500) {
          failures.push(`${route.method} ${route.url} as ${who}: server error ${reply.status}`);
        }
        if (reply.status >= 400) {
          expect(reply.body, `${route.method} ${route.url}`).toMatchObject({
            error: { code: expect.any(String), message: expect.any(String) },
          });
        }
      }
    }
    expect(failures).toEqual([]);
    // Every route × anonymous and nine roles over real HTTP: slow on a busy two-core machine.
  }, 180_000);

  it('refuses to register an /api route that declares no access', async () => {
    const app = await createApp(
      { db: server.db, config: server.config },
      {
        routes: [
          (a) => {
            a.get('/api/undeclared', async () => ({}));
          },
        ],
      },
    ).catch((error: Error) => error);
    expect(app).toBeInstanceOf(Error);
    expect((app as Error).message).toMatch(/declares no access/);
  });

  it('treats a session cookie that does not exist as anonymous', async () => {
    const reply = await server.api('/api/me', { cookie: 'onething_session=forged' });
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe('auth.required');
  });
});
