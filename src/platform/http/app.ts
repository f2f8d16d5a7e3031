import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DestinationStream } from 'pino';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config';
import type { Db } from '../db/database';
import { langFromHeader, type Lang } from '../i18n';
import {
  ROLE_LABELS,
  admittedRoles,
  decideAccess,
  heldBack,
  type Actor,
  type RouteAccess,
} from '../auth/model';
import { actorForToken, type RequestMeta } from '../auth/service';
import { secondFactorEnrolmentRequired } from '../auth/second-factor';
import { passwordChangeRequired } from '../auth/users';
import { forbidden, unauthenticated } from './errors';
import { answerClientError, notFoundError, sendError, toAppError } from './error-handler';
import { invalidRequest, newAjv, unsafeTextProblems } from './validation';
import { maskPersonalData } from './redact';
import { registerSecurity } from './security';

/** One API route with its access declaration, as the access matrix test walks them. */
export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every /api route with the access it declares. */
    accessTable: readonly DeclaredRoute[];
  }
  interface FastifyContextConfig {
    /** Who may call the route and on whose data; every /api route must declare it. */
    access?: RouteAccess;
    /**
     * The route serves a session that may only enrol a second factor (sign-out, the profile and
     * enrolment itself); every other route refuses such a session.
     */
    secondFactorSetup?: boolean;
    /**
     * The route serves a session that must first replace a temporary password (sign-out, the
     * profile and the password change itself); every other route refuses such a session.
     */
    passwordChange?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in caller, or null when anonymous. */
    actor: Actor | null;
    /** The caller's language for messages (Accept-Language). */
    lang: Lang;
  }
}

/** The name of the session cookie. */
export const SESSION_COOKIE = 'onething_session';

/** The cookie holding a sign-in challenge between the password and the second factor. */
export const CHALLENGE_COOKIE = 'onething_sign_in';

/** What every route module receives: the database and the configuration. */
export interface AppContext {
  db: Db;
  config: Config;
}

/** A route module: registers its routes on the app. */
export type RouteModule = (app: App, ctx: AppContext) => void | Promise<void>;

/** How to build the app. */
export interface AppOptions {
  routes: RouteModule[];
  /** Where structured logs go (default stdout); tests pass a stream to read them. */
  logStream?: DestinationStream;
}

/** The Fastify instance with TypeBox schemas as its type provider. */
export type App = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

// Routes registered by plugins (the API browser) that carry no access declaration of ours.
const DOC_PREFIX = '/api/docs';
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Builds the HTTP app: one error shape, request ids, masked structured logs, sessions from the
 * cookie, the access check declared by every route, OpenAPI at /api/openapi.json and /api/docs,
 * the given route modules, and the built web app at /.
 */
