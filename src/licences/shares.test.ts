import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server';
import { LicenceService } from './service';
import { LicenceShareService, hashShareToken, shareState } from './shares';

// 亮证 over HTTP: only the holder makes, lists and withdraws shares; a share shows the verification
// and the chosen fields only, stops at its expiry or when withdrawn, counts its openings, and
// shows a licence revoked after sharing as revoked.

const META = { ip: '127.0.0.1', requestId: 'test', userAgent: null };

/** Issues a 营业执照 to the demo user's enterprise the way a decided case would. */
async function issueBusinessLicence(server: TestServer, username: string) {
  const user = await server.db.kysely
    .selectFrom('users')
    .innerJoin('subjects', 'subjects.id', 'users.subjectId')
    .select(['subjects.id', 'subjects.identifier', 'subjects.name'])
    .where('users.username', '=', username)
    .executeTakeFirstOrThrow();
  const licences = new LicenceService(server.db.kysely);
  const row = await server.db.kysely.transaction().execute((trx) =>
    licences.issueFromCase(
      trx,
      {
        caseId: randomUUID(),
        itemCode: 'test-item',
        departmentCode: 'xzsp',
        decision: 'approved',
        result: { kind: 'licence', licenceType: '营业执照' },
        results: {},
        data: {
          'enterprise-kind': '有限责任公司',
          'legal-rep-name': '李娜',
          'registered-capital': 500,
          domicile: '威海市经济技术开发区海滨南路1号',
          'business-scope': '精密机械零部件加工',
        },
        subjectId: user.id,
        holder: { kind: 'enterprise', name: user.name, identifier: user.identifier },
      },
      '371000',
      new Date(),
    ),
  );
  return row!;
}

