import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requestMeta, requireActor, type App, type AppContext } from '../platform/http/app';
import { AppError } from '../platform/http/errors';
import { TextSchema as PlatformText, errorResponses } from '../platform/http/schemas';
import { invalidRequest } from '../platform/http/validation';
import {
  exportCatalogWorkbook,
  exportCatalogYaml,
  importCatalogWorkbook,
  importCatalogYaml,
  type ImportResult,
} from './io';
import { ItemContentSchema, TimeLimitSchema } from './schema';
import { CatalogService } from './service';

const Code = Type.String({ pattern: '^[0-9A-Z][0-9A-Z-]{5,63}$', description: '实施编码' });
const ADMIN = { roles: ['admin'], scope: 'all' } as const;
const PUBLIC = { roles: 'public', scope: 'none' } as const;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const SummarySchema = Type.Object({
  code: Type.String(),
  name: PlatformText,
  type: Type.String(),
  typeName: PlatformText,
  department: Type.String(),
  departmentName: PlatformText,
  audience: Type.Array(Type.String()),
  themes: Type.Array(Type.String()),
  committedLimit: TimeLimitSchema,
  visits: Type.Integer(),
  onlineDepth: Type.Integer(),
  version: Type.Integer(),
  publishedAt: Type.String(),
  score: Type.Optional(Type.Number()),
});

const DraftReply = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  status: Type.String(),
});

