import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CatalogService } from '../catalog';
import { CalendarService } from '../platform/calendar/service';
import { requestMeta, requireActor, type App, type AppContext } from '../platform/http/app';
import { errorResponses } from '../platform/http/schemas';
import { BundleContentSchema } from './schema';
import { BundleService } from './service';

const Code = Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$', description: '一件事编码' });
const ADMIN = { roles: ['admin'], scope: 'all' } as const;
const PUBLIC = { roles: 'public', scope: 'none' } as const;
const Answers = Type.Record(
  Type.String({ maxLength: 64 }),
  Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 }),
);
const ContentBody = Type.Object({ content: BundleContentSchema }, { additionalProperties: false });
const DraftReply = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  status: Type.String(),
  problems: Type.Array(Type.Unknown()),
});

/** The bundles' HTTP routes: published bundles and their guide for everyone; drafts for admins. */
export function bundleRoutes(appIn: App, { db, config }: AppContext) {
  const app = appIn.withTypeProvider<TypeBoxTypeProvider>();
  const bundles = new BundleService(
    db.kysely,
    new CatalogService(db.kysely),
    new CalendarService(db.kysely, config.businessHours),
  );

  app.get(
    '/api/bundles',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['bundles'],
        summary: 'Published bundles (一件事), filtered by words, cluster and audience',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 100 })),
            cluster: Type.Optional(Type.String({ maxLength: 20 })),
            audience: Type.Optional(
              Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
            ),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(422),
      },
    },
    async (request) => bundles.list(request.query),
  );

  app.get(
    '/api/bundles/drafts',
    {
      config: { access: ADMIN },
      schema: { tags: ['bundles'], summary: 'Open drafts of bundles with their error counts' },
    },
    async () => ({ drafts: await bundles.drafts() }),
  );

  app.post(
    '/api/bundles/check',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['bundles'],
        summary: 'Run the static checks on a definition without saving it',
        body: Type.Object({ content: Type.Unknown() }, { additionalProperties: false }),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => ({ problems: await bundles.check(request.body.content) }),
  );

  app.post(
    '/api/bundles',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['bundles'],
        summary: 'Create a bundle as a draft; the static checks run and are returned',
        body: ContentBody,
        response: { 201: DraftReply, ...errorResponses(401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const created = await bundles.create(
        requireActor(request),
        request.body.content,
        requestMeta(request),
      );
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/bundles/:code',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['bundles'],
        summary: 'A bundle with its members: the published version',
        description:
          'With `version`, another version; drafts and superseded versions only for admin.',
        params: Type.Object({ code: Code }),
        querystring: Type.Object(
          { version: Type.Optional(Type.Integer({ minimum: 1 })) },
          { additionalProperties: false },
        ),
        response: errorResponses(404, 422),
      },
    },
    async (request) => bundles.get(request.params.code, request.query.version, request.actor),
  );

  app.post(
    '/api/bundles/:code/guide',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['bundles'],
        summary:
          'What applies for these answers: items, materials, fields, fees, completion, with why',
        description: 'With `version`, another version: drafts only for admin (preview).',
        params: Type.Object({ code: Code }),
        querystring: Type.Object(
          { version: Type.Optional(Type.Integer({ minimum: 1 })) },
          { additionalProperties: false },
        ),
        body: Type.Object({ answers: Answers }, { additionalProperties: false }),
        response: errorResponses(404, 422),
      },
    },
    async (request) =>
      bundles.guide(request.params.code, request.body.answers, {
        version: request.query.version,
        actor: request.actor,
      }),
  );

  app.get(
    '/api/bundles/:code/versions',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['bundles'],
        summary: 'Every version of a bundle with who wrote and published it',
        params: Type.Object({ code: Code }),
        response: errorResponses(401, 403, 404),
      },
    },
    async (request) => ({ versions: await bundles.versions(request.params.code) }),
  );

  app.put(
    '/api/bundles/:code/draft',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['bundles'],
        summary: 'Save the draft of a bundle, opening a new version if needed; returns the checks',
        params: Type.Object({ code: Code }),
        body: ContentBody,
        response: { 200: DraftReply, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) =>
      bundles.saveDraft(
        requireActor(request),
        request.params.code,
        request.body.content,
        requestMeta(request),
      ),
  );

  app.delete(
    '/api/bundles/:code/draft',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['bundles'],
        summary: 'Discard the open draft of a bundle',
        params: Type.Object({ code: Code }),
        response: errorResponses(401, 403, 404),
      },
    },
    async (request, reply) => {
      await bundles.discardDraft(requireActor(request), request.params.code, requestMeta(request));
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/bundles/:code/publish',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['bundles'],
        summary: 'Publish the draft; refused while the static checks find errors',
        params: Type.Object({ code: Code }),
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request) =>
      bundles.publish(requireActor(request), request.params.code, requestMeta(request)),
  );
}
