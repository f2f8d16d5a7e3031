// 好差评 over HTTP: rating services, the counter tablet, rectifications, statistics; and the
// handlers that record the services that may be rated from the other capabilities' events.
import { Type } from 'typebox';
import { requestMeta, requireActor, type App, type AppContext } from '../platform/http/app';
import { errorResponses } from '../platform/http/schemas';
import { BAD_TAGS, GOOD_TAGS, LEVEL_LABELS, LEVELS } from './codes';
import {
  EVENTS,
  HANDLERS,
  recordApplication,
  recordCase,
  recordInspection,
  recordTicket,
} from './handlers';
import { RectificationService, type RectificationInput } from './rectifications';
import { EvaluationService } from './service';
import { statsRoutes } from './stats';

const PUBLIC = { roles: 'public', scope: 'none' } as const;
const RATERS = { roles: ['citizen', 'enterprise'], scope: 'own' } as const;
// the unit's staff see their department's, supervisors their region's, administrators all
const RECTIFIERS = {
  roles: ['clerk', 'reviewer', 'operator', 'handler', 'supervisor', 'admin'],
  scope: 'department',
} as const;
const UNIT = { roles: ['clerk', 'reviewer', 'operator', 'handler'], scope: 'department' } as const;
const SUPERVISORS = { roles: ['supervisor', 'admin'], scope: 'region' } as const;

const Id = Type.String({ format: 'uuid' });
const Note = Type.String({ minLength: 2, maxLength: 2000 });
const Page = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
};
const RatingBody = {
  level: Type.Integer({ minimum: 1, maximum: 5, description: '5 非常满意 … 1 非常不满意' }),
  tags: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 12 }),
  comment: Type.Optional(Type.String({ maxLength: 1000 })),
};

