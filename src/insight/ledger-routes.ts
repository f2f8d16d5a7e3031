// The reform-task ledger over HTTP (/api/insight/ledger): the board, the list and a task for every
// staff member in their regions, progress reports by the units' staff, tick-off and reopen by
// supervisors, and the Excel export.
import { Type } from 'typebox';
import { STAFF_ROLES } from '../platform/auth/model';
import { sendAttachment } from '../platform/http/attachment';
import { requestMeta, requireActor, type App, type AppContext } from '../platform/http/app';
import { errorResponses } from '../platform/http/schemas';
import { REPORT_STATUSES, TASK_STATES, TICK_OFF_ROLES, WARNINGS } from './ledger';
import { LedgerService } from './ledger-service';

const STAFF = { roles: [...STAFF_ROLES], scope: 'region' } as const;
const SUPERVISORS = { roles: [...TICK_OFF_ROLES], scope: 'region' } as const;
const BASE = '/api/insight/ledger';

const TaskId = Type.String({ minLength: 1, maxLength: 200 });
const Filters = {
  document: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
  unit: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
  department: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' })),
  state: Type.Optional(Type.Enum(TASK_STATES)),
  warning: Type.Optional(Type.Enum(WARNINGS)),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  /** Only the tasks of the units your department reports for. */
  mine: Type.Optional(Type.Boolean()),
};
const Decision = Type.Object(
  {
    note: Type.String({ minLength: 2, maxLength: 500 }),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

/** /api/insight/ledger … */
export function ledgerRoutes(app: App, { db }: AppContext) {
  const ledger = new LedgerService(db.kysely);

  app.get(
    `${BASE}/board`,
    {
      config: { access: STAFF },
      schema: {
        tags: ['insight'],
        summary:
          '改革任务台账 board: counts per document and per unit (total, done, overdue, due soon, unreported)',
        response: errorResponses(401, 403),
      },
    },
    async (request) => ledger.board(requireActor(request)),
  );

  app.get(
    `${BASE}/documents`,
    {
      config: { access: STAFF },
      schema: {
        tags: ['insight'],
        summary: 'The documents whose measures the ledger tracks, in your regions',
        response: errorResponses(401, 403),
      },
    },
    async (request) => ({ items: await ledger.documents(requireActor(request)) }),
  );

  app.get(
    `${BASE}/tasks`,
    {
      config: { access: STAFF },
      schema: {
        tags: ['insight'],
        summary: 'Reform tasks in your regions, filtered, with their warnings today',
        querystring: Type.Object(
          {
            ...Filters,
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query;
      return ledger.list(requireActor(request), filter, {
        limit: limit ?? 20,
        offset: offset ?? 0,
      });
    },
  );

  app.get(
    `${BASE}/tasks/:id`,
    {
      config: { access: STAFF },
      schema: {
        tags: ['insight'],
        summary:
          'A reform task with its units, deadlines, targets, progress history and what you may do',
        params: Type.Object({ id: TaskId }),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => ledger.task(requireActor(request), request.params.id),
  );

  app.post(
    `${BASE}/tasks/:id/progress`,
    {
      config: { access: STAFF },
      schema: {
        tags: ['insight'],
        summary:
          "Report progress as a lead or responsible unit's staff; the same unit and period replaces, an Idempotency-Key retry replays",
        params: Type.Object({ id: TaskId }),
        headers: Type.Object({
          'idempotency-key': Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._:-]{8,100}$' })),
        }),
        body: Type.Object(
          {
            unit: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
            period: Type.Optional(Type.String({ pattern: '^\\d{4}-(W\\d{2}|\\d{2})$' })),
            status: Type.Enum(REPORT_STATUSES),
            percent: Type.Integer({ minimum: 0, maximum: 100 }),
            note: Type.String({ minLength: 2, maxLength: 2000 }),
            evidence: Type.Optional(
              Type.Object(
                {
                  text: Type.Optional(Type.String({ maxLength: 2000 })),
                  links: Type.Optional(
                    Type.Array(
                      Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500 }),
                      {
                        maxItems: 10,
                      },
                    ),
                  ),
                },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      const result = await ledger.report(requireActor(request), request.params.id, request.body, {
        ...requestMeta(request),
        idempotencyKey: request.headers['idempotency-key'],
      });
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.post(
    `${BASE}/tasks/:id/tick-off`,
    {
      config: { access: SUPERVISORS },
      schema: {
        tags: ['insight'],
        summary: '销号: tick a task off once its latest report says completed',
        params: Type.Object({ id: TaskId }),
        body: Decision,
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request) =>
      ledger.tickOff(requireActor(request), request.params.id, request.body, requestMeta(request)),
  );

  app.post(
    `${BASE}/tasks/:id/reopen`,
    {
      config: { access: SUPERVISORS },
      schema: {
        tags: ['insight'],
        summary: 'Reopen a ticked-off task, with the reason',
        params: Type.Object({ id: TaskId }),
        body: Decision,
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request) =>
      ledger.reopen(requireActor(request), request.params.id, request.body, requestMeta(request)),
  );

  app.get(
    `${BASE}/export`,
    {
      config: { access: STAFF },
      schema: {
        tags: ['insight'],
        summary: 'The ledger as an Excel workbook (.xlsx), with the same filters as the list',
        querystring: Type.Object(Filters, { additionalProperties: false }),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request, reply) =>
      sendAttachment(reply, await ledger.exportWorkbook(requireActor(request), request.query)),
  );
}
