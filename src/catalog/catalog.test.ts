import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureItem } from '../../test/support/catalog';
import { startTestServer, type TestServer } from '../../test/support/server';

describe('the service catalog over HTTP', () => {
  let server: TestServer;
  let admin: string;
  let clerk: string;

  beforeAll(async () => {
    server = await startTestServer({ seed: 'all' });
    admin = await server.signIn('admin');
    clerk = await server.signIn('clerk');
  });
  afterAll(() => server?.close());

  const post = (path: string, body: unknown, cookie = admin) =>
    server.api(path, { method: 'POST', body, cookie });
  const put = (path: string, body: unknown, cookie = admin) =>
    server.api(path, { method: 'PUT', body, cookie });

  describe('the published catalog', () => {
    it('lists the seeded items for anyone, with department and type names', async () => {
      const reply = await server.api('/api/catalog/items?limit=200');
      expect(reply.status).toBe(200);
      expect(reply.body.total).toBeGreaterThanOrEqual(40);
      const first = reply.body.items[0];
      expect(first).toMatchObject({
        code: expect.any(String),
        name: { zh: expect.any(String), en: expect.any(String) },
        typeName: { zh: expect.any(String) },
        departmentName: { zh: expect.stringMatching(/威海|国家税务总局|中国人民银行/) },
      });
    });

    it('filters by department, type, audience and theme', async () => {
      const all = (await server.api('/api/catalog/items?limit=200')).body.items as any[];
      const sample = all[0];
      for (const [param, value, check] of [
        ['department', sample.department, (i: any) => i.department === sample.department],
        ['type', sample.type, (i: any) => i.type === sample.type],
        ['audience', 'enterprise', (i: any) => i.audience.includes('enterprise')],
        ['theme', sample.themes[0], (i: any) => i.themes.includes(sample.themes[0])],
      ] as const) {
        const reply = await server.api(
          `/api/catalog/items?limit=200&${param}=${encodeURIComponent(value)}`,
        );
        expect(reply.body.items.length, param).toBeGreaterThan(0);
        expect(reply.body.items.every(check), param).toBe(true);
        expect(reply.body.items.length).toBe(all.filter(check).length);
      }
    });

    it('finds company registration when a citizen types 开公司', async () => {
      const reply = await server.api(`/api/catalog/items?q=${encodeURIComponent('开公司')}`);
      expect(reply.status).toBe(200);
      const names = (reply.body.items as any[]).slice(0, 3).map((i) => i.name.zh);
      expect(names.join()).toMatch(/设立|开办|登记/);
    });

    it('counts themes, departments and types', async () => {
      const reply = await server.api('/api/catalog/facets');
      expect(reply.status).toBe(200);
      expect(reply.body.themes.map((t: any) => t.name)).toContain('企业开办');
      for (const theme of reply.body.themes) {
        const { person = 0, enterprise = 0 } = theme.byAudience;
        expect(person + enterprise, theme.name).toBeGreaterThanOrEqual(theme.count);
        expect(Math.max(person, enterprise), theme.name).toBeLessThanOrEqual(theme.count);
      }
      expect(reply.body.types[0]).toMatchObject({
        code: expect.any(String),
        count: expect.any(Number),
      });
    });

    it('answers 404 for an unknown item and 422 for a malformed code', async () => {
      expect((await server.api('/api/catalog/items/NO-SUCH-ITEM')).status).toBe(404);
      const bad = await server.api('/api/catalog/items/lower-case');
      expect(bad.status).toBe(422);
      expect(bad.body.error.details[0].path).toBe('params.code');
    });
  });

  describe('writing, publishing and revising an item', () => {
    const code = 'TEST-CAT-0001';

    it('refuses writes to anyone but an administrator', async () => {
      expect(
        (await server.api('/api/catalog/items', { method: 'POST', body: fixtureItem(code) }))
          .status,
      ).toBe(401);
      expect((await post('/api/catalog/items', fixtureItem(code), clerk)).status).toBe(403);
    });

    it('creates a draft that the public cannot see until it is published', async () => {
      const created = await post('/api/catalog/items', fixtureItem(code));
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ code, version: 1, status: 'draft' });
      expect((await server.api(`/api/catalog/items/${code}`)).status).toBe(404);
      expect((await server.api(`/api/catalog/items/${code}?version=1`)).status).toBe(404);
      const asAdmin = await server.api(`/api/catalog/items/${code}?version=1`, { cookie: admin });
      expect(asAdmin.body).toMatchObject({ status: 'draft', version: 1 });
      const drafts = await server.api('/api/catalog/drafts', { cookie: admin });
      expect(drafts.body.drafts.map((d: any) => d.code)).toContain(code);

      const published = await post(`/api/catalog/items/${code}/publish`, undefined);
      expect(published.body).toEqual({ code, version: 1, status: 'published' });
      const guide = await server.api(`/api/catalog/items/${code}`);
      expect(guide.status).toBe(200);
      expect(guide.body).toMatchObject({
        status: 'published',
        version: 1,
        item: { name: { zh: '测试事项证明开具' } },
        departmentName: { zh: '威海市行政审批服务局' },
      });
    });

    it('keeps the published guide while a revision is drafted, then supersedes it', async () => {
      const revised = fixtureItem(code, {
        name: { zh: '测试事项证明开具（修订）', en: 'Revised' },
      });
      const saved = await put(`/api/catalog/items/${code}/draft`, revised);
      expect(saved.body).toEqual({ code, version: 2, status: 'draft' });
      expect((await server.api(`/api/catalog/items/${code}`)).body.item.name.zh).toBe(
        '测试事项证明开具',
      );
      await post(`/api/catalog/items/${code}/publish`, undefined);
      const guide = await server.api(`/api/catalog/items/${code}`);
      expect(guide.body).toMatchObject({
        version: 2,
        item: { name: { zh: '测试事项证明开具（修订）' } },
      });
      const versions = await server.api(`/api/catalog/items/${code}/versions`, { cookie: admin });
      expect(versions.body.versions.map((v: any) => [v.version, v.status])).toEqual([
        [2, 'published'],
        [1, 'superseded'],
      ]);
      expect(versions.body.versions[0]).toMatchObject({
        createdByName: '系统管理员',
        publishedByName: '系统管理员',
      });
      const old = await server.api(`/api/catalog/items/${code}?version=1`, { cookie: admin });
      expect(old.body.item.name.zh).toBe('测试事项证明开具');
    });

    it('never lets a published version change, even in SQL', async () => {
      await expect(
        sql`update catalog_item_versions set name_zh = 'x' where item_code = ${code} and version = 1`.execute(
          server.db.kysely,
        ),
      ).rejects.toThrow(/immutable/);
      await expect(
        sql`delete from catalog_item_versions where item_code = ${code}`.execute(server.db.kysely),
      ).rejects.toThrow(/cannot be deleted/);
    });

    it('records creation and publication in the audit log', async () => {
      const rows = await server.db.kysely
        .selectFrom('auditLog')
        .select(['action', 'detail'])
        .where('objectId', '=', code)
        .orderBy('seq')
        .execute();
      expect(rows.map((r) => r.action)).toEqual([
        'catalog.item_created',
        'catalog.published',
        'catalog.draft_saved',
        'catalog.published',
      ]);
    });

    it('refuses a committed limit above the statutory one, naming the field', async () => {
      const reply = await put(
        `/api/catalog/items/${code}/draft`,
        fixtureItem(code, { committedLimit: { value: 30, unit: 'workdays' } }),
      );
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'body.committedLimit', rule: 'within_statutory' }),
      ]);
    });

    it('refuses an unknown department, a code that differs from the path, and a taken code', async () => {
      const department = await put(
        `/api/catalog/items/${code}/draft`,
        fixtureItem(code, { department: 'nowhere' }),
      );
      expect(department.body.error.details[0]).toMatchObject({
        path: 'body.department',
        rule: 'exists',
      });
      const mismatch = await put(`/api/catalog/items/${code}/draft`, fixtureItem('OTHER-0001'));
      expect(mismatch.body.error.details[0]).toMatchObject({
        path: 'body.code',
        rule: 'matches_path',
      });
      const taken = await post('/api/catalog/items', fixtureItem(code));
      expect(taken.status).toBe(409);
      expect(taken.body.error.code).toBe('catalog.code_taken');
    });

    it('answers 409 to publishing without a draft, and lets one of two racing publishers win', async () => {
      const none = await post(`/api/catalog/items/${code}/publish`, undefined);
      expect(none.status).toBe(409);
      expect(none.body.error.code).toBe('catalog.no_draft');
      await put(`/api/catalog/items/${code}/draft`, fixtureItem(code));
      const [a, b] = await Promise.all([
        post(`/api/catalog/items/${code}/publish`, undefined),
        post(`/api/catalog/items/${code}/publish`, undefined),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
    });

    it('discards a draft', async () => {
      await put(`/api/catalog/items/${code}/draft`, fixtureItem(code));
      const discarded = await server.api(`/api/catalog/items/${code}/draft`, {
        method: 'DELETE',
        cookie: admin,
      });
      expect(discarded.status).toBe(204);
      const again = await server.api(`/api/catalog/items/${code}/draft`, {
        method: 'DELETE',
        cookie: admin,
      });
      expect(again.status).toBe(404);
    });

    it('tells an applicant what applies to their situation', async () => {
      const self = await post(`/api/catalog/items/${code}/applicable`, {
        answers: { agent: ['self'] },
      });
      expect(self.body.materials.map((m: any) => m.key)).toEqual(['id-card']);
      const agent = await post(`/api/catalog/items/${code}/applicable`, {
        answers: { agent: ['agent'] },
      });
      expect(agent.body.materials.map((m: any) => m.key)).toEqual(['id-card', 'power-of-attorney']);
      expect(agent.body.committedLimit).toEqual({ value: 2, unit: 'workdays' });
    });
  });

  describe('import and export', () => {
    it('exports the catalog as YAML and imports it back without any change', async () => {
      const exported = await server.api('/api/catalog/export?format=yaml', { cookie: admin });
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toMatch(/yaml/);
      const reply = await server.api('/api/catalog/import?publish=true', {
        method: 'POST',
        cookie: admin,
        body: exported.body,
        headers: { 'content-type': 'application/yaml' },
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ imported: 0, published: 0 });
      expect(reply.body.unchanged).toBeGreaterThanOrEqual(40);
    });

    it('exports an Excel workbook that imports back without any change', async () => {
      const response = await fetch(`${server.url}/api/catalog/export?format=xlsx`, {
        headers: { cookie: admin },
      });
      expect(response.headers.get('content-type')).toMatch(/spreadsheetml/);
      const bytes = Buffer.from(await response.arrayBuffer());
      const reply = await fetch(`${server.url}/api/catalog/import`, {
        method: 'POST',
        headers: {
          cookie: admin,
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        },
        body: bytes,
      });
      expect(reply.status).toBe(200);
      expect(await reply.json()).toMatchObject({ imported: 0 });
    });

    it('refuses a bad import with every problem located, and writes nothing', async () => {
      const before = await server.api('/api/catalog/items?limit=1');
      const yaml = `items:\n  - code: BAD-0001\n    name: { zh: 坏, en: Bad }\n`;
      const reply = await server.api('/api/catalog/import?publish=true', {
        method: 'POST',
        cookie: admin,
        body: yaml,
        headers: { 'content-type': 'application/yaml' },
      });
      expect(reply.status).toBe(422);
      expect(reply.body.error.details.length).toBeGreaterThan(1);
      const after = await server.api('/api/catalog/items?limit=1');
      expect(after.body.total).toBe(before.body.total);
      expect((await server.api('/api/catalog/items/BAD-0001', { cookie: admin })).status).toBe(404);
    });
  });
});