/** /api/evaluations, /api/ratings, /api/window-visits, /api/rectifications. */
export function evaluationRoutes(app: App, ctx: AppContext) {
  const { db, config } = ctx;
  const evaluations = new EvaluationService(
    db.kysely,
    config.businessHours,
    config.ratingWorkingDays,
    config.rectifyWorkingDays,
  );
  const rectifications = new RectificationService(db.kysely);
  statsRoutes(app, ctx);

  app.events.on(EVENTS.application, HANDLERS.application, (trx, event) =>
    recordApplication(evaluations, trx, event, new Date()),
  );
  app.events.on(EVENTS.case, HANDLERS.case, (trx, event) =>
    recordCase(evaluations, trx, event, new Date()),
  );
  app.events.on(EVENTS.ticket, HANDLERS.ticket, (trx, event) =>
    recordTicket(evaluations, trx, event, new Date()),
  );
  app.events.on(EVENTS.inspection, HANDLERS.inspection, (trx, event) =>
    recordInspection(evaluations, trx, event, new Date()),
  );

  app.get(
    '/api/evaluations/tags',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['evaluations'],
        summary: 'The five levels and the reason tags of 好差评',
        response: errorResponses(),
      },
    },
    async () => ({
      levels: LEVELS.map((level) => ({ level, label: LEVEL_LABELS[level] })),
      good: Object.entries(GOOD_TAGS).map(([key, label]) => ({ key, label })),
      bad: Object.entries(BAD_TAGS).map(([key, label]) => ({ key, label })),
    }),
  );

  app.get(
    '/api/evaluations/mine',
    {
      config: { access: RATERS },
      schema: {
        tags: ['evaluations'],
        summary: 'The services given to you, newest first, with your ratings (我的评价)',
        querystring: Type.Object(Page, { additionalProperties: false }),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) =>
      evaluations.mine(requireActor(request), {
        limit: request.query.limit ?? 20,
        offset: request.query.offset ?? 0,
      }),
  );

  app.get(
    '/api/evaluations/services',
    {
      config: { access: RATERS },
      schema: {
        tags: ['evaluations'],
        summary: 'Your services of one application or ticket (the application and its cases)',
        querystring: Type.Object(
          { number: Type.String({ minLength: 4, maxLength: 40 }) },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => {
      const page = await evaluations.mine(requireActor(request), {
        number: request.query.number,
        limit: 100,
        offset: 0,
      });
      return { items: page.items };
    },
  );

  app.post(
    '/api/ratings',
    {
      config: { access: RATERS },
      schema: {
        tags: ['evaluations'],
        summary: 'Rate a service given to you (一次一评), within the rating period',
        description:
          'One rating per rater and service (409 `evaluations.already_rated`). Refused with 422 ' +
          'after the period (rule `rate_until`) or before completion (rule `completed`); tags ' +
          'must fit the level (rule `tag`); a rating of 不满意 or 非常不满意 needs a tag or a ' +
          'comment (rule `reason_required`) and opens a rectification for the answerable unit.',
        body: Type.Object({ serviceId: Id, ...RatingBody }, { additionalProperties: false }),
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      const rating = await evaluations.rate(
        requireActor(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(rating);
    },
  );

  app.post(
    '/api/ratings/callback',
    {
      config: { access: { roles: ['operator', 'clerk'], scope: 'region' } },
      schema: {
        tags: ['evaluations'],
        summary: 'Enter a rating told on a callback (电话回访) for the person served',
        body: Type.Object({ serviceId: Id, ...RatingBody }, { additionalProperties: false }),
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      const rating = await evaluations.rateOnCallback(
        requireActor(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(rating);
    },
  );

  app.post(
    '/api/ratings/:id/verdict',
    {
      config: { access: RATERS },
      schema: {
        tags: ['evaluations'],
        summary: 'Rate the answer to your bad rating (满意 / 不满意), which closes it',
        params: Type.Object({ id: Id }),
        body: Type.Object(
          {
            satisfied: Type.Boolean(),
            comment: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request) =>
      evaluations.verdict(
        requireActor(request),
        request.params.id,
        request.body,
        requestMeta(request),
      ),
  );

  app.post(
    '/api/window-visits',
    {
      config: { access: { roles: ['clerk'], scope: 'department' } },
      schema: {
        tags: ['evaluations'],
        summary: 'Open a visit at your window for the counter tablet to take one rating',
        body: Type.Object(
          {
            windowCode: Type.String({ pattern: '^[A-Za-z0-9-]{1,20}$' }),
            applicationNumber: Type.Optional(Type.String({ minLength: 4, maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request, reply) => {
      const visit = await evaluations.openVisit(
        requireActor(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(visit);
    },
  );

  const Token = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{32}$' }) });

  app.get(
    '/api/public/window-visits/:token',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['evaluations'],
        summary: 'The counter tablet’s page of a visit: who served, at which window',
        params: Token,
        response: errorResponses(404, 422),
      },
    },
    async (request) => evaluations.visit(request.params.token),
  );

  app.post(
    '/api/public/window-visits/:token/rating',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['evaluations'],
        summary: 'Rate a visit on the counter tablet (anonymous, once)',
        params: Token,
        body: Type.Object(RatingBody, { additionalProperties: false }),
        response: errorResponses(404, 409, 422),
      },
    },
    async (request, reply) => {
      const rated = await evaluations.rateVisit(
        request.params.token,
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(rated);
    },
  );

  app.get(
    '/api/rectifications',
    {
      config: { access: RECTIFIERS },
      schema: {
        tags: ['evaluations'],
        summary: 'Rectifications of bad ratings (差评整改), earliest due first',
        description:
          "The unit's staff see their department's, supervisors their region's, administrators all.",
        querystring: Type.Object(
          {
            state: Type.Optional(
              Type.Union(
                ['open', 'submitted', 'answered', 'closed', 'appealed', 'dismissed'].map((s) =>
                  Type.Literal(s),
                ),
              ),
            ),
            ...Page,
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) =>
      rectifications.list(requireActor(request), {
        state: request.query.state,
        limit: request.query.limit ?? 20,
        offset: request.query.offset ?? 0,
      }),
  );

  const params = Type.Object({ id: Id });

  app.get(
    '/api/rectifications/:id',
    {
      config: { access: RECTIFIERS },
      schema: {
        tags: ['evaluations'],
        summary: 'One rectification with its rating, service, events and the actions open to you',
        params,
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => rectifications.get(requireActor(request), request.params.id),
  );

  const actions = [
    {
      action: 'submit',
      access: UNIT,
      summary: 'Explain, fix and answer the rater (the unit); a real-name rater needs a callback',
      body: Type.Object(
        {
          explanation: Note,
          fix: Note,
          answer: Note,
          callback: Type.Optional(
            Type.Object(
              { at: Type.String({ format: 'date-time' }), note: Note },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    },
    {
      action: 'approve',
      access: SUPERVISORS,
      summary: 'Approve the fix; the answer goes to the rater (supervisor)',
      body: Type.Object({ note: Type.Optional(Note) }, { additionalProperties: false }),
    },
    {
      action: 'return',
      access: SUPERVISORS,
      summary: 'Return the fix to the unit (supervisor)',
      body: Type.Object({ note: Note }, { additionalProperties: false }),
    },
    {
      action: 'appeal',
      access: UNIT,
      summary: 'Appeal a rating the unit believes malicious (the unit)',
      body: Type.Object({ reason: Note }, { additionalProperties: false }),
    },
    {
      action: 'uphold',
      access: SUPERVISORS,
      summary: 'Uphold the appeal: the rating is kept but flagged and left out of statistics',
      body: Type.Object({ note: Note }, { additionalProperties: false }),
    },
    {
      action: 'reject',
      access: SUPERVISORS,
      summary: 'Reject the appeal: the unit rectifies',
      body: Type.Object({ note: Note }, { additionalProperties: false }),
    },
  ] as const;

  for (const spec of actions) {
    app.post(
      `/api/rectifications/:id/${spec.action}`,
      {
        config: { access: spec.access },
        schema: {
          tags: ['evaluations'],
          summary: spec.summary,
          description:
            'Checked against the state under a row lock: 409 `evaluations.invalid_state` when the ' +
            'state does not allow it; 404 for a rectification you cannot see.',
          params,
          body: spec.body,
          response: errorResponses(401, 403, 404, 409, 422),
        },
      },
      async (request) =>
        rectifications.act(
          requireActor(request),
          request.params.id,
          { action: spec.action, ...(request.body as object) } as RectificationInput,
          requestMeta(request),
        ),
    );
  }
}
