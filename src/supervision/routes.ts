// Supervision over HTTP: the lists (一单两库), plans and their verifiable draws, inspections from
// filing to the public results page, and credit (credit-routes.ts).
import { Type } from 'typebox';
import type { Actor } from '../platform/auth/model';
import type { Kdb } from '../platform/db/database';
import { requestMeta, requireActor, type App, type AppContext } from '../platform/http/app';
import { forbidden, notFound } from '../platform/http/errors';
import { errorResponses } from '../platform/http/schemas';
import { maskPersonalValues, maskingFor } from '../platform/privacy';
import { regionsUnder } from '../platform/regions';
import { appendAudit } from '../platform/audit';
import { creditRoutes } from './credit-routes';
import { InspectionService } from './inspections';
import { INSPECTION_STATES, PlanInputSchema, RESULTS, RISK_LEVELS, RISK_LABELS } from './model';
import { PlanService } from './plans';
import * as store from './store';

const PUBLIC = { roles: 'public', scope: 'none' } as const;
const PLANNERS = { roles: ['inspector', 'admin'], scope: 'department' } as const;
const INSPECTORS = { roles: ['inspector'], scope: 'own' } as const;
const ENTERPRISES = { roles: ['enterprise'], scope: 'own' } as const;
const STAFF = { roles: ['inspector', 'supervisor', 'admin'], scope: 'region' } as const;
const READERS = {
  roles: ['enterprise', 'inspector', 'reviewer', 'clerk', 'supervisor', 'admin'],
  scope: 'department',
} as const;

/**
 * A reply naming inspected subjects as the caller may see it. Most subjects are enterprises, whose
 * credit code is public and stays; a person's resident ID (an individual business) stays whole only
 * for the inspectors who work the inspection or the directory, and for the enterprise itself —
 * supervisors, administrators, the other department staff and the public results page see it
 * masked (docs/security.md, "Masking in replies").
 */
function subjectsFor<T>(actor: Actor | null, reply: T): T {
  if (actor?.role === 'enterprise') return reply; // the service answers it only about itself
  // The service answers an inspector only about their own tasks and their region's directory.
  const disclosure = maskingFor(actor, { handledBy: ['inspector'], onRecord: true });
  return disclosure === 'full' ? reply : maskPersonalValues(reply);
}

const Id = Type.String({ format: 'uuid' });
const Page = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
};

/** The regions a staff member works in (administrators: every region). */
async function regionsOf(db: Kdb, actor: Actor) {
  if (actor.role === 'admin')
    return (await db.selectFrom('regions').select('code').execute()).map((r) => r.code);
  return regionsUnder(db, actor.regionCode);
}