export async function createApp(ctx: AppContext, options: AppOptions): Promise<App> {
  const { config } = ctx;
  const app = Fastify<Server, IncomingMessage, ServerResponse>({
    logger: {
      level: config.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
      serializers: {
        req: (req: FastifyRequest) => ({
          method: req.method,
          url: maskPersonalData(req.url),
          remoteAddress: req.ip,
        }),
      },
    },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // Errors the router raises before any hook runs (a malformed percent-encoding, a parameter over
    // the length limit), and errors on the connection itself (headers too large): the one shape too.
    frameworkErrors: (error, request, reply) => {
      request.lang = langFromHeader(request.headers['accept-language']);
      reply.header('x-request-id', request.id);
      return sendError(reply, toAppError(error, request));
    },
    clientErrorHandler: answerClientError,
    // The client address behind a load balancer (rate limits, sessions, audit): ONETHING_TRUST_PROXY.
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(config.trustProxy)
        : config.trustProxy,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Path and query strings are text, so they are coerced to the schema's types; a JSON body is
  // taken as sent, so `{"username": 1}` is refused instead of silently becoming "1".
  const validators = {
    coercing: newAjv('array'),
    strict: newAjv(false),
  };
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? validators.strict : validators.coercing).compile(schema),
  );

  app.decorateRequest('actor', null);
  app.decorateRequest('lang', 'zh');

  const accessTable: DeclaredRoute[] = [];
  app.decorate('accessTable', accessTable);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith(DOC_PREFIX)) return;
    const access = route.config?.access;
    if (!access) {
      throw new Error(`route ${route.method} ${route.url} declares no access (config.access)`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') accessTable.push({ method, url: route.url, access });
    }
  });

  await app.register(cookie);
  await registerSecurity(app, config);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'OneThing (一件事) API',
        description:
          '一件事 · OneThing — integrated government-service platform. Errors are always ' +
          '`{ "error": { "code", "message", "details", "requestId" } }`; messages follow Accept-Language (zh-CN default, en).',
        version: '0.1.0',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
      },
    },
    transform: ({ schema, url, route }) => {
      const access = route.config?.access;
      if (!access) return { schema, url };
      const roles = admittedRoles(access);
      const who =
        access.roles === 'public'
          ? 'public (no sign-in)'
          : access.roles === 'signed-in'
            ? 'any signed-in user'
            : roles.map((r) => `${r} (${ROLE_LABELS[r].zh})`).join(', ');
      const note = `**Access:** ${who}; data scope: ${access.scope}.`;
      return {
        schema: {
          ...schema,
          description: schema?.description ? `${schema.description}\n\n${note}` : note,
          'x-access': { roles: access.roles, scope: access.scope },
          ...(access.roles === 'public' ? {} : { security: [{ session: [] }] }),
        } as typeof schema,
        url,
      };
    },
  });
  await app.register(swaggerUi, { routePrefix: DOC_PREFIX });

  app.addHook('onRequest', async (request, reply) => {
    request.lang = langFromHeader(request.headers['accept-language']);
    reply.header('x-request-id', request.id);
    if (!request.url.startsWith('/api/') || request.url.startsWith(DOC_PREFIX)) return;
    const token = request.cookies[SESSION_COOKIE];
    request.actor = token ? await actorForToken(ctx.db.kysely, config, token) : null;
    const access = request.routeOptions.config.access;
    // A request that matched no route gets its 404 from the not-found handler.
    if (!access) return;
    const decision = decideAccess(access, request.actor);
    if (decision === 'unauthenticated') throw unauthenticated();
    if (decision === 'forbidden') throw forbidden();
    const held = request.actor ? heldBack(request.actor, request.routeOptions.config) : null;
    if (held === 'password-change') throw passwordChangeRequired();
    if (held === 'second-factor') throw secondFactorEnrolmentRequired();
  });

  // Text the database cannot store as sent (NUL, lone surrogates) is refused in any part of any
  // request before the route's own schema is checked, naming each field.
  app.addHook('preValidation', async (request) => {
    const problems = [
      ...unsafeTextProblems(request.params, 'params'),
      ...unsafeTextProblems(request.query, 'querystring'),
      ...unsafeTextProblems(request.body, 'body'),
    ];
    if (problems.length > 0) throw invalidRequest(problems);
  });

  app.setErrorHandler((error: FastifyError, request, reply) =>
    sendError(reply, toAppError(error, request)),
  );

  app.get(
    '/api/openapi.json',
    {
      config: { access: { roles: 'public', scope: 'none' } },
      schema: { hide: true },
    },
    async () => app.swagger(),
  );

  for (const register of options.routes) await register(app, ctx);

  const indexHtml = path.join(config.webDir, 'index.html');
  const hasWeb = existsSync(indexHtml);
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: config.webDir,
      wildcard: true,
      index: 'index.html',
      // Built assets carry a content hash in their names and never change; the page itself must
      // be fetched afresh so that a new release is picked up.
      setHeaders: (res, filePath) =>
        res.header(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        ),
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/');
    if (wantsPage && hasWeb) {
      return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
    }
    if (wantsPage) {
      return reply
        .type('text/plain; charset=utf-8')
        .status(404)
        .send('The web app is not built: run `npm run build:web` (npm start does it for you).\n');
    }
    return sendError(reply, notFoundError(request));
  });

  return app;
}

/** The signed-in caller of a route that admits only signed-in roles. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

/** Where a request came from, for sessions and the audit log. */
export function requestMeta(request: FastifyRequest): RequestMeta {
  const agent = request.headers['user-agent'];
  return {
    ip: request.ip,
    requestId: String(request.id),
    userAgent: typeof agent === 'string' ? agent.slice(0, 512) : null,
  };
}
