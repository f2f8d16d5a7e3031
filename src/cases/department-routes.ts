import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import type { CalendarService } from '../platform/calendar/service';
import type { Kdb } from '../platform/db/database';
import { requestMeta, requireActor, type App } from '../platform/http/app';
import { sendAttachment } from '../platform/http/attachment';
import { errorResponses } from '../platform/http/schemas';
import type { Actor } from '../platform/auth/model';
import { isSubjectRole } from '../platform/auth/model';
import { maskPersonalValues, maskingFor } from '../platform/privacy';
import { CASE_STATES, SUSPENSION_KINDS, type CaseAction } from './casework';
import { CaseService, type CaseInput } from './department-service';
import type { ApplicationService } from './service';

// Department cases over HTTP: the workbench queue, transitions, the warning sweep and the
// application's timeline.

const REVIEWERS = { roles: ['reviewer'], scope: 'department' } as const;
const SUPERVISORS = { roles: ['supervisor'], scope: 'region' } as const;
const APPLICANTS = { roles: ['citizen', 'enterprise'], scope: 'own' } as const;
const STAFF = { roles: ['reviewer', 'supervisor', 'admin'], scope: 'region' } as const;
const BOARD_READERS = { roles: ['supervisor', 'admin'], scope: 'region' } as const;
const TIMELINE_READERS = {
  roles: ['citizen', 'enterprise', 'clerk', 'reviewer', 'supervisor', 'admin'],
  scope: 'region',
} as const;

const Id = Type.String({ format: 'uuid', description: 'case id' });
const Note = Type.String({ minLength: 1, maxLength: 2000 });
const OptionalNote = Type.Optional(Type.String({ maxLength: 2000 }));
const State = Type.Enum(Object.keys(CASE_STATES) as (keyof typeof CASE_STATES)[]);

function body(properties: Record<string, TSchema>) {
  return Type.Object(properties, { additionalProperties: false });
}

/**
 * A case reply as the caller may see it. The reviewers of the department handling the case review
 * the applicant's identity and forms and call them about corrections, so they see the resident
 * IDs, mobile numbers and addresses in the case's inputs and results whole; the applicant sees
 * their own (the service answers them only about their own applications), and so does the window
 * clerk who took the application. Supervisors and administrators oversee the queue and see them
 * masked (docs/security.md, "Masking in replies").
 */
function caseReplyFor<T>(actor: Actor, reply: T): T {
  if (isSubjectRole(actor.role)) return reply;
  // The service answers a reviewer only about their department's cases, a clerk only about
  // applications of their region.
  const disclosure = maskingFor(actor, { handledBy: ['reviewer', 'clerk'], onRecord: true });
  return disclosure === 'full' ? reply : maskPersonalValues(reply);
}

