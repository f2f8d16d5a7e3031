import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { fileTypeFromBuffer } from 'file-type';
import { Type, type TSchema } from 'typebox';
import { appendAudit } from '../platform/audit';
import { logSealing } from '../platform/crypto';
import type { Actor, Role } from '../platform/auth/model';
import { CalendarService } from '../platform/calendar/service';
import { sendAttachment } from '../platform/http/attachment';
import { requestMeta, requireActor, type App, type AppContext } from '../platform/http/app';
import { AppError } from '../platform/http/errors';
import { errorResponses } from '../platform/http/schemas';
import { maskAddress, maskingForOverseers } from '../platform/privacy';
import { HotlineAnalysis } from './analysis';
import {
  SATISFACTIONS,
  TICKET_CHANNELS,
  TICKET_STATUSES,
  TICKET_TYPES,
  URGENCIES,
  type TicketStatus,
} from './codes';
import { CategoryInputSchema, loadHotlineSettings, readProfiles } from './config';
import type { DeadlineProfiles } from './model';
import { open311Routes } from './open311';
import { HotlineService, type TicketFilter } from './service';
import * as store from './store';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A schema of one of the given strings, typed as their union. */
function literals<T extends string>(values: readonly T[]) {
  return Type.Unsafe<T>(Type.Union(values.map((v) => Type.Literal(v))));
}

const STAFF_VIEW: readonly Role[] = ['operator', 'handler', 'supervisor', 'admin'];
const access = (roles: readonly Role[], scope: 'department' | 'region' | 'all' | 'own') => ({
  roles,
  scope,
});
const PUBLIC = { roles: 'public', scope: 'none' } as const;
const OPERATOR = access(['operator'], 'region');
const HANDLER = access(['handler'], 'department');
const ADMIN = access(['admin'], 'all');
const ANALYSTS = access(['operator', 'supervisor', 'admin'], 'region');
const REQUESTERS = access(['citizen', 'enterprise'], 'own');

const params = Type.Object({ id: Type.String({ format: 'uuid' }) });
const CategoryCode = Type.String({ pattern: '^[A-Z]{2}-[0-9]{2}$', description: '诉求分类编码' });
const RegionCode = Type.String({ pattern: '^[0-9]{6}(-[A-Z0-9]+)?$', description: '区划代码' });
const DepartmentCode = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{1,62}$',
  description: '部门编码',
});
const Note = (min = 2, max = 2000) => Type.String({ minLength: min, maxLength: max });

const registration = {
  type: literals(TICKET_TYPES),
  categoryCode: CategoryCode,
  regionCode: RegionCode,
  address: Type.Optional(Type.String({ maxLength: 200 })),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  title: Type.Optional(Type.String({ maxLength: 60 })),
  content: Type.String({ minLength: 5, maxLength: 4000 }),
  urgency: Type.Optional(literals(URGENCIES)),
  confidential: Type.Optional(Type.Boolean()),
  disclose: Type.Optional(Type.Boolean()),
  attributes: Type.Optional(
    Type.Record(
      Type.String({ pattern: '^[A-Z][A-Z0-9_]{0,31}$' }),
      Type.Union([
        Type.String({ maxLength: 200 }),
        Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 }),
      ]),
    ),
  ),
};

const requester = {
  enterprise: Type.Optional(Type.Boolean()),
  enterpriseName: Type.Optional(Type.String({ maxLength: 100 })),
  enterpriseUscc: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z]{18}$' })),
  anonymous: Type.Optional(Type.Boolean()),
  requesterName: Type.Optional(Type.String({ maxLength: 50 })),
  requesterMobile: Type.Optional(Type.String({ maxLength: 20 })),
};

const RegisterBody = Type.Object(
  {
    channel: literals(TICKET_CHANNELS.filter((c) => c !== 'open311')),
    ...registration,
    ...requester,
  },
  { additionalProperties: false },
);

const UpdateBody = Type.Partial(
  Type.Object({ ...registration, ...requester }, { additionalProperties: false }),
);

const OwnBody = Type.Object(registration, { additionalProperties: false });

