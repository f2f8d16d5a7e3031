import type { FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { RouteAccess } from '../auth/model';
import type { Config } from '../config';
import { CHALLENGE_COOKIE, SESSION_COOKIE, type App } from './app';
import { langFromHeader } from '../i18n';
import { AppError } from './errors';

/** Methods that change nothing: never checked for CSRF. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The sign-in routes and the others that take an authenticator code (the password, the second
 * factor, confirming a new second factor, new recovery codes): their own limits per address and
 * per username, so a code cannot be guessed faster than a password, and a login-CSRF check.
 */
const SIGN_IN = new Set([
  'POST /api/session',
  'POST /api/session/second-factor',
  'POST /api/me/second-factor/confirmation',
  'POST /api/me/second-factor/recovery-codes',
]);

/** Routes that only staff call but that take in new work from outside (12345 intake, window visits). */
const STAFF_INTAKE = new Set(['POST /api/hotline/tickets', 'POST /api/window-visits']);

/** Routes never rate-limited: the load balancer's health probe and signing out. */
const UNLIMITED = new Set(['GET /api/health', 'DELETE /api/session']);

/**
 * The Content-Security-Policy of every response. The web app (Vite + React + Ant Design + ECharts)
 * loads only its own scripts and has no inline script, so scripts are `'self'` alone; Ant Design
 * and ECharts set inline styles, so styles also allow `'unsafe-inline'`; ECharts draws on canvas
 * and exports images as data:/blob: URLs. Nothing may frame the platform (clickjacking).
 */
export function contentSecurityPolicy(config: Pick<Config, 'https'>) {
  return {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    workerSrc: ["'self'", 'blob:'],
    manifestSrc: ["'self'"],
    ...(config.https ? { upgradeInsecureRequests: [] } : {}),
  };
}

/** 429 with the one error shape and Retry-After, in both languages. */
export function tooManyRequests(retryAfterSeconds: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError(
    429,
    'rate_limited',
    {
      zh: `请求过于频繁，请 ${seconds} 秒后再试`,
      en: `too many requests; try again in ${seconds} seconds`,
    },
    [],
    { 'retry-after': String(seconds) },
  );
}

/** 403 for an unsafe request with a session cookie sent from another site (CSRF). */
export function crossSiteRefused(): AppError {
  return new AppError(403, 'security.cross_site', {
    zh: '请求来自其他网站，已拒绝（跨站请求伪造防护）',
    en: 'the request came from another site and was refused (cross-site request forgery protection)',
  });
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** Whether an origin is the platform's own: a configured one, or the host the request was sent to. */
function isOwnOrigin(origin: string | null, request: FastifyRequest, config: Config): boolean {
  if (origin === null) return false;
  if (config.allowedOrigins.includes(origin)) return true;
  const host = request.host;
  // Behind a TLS-terminating proxy that is not trusted the request looks like http: an https
  // origin with the same host is as much the platform's own.
  return origin === `${request.protocol}://${host}` || origin === `https://${host}`;
}

/**
 * The CSRF decision for one request. Unsafe requests that carry a session cookie (and every
 * sign-in, against login CSRF) must come from the platform itself: the browser says so with
 * `Sec-Fetch-Site: same-origin` (or `none`, typed by the user), or with an `Origin` (else `Referer`)
 * of the platform's own origin. A request with none of these headers comes from a non-browser
 * client, which no other site can make a victim's browser send, and is let through.
 */
export function crossSiteCheck(
  request: FastifyRequest,
  config: Config,
): 'allow' | 'refuse' | 'not-applicable' {
  if (SAFE_METHODS.has(request.method)) return 'not-applicable';
  const signIn = SIGN_IN.has(`${request.method} ${request.routeOptions.url}`);
  if (!signIn && !request.cookies[SESSION_COOKIE]) return 'not-applicable';
  const site = single(request.headers['sec-fetch-site']);
  if (site === 'same-origin' || site === 'none') return 'allow';
  const origin = single(request.headers.origin);
  if (origin !== undefined)
    return isOwnOrigin(originOf(origin), request, config) ? 'allow' : 'refuse';
  const referer = single(request.headers.referer);
  if (referer !== undefined) {
    return isOwnOrigin(originOf(referer), request, config) ? 'allow' : 'refuse';
  }
  // A browser that says where the request came from but hides the origin is not trusted.
  return site === undefined ? 'allow' : 'refuse';
}

/** Which limits a request counts against. */
export interface RateClasses {
  signIn: boolean;
  publicRoute: boolean;
  intake: boolean;
}

/**
 * The limit classes of a route, from its method, URL and access declaration: sign-in; public
 * endpoints (Open311, public tracking, licence and draw verification, the service hall); intake —
 * unsafe requests open to citizens, enterprises or everyone (applications, uploads, ratings,
 * tickets, repairs) and staff intake of new work.
 */
export function rateClassesOf(method: string, url: string, access: RouteAccess): RateClasses {
  const none = { signIn: false, publicRoute: false, intake: false };
  const route = `${method} ${url}`;
  if (UNLIMITED.has(route)) return none;
  if (SIGN_IN.has(route)) return { ...none, signIn: true };
  const unsafe = !SAFE_METHODS.has(method);
  const openToOutside =
    access.roles === 'public' ||
    access.roles === 'signed-in' ||
    access.roles.includes('citizen') ||
    access.roles.includes('enterprise');
  return {
    signIn: false,
    publicRoute: access.roles === 'public',
    intake: unsafe && (openToOutside || STAFF_INTAKE.has(route)),
  };
}

/** The limit classes of a request (none for a route without an access declaration). */
export function rateClasses(request: FastifyRequest): RateClasses {
  const access = request.routeOptions.config.access;
  if (!access) return { signIn: false, publicRoute: false, intake: false };
  return rateClassesOf(request.method, request.routeOptions.url ?? '', access);
}

/** Whether a route's method changes something (and so is checked for CSRF). */
export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method);
}

