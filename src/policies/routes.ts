// Policies over HTTP: the published policies, the editor's live preview, who matches and why,
// the hall's recommendations, dossier facts from data exchange, grants and their ledger; and the
// incremental re-match when a subject's tags change, and the scheduled 静默认证 re-check.
import { Type } from 'typebox';
import { TAGS_CHANGED } from '../licences';
import { requestMeta, requireActor, type App, type AppContext } from '../platform/http/app';
import { errorResponses } from '../platform/http/schemas';
import { GrantService } from './grants';
import { Matching } from './matching';
import { FactsSchema, GRANT_STATES, PolicyInputSchema } from './model';
import { RuleSchema } from './rule';
import { PolicyService } from './service';

const PUBLIC = { roles: 'public', scope: 'none' } as const;
const ADMINS = { roles: ['admin'], scope: 'all' } as const;
const SUBJECTS = { roles: ['citizen', 'enterprise'], scope: 'own' } as const;
// the issuing department's staff see their policy's matches; supervisors their region's
const MATCH_READERS = {
  roles: ['clerk', 'reviewer', 'supervisor', 'admin'],
  scope: 'region',
} as const;
// data exchange: administrators, and the big-data centre's staff, record facts in their region
const FACT_WRITERS = { roles: ['admin'], scope: 'all' } as const;
const DOSSIER_READERS = {
  roles: ['clerk', 'reviewer', 'supervisor', 'admin'],
  scope: 'region',
} as const;
const GRANT_READERS = {
  roles: ['citizen', 'enterprise', 'clerk', 'reviewer', 'supervisor', 'admin'],
  scope: 'department',
} as const;
const GRANT_HANDLERS = { roles: ['clerk', 'reviewer'], scope: 'department' } as const;

/** The handler name the incremental re-match records its deliveries under (keep it stable). */
export const REMATCH_HANDLER = 'policies.rematch_subject';
/** How often each app server looks for 静默认证 re-checks that are due. */
const RECHECK_MS = 60 * 60_000;

const Code = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' });
const Id = Type.String({ format: 'uuid' });
const Page = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
};

