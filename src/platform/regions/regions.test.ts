import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/server';
import { checkUscc, organisationCodeCheckChar, usccCheckChar } from '../ids';

/** A valid department USCC (机关, 11) in a region, built from an eight-character organisation body. */
function departmentUscc(region: string, orgBody: string): string {
  const first17 = `11${region}${orgBody}${organisationCodeCheckChar(orgBody)}`;
  return first17 + usccCheckChar(first17);
}

/** The same code with a wrong check character. */
function withWrongCheck(uscc: string): string {
  const wrong = uscc.endsWith('0') ? '1' : '0';
  return uscc.slice(0, 17) + wrong;
}

describe('the regions and departments directory', () => {
  let server: TestServer;
  let admin: string;
  let clerk: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.signIn('admin');
    clerk = await server.signIn('clerk');
  });
  afterAll(() => server?.close());

  const newDepartment = (overrides: Record<string, unknown> = {}) => ({
    code: 'lyj',
    nameZh: '威海市林业局',
    nameEn: 'Weihai Forestry Bureau',
    uscc: departmentUscc('371000', '00000777'),
    regionCode: '371000',
    ...overrides,
  });
  const postDepartment = (body: unknown, cookie?: string, lang?: string) =>
    server.api('/api/departments', { method: 'POST', body, cookie, lang });
  const postRegion = (body: unknown, cookie?: string) =>
    server.api('/api/regions', { method: 'POST', body, cookie });

  describe('GET /api/regions', () => {
    it('should list Weihai 371000 with its four districts and county-level cities', async () => {
      const reply = await server.api('/api/regions');
      expect(reply.status).toBe(200);
      const regions = reply.body.regions as any[];
      expect(regions).toContainEqual({
        code: '371000',
        nameZh: '威海市',
        nameEn: 'Weihai',
        parentCode: '370000',
        level: 'city',
        standard: true,
      });
      const counties = regions
        .filter((r) => r.parentCode === '371000' && r.standard)
        .map((r) => [r.code, r.nameZh]);
      expect(counties).toEqual([
        ['371002', '环翠区'],
        ['371003', '文登区'],
        ['371082', '荣成市'],
        ['371083', '乳山市'],
      ]);
    });

    it('should list the functional zones 371071, 371072 and 371073 as not standard', async () => {
      const reply = await server.api('/api/regions');
      const zones = (reply.body.regions as any[]).filter((r) => r.parentCode === '371000');
      for (const code of ['371071', '371072', '371073']) {
        expect(zones).toContainEqual(
          expect.objectContaining({ code, level: 'zone', standard: false }),
        );
      }
    });

    it('should list the 综保区 371072-ZB under 371072', async () => {
      const reply = await server.api('/api/regions');
      expect(reply.body.regions).toContainEqual(
        expect.objectContaining({
          code: '371072-ZB',
          nameZh: '威海综合保税区（综保区）',
          parentCode: '371072',
          level: 'zone',
          standard: false,
        }),
      );
    });

    it('should list parents before their children', async () => {
      const reply = await server.api('/api/regions');
      const seen = new Set<string>();
      for (const region of reply.body.regions as any[]) {
        if (region.parentCode) expect(seen, region.code).toContain(region.parentCode);
        seen.add(region.code);
      }
    });
  });

  describe('GET /api/departments', () => {
    it('should list the seeded departments', async () => {
      const reply = await server.api('/api/departments');
      expect(reply.status).toBe(200);
      const names = (reply.body.departments as any[]).map((d) => d.nameZh as string);
      for (const name of [
        '行政审批服务局',
        '市场监督管理局',
        '税务局',
        '公安局',
        '人力资源和社会保障局',
        '医疗保障局',
        '住房公积金管理中心',
        '人民银行',
      ]) {
        expect(
          names.some((n) => n.includes(name)),
          name,
        ).toBe(true);
      }
    });

    it('should give every department a USCC that passes the GB 32100 check', async () => {
      const reply = await server.api('/api/departments');
      const departments = reply.body.departments as any[];
      expect(departments.length).toBeGreaterThanOrEqual(20);
      for (const department of departments) {
        expect(checkUscc(department.uscc), `${department.code} ${department.uscc}`).toMatchObject({
          valid: true,
          warnings: [],
        });
      }
      expect(new Set(departments.map((d) => d.uscc)).size).toBe(departments.length);
    });

    it('should list only the departments of 371072 when asked', async () => {
      const reply = await server.api('/api/departments?regionCode=371072');
      expect(reply.status).toBe(200);
      const departments = reply.body.departments as any[];
      expect(departments.map((d) => d.code).sort()).toEqual(['etdz-kjcx', 'etdz-xzsp']);
      expect(departments.every((d) => d.regionCode === '371072')).toBe(true);
    });

    it('should list none for a region without departments', async () => {
      const reply = await server.api('/api/departments?regionCode=371083');
      expect(reply.body).toEqual({ departments: [] });
    });

    it('should fail with 422 for an unknown query parameter', async () => {
      const reply = await server.api('/api/departments?region=371072');
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'querystring.region', rule: 'additionalProperties' }),
      ]);
    });
  });

  describe('POST /api/departments', () => {
    it('should fail with 401 when anonymous', async () => {
      const reply = await postDepartment(newDepartment());
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe('auth.required');
    });

    it('should fail with 403 for a window clerk', async () => {
      const reply = await postDepartment(newDepartment(), clerk);
      expect(reply.status).toBe(403);
      expect(reply.body.error.code).toBe('auth.forbidden');
    });

    it('should fail with 422 naming body.uscc with rule checksum for a wrong check character', async () => {
      const body = newDepartment({ uscc: withWrongCheck(departmentUscc('371000', '00000777')) });
      const reply = await postDepartment(body, admin, 'en');
      expect(reply.status).toBe(422);
      expect(reply.body.error).toMatchObject({
        code: 'request.invalid',
        details: [
          {
            path: 'body.uscc',
            rule: 'checksum',
            message: expect.stringContaining('check character'),
          },
        ],
      });
    });

    it.each([
      ['too short', '1137100000', 'length'],
      ['with a letter where the division code goes', '11371A0000000777XX', 'format'],
    ])('should fail with 422 naming body.uscc for a USCC %s', async (_l, uscc, rule) => {
      const reply = await postDepartment(newDepartment({ uscc }), admin);
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'body.uscc', rule }),
      ]);
    });

    it('should fail with 422 naming body.regionCode for an unknown region', async () => {
      const reply = await postDepartment(newDepartment({ regionCode: '379999' }), admin);
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'body.regionCode', rule: 'exists' }),
      ]);
    });

    it.each([
      ['a code with capitals', { code: 'LYJ' }, 'body.code', 'pattern'],
      ['a missing name', { nameEn: undefined }, 'body.nameEn', 'required'],
      ['an unknown field', { phone: '0631-5221234' }, 'body.phone', 'additionalProperties'],
    ])('should fail with 422 for %s', async (_l, overrides, path, rule) => {
      const reply = await postDepartment(newDepartment(overrides), admin);
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toContainEqual(expect.objectContaining({ path, rule }));
    });

    it('should create a department with a valid USCC for an administrator', async () => {
      const body = newDepartment();
      const reply = await postDepartment(body, admin);
      expect(reply.status).toBe(201);
      expect(reply.body).toEqual({ id: expect.any(String), ...body });

      const listed = await server.api('/api/departments?regionCode=371000');
      expect(listed.body.departments).toContainEqual(reply.body);
    });

    it('should store a USCC typed in groups in its canonical form', async () => {
      const uscc = departmentUscc('371002', '00000888');
      const grouped = `${uscc.slice(0, 2)} ${uscc.slice(2, 8)} ${uscc.slice(8).toLowerCase()}`;
      const reply = await postDepartment(
        newDepartment({ code: 'huancui-lyj', uscc: grouped, regionCode: '371002' }),
        admin,
      );
      expect(reply.status).toBe(201);
      expect(reply.body.uscc).toBe(uscc);
    });

    it('should write the creation to the audit log', async () => {
      const created = await server.db.kysely
        .selectFrom('departments')
        .select('id')
        .where('code', '=', 'lyj')
        .executeTakeFirstOrThrow();
      const entry = await server.db.kysely
        .selectFrom('auditLog')
        .selectAll()
        .where('action', '=', 'department.created')
        .where('objectId', '=', created.id)
        .executeTakeFirst();
      expect(entry).toMatchObject({
        actorRole: 'admin',
        objectType: 'department',
        detail: { code: 'lyj', uscc: newDepartment().uscc, regionCode: '371000' },
      });
    });

    it('should fail with 409 for a department code that already exists', async () => {
      const reply = await postDepartment(
        newDepartment({ code: 'xzsp', uscc: departmentUscc('371000', '00000999') }),
        admin,
      );
      expect(reply.status).toBe(409);
      expect(reply.body.error.code).toBe('conflict.duplicate');
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'body.code', rule: 'unique' }),
      ]);
    });

    it('should fail with 409 naming body.uscc for a USCC that another department already has', async () => {
      const reply = await postDepartment(newDepartment({ code: 'lyj-2' }), admin);
      expect(reply.status).toBe(409);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'body.uscc', rule: 'unique' }),
      ]);
    });
  });

  describe('PATCH /api/departments/{code}', () => {
    const patchDepartment = (code: string, body: unknown, cookie?: string) =>
      server.api(`/api/departments/${code}`, { method: 'PATCH', body, cookie });

    it('should fail with 401 when anonymous', async () => {
      const reply = await patchDepartment('lyj', { nameZh: '威海市林业和草原局' });
      expect(reply.status).toBe(401);
    });

    it('should fail with 403 for a window clerk', async () => {
      const reply = await patchDepartment('lyj', { nameZh: '威海市林业和草原局' }, clerk);
      expect(reply.status).toBe(403);
    });

    it('should fail with 404 for an unknown department', async () => {
      const reply = await patchDepartment('no-such', { nameZh: '某局' }, admin);
      expect(reply.status).toBe(404);
    });

    it.each([
      ['an empty body', {}, 'body', 'minProperties'],
      ['an empty name', { nameZh: '' }, 'body.nameZh', 'minLength'],
      ['a code change', { code: 'lcj' }, 'body.code', 'additionalProperties'],
    ])('should fail with 422 for %s', async (_l, body, path, rule) => {
      const reply = await patchDepartment('lyj', body, admin);
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toContainEqual(expect.objectContaining({ path, rule }));
    });

    it('should rename a department, keep its code and credit code, and audit the names', async () => {
      const reply = await patchDepartment('lyj', { nameZh: '威海市林业和草原局' }, admin);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        code: 'lyj',
        nameZh: '威海市林业和草原局',
        nameEn: 'Weihai Forestry Bureau',
        uscc: newDepartment().uscc,
        regionCode: '371000',
      });
      const audit = await server.db.kysely
        .selectFrom('auditLog')
        .select(['actorRole', 'detail'])
        .where('action', '=', 'department.renamed')
        .where('objectId', '=', reply.body.id)
        .executeTakeFirst();
      expect(audit).toEqual({
        actorRole: 'admin',
        detail: {
          code: 'lyj',
          from: { zh: '威海市林业局', en: 'Weihai Forestry Bureau' },
          to: { zh: '威海市林业和草原局', en: 'Weihai Forestry Bureau' },
        },
      });
    });

    // A deployment without demo data seeds the departments with codes and names only.
    it('should enter the credit code of a department seeded without one, and audit it', async () => {
      await server.db.kysely
        .insertInto('departments')
        .values({
          code: 'hyj',
          nameZh: '威海市海洋发展局',
          nameEn: 'Weihai Ocean Bureau',
          uscc: null,
          regionCode: '371000',
        })
        .execute();
      const listed = await server.api('/api/departments');
      expect(listed.body.departments).toContainEqual(
        expect.objectContaining({ code: 'hyj', uscc: null }),
      );
      const uscc = departmentUscc('371000', '00000555');
      const reply = await patchDepartment('hyj', { uscc: uscc.toLowerCase() }, admin);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body).toMatchObject({ code: 'hyj', nameZh: '威海市海洋发展局', uscc });
      const audit = await server.db.kysely
        .selectFrom('auditLog')
        .select(['actorRole', 'detail'])
        .where('action', '=', 'department.changed')
        .where('objectId', '=', reply.body.id)
        .executeTakeFirst();
      expect(audit?.detail).toMatchObject({ code: 'hyj', uscc: { from: null, to: uscc } });
    });

    it('should fail with 409 naming body.uscc for a credit code another department has', async () => {
      const reply = await patchDepartment('hyj', { uscc: newDepartment().uscc }, admin);
      expect(reply.status).toBe(409);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'body.uscc', rule: 'unique' }),
      ]);
    });

    it('should fail with 422 naming body.uscc for a wrong check character', async () => {
      const reply = await patchDepartment(
        'hyj',
        { uscc: withWrongCheck(departmentUscc('371000', '00000556')) },
        admin,
      );
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'body.uscc', rule: 'checksum' }),
      ]);
    });
  });

  describe('POST /api/regions', () => {
    const zone = {
      code: '371000-HZ',
      nameZh: '威海南海新区',
      nameEn: 'Weihai Nanhai New Area',
      parentCode: '371000',
      zone: true,
    };

    it('should fail with 401 when anonymous', async () => {
      const reply = await postRegion(zone);
      expect(reply.status).toBe(401);
    });

    it('should fail with 403 for a window clerk', async () => {
      const reply = await postRegion(zone, clerk);
      expect(reply.status).toBe(403);
    });

    it('should create a functional zone under 371000 as not standard', async () => {
      const reply = await postRegion(zone, admin);
      expect(reply.status).toBe(201);
      expect(reply.body).toEqual({
        code: '371000-HZ',
        nameZh: '威海南海新区',
        nameEn: 'Weihai Nanhai New Area',
        parentCode: '371000',
        level: 'zone',
        standard: false,
      });
      const listed = await server.api('/api/regions');
      expect(listed.body.regions).toContainEqual(reply.body);
      const audit = await server.db.kysely
        .selectFrom('auditLog')
        .select(['actorRole', 'detail'])
        .where('action', '=', 'region.created')
        .where('objectId', '=', '371000-HZ')
        .executeTakeFirst();
      expect(audit).toEqual({
        actorRole: 'admin',
        detail: { parentCode: '371000', level: 'zone', standard: false },
      });
    });

    it('should create a GB/T 2260 city under its province as standard', async () => {
      const reply = await postRegion(
        { code: '370100', nameZh: '济南市', nameEn: 'Jinan', parentCode: '370000', zone: false },
        admin,
      );
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ code: '370100', level: 'city', standard: true });
    });

    it('should fail with 422 naming body.parentCode when a standard division is put under the wrong parent', async () => {
      const reply = await postRegion(
        { code: '370200', nameZh: '青岛市', nameEn: 'Qingdao', parentCode: '371002', zone: false },
        admin,
      );
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'body.parentCode', rule: 'gbt2260_parent' }),
      ]);
    });

    it('should fail with 422 naming body.nameZh when a standard division gets another name', async () => {
      const reply = await postRegion(
        { code: '370200', nameZh: '胶澳', nameEn: 'Qingdao', parentCode: '370000', zone: false },
        admin,
      );
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'body.nameZh', rule: 'gbt2260_name' }),
      ]);
    });

    it('should fail with 422 naming body.code for a standard code that is not in GB/T 2260', async () => {
      const reply = await postRegion(
        { code: '379999', nameZh: '虚构区', nameEn: 'Nowhere', parentCode: '371000', zone: false },
        admin,
      );
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'body.code', rule: 'gbt2260' }),
      ]);
    });

    it('should fail with 422 naming body.code for a GB/T 2260 code passed off as a zone', async () => {
      const reply = await postRegion(
        { code: '370200', nameZh: '青岛市', nameEn: 'Qingdao', parentCode: '370000', zone: true },
        admin,
      );
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'body.code', rule: 'not_gbt2260' }),
      ]);
    });

    it('should fail with 422 naming body.parentCode for an unknown parent', async () => {
      const reply = await postRegion({ ...zone, code: '379900-XQ', parentCode: '379900' }, admin);
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'body.parentCode', rule: 'exists' }),
      ]);
    });

    it.each([
      ['a lowercase code', { code: '371000-hz' }, 'body.code', 'pattern'],
      ['a missing zone flag', { zone: undefined }, 'body.zone', 'required'],
      ['a zone flag sent as text', { zone: 'true' }, 'body.zone', 'type'],
    ])('should fail with 422 for %s', async (_l, overrides, path, rule) => {
      const reply = await postRegion({ ...zone, code: '371000-XY', ...overrides }, admin);
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toContainEqual(expect.objectContaining({ path, rule }));
    });

    it.each([
      ['the zone just created', zone],
      [
        'a seeded district',
        { code: '371002', nameZh: '环翠区', nameEn: 'Huancui', parentCode: '371000', zone: false },
      ],
      [
        'a seeded functional zone',
        {
          code: '371071',
          nameZh: '高区',
          nameEn: 'Hi-Tech Zone',
          parentCode: '371000',
          zone: true,
        },
      ],
    ])('should fail with 409 naming body.code for %s', async (_l, body) => {
      const reply = await postRegion(body, admin);
      expect(reply.status).toBe(409);
      expect(reply.body.error.code).toBe('conflict.duplicate');
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'body.code', rule: 'unique' }),
      ]);
    });
  });
});
