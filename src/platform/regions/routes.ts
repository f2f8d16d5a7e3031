import { Type } from 'typebox';
import { requestMeta, requireActor, type App, type AppContext } from '../http/app';
import { errorResponses } from '../http/schemas';
import { createDepartment, createRegion, renameDepartment } from './service';
import { listDepartments, listRegions } from './store';

const RegionSchema = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  level: Type.String(),
  standard: Type.Boolean({ description: 'false for functional zones outside GB/T 2260' }),
});

const DepartmentSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  uscc: Type.Union([Type.String(), Type.Null()], {
    description: '统一社会信用代码; null until entered (a department seeded without demo data)',
  }),
  regionCode: Type.String(),
});

const Name = Type.String({ minLength: 1, maxLength: 100 });

/** The public directory of regions and departments, and its maintenance by administrators. */
export function regionRoutes(app: App, { db }: AppContext) {
  app.get(
    '/api/regions',
    {
      config: { access: { roles: 'public', scope: 'none' } },
      schema: {
        tags: ['platform'],
        summary: 'Regions: GB/T 2260 divisions and functional zones (区划)',
        response: { 200: Type.Object({ regions: Type.Array(RegionSchema) }) },
      },
    },
    async () => ({ regions: await listRegions(db.kysely) }),
  );

  app.post(
    '/api/regions',
    {
      config: { access: { roles: ['admin'], scope: 'all' } },
      schema: {
        tags: ['platform'],
        summary: 'Add a region or functional zone (新增区划/功能区)',
        body: Type.Object(
          {
            code: Type.String({ pattern: '^[0-9A-Z][0-9A-Z-]{1,15}$' }),
            nameZh: Name,
            nameEn: Name,
            parentCode: Type.String({ minLength: 2, maxLength: 16 }),
            zone: Type.Boolean(),
          },
          { additionalProperties: false },
        ),
        response: { 201: RegionSchema, ...errorResponses(401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const region = await createRegion(
        db.kysely,
        requireActor(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(region);
    },
  );

  app.get(
    '/api/departments',
    {
      config: { access: { roles: 'public', scope: 'none' } },
      schema: {
        tags: ['platform'],
        summary: 'Departments, optionally of one region (部门)',
        querystring: Type.Object(
          { regionCode: Type.Optional(Type.String({ maxLength: 16 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ departments: Type.Array(DepartmentSchema) }) },
      },
    },
    async (request) => ({
      departments: await listDepartments(db.kysely, request.query.regionCode),
    }),
  );

  app.post(
    '/api/departments',
    {
      config: { access: { roles: ['admin'], scope: 'all' } },
      schema: {
        tags: ['platform'],
        summary: 'Add a department (新增部门)',
        body: Type.Object(
          {
            code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }),
            nameZh: Name,
            nameEn: Name,
            uscc: Type.String({ minLength: 1, maxLength: 32 }),
            regionCode: Type.String({ minLength: 2, maxLength: 16 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: DepartmentSchema, ...errorResponses(401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const department = await createDepartment(
        db.kysely,
        requireActor(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(department);
    },
  );

  app.patch(
    '/api/departments/:code',
    {
      config: { access: { roles: ['admin'], scope: 'all' } },
      schema: {
        tags: ['platform'],
        summary: 'Rename a department (部门更名) or enter its credit code (补录统一社会信用代码)',
        params: Type.Object({ code: Type.String({ maxLength: 63 }) }),
        body: Type.Object(
          {
            nameZh: Type.Optional(Name),
            nameEn: Type.Optional(Name),
            uscc: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: DepartmentSchema, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      renameDepartment(
        db.kysely,
        requireActor(request),
        request.params.code,
        request.body,
        requestMeta(request),
      ),
  );
}