function usernameOf(request: FastifyRequest): string {
  const body = request.body as { username?: unknown } | undefined;
  return typeof body?.username === 'string' ? body.username.trim().toLowerCase() : '';
}

/**
 * Whom a sign-in attempt is for: the username of a password, the signed-in user confirming a new
 * second factor, or the challenge a second-factor code answers ('' when none is known).
 */
function signInSubjectOf(request: FastifyRequest): string {
  const username = usernameOf(request);
  if (username !== '') return `name:${username}`;
  if (request.actor) return `user:${request.actor.userId}`;
  const challenge = request.cookies[CHALLENGE_COOKIE];
  return challenge ? `challenge:${challenge}` : '';
}

/**
 * Security headers (helmet: CSP, HSTS behind TLS, frame, referrer and MIME-sniffing policies),
 * `Cache-Control: no-store` on API replies, CSRF protection for cookie sessions, and rate limits
 * per client address and per user on sign-in, intake and public endpoints. Registered before the
 * session hook, so floods and forged requests are refused before they cost a database query.
 */
export async function registerSecurity(app: App, config: Config): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(config) },
    strictTransportSecurity: config.https
      ? { maxAge: 365 * 24 * 3600, includeSubDomains: true }
      : false,
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });

  app.addHook('onRequest', async (request, reply) => {
    // These hooks run before the session hook and may refuse: answer in the caller's language.
    request.lang = langFromHeader(request.headers['accept-language']);
    reply.header(
      'permissions-policy',
      'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
    );
  });

  app.addHook('onSend', async (request, reply, payload) => {
    // Replies of the API carry personal data: no browser or proxy may keep them unless a route
    // says otherwise.
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });

  app.addHook('onRequest', async (request) => {
    if (crossSiteCheck(request, config) === 'refuse') {
      request.log.warn(
        { origin: request.headers.origin, secFetchSite: request.headers['sec-fetch-site'] },
        'cross-site request refused',
      );
      throw crossSiteRefused();
    }
  });

  const limits = config.rateLimits;
  if (!limits.enabled) return;
  await app.register(rateLimit, { global: false, cache: 50_000 });
  const timeWindow = limits.windowSeconds * 1000;
  const limiter = (max: number, keyGenerator: (request: FastifyRequest) => string) =>
    max > 0 ? app.createRateLimit({ max, timeWindow, keyGenerator }) : null;
  const byIp = (request: FastifyRequest) => request.ip;
  const signInPerIp = limiter(limits.signInPerIp, byIp);
  const signInPerUser = limiter(limits.signInPerUser, signInSubjectOf);
  const publicPerIp = limiter(limits.publicPerIp, byIp);
  const intakePerIp = limiter(limits.intakePerIp, byIp);
  const intakePerUser = limiter(limits.intakePerUser, (request) => request.actor?.userId ?? '');

  type Limiter = NonNullable<typeof signInPerIp>;
  async function enforce(request: FastifyRequest, name: string, check: Limiter | null) {
    if (!check) return;
    const result = await check(request);
    if (result.isAllowed || !result.isExceeded) return;
    request.log.warn({ limit: name, key: result.key, max: result.max }, 'rate limit exceeded');
    throw tooManyRequests(result.ttlInSeconds);
  }

  // Per address, before the session is looked up.
  app.addHook('onRequest', async (request) => {
    const classes = rateClasses(request);
    if (classes.signIn) await enforce(request, 'signInPerIp', signInPerIp);
    if (classes.publicRoute) await enforce(request, 'publicPerIp', publicPerIp);
    if (classes.intake) await enforce(request, 'intakePerIp', intakePerIp);
  });

  // Per user, once the caller is known and the body read (the username of a sign-in).
  app.addHook('preHandler', async (request) => {
    const classes = rateClasses(request);
    if (classes.signIn && signInSubjectOf(request) !== '') {
      await enforce(request, 'signInPerUser', signInPerUser);
    }
    if (classes.intake && request.actor) await enforce(request, 'intakePerUser', intakePerUser);
  });
}