const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ maxLength: 200, description: 'comma-separated statuses' })),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    type: Type.Optional(literals(TICKET_TYPES)),
    channel: Type.Optional(literals(TICKET_CHANNELS)),
    categoryCode: Type.Optional(Type.String({ pattern: '^[A-Z]{2}(-[0-9]{2})?$' })),
    regionCode: Type.Optional(RegionCode),
    department: Type.Optional(DepartmentCode),
    enterprise: Type.Optional(Type.Boolean()),
    overdue: Type.Optional(Type.Boolean()),
    escalated: Type.Optional(Type.Boolean()),
    pendingExtension: Type.Optional(Type.Boolean()),
    queue: Type.Optional(literals(['to_sign', 'in_hand', 'done'])),
    from: Type.Optional(Type.String({ format: 'date' })),
    to: Type.Optional(Type.String({ format: 'date' })),
    sort: Type.Optional(literals(['created', 'due'])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  },
  { additionalProperties: false },
);

const AnalysisQuery = Type.Object(
  {
    weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 53, default: 13 })),
    until: Type.Optional(Type.String({ format: 'date' })),
    region: Type.Optional(RegionCode),
    category: Type.Optional(Type.String({ pattern: '^[A-Z]{2}(-[0-9]{2})?$' })),
  },
  { additionalProperties: false },
);

function toFilter(query: { status?: string; [key: string]: unknown }): TicketFilter {
  const { status, ...rest } = query;
  const statuses = (status ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of statuses) {
    if (!(TICKET_STATUSES as readonly string[]).includes(s)) {
      throw new AppError(
        422,
        'request.invalid',
        {
          zh: `请求参数有误：querystring.status 取值 ${s} 无效`,
          en: `invalid request: querystring.status ${s}`,
        },
        [
          {
            path: 'querystring.status',
            rule: 'enum',
            message: {
              zh: `取值应为以下之一：${TICKET_STATUSES.join('、')}`,
              en: `must be one of: ${TICKET_STATUSES.join(', ')}`,
            },
          },
        ],
      );
    }
  }
  return {
    ...(rest as TicketFilter),
    status: statuses.length ? (statuses as TicketStatus[]) : undefined,
  };
}

let profilesCache: DeadlineProfiles | null = null;

/** A ticket's address as the caller sees it: overseers get it down to its road or village. */
function addressFor(actor: Actor, address: string): string {
  // The house number identifies the requester's home or shop; operators and handling units need
  // the full place to handle the matter, overseers do not (platform/privacy decides who is which).
  return maskingForOverseers(actor) === 'masked' ? maskAddress(address) : address;
}

/** A reply that is a ticket (has an address) with the address as the caller sees it. */
function withAddressFor(actor: Actor, reply: unknown): unknown {
  if (
    reply &&
    typeof reply === 'object' &&
    typeof (reply as { address?: unknown }).address === 'string'
  ) {
    const ticket = reply as { address: string };
    return { ...ticket, address: addressFor(actor, ticket.address) };
  }
  return reply;
}

