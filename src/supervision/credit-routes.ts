// Credit over HTTP: the published rules, a subject's public credit page (信用信息公示), the
// subject's own page, departments recording credit, and credit repair (信用修复) from application
// to decision.
import { Type } from 'typebox';
import { requestMeta, requireActor, type App, type AppContext } from '../platform/http/app';
import { errorResponses } from '../platform/http/schemas';
import { CREDIT_KINDS, CREDIT_REPAIR_STATES, CREDIT_SEVERITIES, publishedRules } from './credit';
import { CreditService } from './credit-service';

const PUBLIC = { roles: 'public', scope: 'none' } as const;
const SUBJECTS = { roles: ['citizen', 'enterprise'], scope: 'own' } as const;
const RECORDERS = { roles: ['inspector', 'reviewer', 'admin'], scope: 'department' } as const;
const REPAIR_READERS = {
  roles: ['citizen', 'enterprise', 'inspector', 'reviewer', 'supervisor', 'admin'],
  scope: 'department',
} as const;
const DECIDERS = { roles: ['inspector', 'reviewer'], scope: 'department' } as const;

const Id = Type.String({ format: 'uuid' });
const BASE = '/api/supervision/credit';

/** /api/supervision/credit … */
export function creditRoutes(app: App, ctx: AppContext) {
  const credit = new CreditService(ctx.db.kysely, ctx.config.businessHours);
  const rules = publishedRules();

  app.get(
    `${BASE}/rules`,
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['supervision'],
        summary: 'The published credit grading and repair rules (信用评价与修复规则)',
        response: errorResponses(),
      },
    },
    async () => rules,
  );

  app.get(
    `${BASE}/subjects/:subjectId`,
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['supervision'],
        summary: "信用信息公示: an enterprise's grade and the records still published",
        params: Type.Object({ subjectId: Id }),
        response: errorResponses(404, 422),
      },
    },
    async (request) => credit.publicCard(request.params.subjectId),
  );

  app.get(
    `${BASE}/mine`,
    {
      config: { access: SUBJECTS },
      schema: {
        tags: ['supervision'],
        summary: 'Your grade, every record (repaired ones too) and your repair applications',
        response: errorResponses(401, 403),
      },
    },
    async (request) => credit.mine(requireActor(request)),
  );

  app.post(
    `${BASE}/records`,
    {
      config: { access: RECORDERS },
      schema: {
        tags: ['supervision'],
        summary: 'Record a penalty, abnormal-operation listing or commendation of your department',
        description:
          'Publication end and earliest repair date follow from the published rules. The same ' +
          'record sent again answers 200 with the first one.',
        body: Type.Object(
          {
            subjectId: Id,
            kind: Type.Enum(CREDIT_KINDS),
            severity: Type.Enum(CREDIT_SEVERITIES),
            title: Type.String({ minLength: 2, maxLength: 200 }),
            decidedOn: Type.String({ format: 'date' }),
            departmentCode: Type.Optional(Type.String({ minLength: 2, maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request, reply) => {
      const { created, record } = await credit.record(
        requireActor(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(created ? 201 : 200).send(record);
    },
  );

  app.post(
    `${BASE}/repairs`,
    {
      config: { access: SUBJECTS },
      schema: {
        tags: ['supervision'],
        summary: 'Ask to repair one of your credit records (信用修复申请)',
        description:
          '422 naming the rule when the kind is not repairable, the record is repaired, the ' +
          'shortest publication has not passed or publication has ended; 409 when one is open.',
        body: Type.Object(
          { recordId: Id, statement: Type.String({ minLength: 2, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await credit.applyRepair(requireActor(request), request.body, requestMeta(request))),
  );

  app.get(
    `${BASE}/repairs`,
    {
      config: { access: REPAIR_READERS },
      schema: {
        tags: ['supervision'],
        summary: "Repairs: yours, your department's, your region's (supervisors) or all (admin)",
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Enum(CREDIT_REPAIR_STATES)),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) =>
      credit.listRepairs(requireActor(request), {
        state: request.query.state,
        limit: request.query.limit ?? 20,
        offset: request.query.offset ?? 0,
      }),
  );

  app.post(
    `${BASE}/repairs/:id/decide`,
    {
      config: { access: DECIDERS },
      schema: {
        tags: ['supervision'],
        summary: 'The recording department approves (publication ends) or rejects with a reason',
        description:
          'Sending the same decision again answers with the repair as it is; a different ' +
          'decision on a decided repair is 409.',
        params: Type.Object({ id: Id }),
        body: Type.Object(
          { approve: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 1000 })) },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request) =>
      credit.decide(requireActor(request), request.params.id, request.body, requestMeta(request)),
  );
}