/** /api/supervision … */
export function supervisionRoutes(app: App, ctx: AppContext) {
  const { db, config } = ctx;
  const plans = new PlanService(db.kysely);
  const inspections = new InspectionService(db.kysely, config.businessHours);
  creditRoutes(app, ctx);

  app.get(
    '/api/supervision/items',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['supervision'],
        summary: '检查事项清单: what each department may inspect, on which basis, with its limit',
        response: errorResponses(),
      },
    },
    async () => ({ items: await store.listItems(db.kysely) }),
  );

  app.get(
    '/api/supervision/targets',
    {
      config: { access: STAFF },
      schema: {
        tags: ['supervision'],
        summary: '检查对象名录 in your region, with industry and risk level',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 60 })),
            industry: Type.Optional(Type.String({ pattern: '^[A-T]\\d{0,4}$' })),
            risk: Type.Optional(Type.Enum(RISK_LEVELS)),
            ...Page,
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { q, industry, risk, limit, offset } = request.query;
      const page = await store.listTargets(db.kysely, {
        regions: await regionsOf(db.kysely, actor),
        industries: industry ? [industry] : undefined,
        riskLevels: risk ? [risk] : undefined,
        q,
        limit: limit ?? 20,
        offset: offset ?? 0,
      });
      return subjectsFor(actor, {
        total: page.total,
        items: page.items.map((t) => ({ ...t, riskName: RISK_LABELS[t.riskLevel] })),
      });
    },
  );

  app.put(
    '/api/supervision/targets/:subjectId/risk',
    {
      config: { access: { roles: ['inspector', 'admin'], scope: 'region' } },
      schema: {
        tags: ['supervision'],
        summary: "Set an enterprise's risk level (分级分类), in your region",
        params: Type.Object({ subjectId: Id }),
        body: Type.Object(
          {
            riskLevel: Type.Enum(RISK_LEVELS),
            reason: Type.String({ minLength: 2, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const regions = await regionsOf(db.kysely, actor);
      const now = new Date();
      return db.kysely.transaction().execute(async (trx) => {
        const target = await trx
          .selectFrom('inspectionTargets')
          .select('regionCode')
          .where('subjectId', '=', request.params.subjectId)
          .executeTakeFirst();
        if (!target || !regions.includes(target.regionCode))
          throw notFound({ zh: '检查对象', en: 'target' });
        await store.setRisk(trx, request.params.subjectId, request.body.riskLevel, now);
        await appendAudit(trx, {
          at: now,
          actorId: actor.userId,
          actorRole: actor.role,
          action: 'supervision.risk_set',
          objectType: 'subject',
          objectId: request.params.subjectId,
          ip: request.ip,
          requestId: request.id,
          detail: { ...request.body },
        });
        return { subjectId: request.params.subjectId, riskLevel: request.body.riskLevel };
      });
    },
  );

  app.get(
    '/api/supervision/inspectors',
    {
      config: { access: STAFF },
      schema: {
        tags: ['supervision'],
        summary: '执法检查人员名录 of your region',
        response: errorResponses(401, 403),
      },
    },
    async (request) => ({
      items: await store.listInspectors(db.kysely, {
        regions: await regionsOf(db.kysely, requireActor(request)),
      }),
    }),
  );

  app.post(
    '/api/supervision/conflicts',
    {
      config: { access: INSPECTORS },
      schema: {
        tags: ['supervision'],
        summary: 'Declare a conflict of interest with an enterprise (回避): never drawn for it',
        body: Type.Object(
          { subjectId: Id, reason: Type.String({ minLength: 2, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const inspector = await store.inspectorOfUser(db.kysely, actor.userId);
      if (!inspector) throw forbidden();
      const subject = await store.findSubject(db.kysely, request.body.subjectId);
      if (!subject) throw notFound({ zh: '企业', en: 'enterprise' });
      const now = new Date();
      await db.kysely.transaction().execute(async (trx) => {
        await store.addConflict(
          trx,
          {
            inspectorId: inspector.id,
            subjectId: subject.id,
            regionCode: subject.regionCode,
            reason: request.body.reason,
          },
          now,
        );
        await appendAudit(trx, {
          at: now,
          actorId: actor.userId,
          actorRole: actor.role,
          action: 'supervision.conflict_declared',
          objectType: 'subject',
          objectId: subject.id,
          ip: request.ip,
          requestId: request.id,
          detail: { inspectorId: inspector.id },
        });
      });
      return reply.status(201).send({ inspectorId: inspector.id, subjectId: subject.id });
    },
  );

  app.get(
    '/api/supervision/plans',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['supervision'],
        summary: 'Plans with their committed seed hashes and, once drawn, their seeds (一公开)',
        response: errorResponses(),
      },
    },
    async (request) => plans.list(request.actor),
  );

  app.post(
    '/api/supervision/plans',
    {
      config: { access: PLANNERS },
      schema: {
        tags: ['supervision'],
        summary: "Write a random-inspection plan with your department's items",
        body: PlanInputSchema,
        response: errorResponses(401, 403, 422),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await plans.create(requireActor(request), request.body, requestMeta(request))),
  );

  app.get(
    '/api/supervision/plans/:id',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['supervision'],
        summary: 'A plan: its frozen inputs and seed hash, and after the draw its seed and result',
        params: Type.Object({ id: Id }),
        response: errorResponses(404, 422),
      },
    },
    async (request) => plans.get(request.params.id),
  );

  app.post(
    '/api/supervision/plans/:id/commit',
    {
      config: { access: PLANNERS },
      schema: {
        tags: ['supervision'],
        summary: 'Freeze the inputs and commit to a seed, publishing its hash before the draw',
        params: Type.Object({ id: Id }),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => plans.commit(requireActor(request), request.params.id, requestMeta(request)),
  );

  app.post(
    '/api/supervision/plans/:id/draw',
    {
      config: { access: PLANNERS },
      schema: {
        tags: ['supervision'],
        summary: 'Run the committed draw: reveal the seed, create the (joint) inspections',
        params: Type.Object({ id: Id }),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => plans.draw(requireActor(request), request.params.id, requestMeta(request)),
  );

  app.get(
    '/api/supervision/draws/:id/verify',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['supervision'],
        summary: 'Re-run a draw from its published inputs and seed and compare the digests',
        params: Type.Object({ id: Id }),
        response: errorResponses(404, 422),
      },
    },
    async (request) => plans.verify(request.params.id),
  );

  app.get(
    '/api/supervision/inspections',
    {
      config: { access: READERS },
      schema: {
        tags: ['supervision'],
        summary:
          "Inspections: an inspector's tasks, a department's, a region's (supervisors), an enterprise's own",
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Enum(INSPECTION_STATES)),
            publishOverdue: Type.Optional(Type.Boolean()),
            ...Page,
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return subjectsFor(
        actor,
        await inspections.list(actor, {
          state: request.query.state,
          publishOverdue: request.query.publishOverdue,
          limit: request.query.limit ?? 20,
          offset: request.query.offset ?? 0,
        }),
      );
    },
  );

  app.get(
    '/api/supervision/inspections/:id',
    {
      config: { access: READERS },
      schema: {
        tags: ['supervision'],
        summary: 'One inspection with every step (全程留痕)',
        params: Type.Object({ id: Id }),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return subjectsFor(actor, await inspections.get(actor, request.params.id));
    },
  );

  app.post(
    '/api/supervision/inspections/file',
    {
      config: { access: INSPECTORS },
      schema: {
        tags: ['supervision'],
        summary:
          '事前备案: file an inspection before it happens; refused unless a drawn plan covers it',
        body: Type.Object(
          {
            subjectId: Id,
            itemCodes: Type.Array(Type.String({ minLength: 2, maxLength: 64 }), {
              minItems: 1,
              maxItems: 20,
              uniqueItems: true,
            }),
            scheduledOn: Type.String({ format: 'date' }),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 409, 422),
      },
    },
    async (request) => inspections.file(requireActor(request), request.body, requestMeta(request)),
  );

  app.post(
    '/api/supervision/inspections/:id/checkin-code',
    {
      config: { access: ENTERPRISES },
      schema: {
        tags: ['supervision'],
        summary: "扫码入企: the enterprise's code for the inspectors at its door (10 minutes)",
        params: Type.Object({ id: Id }),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) =>
      inspections.checkinCode(requireActor(request), request.params.id, requestMeta(request)),
  );

  app.post(
    '/api/supervision/inspections/:id/check-in',
    {
      config: { access: INSPECTORS },
      schema: {
        tags: ['supervision'],
        summary: 'Check in at the enterprise with its code (an assigned inspector)',
        params: Type.Object({ id: Id }),
        body: Type.Object(
          { token: Type.String({ minLength: 8, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) =>
      inspections.checkIn(
        requireActor(request),
        request.params.id,
        request.body.token,
        requestMeta(request),
      ),
  );

  app.post(
    '/api/supervision/inspections/:id/finish',
    {
      config: { access: INSPECTORS },
      schema: {
        tags: ['supervision'],
        summary: 'Record the findings and result; publication is due in 20 working days',
        params: Type.Object({ id: Id }),
        body: Type.Object(
          {
            result: Type.Enum(RESULTS),
            findings: Type.String({ minLength: 2, maxLength: 4000 }),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) =>
      inspections.finish(
        requireActor(request),
        request.params.id,
        request.body,
        requestMeta(request),
      ),
  );

  app.post(
    '/api/supervision/inspections/:id/publish',
    {
      config: { access: INSPECTORS },
      schema: {
        tags: ['supervision'],
        summary: 'Publish the result on the public results page',
        params: Type.Object({ id: Id }),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) =>
      inspections.publish(requireActor(request), request.params.id, requestMeta(request)),
  );

  app.get(
    '/api/supervision/results',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['supervision'],
        summary: 'Published inspection results (双随机一公开), newest first',
        querystring: Type.Object(Page, { additionalProperties: false }),
        response: errorResponses(422),
      },
    },
    async (request) =>
      subjectsFor(
        null,
        await inspections.results({
          limit: request.query.limit ?? 20,
          offset: request.query.offset ?? 0,
        }),
      ),
  );
}
