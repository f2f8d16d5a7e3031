import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BundleService } from '../bundles';
import { CatalogService } from '../catalog';
import type { Actor } from '../platform/auth/model';
import { CalendarService } from '../platform/calendar/service';
import { requestMeta, requireActor, type App, type AppContext } from '../platform/http/app';
import { AppError } from '../platform/http/errors';
import { sendAttachment } from '../platform/http/attachment';
import { errorResponses } from '../platform/http/schemas';
import { invalidRequest } from '../platform/http/validation';
import { logSealing } from '../platform/crypto';
import { sealEventPayloads } from '../platform/notify';
import { applyDisclosure, maskingFor, type PersonalFields } from '../platform/privacy';
import { APPLICATION_STATUSES } from './model';
import { PERSONAL_EVENT_FIELDS } from './department-results';
import { departmentCaseRoutes } from './department-routes';
import { withQr } from './notices';
import { ApplicationService } from './service';
import { sealApplicationForms, sealSubjects } from './store';
import type { MaterialSources } from './waivers';
import {
  defaultScanner,
  fileProblem,
  tooLarge,
  type MaterialScanner,
  type UploadSettings,
} from './uploads';

const APPLICANTS = ['citizen', 'enterprise'] as const;
const WRITERS = { roles: [...APPLICANTS, 'clerk'], scope: 'own' } as const;
const READERS = {
  roles: [...APPLICANTS, 'clerk', 'supervisor', 'admin'],
  scope: 'region',
} as const;
const CLERKS = { roles: ['clerk'], scope: 'region' } as const;

/**
 * An application with its applicant as the caller may see them: the applicant themself and the
 * window clerks of the region see the resident ID, mobile and address in full; supervisors and
 * administrators masked (PIPL minimum necessary).
 */
function applicantAsSeenBy<T extends { applicant: PersonalFields; subjectId: string | null }>(
  actor: Actor,
  application: T,
): T {
  const disclosure = maskingFor(actor, {
    subjectId: application.subjectId,
    handledBy: ['clerk'],
    // The service answers a clerk only about applications of their region.
    onRecord: true,
  });
  return { ...application, applicant: applyDisclosure(application.applicant, disclosure) };
}

const Id = Type.String({ format: 'uuid', description: 'application id' });
const BundleCode = Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$', description: '一件事编码' });
const Key = Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$' });
const Answers = Type.Record(
  Type.String({ maxLength: 64 }),
  Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 }),
);
const FormData = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown());
const Pledges = Type.Array(Key, { uniqueItems: true, maxItems: 200 });
const Status = Type.Enum(
  Object.keys(APPLICATION_STATUSES) as (keyof typeof APPLICATION_STATUSES)[],
);
const Date10 = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Note = Type.String({ maxLength: 2000 });

const IdempotencyHeader = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'a key unique to this intended application (e.g. a UUID); retries reuse it',
});

const ApplicantBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    identifier: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'resident ID (person) or unified social credit code (enterprise)',
    }),
    mobile: Type.Optional(Type.String({ maxLength: 32 })),
    address: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