/** The service catalog over HTTP: the public catalog and guides, and administrators' writes. */
export function catalogRoutes(app: App, { db }: AppContext) {
  const catalog = new CatalogService(db.kysely);

  app.get(
    '/api/catalog/items',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['catalog'],
        summary: 'Published service items, filtered or searched (事项目录 / 搜索)',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 200 })),
            department: Type.Optional(Type.String({ maxLength: 64 })),
            type: Type.Optional(Type.String({ maxLength: 4 })),
            audience: Type.Optional(
              Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
            ),
            theme: Type.Optional(Type.String({ maxLength: 50 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(SummarySchema), total: Type.Integer() }),
          ...errorResponses(422),
        },
      },
    },
    async (request) => catalog.list(request.query),
  );

  app.get(
    '/api/catalog/facets',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['catalog'],
        summary: 'Themes, departments and item types with counts, for browsing (分类导航)',
      },
    },
    async () => catalog.facets(),
  );

  app.get(
    '/api/catalog/items/:code',
    {
      config: { access: { roles: 'public', scope: 'none' } },
      schema: {
        tags: ['catalog'],
        summary: 'A service item and its guide content (办事指南): the published version',
        description:
          'With `version`, another version; drafts and superseded versions only for admin.',
        params: Type.Object({ code: Code }),
        querystring: Type.Object(
          { version: Type.Optional(Type.Integer({ minimum: 1 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            item: ItemContentSchema,
            version: Type.Integer(),
            status: Type.String(),
            publishedAt: Type.Union([Type.String(), Type.Null()]),
            publishedBy: Type.Union([Type.String(), Type.Null()]),
            departmentName: Type.Union([PlatformText, Type.Null()]),
            typeName: PlatformText,
          }),
          ...errorResponses(404, 422),
        },
      },
    },
    async (request) => catalog.get(request.params.code, request.query.version, request.actor),
  );

  app.post(
    '/api/catalog/items/:code/applicable',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['catalog'],
        summary: 'Materials, fields and limit that apply to given situation answers (情形引导)',
        params: Type.Object({ code: Code }),
        body: Type.Object(
          {
            answers: Type.Record(
              Type.String({ maxLength: 64 }),
              Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 }),
            ),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(404, 422),
      },
    },
    async (request) => catalog.applicable(request.params.code, request.body.answers),
  );

  app.get(
    '/api/catalog/items/:code/versions',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['catalog'],
        summary: 'Every version of an item with who published what when (版本)',
        params: Type.Object({ code: Code }),
        response: errorResponses(401, 403, 404),
      },
    },
    async (request) => ({ versions: await catalog.versions(request.params.code) }),
  );

  app.get(
    '/api/catalog/drafts',
    {
      config: { access: ADMIN },
      schema: { tags: ['catalog'], summary: 'Open drafts of service items (草稿)' },
    },
    async () => ({ drafts: await catalog.drafts() }),
  );

  app.post(
    '/api/catalog/items',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['catalog'],
        summary: 'Create a service item as a draft (新建事项)',
        body: ItemContentSchema,
        response: { 201: DraftReply, ...errorResponses(401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const created = await catalog.createItem(
        requireActor(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(created);
    },
  );

  app.put(
    '/api/catalog/items/:code/draft',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['catalog'],
        summary: 'Save the draft of an item, opening a new version if needed (修订)',
        params: Type.Object({ code: Code }),
        body: ItemContentSchema,
        response: { 200: DraftReply, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) =>
      catalog.saveDraft(
        requireActor(request),
        request.params.code,
        request.body,
        requestMeta(request),
      ),
  );

  app.delete(
    '/api/catalog/items/:code/draft',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['catalog'],
        summary: 'Discard the draft of an item (放弃草稿)',
        params: Type.Object({ code: Code }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await catalog.discardDraft(requireActor(request), request.params.code, requestMeta(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/catalog/items/:code/publish',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['catalog'],
        summary: 'Publish the draft of an item; the previous version is superseded (发布)',
        params: Type.Object({ code: Code }),
        response: { 200: DraftReply, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      catalog.publish(requireActor(request), request.params.code, requestMeta(request)),
  );

  app.get(
    '/api/catalog/export',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['catalog'],
        summary: 'The published catalog as YAML or an Excel workbook (导出)',
        querystring: Type.Object(
          { format: Type.Union([Type.Literal('yaml'), Type.Literal('xlsx')], { default: 'yaml' }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const items = await catalog.exportItems();
      const stamp = new Date().toISOString().slice(0, 10);
      if (request.query.format === 'xlsx') {
        return reply
          .type(XLSX)
          .header('content-disposition', `attachment; filename="onething-catalog-${stamp}.xlsx"`)
          .send(await exportCatalogWorkbook(items));
      }
      return reply
        .type('application/yaml; charset=utf-8')
        .header('content-disposition', `attachment; filename="onething-catalog-${stamp}.yaml"`)
        .send(exportCatalogYaml(items));
    },
  );

  app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    // Imports arrive as the file itself: YAML text or the bytes of a workbook.
    scope.addContentTypeParser(
      ['application/yaml', 'application/x-yaml', 'text/yaml'],
      { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 },
      (_request, body, done) => done(null, body),
    );
    scope.addContentTypeParser(
      XLSX,
      { parseAs: 'buffer', bodyLimit: 20 * 1024 * 1024 },
      (_r, body, done) => done(null, body),
    );
    scope.post(
      '/api/catalog/import',
      {
        config: { access: ADMIN },
        schema: {
          tags: ['catalog'],
          summary: 'Import a whole catalog from YAML or an Excel workbook (导入); all or nothing',
          description:
            'Send the file as the body with content-type application/yaml or ' +
            `${XLSX}. Every problem is reported with its sheet, row and column (or YAML location); ` +
            'nothing is written if there is any.',
          querystring: Type.Object(
            { publish: Type.Optional(Type.Boolean({ default: false })) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const body = request.body;
        let result: ImportResult;
        if (typeof body === 'string') result = importCatalogYaml(body);
        else if (Buffer.isBuffer(body)) result = await importCatalogWorkbook(body);
        else {
          throw new AppError(415, 'request.media_type', {
            zh: '请以 YAML 或 Excel 文件导入',
            en: 'import a YAML file or an Excel workbook',
          });
        }
        if (result.problems.length) {
          throw invalidRequest(
            result.problems.map((p) => ({
              path: p.location ? `${p.location}${p.path ? ` ${p.path}` : ''}` : p.path,
              rule: p.rule,
              message: p.message,
            })),
          );
        }
        return catalog.importItems(
          requireActor(request),
          result.items,
          { publish: request.query.publish ?? false },
          requestMeta(request),
        );
      },
    );
  });
}