describe('licence shares (亮证)', () => {
  let server: TestServer;
  let enterprise: string;
  let citizen: string;
  let xzsp: string;
  let licence: Awaited<ReturnType<typeof issueBusinessLicence>>;

  beforeAll(async () => {
    server = await startTestServer({
      seed: 'all',
      env: { ONETHING_OUTBOX_SECONDS: '0', ONETHING_SLA_SWEEP_SECONDS: '0' },
    });
    enterprise = await server.signIn('enterprise');
    citizen = await server.signIn('citizen');
    xzsp = await server.signIn('reviewer-xzsp');
    licence = await issueBusinessLicence(server, 'enterprise');
  });
  afterAll(() => server?.close());

  const share = (cookie: string | undefined, body: unknown, id = licence.id) =>
    server.api(`/api/licences/${id}/shares`, { method: 'POST', cookie, body });

  it('makes a share for the holder with a random token stored only as its hash, audited', async () => {
    const reply = await share(enterprise, { fields: ['uscc', 'legal-rep-name'], minutes: 5 });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const body = reply.body;
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(body.url).toBe(`/licence-shares/${body.token}`);
    expect(body.absoluteUrl).toBe(`${server.url}/licence-shares/${body.token}`);
    expect(body.qrSvg).toContain('<svg');
    expect(body).toMatchObject({
      fields: ['uscc', 'legal-rep-name'],
      state: 'active',
      viewCount: 0,
    });
    const minutes = (Date.parse(body.expiresAt) - Date.parse(body.createdAt)) / 60_000;
    expect(minutes).toBe(5);
    const row = await server.db.kysely
      .selectFrom('licenceShares')
      .selectAll()
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(row.tokenHash).toBe(hashShareToken(body.token));
    expect(JSON.stringify(row)).not.toContain(body.token);
    const audit = await server.db.kysely
      .selectFrom('auditLog')
      .select(['action'])
      .where('objectId', '=', body.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['licences.share_created']);
  });

  it('defaults to ten minutes', async () => {
    const reply = await share(enterprise, { fields: ['uscc'] });
    expect(reply.status).toBe(201);
    expect(Date.parse(reply.body.expiresAt) - Date.parse(reply.body.createdAt)).toBe(600_000);
  });

  it('refuses anyone but the holder: anonymous 401, staff 403, another citizen 404', async () => {
    expect((await share(undefined, { fields: ['uscc'] })).status).toBe(401);
    expect((await share(xzsp, { fields: ['uscc'] })).status).toBe(403);
    const other = await share(citizen, { fields: ['uscc'] });
    expect(other.status).toBe(404);
    expect(
      (await server.api(`/api/licences/${licence.id}/shares`, { cookie: citizen })).status,
    ).toBe(404);
    expect((await server.api(`/api/licences/${licence.id}/shares`, { cookie: xzsp })).status).toBe(
      403,
    );
    expect((await share(enterprise, { fields: ['uscc'] }, randomUUID())).status).toBe(404);
  });

  it('refuses unknown fields and lifetimes outside 1–1440 minutes with the field named', async () => {
    const unknown = await share(enterprise, { fields: ['uscc', 'salary'] }, licence.id);
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details[0]).toMatchObject({
      path: 'body.fields.1',
      rule: 'licenceField',
    });
    for (const minutes of [0, 1441, 2.5]) {
      const reply = await share(enterprise, { fields: ['uscc'], minutes });
      expect(reply.status, String(minutes)).toBe(422);
      expect(JSON.stringify(reply.body.error.details)).toContain('minutes');
    }
    expect((await share(enterprise, { minutes: 5 })).status).toBe(422);
  });

  it('shows anyone with the token the verification and only the chosen fields, counting views', async () => {
    const created = await share(enterprise, { fields: ['enterprise-name', 'legal-rep-name'] });
    const path = `/api/public/licence-shares/${created.body.token}`;
    const first = await server.api(path);
    expect(first.status).toBe(200);
    expect(first.body.fields.map((f: any) => [f.key, f.value])).toEqual([
      ['enterprise-name', licence.holderName],
      ['legal-rep-name', '李娜'],
    ]);
    expect(first.body.verification).toMatchObject({
      identifier: licence.identifier,
      valid: true,
      status: 'valid',
      signature: { valid: true },
      type: { name: { zh: '营业执照' } },
      issuer: { code: 'xzsp' },
    });
    expect(first.body.verification.holder.name).toContain('*');
    const text = JSON.stringify(first.body);
    expect(text).not.toContain(licence.holderIdentifier);
    expect(text).not.toContain('海滨南路');
    expect((await server.api(path)).status).toBe(200);
    const list = await server.api(`/api/licences/${licence.id}/shares`, { cookie: enterprise });
    expect(list.status).toBe(200);
    const mine = list.body.items.find((s: any) => s.id === created.body.id);
    expect(mine).toMatchObject({ viewCount: 2, state: 'active' });
    expect(mine.lastViewedAt).not.toBeNull();
    expect(mine.token).toBeUndefined();
    const views = await server.db.kysely
      .selectFrom('licenceShareViews')
      .select('viewedAt')
      .where('shareId', '=', created.body.id)
      .execute();
    expect(views).toHaveLength(2);
  });

  it('refuses an unknown token with 404 in both languages and a malformed one with 422', async () => {
    const unknown = await server.api('/api/public/licence-shares/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('licences.share_not_found');
    expect(unknown.body.error.message).toContain('亮证码无效');
    const en = await server.api('/api/public/licence-shares/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', {
      lang: 'en',
    });
    expect(en.body.error.message).toContain('does not exist');
    expect((await server.api('/api/public/licence-shares/bad%20token')).status).toBe(422);
  });

  it('stops showing a share at its expiry (controlled clock)', async () => {
    const shares = new LicenceShareService(server.db.kysely);
    const actor = await server.db.kysely
      .selectFrom('users')
      .select(['id as userId', 'username', 'role', 'regionCode', 'departmentId', 'subjectId'])
      .where('username', '=', 'enterprise')
      .executeTakeFirstOrThrow();
    const start = new Date();
    const created = await shares.create(
      actor as any,
      licence.id,
      { fields: ['uscc'], minutes: 3 },
      server.url,
      META,
      start,
    );
    const later = (ms: number) => new Date(start.getTime() + ms);
    await expect(shares.open(created.token, later(3 * 60_000 - 1))).resolves.toMatchObject({
      fields: [{ key: 'uscc' }],
    });
    await expect(shares.open(created.token, later(3 * 60_000))).rejects.toMatchObject({
      status: 404,
      code: 'licences.share_expired',
    });
    expect(shareState({ revokedAt: null, expiresAt: later(1) }, start)).toBe('active');
    const list = await shares.list(actor as any, licence.id, later(3 * 60_000));
    expect(list.find((s) => s.id === created.id)?.state).toBe('expired');
  });

  it('lets the holder withdraw a share, audited, after which it is refused', async () => {
    const created = await share(enterprise, { fields: ['uscc'] });
    const path = `/api/licences/${licence.id}/shares/${created.body.id}`;
    expect((await server.api(path, { method: 'DELETE', cookie: citizen })).status).toBe(404);
    expect((await server.api(path, { method: 'DELETE', cookie: xzsp })).status).toBe(403);
    const withdrawn = await server.api(path, { method: 'DELETE', cookie: enterprise });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ state: 'revoked' });
    const open = await server.api(`/api/public/licence-shares/${created.body.token}`);
    expect(open.status).toBe(404);
    expect(open.body.error.code).toBe('licences.share_revoked');
    const again = await server.api(path, { method: 'DELETE', cookie: enterprise });
    expect(again.status).toBe(200);
    const audit = await server.db.kysely
      .selectFrom('auditLog')
      .select('action')
      .where('objectId', '=', created.body.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'licences.share_created',
      'licences.share_revoked',
    ]);
    const unknownShare = `/api/licences/${licence.id}/shares/${randomUUID()}`;
    expect((await server.api(unknownShare, { method: 'DELETE', cookie: enterprise })).status).toBe(
      404,
    );
  });

  it('shows a licence revoked after sharing as revoked, and refuses new shares of it', async () => {
    const created = await share(enterprise, { fields: ['uscc'] });
    const revoked = await server.api(`/api/licences/${licence.id}/revoke`, {
      method: 'POST',
      cookie: xzsp,
      body: { reason: '以欺骗手段取得登记' },
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const open = await server.api(`/api/public/licence-shares/${created.body.token}`);
    expect(open.status).toBe(200);
    expect(open.body.verification).toMatchObject({ valid: false, status: 'revoked' });
    expect(open.body.verification.problems.map((p: any) => p.code)).toEqual(['revoked']);
    const refused = await share(enterprise, { fields: ['uscc'] });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('licences.not_showable');
  });
});