const ConsentBody = Type.Object(
  {
    method: Type.Union([Type.Literal('signature'), Type.Literal('sms'), Type.Literal('written')]),
    reference: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

const CreateBody = Type.Object(
  {
    bundleCode: BundleCode,
    answers: Type.Optional(Answers),
    data: Type.Optional(FormData),
    pledges: Type.Optional(Pledges),
    submit: Type.Optional(Type.Boolean({ description: 'submit at once (default: save a draft)' })),
    applicant: Type.Optional(ApplicantBody),
    consent: Type.Optional(ConsentBody),
  },
  { additionalProperties: false },
);

const UpdateBody = Type.Object(
  {
    answers: Type.Optional(Answers),
    data: Type.Optional(FormData),
    pledges: Type.Optional(Pledges),
  },
  { additionalProperties: false },
);

const APPLICATION_DOC =
  'Replies with the application: `{ id, number, bundle, status, channel, regionCode, applicant, ' +
  'subjectId, assisted, answers, data, pledges, guide, materials, missing, submittedAt, acceptedAt, ' +
  'decidedAt, expectedBy, deficiency, correction, refusal, notices, events, actions, publicToken }`.';

/** Options of the cases routes; tests and the benchmark pass their own. */
export interface CasesRouteOptions {
  uploads?: UploadSettings;
  scanner?: MaterialScanner;
  /** What the government already holds, to waive materials (免提交); server.ts passes licences'. */
  sources?: MaterialSources;
}

/** Applications and intake over HTTP (申请, 受理). */
export function casesRoutes(appIn: App, ctx: AppContext, options: CasesRouteOptions = {}) {
  const app = appIn.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = ctx;
  const settings = options.uploads ?? {
    maxBytes: config.uploadMaxBytes,
    scanCommand: config.scanCommand,
  };
  const catalog = new CatalogService(db.kysely);
  const calendars = new CalendarService(db.kysely, config.businessHours);
  const bundles = new BundleService(db.kysely, catalog, calendars);
  const service = new ApplicationService(
    db.kysely,
    bundles,
    catalog,
    calendars,
    options.scanner ?? defaultScanner(settings),
    config.slaWarnFraction,
    options.sources,
  );
  const params = Type.Object({ id: Id });
  // Personal data stored before sealing, or sealed under an earlier data key, is sealed in place
  // under the key in use (src/platform/crypto): subjects, applications, members, cases, events.
  app.addHook('onReady', async () => {
    const outcomes = {
      subjects: await sealSubjects(db.kysely),
      applications: await sealApplicationForms(db.kysely),
      events: await sealEventPayloads(db.kysely, PERSONAL_EVENT_FIELDS),
    };
    logSealing(app.log, outcomes);
  });
  const cases = departmentCaseRoutes(app, db.kysely, calendars, service, config.slaWarnFraction);
  // Warnings and escalations are recorded as they come due, by every app server: the sweep is
  // idempotent and takes row locks, so servers running it at once do not record anything twice.
  if (config.slaSweepSeconds > 0) {
    let timer: NodeJS.Timeout | undefined;
    const sweep = () =>
      cases.sweepWarnings().catch((error: unknown) => app.log.warn({ err: error }, 'sweep failed'));
    app.addHook('onReady', async () => {
      timer = setInterval(sweep, config.slaSweepSeconds * 1000).unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  }

  app.get(
    '/api/applications',
    {
      config: { access: READERS },
      schema: {
        tags: ['cases'],
        summary: 'Applications: your own, or your region’s intake queue (oldest submitted first)',
        querystring: Type.Object(
          {
            status: Type.Optional(Status),
            bundle: Type.Optional(BundleCode),
            q: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) =>
      service.list(requireActor(request), {
        ...request.query,
        limit: request.query.limit ?? 50,
        offset: request.query.offset ?? 0,
      }),
  );

  app.get(
    '/api/applications/prefill',
    {
      config: { access: { roles: APPLICANTS, scope: 'own' } },
      schema: {
        tags: ['cases'],
        summary: 'The applicant and form fields prefilled from what the platform knows of you',
        querystring: Type.Object({ bundle: BundleCode }, { additionalProperties: false }),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => service.prefill(requireActor(request), request.query.bundle),
  );

  app.post(
    '/api/applications',
    {
      config: { access: WRITERS },
      schema: {
        tags: ['cases'],
        summary: 'Apply for a bundle: save a draft or submit (一表申请); clerks apply on behalf',
        description:
          'Send an `Idempotency-Key` header: a retry with the same key and body returns the same ' +
          'application (200, `Idempotent-Replayed: true`) instead of creating another; the same key ' +
          'with another body is 409 `cases.idempotency_conflict`. Citizens and enterprises apply ' +
          'for themselves; a clerk names `applicant` and the applicant’s `consent` (帮办代办). ' +
          APPLICATION_DOC,
        headers: Type.Object({ 'idempotency-key': IdempotencyHeader }),
        body: CreateBody,
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      const result = await service.create(
        requireActor(request),
        request.headers['idempotency-key'],
        request.body,
        requestMeta(request),
      );
      if (!result.created) reply.header('idempotent-replayed', 'true');
      return reply.status(result.created ? 201 : 200).send(result.application);
    },
  );

  app.get(
    '/api/applications/:id',
    {
      config: { access: READERS },
      schema: {
        tags: ['cases'],
        summary: 'One application with its guide, materials, notices and history',
        description: APPLICATION_DOC,
        params,
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return applicantAsSeenBy(actor, await service.get(actor, request.params.id));
    },
  );

  app.put(
    '/api/applications/:id',
    {
      config: { access: WRITERS },
      schema: {
        tags: ['cases'],
        summary:
          'Save answers, form data and pledges of a draft or an application under correction',
        params,
        body: UpdateBody,
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request) =>
      service.update(requireActor(request), request.params.id, request.body, requestMeta(request)),
  );

  app.post(
    '/api/applications/:id/submit',
    {
      config: { access: WRITERS },
      schema: {
        tags: ['cases'],
        summary: 'Submit (or resubmit after correction); idempotent by state',
        description:
          'Refused with 422 `cases.incomplete` listing everything still missing. A complete online ' +
          'application of a bundle with automatic intake is accepted at once (智能受理).',
        params,
        headers: Type.Object({ 'idempotency-key': Type.Optional(IdempotencyHeader) }),
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request) =>
      service.submit(requireActor(request), request.params.id, requestMeta(request)),
  );

  app.post(
    '/api/applications/:id/withdraw',
    {
      config: { access: WRITERS },
      schema: {
        tags: ['cases'],
        summary: 'Withdraw an application not yet decided (撤回)',
        params,
        response: errorResponses(401, 403, 404, 409),
      },
    },
    async (request) =>
      service.withdraw(requireActor(request), request.params.id, requestMeta(request)),
  );

  app.post(
    '/api/applications/:id/accept',
    {
      config: { access: CLERKS },
      schema: {
        tags: ['cases'],
        summary: 'Accept (受理): every required material provided; issues the acceptance notice',
        params,
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request) =>
      service.accept(requireActor(request), request.params.id, requestMeta(request)),
  );

  app.post(
    '/api/applications/:id/accept-with-deficiency',
    {
      config: { access: CLERKS },
      schema: {
        tags: ['cases'],
        summary: 'Accept with materials to follow by a date (容缺受理)',
        params,
        body: Type.Object(
          {
            materials: Type.Array(Key, { minItems: 1, maxItems: 100, uniqueItems: true }),
            dueDate: Date10,
            note: Type.Optional(Note),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request) =>
      service.acceptWithDeficiency(
        requireActor(request),
        request.params.id,
        request.body,
        requestMeta(request),
      ),
  );

  app.post(
    '/api/applications/:id/correction',
    {
      config: { access: CLERKS },
      schema: {
        tags: ['cases'],
        summary: 'Request correction (补正): one notice listing everything; the clock stops',
        params,
        body: Type.Object(
          {
            items: Type.Array(
              Type.Object(
                {
                  material: Type.Optional(Key),
                  field: Type.Optional(Key),
                  note: Type.String({ minLength: 1, maxLength: 1000 }),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 100 },
            ),
            note: Type.Optional(Note),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request) =>
      service.requestCorrection(
        requireActor(request),
        request.params.id,
        request.body,
        requestMeta(request),
      ),
  );

  app.post(
    '/api/applications/:id/refuse',
    {
      config: { access: CLERKS },
      schema: {
        tags: ['cases'],
        summary: 'Refuse (不予受理) with the reason and its legal basis',
        params,
        body: Type.Object(
          {
            reason: Type.String({ minLength: 1, maxLength: 2000 }),
            legalBasis: Type.String({ minLength: 1, maxLength: 2000 }),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request) =>
      service.refuse(requireActor(request), request.params.id, request.body, requestMeta(request)),
  );

  app.get(
    '/api/applications/:id/notices/:noticeId',
    {
      config: { access: READERS },
      schema: {
        tags: ['cases'],
        summary:
          'A notice (受理通知书, 补正材料通知书, 不予受理决定书) ready to print, with its QR code',
        params: Type.Object({ id: Id, noticeId: Type.String({ format: 'uuid' }) }),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => {
      const notice = await service.notice(
        requireActor(request),
        request.params.id,
        request.params.noticeId,
      );
      return withQr(notice, `${request.protocol}://${request.host}`);
    },
  );

  app.get(
    '/api/applications/:id/materials/:uploadId',
    {
      config: { access: READERS },
      schema: {
        tags: ['cases'],
        summary: 'Download an uploaded material (as an attachment, with its sniffed type)',
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

  app.delete(
    '/api/applications/:id/materials/:uploadId',
    {
      config: { access: WRITERS },
      schema: {
        tags: ['cases'],
        summary: 'Remove an uploaded material while the application can be edited',
        params: Type.Object({ id: Id, uploadId: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      await service.removeUpload(
        requireActor(request),
        request.params.id,
        request.params.uploadId,
        requestMeta(request),
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/public/applications/:token',
    {
      config: { access: { roles: 'public', scope: 'none' } },
      schema: {
        tags: ['cases'],
        summary: 'Public status of an application by the token of its notices’ QR code',
        description:
          'No names, identifiers or notes: number, bundle, status, dates, items, events.',
        params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: errorResponses(404, 422),
      },
    },
    async (request) => service.publicStatus(request.params.token),
  );

  // Uploads arrive as multipart/form-data; the parser is registered for these routes only, so
  // every other route keeps parsing JSON exactly as before.
  app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: settings.maxBytes, files: 1, fields: 5, parts: 6, fieldSize: 1000 },
    });
    const typed = scope.withTypeProvider<TypeBoxTypeProvider>();
    typed.post(
      '/api/applications/:id/materials',
      {
        config: { access: WRITERS },
        schema: {
          tags: ['cases'],
          summary: 'Upload a material: multipart/form-data with `material` (key) and one file',
          description:
            `PDF, JPEG, PNG or OFD, at most ${settings.maxBytes} bytes (ONETHING_UPLOAD_MAX_BYTES). ` +
            'The type is read from the content; every file is scanned for viruses first.',
          params,
          consumes: ['multipart/form-data'],
          response: errorResponses(401, 403, 404, 409, 413, 415, 422),
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        if (!request.isMultipart()) {
          throw new AppError(415, 'request.media_type', {
            zh: '请以 multipart/form-data 上传文件',
            en: 'upload the file as multipart/form-data',
          });
        }
        await service.checkUploadAllowed(actor, request.params.id);
        let material: string | undefined;
        let file: { filename: string; bytes: Buffer } | undefined;
        try {
          for await (const part of request.parts()) {
            if (part.type === 'file') {
              file = { filename: part.filename, bytes: await part.toBuffer() };
            } else if (part.fieldname === 'material' && typeof part.value === 'string') {
              material = part.value;
            }
          }
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(settings.maxBytes);
          if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
            throw fileProblem('single', {
              zh: '一次只能上传一个文件',
              en: 'upload one file at a time',
            });
          }
          throw error;
        }
        const problems = [];
        if (!material || !/^[a-z][a-z0-9-]{0,62}$/.test(material)) {
          problems.push({
            path: 'body.material',
            rule: 'required',
            message: { zh: '请指明材料（material）', en: 'name the material (material)' },
          });
        }
        if (!file) {
          problems.push({
            path: 'body.file',
            rule: 'required',
            message: { zh: '请选择要上传的文件（file）', en: 'attach the file (file)' },
          });
        }
        if (problems.length > 0) throw invalidRequest(problems);
        const stored = await service.upload(
          actor,
          request.params.id,
          material!,
          file!,
          requestMeta(request),
        );
        return reply.status(201).send(stored);
      },
    );
  });
}
