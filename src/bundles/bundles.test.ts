import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBundle } from '../../test/support/bundles';
import { startTestServer, type TestServer } from '../../test/support/server';
import { CatalogService } from '../catalog';
import type { BundleContent } from './schema';

let server: TestServer;
let admin: string;
const { bundle, items } = fixtureBundle();
const NO_META = { ip: null, requestId: null, userAgent: null };

beforeAll(async () => {
  server = await startTestServer();
  await new CatalogService(server.db.kysely).importItems(
    null,
    [...items.values()],
    { publish: true },
    NO_META,
  );
  admin = await server.signIn('admin');
});
afterAll(() => server?.close());

const post = (path: string, body: unknown, cookie = admin) =>
  server.api(path, { method: 'POST', body, cookie });

describe('bundle definitions', () => {
  it('are created as drafts with their checks, published, then listed and guided', async () => {
    const created = await post('/api/bundles', { content: bundle });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'test-bundle', version: 1, problems: [] });
    // Not public before publication.
    expect((await server.api('/api/bundles/test-bundle')).status).toBe(404);

    expect((await post('/api/bundles/test-bundle/publish', {})).body).toMatchObject({
      version: 1,
      status: 'published',
    });
    const list = await server.api('/api/bundles?q=测试');
    expect(list.body.bundles).toEqual([
      expect.objectContaining({
        code: 'test-bundle',
        memberCount: 3,
        clusterName: { zh: '民事', en: 'Civil matters' },
      }),
    ]);
    const one = await server.api('/api/bundles/test-bundle');
    expect(one.body.members.map((m: { name: { zh: string } }) => m.name.zh)).toEqual([
      '测试事项证明开具',
      '测试备案',
      '测试补贴',
    ]);

    const guide = await post(
      '/api/bundles/test-bundle/guide',
      {
        answers: { agent: ['self'], subsidy: ['yes'] },
      },
      '',
    );
    expect(guide.status).toBe(200);
    expect(guide.body).toMatchObject({
      bundle: { code: 'test-bundle', version: 1 },
      complete: true,
      completion: { hours: 14, withinCommitment: true },
    });
    expect(guide.body.items[0].departmentName.zh).toBe('威海市行政审批服务局');
    // Two working days after now, at close of business at the latest.
    const expected = new Date(guide.body.expectedBy).getTime();
    expect(expected).toBeGreaterThan(Date.now());
    expect(expected).toBeLessThan(Date.now() + 8 * 86_400_000);
  });

  it('keep a draft with errors, show them, and refuse to publish it', async () => {
    const broken: BundleContent = structuredClone(bundle);
    broken.members[0]!.after = ['file'];
    const saved = await server.api('/api/bundles/test-bundle/draft', {
      method: 'PUT',
      body: { content: broken },
      cookie: admin,
    });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    expect(saved.body.problems.map((p: { rule: string }) => p.rule)).toContain('cycle');

    const refused = await post('/api/bundles/test-bundle/publish', {});
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.map((p: { rule: string }) => p.rule)).toContain('cycle');
    // The published version is untouched and still guides.
    expect((await server.api('/api/bundles/test-bundle')).body.version).toBe(1);
    const drafts = await server.api('/api/bundles/drafts', { cookie: admin });
    // Administrators preview the draft's guide; others cannot see the draft.
    const preview = await post('/api/bundles/test-bundle/guide?version=2', { answers: {} });
    expect(preview.body.bundle.version).toBe(2);
    expect(
      (await post('/api/bundles/test-bundle/guide?version=2', { answers: {} }, '')).status,
    ).toBe(404);
    expect(drafts.body.drafts).toEqual([
      expect.objectContaining({ code: 'test-bundle', errors: 1 }),
    ]);

    expect(
      (await server.api('/api/bundles/test-bundle/draft', { method: 'DELETE', cookie: admin }))
        .status,
    ).toBe(204);
    expect(
      (await server.api('/api/bundles/test-bundle/versions', { cookie: admin })).body.versions,
    ).toHaveLength(1);
  });

  it('check a definition without saving it, shape problems included', async () => {
    const checked = await post('/api/bundles/check', { content: { ...bundle, members: 'x' } });
    expect(checked.status).toBe(200);
    expect(checked.body.problems[0]).toMatchObject({ path: 'content.members', severity: 'error' });
    const unknownLead = await post('/api/bundles/check', {
      content: { ...bundle, leadDepartment: 'nowhere' },
    });
    expect(unknownLead.body.problems).toEqual([
      expect.objectContaining({ path: 'content.leadDepartment', rule: 'exists' }),
    ]);
  });

  it('refuse a save whose shape is wrong, naming the field in zh and en', async () => {
    const reply = await server.api('/api/bundles/test-bundle/draft', {
      method: 'PUT',
      body: { content: { ...bundle, commitment: { ...bundle.commitment, steps: 0 } } },
      cookie: admin,
      lang: 'zh-CN',
    });
    expect(reply.status).toBe(422);
    expect(reply.body.error.details[0].path).toBe('body.content.commitment.steps');
    const taken = await post('/api/bundles', { content: bundle });
    expect(taken.status).toBe(409);
  });

  it('are re-checked against today’s catalog when published', async () => {
    // A member item gains a required field that the bundle's form does not feed.
    const catalog = new CatalogService(server.db.kysely);
    const item = items.get('TEST-0002')!;
    await catalog.importItems(
      null,
      [
        {
          ...item,
          form: [
            ...item.form,
            {
              key: 'licence-no',
              label: { zh: '许可证号', en: 'Licence number' },
              type: 'text',
              required: true,
            },
          ],
        },
      ],
      { publish: true },
      NO_META,
    );
    await server.api('/api/bundles/test-bundle/draft', {
      method: 'PUT',
      body: { content: bundle },
      cookie: admin,
    });
    const refused = await post('/api/bundles/test-bundle/publish', {});
    expect(refused.status).toBe(422);
    expect(refused.body.error.details[0]).toMatchObject({ rule: 'fed' });
  });

  it('answer guides with open questions as incomplete, and unknown bundles with 404', async () => {
    const open = await post('/api/bundles/test-bundle/guide', { answers: {} }, '');
    expect(open.body.complete).toBe(false);
    expect(open.body.problems.map((p: { path: string }) => p.path)).toEqual([
      'answers.agent',
      'answers.subsidy',
    ]);
    expect((await post('/api/bundles/nothing-here/guide', { answers: {} }, '')).status).toBe(404);
  });

  it('are written by administrators only', async () => {
    for (const username of ['citizen', 'clerk', 'supervisor']) {
      const cookie = await server.signIn(username);
      expect((await post('/api/bundles/check', { content: bundle }, cookie)).status).toBe(403);
    }
    expect((await post('/api/bundles/test-bundle/publish', {}, '')).status).toBe(401);
  });

  it('keep published versions immutable in the database itself', async () => {
    await expect(
      sql`update bundle_versions set name_zh = 'x' where status = 'published'`.execute(
        server.db.kysely,
      ),
    ).rejects.toThrow(/immutable/);
  });
});
