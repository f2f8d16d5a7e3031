import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/server';
import { guardsOf, routeReview } from './route-review';

// docs/security-routes.md is the security review of every route, generated from the routes'
// declarations. Regenerate it with `UPDATE_ROUTE_REVIEW=1 npx vitest run src/platform/http/route-review.test.ts`.
const DOC = new URL('../../../docs/security-routes.md', import.meta.url);
const START = '<!-- route-review:start -->';
const END = '<!-- route-review:end -->';

describe('the security review of every route', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('is in docs/security-routes.md as the routes declare it today', () => {
    const doc = readFileSync(DOC, 'utf8');
    const start = doc.indexOf(START);
    const end = doc.indexOf(END);
    expect(start, 'the review markers in docs/security-routes.md').toBeGreaterThan(-1);
    const expected = `${START}\n${routeReview(server.app.accessTable)}${END}`;
    const actual = doc.slice(start, end + END.length);
    if (process.env.UPDATE_ROUTE_REVIEW && actual !== expected) {
      writeFileSync(DOC, doc.slice(0, start) + expected + doc.slice(end + END.length));
      return;
    }
    expect(actual, 'regenerate with UPDATE_ROUTE_REVIEW=1').toBe(expected);
  });

  it('gives every route that is not public a session, and every write CSRF and input checks', () => {
    for (const route of server.app.accessTable) {
      const guards = guardsOf(route);
      if (route.access.roles !== 'public') expect(guards, route.url).toContain('session');
      if (!['GET', 'HEAD', 'OPTIONS'].includes(route.method)) {
        expect(guards, `${route.method} ${route.url}`).toEqual(
          expect.arrayContaining(['csrf', 'input']),
        );
      }
    }
  });

  it('names sign-in, public and intake limits where security.ts applies them', () => {
    const review = routeReview(server.app.accessTable);
    expect(review).toMatch(/\| `POST \/api\/session` \| everyone \| [^|]+ \| [^|]*rate: sign-in/);
    expect(review).toMatch(/\| `POST \/api\/hotline\/tickets` \|[^\n]*rate: intake/);
    expect(review).not.toMatch(/`GET \/api\/health` \|[^\n]*rate:/);
  });
});