/** The 12345 hotline over HTTP: /api/hotline/* and Open311 GeoReport v2 at /open311/v2/. */
export function hotlineRoutes(app: App, { db, config }: AppContext) {
  app.addHook('onReady', async () => {
    // requesters stored plain or under an earlier data key, sealed under the key in use
    logSealing(app.log, { requesters: await store.sealRequesters(db.kysely) });
  });
  const settings = loadHotlineSettings();
  profilesCache ??= readProfiles();
  const calendars = new CalendarService(db.kysely, config.businessHours);
  const hotline = new HotlineService(db.kysely, calendars, profilesCache, settings);
  const analysis = new HotlineAnalysis(db.kysely, hotline);

  const action = <S extends TSchema>(
    path: string,
    roles: { roles: readonly Role[]; scope: 'department' | 'region' | 'all' | 'own' },
    summary: string,
    body: S | null,
    run: (
      actor: ReturnType<typeof requireActor>,
      id: string,
      body: unknown,
      meta: ReturnType<typeof requestMeta>,
    ) => Promise<unknown>,
  ) =>
    app.post(
      `/api/hotline/tickets/:id/${path}`,
      {
        config: { access: roles },
        schema: {
          tags: ['hotline'],
          summary,
          params,
          ...(body ? { body } : {}),
          response: errorResponses(401, 403, 404, 409, 422),
        },
      },
      async (request) => {
        const actor = requireActor(request);
        const result = await run(actor, request.params.id, request.body, requestMeta(request));
        return withAddressFor(actor, result);
      },
    );

  // ---------------------------------------------------------------------------------------------
  // Reference data

  app.get(
    '/api/hotline/categories',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['hotline'],
        summary:
          'The 12345 taxonomy: groups and categories with Open311 codes and routes (诉求分类)',
        querystring: Type.Object(
          { all: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({ categories: await hotline.categories(!!request.query.all) }),
  );

  app.put(
    '/api/hotline/categories/:code',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['hotline'],
        summary: 'Create or change a category with its dispatch routes (维护诉求分类)',
        params: Type.Object({ code: CategoryCode }),
        body: CategoryInputSchema,
        response: errorResponses(401, 403, 409, 422),
      },
    },
    async (request) => {
      if (request.body.code !== request.params.code) {
        throw new AppError(
          422,
          'request.invalid',
          {
            zh: '请求参数有误：body.code 与地址不一致',
            en: 'invalid request: body.code differs from the path',
          },
          [
            {
              path: 'body.code',
              rule: 'const',
              message: { zh: `应为 ${request.params.code}`, en: `must be ${request.params.code}` },
            },
          ],
        );
      }
      return hotline.saveCategory(requireActor(request), request.body, requestMeta(request));
    },
  );

  app.get(
    '/api/hotline/profiles',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['hotline'],
        summary: 'Deadline rules of tickets (办理时限，含企业诉求“215”)',
      },
    },
    async () => hotline.profiles,
  );

  app.get(
    '/api/hotline/suggestion',
    {
      config: { access: OPERATOR },
      schema: {
        tags: ['hotline'],
        summary:
          'The responsible department the routes suggest for a category in a region (派单建议)',
        querystring: Type.Object(
          { category: CategoryCode, region: RegionCode },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => {
      const department = await hotline.suggest(request.query.category, request.query.region);
      return {
        department: department
          ? { id: department.id, code: department.code, name: department.name }
          : null,
      };
    },
  );

  // ---------------------------------------------------------------------------------------------
  // Intake

  app.post(
    '/api/hotline/tickets',
    {
      config: { access: OPERATOR },
      schema: {
        tags: ['hotline'],
        summary: 'Register a ticket from a call, letter, visit or message (登记工单)',
        body: RegisterBody,
        response: errorResponses(401, 403, 422),
      },
    },
    async (request, reply) => {
      const ticket = await hotline.register(
        requireActor(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(ticket);
    },
  );

  app.post(
    '/api/hotline/similar',
    {
      config: { access: OPERATOR },
      schema: {
        tags: ['hotline'],
        summary: 'Earlier tickets on the same matter: duplicates and repeats (重复件识别)',
        body: Type.Object(
          {
            requesterMobile: Type.Optional(Type.String({ maxLength: 20 })),
            categoryCode: Type.Optional(CategoryCode),
            regionCode: Type.Optional(RegionCode),
            address: Type.Optional(Type.String({ maxLength: 200 })),
            lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
            lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
            content: Type.String({ minLength: 1, maxLength: 4000 }),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => ({ similar: await hotline.similar(requireActor(request), request.body) }),
  );

  app.post(
    '/api/hotline/my-tickets',
    {
      config: { access: REQUESTERS },
      schema: {
        tags: ['hotline'],
        summary: 'File a request online as a citizen or enterprise (网上诉求)',
        body: OwnBody,
        response: errorResponses(401, 403, 422),
      },
    },
    async (request, reply) => {
      const ticket = await hotline.submitOwn(
        requireActor(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(ticket);
    },
  );

  app.get(
    '/api/hotline/my-tickets',
    {
      config: { access: REQUESTERS },
      schema: {
        tags: ['hotline'],
        summary: 'My requests (我的诉求)',
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => hotline.list(requireActor(request), request.query),
  );

  app.get(
    '/api/hotline/track/:code',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['hotline'],
        summary: 'Public progress of a ticket by its tracking code (诉求查询); no requester data',
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }) }),
        response: errorResponses(404, 422),
      },
    },
    async (request) => hotline.track(request.params.code),
  );

  // ---------------------------------------------------------------------------------------------
  // Reading

  app.get(
    '/api/hotline/tickets',
    {
      config: { access: access(STAFF_VIEW, 'region') },
      schema: {
        tags: ['hotline'],
        summary: 'Tickets the caller may see: queues, ledger and search (工单台账)',
        description:
          'Operators and supervisors see their region; handling units the tickets dispatched to them ' +
          '(`queue`: to_sign, in_hand, done); administrators everything.',
        querystring: ListQuery,
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return hotline.list(actor, toFilter(request.query));
    },
  );

  app.get(
    '/api/hotline/tickets/export',
    {
      config: { access: ANALYSTS },
      schema: {
        tags: ['hotline'],
        summary: 'The ticket ledger as an Excel workbook, e.g. every enterprise demand (台账导出)',
        querystring: ListQuery,
        response: errorResponses(401, 403, 422),
      },
    },
    async (request, reply) => {
      const file = await analysis.exportTickets(requireActor(request), toFilter(request.query));
      return reply
        .type(XLSX)
        .header('content-disposition', 'attachment; filename="hotline-tickets.xlsx"')
        .send(file);
    },
  );

  app.get(
    '/api/hotline/tickets/:id',
    {
      config: { access: access([...STAFF_VIEW, 'citizen', 'enterprise'], 'region') },
      schema: {
        tags: ['hotline'],
        summary: 'A ticket with its timeline, deadlines and what the caller may do next (`can`)',
        params,
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return withAddressFor(actor, await hotline.get(actor, request.params.id));
    },
  );

  app.patch(
    '/api/hotline/tickets/:id',
    {
      config: { access: OPERATOR },
      schema: {
        tags: ['hotline'],
        summary: 'Correct the registration before dispatch (修改登记信息)',
        params,
        body: UpdateBody,
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request) =>
      hotline.update(requireActor(request), request.params.id, request.body, requestMeta(request)),
  );

  // ---------------------------------------------------------------------------------------------
  // The closed loop

  action(
    'answer',
    OPERATOR,
    'Answer directly and close (直接答复办结)',
    Type.Object(
      { answer: Note(5, 4000), satisfaction: Type.Optional(literals(SATISFACTIONS)) },
      { additionalProperties: false },
    ),
    (actor, id, body, meta) => hotline.answer(actor, id, body as never, meta),
  );
  action(
    'dispatch',
    OPERATOR,
    'Dispatch to a lead unit and any assisting units (派单)',
    Type.Object(
      {
        department: DepartmentCode,
        assist: Type.Optional(Type.Array(DepartmentCode, { maxItems: 5 })),
        note: Type.Optional(Type.String({ maxLength: 1000 })),
      },
      { additionalProperties: false },
    ),
    (actor, id, body, meta) => hotline.dispatch(actor, id, body as never, meta),
  );
  action(
    'merge',
    OPERATOR,
    'Close as a duplicate of an earlier ticket (合并重复工单)',
    Type.Object(
      {
        into: Type.String({ pattern: '^GD[0-9]{14}$' }),
        note: Type.Optional(Type.String({ maxLength: 1000 })),
      },
      { additionalProperties: false },
    ),
    (actor, id, body, meta) => hotline.merge(actor, id, body as never, meta),
  );
  action('sign', HANDLER, 'Sign for the ticket (签收)', null, (actor, id, _body, meta) =>
    hotline.sign(actor, id, meta),
  );
  action(
    'return',
    HANDLER,
    'Return a wrong dispatch within the return window (退单)',
    Type.Object({ reason: Note(5, 1000) }, { additionalProperties: false }),
    (actor, id, body, meta) => hotline.returnTicket(actor, id, body as never, meta),
  );
  action(
    'contact',
    HANDLER,
    'Record contacting the requester (联系诉求人)',
    Type.Object({ note: Note(2, 1000) }, { additionalProperties: false }),
    (actor, id, body, meta) => hotline.contact(actor, id, body as never, meta),
  );
  action(
    'opinion',
    HANDLER,
    "An assisting unit's opinion for the lead unit (协办意见)",
    Type.Object({ opinion: Note(5, 4000) }, { additionalProperties: false }),
    (actor, id, body, meta) => hotline.opinion(actor, id, body as never, meta),
  );
  action(
    'reply',
    HANDLER,
    'Reply with the result (办结答复)',
    Type.Object({ reply: Note(10, 4000) }, { additionalProperties: false }),
    (actor, id, body, meta) => hotline.reply(actor, id, body as never, meta),
  );
  action(
    'extension',
    HANDLER,
    'Ask for an extension in working days (申请延期)',
    Type.Object(
      { workingDays: Type.Integer({ minimum: 1, maximum: 60 }), reason: Note(5, 1000) },
      { additionalProperties: false },
    ),
    (actor, id, body, meta) => hotline.requestExtension(actor, id, body as never, meta),
  );
  action(
    'extension/decision',
    access(['operator', 'supervisor'], 'region'),
    'Approve or refuse the pending extension (审批延期)',
    Type.Object(
      { approve: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 1000 })) },
      { additionalProperties: false },
    ),
    (actor, id, body, meta) => hotline.decideExtension(actor, id, body as never, meta),
  );
  action(
    'review',
    OPERATOR,
    "Review the unit's reply: accept or send back (审核)",
    Type.Object(
      { accept: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 1000 })) },
      { additionalProperties: false },
    ),
    (actor, id, body, meta) => hotline.review(actor, id, body as never, meta),
  );
  action(
    'callback',
    OPERATOR,
    'Record the callback and the requester’s satisfaction (回访)',
    Type.Object(
      {
        reached: Type.Boolean(),
        satisfaction: Type.Optional(literals(SATISFACTIONS)),
        resolved: Type.Optional(Type.Boolean()),
        note: Type.Optional(Type.String({ maxLength: 1000 })),
      },
      { additionalProperties: false },
    ),
    (actor, id, body, meta) => hotline.callback(actor, id, body as never, meta),
  );
  action(
    'close',
    OPERATOR,
    'Close after an unsatisfied callback with an explanation, or when unreachable (结案)',
    Type.Object(
      { reason: literals(['unreachable', 'unreasonable']), note: Note(5, 1000) },
      { additionalProperties: false },
    ),
    (actor, id, body, meta) => hotline.close(actor, id, body as never, meta),
  );
  action(
    'reopen',
    OPERATOR,
    'Reopen after an unsatisfied callback: a new round (重办)',
    Type.Object(
      {
        note: Note(5, 1000),
        department: Type.Optional(DepartmentCode),
        assist: Type.Optional(Type.Array(DepartmentCode, { maxItems: 5 })),
      },
      { additionalProperties: false },
    ),
    (actor, id, body, meta) => hotline.reopen(actor, id, body as never, meta),
  );
  action(
    'escalate',
    access(['supervisor'], 'region'),
    'Escalate an open ticket (督办)',
    Type.Object({ note: Note(5, 1000) }, { additionalProperties: false }),
    (actor, id, body, meta) => hotline.escalate(actor, id, body as never, meta),
  );

  // Attachments arrive as multipart/form-data; the parser is registered for this route only.
  const settingsMax = settings.attachmentMaxBytes;
  app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: settingsMax, files: 1, fields: 2, parts: 3, fieldSize: 200 },
    });
    const typed = scope.withTypeProvider<TypeBoxTypeProvider>();
    typed.post(
      '/api/hotline/tickets/:id/attachments',
      {
        config: { access: access(['operator', 'handler', 'citizen', 'enterprise'], 'region') },
        schema: {
          tags: ['hotline'],
          summary: 'Attach a photo or document (JPEG, PNG or PDF) as multipart/form-data `file`',
          params,
          consumes: ['multipart/form-data'],
          response: errorResponses(401, 403, 404, 409, 413, 415, 422),
        },
      },
      async (request) => {
        const actor = requireActor(request);
        if (!request.isMultipart()) {
          throw new AppError(415, 'request.media_type', {
            zh: '请以 multipart/form-data 上传文件',
            en: 'upload the file as multipart/form-data',
          });
        }
        let file: { filename: string; content: Buffer } | undefined;
        try {
          for await (const part of request.parts()) {
            if (part.type === 'file')
              file = { filename: part.filename, content: await part.toBuffer() };
          }
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code === 'FST_REQ_FILE_TOO_LARGE') {
            throw new AppError(
              413,
              'request.too_large',
              {
                zh: `文件不得超过 ${settingsMax} 字节`,
                en: `the file may not exceed ${settingsMax} bytes`,
              },
              [
                {
                  path: 'body.file',
                  rule: 'maxSize',
                  message: {
                    zh: `不得超过 ${settingsMax} 字节`,
                    en: `at most ${settingsMax} bytes`,
                  },
                },
              ],
            );
          }
          if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
            throw new AppError(
              422,
              'request.invalid',
              { zh: '一次只能上传一个文件', en: 'one file at a time' },
              [
                {
                  path: 'body.file',
                  rule: 'single',
                  message: { zh: '一次只能上传一个文件', en: 'one file at a time' },
                },
              ],
            );
          }
          throw error;
        }
        if (!file || file.content.length === 0) {
          throw new AppError(
            422,
            'request.invalid',
            { zh: '请选择要上传的文件', en: 'attach a file' },
            [
              {
                path: 'body.file',
                rule: 'required',
                message: { zh: '请选择文件（file）', en: 'attach the file (file)' },
              },
            ],
          );
        }
        const type = await fileTypeFromBuffer(file.content);
        const allowed = ['image/jpeg', 'image/png', 'application/pdf'];
        if (!type || !allowed.includes(type.mime)) {
          throw new AppError(
            422,
            'hotline.file_refused',
            { zh: '仅接受 JPEG、PNG 或 PDF 文件', en: 'only JPEG, PNG or PDF files are accepted' },
            [
              {
                path: 'body.file',
                rule: 'type',
                message: {
                  zh: '仅接受 JPEG、PNG 或 PDF 文件',
                  en: 'only JPEG, PNG or PDF files are accepted',
                },
              },
            ],
          );
        }
        const filename =
          [...file.filename]
            .map((c) => (c < ' ' || c === '/' || c === '\\' ? '_' : c))
            .join('')
            .slice(-100) || `attachment.${type.ext}`;
        return hotline.attach(
          actor,
          request.params.id,
          { filename, contentType: type.mime, content: file.content },
          requestMeta(request),
        );
      },
    );
  });

  app.get(
    '/api/hotline/tickets/:id/attachments/:attachment',
    {
      config: { access: access([...STAFF_VIEW, 'citizen', 'enterprise'], 'region') },
      schema: {
        tags: ['hotline'],
        summary: 'Download an attachment of a ticket the caller may see',
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          attachment: Type.String({ format: 'uuid' }),
        }),
        response: errorResponses(401, 403, 404, 422),
      },
    },
    async (request, reply) => {
      const file = await hotline.attachment(
        requireActor(request),
        request.params.id,
        request.params.attachment,
      );
      return sendAttachment(reply, file);
    },
  );

  // ---------------------------------------------------------------------------------------------
  // Analysis

  app.get(
    '/api/hotline/analysis',
    {
      config: { access: ANALYSTS },
      schema: {
        tags: ['hotline'],
        summary:
          'Weekly analysis: counts, on-time rate, satisfaction by category and region (诉求分析)',
        description:
          'Read from the weekly rollups; `weeks` whole weeks (default 13) ending with the week of `until`.',
        querystring: AnalysisQuery,
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => analysis.analysis(requireActor(request), request.query),
  );

  app.get(
    '/api/hotline/analysis/details',
    {
      config: { access: ANALYSTS },
      schema: {
        tags: ['hotline'],
        summary: 'Repeat complaints and the places asked about most (重复诉求、热点地点)',
        querystring: AnalysisQuery,
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => analysis.details(requireActor(request), request.query),
  );

  app.get(
    '/api/hotline/analysis/export',
    {
      config: { access: ANALYSTS },
      schema: {
        tags: ['hotline'],
        summary: 'The analysis as an Excel workbook (分析导出)',
        querystring: AnalysisQuery,
        response: errorResponses(401, 403, 422),
      },
    },
    async (request, reply) => {
      const file = await analysis.exportAnalysis(requireActor(request), request.query);
      return reply
        .type(XLSX)
        .header('content-disposition', 'attachment; filename="hotline-analysis.xlsx"')
        .send(file);
    },
  );

  app.post(
    '/api/hotline/analysis/rebuild',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['hotline'],
        summary: 'Rebuild the weekly rollups from the tickets (after a bulk import or a repair)',
        response: errorResponses(401, 403),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const meta = requestMeta(request);
      await db.kysely.transaction().execute(async (trx) => {
        await store.rebuildWeeklyStats(trx);
        await appendAudit(trx, {
          actorId: actor.userId,
          actorRole: actor.role,
          action: 'hotline.rollups_rebuilt',
          objectType: 'hotline_weekly_stats',
          objectId: null,
          ip: meta.ip,
          requestId: meta.requestId,
          detail: {},
        });
      });
      return { rebuilt: true };
    },
  );

  // ---------------------------------------------------------------------------------------------
  // Open311 keys

  app.get(
    '/api/hotline/api-keys',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['hotline'],
        summary: 'Open311 API keys (密钥管理)',
        response: errorResponses(401, 403),
      },
    },
    async () => ({ keys: await hotline.apiKeys() }),
  );

  app.post(
    '/api/hotline/api-keys',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['hotline'],
        summary: 'Issue an Open311 API key; the key is shown once',
        body: Type.Object(
          { name: Type.String({ minLength: 2, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await hotline.issueApiKey(requireActor(request), request.body.name, requestMeta(request)),
        ),
  );

  app.delete(
    '/api/hotline/api-keys/:id',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['hotline'],
        summary: 'Revoke an Open311 API key at once',
        params,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      await hotline.revokeApiKey(requireActor(request), request.params.id, requestMeta(request));
      return reply.status(204).send(null);
    },
  );

  open311Routes(app, hotline);
}