/** The transitions, their bodies and who may call them. */
const ACTIONS: {
  action: CaseAction;
  summary: string;
  body: ReturnType<typeof body>;
  access: typeof REVIEWERS | typeof SUPERVISORS | typeof APPLICANTS;
}[] = [
  {
    action: 'accept',
    summary: 'Accept a released case into the department (部门受理)',
    body: body({ note: OptionalNote }),
    access: REVIEWERS,
  },
  {
    action: 'start-review',
    summary: 'Start reviewing an accepted case (审查)',
    body: body({ note: OptionalNote }),
    access: REVIEWERS,
  },
  {
    action: 'approve',
    summary: 'Approve (准予许可), optionally stating what the result carries',
    body: body({
      note: OptionalNote,
      result: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
    access: REVIEWERS,
  },
  {
    action: 'deny',
    summary: 'Deny (不予许可) with reasons',
    body: body({
      reasons: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), {
        minItems: 1,
        maxItems: 20,
      }),
      note: OptionalNote,
    }),
    access: REVIEWERS,
  },
  {
    action: 'issue-result',
    summary: 'Issue the result (出证); releases the cases waiting for this one',
    body: body({
      note: OptionalNote,
      result: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
    access: REVIEWERS,
  },
  {
    action: 'return',
    summary: 'Return to the applicant for correction (退回补正); the clock stops',
    body: body({ note: Note }),
    access: REVIEWERS,
  },
  {
    action: 'resume',
    summary: 'End a correction or suspension; the clock runs again',
    body: body({ note: OptionalNote }),
    access: REVIEWERS,
  },
  {
    action: 'suspend',
    summary: 'Suspend for a hearing, testing or expert review (行政许可法第45条, not counted)',
    body: body({
      kind: Type.Union(SUSPENSION_KINDS.map((k) => Type.Literal(k))),
      note: Note,
    }),
    access: REVIEWERS,
  },
  {
    action: 'extend',
    summary: 'Ask for an extension (法定延长) of some working days, with the reason',
    body: body({ days: Type.Integer({ minimum: 1, maximum: 60 }), note: Note }),
    access: REVIEWERS,
  },
  {
    action: 'approve-extension',
    summary: 'Approve the extension asked for (负责人批准); the dues move',
    body: body({ note: OptionalNote }),
    access: SUPERVISORS,
  },
  {
    action: 'urge',
    summary: 'Urge the department to act on an open case (督办), with the instruction',
    body: body({ note: Note }),
    access: SUPERVISORS,
  },
  {
    action: 'correct',
    summary:
      'Hand in the correction of a case returned to you (提交补正); its clock runs again from where it stopped',
    body: body({ note: Note }),
    access: APPLICANTS,
  },
  {
    action: 'withdraw',
    summary:
      'Withdraw a case of your own application (申请人撤回); waiting cases that depended on it go too',
    body: body({ note: Note }),
    access: APPLICANTS,
  },
];

/** Registers the department-case routes on the cases plugin. */
export function departmentCaseRoutes(
  appIn: App,
  db: Kdb,
  calendars: CalendarService,
  applications: ApplicationService,
  warnFraction: number,
): CaseService {
  const app = appIn.withTypeProvider<TypeBoxTypeProvider>();
  const service = new CaseService(db, calendars, applications, warnFraction);
  const params = Type.Object({ id: Id });

  app.get(
    '/api/cases',
    {
      config: { access: STAFF },
      schema: {
        tags: ['cases'],
        summary: 'The workbench queue of department cases (子件), earliest due first',
        description:
          "Reviewers see their department's cases in their region, supervisors their region's, " +
          'administrators all. Filter by state, committed due before an instant, warning level.',
        querystring: Type.Object(
          {
            state: Type.Optional(State),
            department: Type.Optional(
              Type.String({
                minLength: 2,
                maxLength: 64,
                description: 'department code (supervisors, administrators)',
              }),
            ),
            dueBefore: Type.Optional(Type.String({ format: 'date-time' })),
            warning: Type.Optional(
              Type.Union([Type.Literal('none'), Type.Literal('yellow'), Type.Literal('red')]),
            ),
            application: Type.Optional(Type.String({ format: 'uuid' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => {
      const { application, ...query } = request.query;
      const actor = requireActor(request);
      return caseReplyFor(
        actor,
        await service.list(actor, { ...query, applicationId: application }),
      );
    },
  );

  app.get(
    '/api/cases/board',
    {
      config: { access: BOARD_READERS },
      schema: {
        tags: ['cases'],
        summary: 'The supervision board: open cases by department and state, due soon and overdue',
        description:
          "Supervisors see their region's cases, administrators all; the due-soon (yellow) and " +
          'overdue (red) cases are listed earliest due first, with the actions open to you.',
        response: errorResponses(401, 403),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return caseReplyFor(actor, await service.board(actor));
    },
  );

  app.get(
    '/api/cases/:id',
    {
      config: { access: STAFF },
      schema: {
        tags: ['cases'],
        summary: 'One department case with its clock segments, events and the actions open to you',
        params,
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return caseReplyFor(actor, await service.get(actor, request.params.id));
    },
  );

  app.get(
    '/api/cases/:id/uploads/:uploadId',
    {
      config: { access: STAFF },
      schema: {
        tags: ['cases'],
        summary: 'Download a file the applicant uploaded for a material this case uses',
        params: Type.Object({ id: Id, uploadId: Type.String({ format: 'uuid' }) }),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request, reply) => {
      const file = await service.download(
        requireActor(request),
        request.params.id,
        request.params.uploadId,
      );
      return sendAttachment(reply, file);
    },
  );

  app.get(
    '/api/cases/:id/materials/:material/licences/:licenceId',
    {
      config: { access: STAFF },
      schema: {
        tags: ['cases'],
        summary: 'Open the e-licence attached in place of a material of this case (免提交)',
        description:
          'Only a licence attached to this case’s application for this material; every opening ' +
          'is logged and shown to the holder (`GET /api/licences/mine/uses`).',
        params: Type.Object({
          id: Id,
          material: Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$' }),
          licenceId: Type.String({ format: 'uuid' }),
        }),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return caseReplyFor(
        actor,
        await service.openLicence(
          actor,
          request.params.id,
          request.params.material,
          request.params.licenceId,
        ),
      );
    },
  );

  app.post(
    '/api/cases/sweep',
    {
      config: { access: { roles: ['admin'], scope: 'all' } },
      schema: {
        tags: ['cases'],
        summary: 'Record the warnings that have come due (yellow, red and escalation); idempotent',
        body: Type.Object(
          {
            at: Type.Optional(
              Type.String({
                format: 'date-time',
                description: 'sweep as of this instant (default now)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => {
      const at = request.body.at ? new Date(request.body.at) : new Date();
      return service.sweepWarnings(at, requireActor(request), requestMeta(request));
    },
  );

  for (const spec of ACTIONS) {
    app.post(
      `/api/cases/:id/${spec.action}`,
      {
        config: { access: spec.access },
        schema: {
          tags: ['cases'],
          summary: spec.summary,
          description:
            'Checked against the state machine under a row lock: of two callers acting at once ' +
            'exactly one wins, the other gets 409 `cases.invalid_state`. A case of another ' +
            'department is 404.',
          params,
          headers: Type.Object({
            'idempotency-key': Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 200,
                description:
                  'a key unique to this intended action; a retry with it returns the case ' +
                  '(200, `Idempotent-Replayed: true`) instead of 409',
              }),
            ),
          }),
          body: spec.body,
          response: errorResponses(401, 403, 404, 409, 422),
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const result = await service.actOnce(
          actor,
          request.params.id,
          spec.action,
          (request.body ?? {}) as CaseInput,
          requestMeta(request),
          request.headers['idempotency-key'],
        );
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        return caseReplyFor(actor, result.view);
      },
    );
  }

  app.get(
    '/api/applications/:id/timeline',
    {
      config: { access: TIMELINE_READERS },
      schema: {
        tags: ['cases'],
        summary: "The application's timeline: its events and every step of its department cases",
        description:
          'In time order, with department, what is awaited of whom and the due instants; staff ' +
          'also see who took each step. The overall progress derives from the cases.',
        params: Type.Object({ id: Type.String({ format: 'uuid', description: 'application id' }) }),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => service.timeline(requireActor(request), request.params.id),
  );

  app.get(
    '/api/applications/:id/results',
    {
      config: { access: TIMELINE_READERS },
      schema: {
        tags: ['cases'],
        summary: "The application's combined result package (一窗出件)",
        description:
          "Every case's decision and result in one place — approved, denied or deemed approved, " +
          'by a reviewer or automatically with the checks as reasons — complete once every case ' +
          'is final, with the result notice (办结通知书). Readable by whoever may read the timeline.',
        params: Type.Object({ id: Type.String({ format: 'uuid', description: 'application id' }) }),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return caseReplyFor(actor, await service.results(actor, request.params.id));
    },
  );

  return service;
}
