import type { Scope } from '../auth/model';
import type { DeclaredRoute } from './app';
import { isUnsafeMethod, rateClassesOf } from './security';

// The security review of every route, written from the routes' own declarations so that it cannot
// drift from the code: docs/security-routes.md holds its output, and a test fails when a route is
// added, removed or re-declared without the document being regenerated.

/** The guards a route passes, each named once in the legend with what it protects against. */
type Guard =
  'session' | 'roles' | 'scope' | 'csrf' | 'input' | 'rate-sign-in' | 'rate-public' | 'rate-intake';

/** What each guard protects against and where it is enforced (the legend of the review). */
export const GUARDS: Record<Guard, { name: string; protects: string; where: string }> = {
  session: {
    name: 'session',
    protects: 'anonymous use of personal or departmental data; stolen or expired sessions',
    where:
      'session cookie looked up in `sessions` (idle and absolute expiry, rotation on sign-in and password change) — `src/platform/auth`',
  },
  roles: {
    name: 'roles',
    protects: 'a signed-in user calling a function of another role (privilege escalation) → 403',
    where:
      '`config.access.roles`, checked before the handler — `decideAccess` in `src/platform/auth/model.ts`',
  },
  scope: {
    name: 'scope',
    protects:
      "reading or changing another subject's, department's or region's records (IDOR) → 404, existence not revealed",
    where:
      'the capability service filters by the actor (`own` subject / `department` / `region` and below); proven by `ownership-matrix.test.ts`',
  },
  csrf: {
    name: 'CSRF',
    protects:
      'another site making a signed-in browser change data (cross-site request forgery) → 403',
    where:
      '`crossSiteCheck` (Origin / Sec-Fetch-Site) in `src/platform/http/security.ts`; `SameSite=Lax` cookie',
  },
  input: {
    name: 'input',
    protects:
      'malformed, oversized or hostile input (wrong types, NUL, SQL and script fragments) → 422 naming the field; nothing half-written (one transaction)',
    where:
      'JSON schema of the route (Ajv, strict) and the capability rules; parameterised SQL (Kysely); proven by `test/reliability/bad-input.test.ts`',
  },
  'rate-sign-in': {
    name: 'rate: sign-in',
    protects:
      'password and second-factor code guessing, credential stuffing → 429; lock-out after repeated failures',
    where:
      'per address and per username (or sign-in challenge) — `rateClasses` in `src/platform/http/security.ts`',
  },
  'rate-public': {
    name: 'rate: public',
    protects: 'scraping and flooding of public endpoints → 429',
    where: 'per address — `rateClasses` in `src/platform/http/security.ts`',
  },
  'rate-intake': {
    name: 'rate: intake',
    protects: 'flooding intake (applications, tickets, ratings, uploads) → 429',
    where: 'per address and per signed-in user — `rateClasses` in `src/platform/http/security.ts`',
  },
};

const SCOPES: Record<Scope, string> = {
  none: 'no personal data',
  own: "the caller's own",
  department: "the caller's department",
  region: "the caller's region and below",
  all: 'all records',
};

/** The guards one route passes, from its declaration. */
export function guardsOf(route: DeclaredRoute): Guard[] {
  const { access, method, url } = route;
  const guards: Guard[] = [];
  if (access.roles !== 'public') guards.push('session');
  if (Array.isArray(access.roles)) guards.push('roles');
  if (['own', 'department', 'region'].includes(access.scope)) guards.push('scope');
  if (isUnsafeMethod(method)) guards.push('csrf', 'input');
  const rate = rateClassesOf(method, url, access);
  if (rate.signIn) guards.push('rate-sign-in');
  if (rate.publicRoute) guards.push('rate-public');
  if (rate.intake) guards.push('rate-intake');
  return guards;
}

function who(route: DeclaredRoute): string {
  const { roles } = route.access;
  if (roles === 'public') return 'everyone';
  if (roles === 'signed-in') return 'any signed-in user';
  return roles.join(', ');
}

/** The capability a route belongs to, by its first path segment after /api/. */
function groupOf(url: string): string {
  return url.split('/')[2] ?? '';
}

/** The review as Markdown: the legend, then one table per group of routes, sorted. */
export function routeReview(routes: readonly DeclaredRoute[]): string {
  const lines: string[] = [
    '| guard | protects against | where |',
    '|---|---|---|',
    ...Object.values(GUARDS).map((g) => `| ${g.name} | ${g.protects} | ${g.where} |`),
  ];
  const sorted = [...routes].sort(
    (a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method),
  );
  let group = '';
  for (const route of sorted) {
    if (groupOf(route.url) !== group) {
      group = groupOf(route.url);
      lines.push(
        '',
        `### /api/${group}`,
        '',
        '| route | who | on whose data | guards |',
        '|---|---|---|---|',
      );
    }
    const guards = guardsOf(route)
      .map((g) => GUARDS[g].name)
      .join(' · ');
    lines.push(
      `| \`${route.method} ${route.url}\` | ${who(route)} | ${SCOPES[route.access.scope]} | ${guards || '—'} |`,
    );
  }
  return lines.join('\n') + '\n';
}
