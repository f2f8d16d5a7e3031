import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server';

// The shared-data sources and the certificate-free scenarios (无证明场景) over HTTP, on a freshly
// seeded demo platform: the count, real blockers of a seed bundle, an administrator disconnecting a
// source and an item losing its status, and the roles that are refused.

interface Scenario {
  kind: 'item' | 'bundle';
  code: string;
  name: { zh: string; en: string };
  applicantKind: 'person' | 'enterprise';
  free: boolean;
  blockers: {
    material: { key: string; name: { zh: string; en: string } };
    reason: string;
    message: { zh: string; en: string };
    source?: { kind: string; name: string };
    item?: { code: string };
  }[];
}
interface Reply {
  totals: { free: number; total: number; target: number; targetMet: boolean };
  scenarios: Scenario[];
}

describe('certificate-free scenarios over HTTP', () => {
  let server: TestServer;
  const cookies: Record<string, string> = {};

  async function call(method: 'GET' | 'PUT', url: string, cookie?: string, body?: unknown) {
    const reply = await server.api(url, { method, cookie, body });
    return { status: reply.status, body: reply.body };
  }

  beforeAll(async () => {
    server = await startTestServer({
      seed: 'all',
      env: { ONETHING_OUTBOX_SECONDS: '0', ONETHING_SLA_SWEEP_SECONDS: '0' },
    });
    for (const username of ['admin', 'supervisor', 'citizen', 'reviewer', 'clerk']) {
      cookies[username] = await server.signIn(username);
    }
  });
  afterAll(() => server?.close());

  const scenarios = async (cookie = cookies.admin) => {
    const reply = await call('GET', '/api/licences/certificate-free', cookie);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body as Reply;
  };
  const find = (reply: Reply, kind: string, code: string, applicantKind: string) =>
    reply.scenarios.find(
      (s) => s.kind === kind && s.code === code && s.applicantKind === applicantKind,
    );

  it('counts certificate-free scenarios of the seed catalog, free first, against the target of 20', async () => {
    const reply = await scenarios();
    expect(reply.totals.target).toBe(20);
    expect(reply.totals.free).toBeGreaterThan(0);
    expect(reply.totals.total).toBeGreaterThan(reply.totals.free);
    expect(reply.totals.free).toBe(reply.scenarios.filter((s) => s.free).length);
    expect(reply.scenarios.length).toBe(reply.totals.total);
    const firstBlocked = reply.scenarios.findIndex((s) => !s.free);
    expect(reply.scenarios.slice(firstBlocked).every((s) => !s.free)).toBe(true);
    for (const s of reply.scenarios) expect(s.free).toBe(s.blockers.length === 0);
    // the supervisor reads the same count
    expect((await scenarios(cookies.supervisor)).totals).toEqual(reply.totals);
  });

  it('lists the real blockers of the restaurant bundle: the layout drawing has no source', async () => {
    const restaurant = find(await scenarios(), 'bundle', 'restaurant-opening', 'enterprise');
    expect(restaurant, 'restaurant-opening for enterprises').toBeDefined();
    expect(restaurant!.free).toBe(false);
    const layout = restaurant!.blockers.find((b) => b.material.key === 'layout');
    expect(layout).toMatchObject({ reason: 'no-source', item: { code: '371000-XZSP-01-0006' } });
    expect(layout!.message.en).toMatch(/^no source named by ".+" for ".+"$/);
  });

  it('lets an administrator disconnect a source, which blocks an item that relied on it', async () => {
    const before = await scenarios();
    const free = before.scenarios.filter((s) => s.kind === 'item' && s.free);
    // an item free for persons thanks to the population database
    const target = free.find((s) => s.applicantKind === 'person')!;
    expect(target).toBeDefined();

    const off = await call(
      'PUT',
      `/api/shared-data/${encodeURIComponent('公安人口库')}`,
      cookies.admin,
      {
        connected: false,
        note: '接口升级，暂停对接',
      },
    );
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body).toMatchObject({
      name: '公安人口库',
      connected: false,
      note: '接口升级，暂停对接',
      department: { code: 'police' },
      subjectKinds: ['person'],
    });
    const after = await scenarios();
    expect(after.totals.free).toBeLessThan(before.totals.free);
    const lost = before.scenarios.filter(
      (s) => s.free && !find(after, s.kind, s.code, s.applicantKind)!.free,
    );
    expect(lost.length).toBeGreaterThan(0);
    const blocked = find(after, lost[0]!.kind, lost[0]!.code, lost[0]!.applicantKind)!;
    expect(blocked.blockers).toContainEqual(
      expect.objectContaining({
        reason: 'data-not-connected',
        source: { kind: 'shared-data', name: '公安人口库' },
      }),
    );
    const audit = await server.db.kysely
      .selectFrom('auditLog')
      .select(['action', 'objectId', 'detail'])
      .where('action', '=', 'licences.shared_data_updated')
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({
        objectId: '公安人口库',
        detail: expect.objectContaining({ to: { connected: false, note: '接口升级，暂停对接' } }),
      }),
    ]);

    // connected again, the count is back
    const on = await call(
      'PUT',
      `/api/shared-data/${encodeURIComponent('公安人口库')}`,
      cookies.admin,
      {
        connected: true,
      },
    );
    expect(on.body).toMatchObject({ connected: true, note: '接口升级，暂停对接' });
    expect((await scenarios()).totals).toEqual(before.totals);
  });

  it('lists the sources for staff, with how many catalog materials name each', async () => {
    const reply = await call('GET', '/api/shared-data', cookies.clerk);
    expect(reply.status).toBe(200);
    const items = reply.body.items as { name: string; connected: boolean; materials: number }[];
    expect(items.length).toBe(17);
    expect(items.find((s) => s.name === '公安人口库')!.materials).toBeGreaterThan(10);
    expect(items.find((s) => s.name === '劳动能力鉴定信息系统')!.connected).toBe(false);
  });

  it('refuses citizens and reviewers, non-admins changing a source, bad bodies and unknown sources', async () => {
    for (const role of ['citizen', 'reviewer', 'clerk']) {
      const reply = await call('GET', '/api/licences/certificate-free', cookies[role]);
      expect(reply.status, role).toBe(403);
      expect(reply.body.error.code).toBe('auth.forbidden');
    }
    expect((await call('GET', '/api/licences/certificate-free')).status).toBe(401);
    expect((await call('GET', '/api/shared-data', cookies.citizen)).status).toBe(403);
    const url = `/api/shared-data/${encodeURIComponent('公安人口库')}`;
    for (const role of ['supervisor', 'reviewer', 'citizen']) {
      expect((await call('PUT', url, cookies[role], { connected: false })).status, role).toBe(403);
    }
    const bad = await call('PUT', url, cookies.admin, { connected: 'no' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toBe('body.connected');
    const unknown = await call(
      'PUT',
      `/api/shared-data/${encodeURIComponent('不存在的库')}`,
      cookies.admin,
      { connected: true },
    );
    expect(unknown.status).toBe(404);
    // nothing changed
    const sources = (await call('GET', '/api/shared-data', cookies.admin)).body.items as {
      name: string;
      connected: boolean;
    }[];
    expect(sources.find((s) => s.name === '公安人口库')!.connected).toBe(true);
  });
});