/** /api/policies … */
export function policyRoutes(app: App, ctx: AppContext) {
  const { db, config } = ctx;
  const grants = new GrantService(db.kysely, config.businessHours);
  const matching = new Matching(db.kysely, grants);
  grants.attach(matching);
  const policies = new PolicyService(db.kysely, matching, grants);

  app.events.on(TAGS_CHANGED, REMATCH_HANDLER, async (trx, event) => {
    const { subjectId } = event.payload as { subjectId: string };
    await matching.matchSubject(trx, subjectId, new Date());
  });

  if (config.outboxSeconds > 0) {
    let timer: NodeJS.Timeout | undefined;
    let inflight: Promise<unknown> | undefined;
    const recheck = () => {
      inflight ??= grants
        .recheck()
        .catch((error: unknown) => app.log.warn({ err: error }, '静默认证 re-check failed'))
        .finally(() => (inflight = undefined));
    };
    app.addHook('onReady', async () => {
      timer = setInterval(recheck, RECHECK_MS).unref();
    });
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await inflight;
    });
  }

  app.get(
    '/api/policies',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['policies'],
        summary: 'Published policies (administrators also see drafts and withdrawn ones)',
        response: errorResponses(),
      },
    },
    async (request) => policies.list(request.actor),
  );

  app.get(
    '/api/policies/recommended',
    {
      config: { access: SUBJECTS },
      schema: {
        tags: ['policies'],
        summary: '为您推荐: the policies you meet or miss by one condition, and why',
        response: errorResponses(401, 403),
      },
    },
    async (request) => policies.recommended(requireActor(request)),
  );

  app.get(
    '/api/policies/:code',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['policies'],
        summary: 'One policy with its rule and match counts',
        params: Type.Object({ code: Code }),
        response: errorResponses(404, 422),
      },
    },
    async (request) => policies.get(request.actor, request.params.code),
  );

  app.post(
    '/api/policies',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['policies'],
        summary: 'Write a new policy (a draft)',
        description:
          'The rule is checked (422 with a path per problem); 免申即享 and 静默认证 need a ' +
          'benefit, 静默认证 a re-check period, apply-mode a link; the code is unique (409).',
        body: PolicyInputSchema,
        response: errorResponses(401, 403, 409, 422),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await policies.create(requireActor(request), request.body, requestMeta(request))),
  );

  app.put(
    '/api/policies/:code',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['policies'],
        summary: 'Change a policy; a published one is re-matched at once',
        params: Type.Object({ code: Code }),
        body: Type.Object(
          { ...PolicyInputSchema.properties, version: Type.Integer({ minimum: 1 }) },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request) =>
      policies.update(
        requireActor(request),
        request.params.code,
        request.body,
        requestMeta(request),
      ),
  );

  for (const [action, state] of [
    ['publish', 'published'],
    ['withdraw', 'withdrawn'],
  ] as const)
    app.post(
      `/api/policies/:code/${action}`,
      {
        config: { access: ADMINS },
        schema: {
          tags: ['policies'],
          summary:
            action === 'publish'
              ? 'Publish a policy: every dossier is matched against it and 免申即享 grants made'
              : 'Withdraw a published policy: its matches go; grants made stand',
          params: Type.Object({ code: Code }),
          response: errorResponses(401, 403, 404, 422),
        },
      },
      async (request) =>
        policies.setState(requireActor(request), request.params.code, state, requestMeta(request)),
    );

  app.post(
    '/api/policies/preview',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['policies'],
        summary: "The editor's live preview: how many subjects a rule matches now, who, and why",
        body: Type.Object(
          {
            rule: RuleSchema,
            subjectId: Type.Optional(Id),
            limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => policies.preview(requireActor(request), request.body),
  );

  app.post(
    '/api/policies/rematch',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['policies'],
        summary: 'Rebuild every dossier and match them all against every policy in force',
        response: errorResponses(401, 403),
      },
    },
    async (request) => policies.rematchAll(requireActor(request), requestMeta(request)),
  );

  app.post(
    '/api/policies/recheck',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['policies'],
        summary: '静默认证: re-check now the silent grants that are due (also runs hourly)',
        response: errorResponses(401, 403),
      },
    },
    async () => grants.recheck(),
  );

  app.get(
    '/api/policies/:code/matches',
    {
      config: { access: MATCH_READERS },
      schema: {
        tags: ['policies'],
        summary: 'Who meets a policy (or misses by one condition) in your region, and why',
        params: Type.Object({ code: Code }),
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union([Type.Literal('matched'), Type.Literal('near_miss')])),
            ...Page,
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) =>
      policies.matches(requireActor(request), request.params.code, {
        status: request.query.status ?? 'matched',
        limit: request.query.limit ?? 20,
        offset: request.query.offset ?? 0,
      }),
  );

  app.get(
    '/api/policies/dossiers/:subjectId',
    {
      config: { access: DOSSIER_READERS },
      schema: {
        tags: ['policies'],
        summary: "A subject's dossier as eligibility rules read it, its facts and its matches",
        params: Type.Object({ subjectId: Id }),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => policies.dossier(requireActor(request), request.params.subjectId),
  );

  app.put(
    '/api/policies/dossiers/:subjectId/facts',
    {
      config: { access: FACT_WRITERS },
      schema: {
        tags: ['policies'],
        summary:
          'Record the facts other departments hold about a subject; it is re-matched at once',
        params: Type.Object({ subjectId: Id }),
        body: Type.Object(
          { facts: FactsSchema, source: Type.String({ minLength: 2, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) =>
      policies.putFacts(
        requireActor(request),
        request.params.subjectId,
        request.body,
        requestMeta(request),
      ),
  );

  app.get(
    '/api/policy-grants',
    {
      config: { access: GRANT_READERS },
      schema: {
        tags: ['policies'],
        summary: "Grants: yours, your department's, your region's (supervisors) or all (admin)",
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Enum(GRANT_STATES)),
            overdue: Type.Optional(Type.Boolean()),
            ...Page,
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) =>
      grants.list(requireActor(request), {
        state: request.query.state,
        overdue: request.query.overdue,
        limit: request.query.limit ?? 20,
        offset: request.query.offset ?? 0,
      }),
  );

  app.get(
    '/api/policy-grants/:id',
    {
      config: { access: GRANT_READERS },
      schema: {
        tags: ['policies'],
        summary: 'One grant with its ledger (台账)',
        params: Type.Object({ id: Id }),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => grants.get(requireActor(request), request.params.id),
  );

  app.post(
    '/api/policy-grants/:id/:action',
    {
      config: { access: GRANT_HANDLERS },
      schema: {
        tags: ['policies'],
        summary: 'The issuing department confirms, pays (with its payment reference) or rejects',
        params: Type.Object({
          id: Id,
          action: Type.Union([
            Type.Literal('confirm'),
            Type.Literal('pay'),
            Type.Literal('reject'),
          ]),
        }),
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
            paymentRef: Type.Optional(Type.String({ maxLength: 80 })),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request) =>
      grants.act(
        requireActor(request),
        request.params.id,
        request.params.action,
        request.body,
        requestMeta(request),
      ),
  );
}
