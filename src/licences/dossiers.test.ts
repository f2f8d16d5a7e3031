import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server';
import { ricCheckChar } from '../platform/ids';
import {
  computeTags,
  identifierFor,
  industriesOf,
  parseSubjectRef,
  sizeByCapital,
  sizeByEmployees,
} from './dossiers';
import { LicenceService } from './service';

// Dossiers (一人一档 / 一企一档) over HTTP: staff read a subject's dossier by id, resident ID or
// credit code within their regions, identifiers masked by role, every read logged and shown to the
// subject; tags follow issued and revoked licences and select subjects for later capabilities.

describe('dossier rules', () => {
  it('tags region and regions above, kind, and valid licences with industry and size', () => {
    const tags = computeTags(
      { kind: 'enterprise', regionCode: '371072' },
      ['371000', '370000'],
      [
        {
          identifier: 'L1',
          typeCode: 'BL',
          status: 'valid',
          registration: true,
          fields: { 'business-scope': '机械零部件加工；餐饮服务', 'registered-capital': 50 },
        },
        {
          identifier: 'L2',
          typeCode: 'FOOD',
          status: 'valid',
          registration: false,
          fields: { employees: 350 },
        },
        { identifier: 'L3', typeCode: 'OLD', status: 'revoked', registration: false, fields: {} },
      ],
    );
    expect(tags.map((t) => t.tag)).toEqual([
      'region:371072',
      'region:371000',
      'region:370000',
      'kind:enterprise',
      'licence:BL',
      'industry:C',
      'industry:H',
      'licence:FOOD',
      'qualification:FOOD',
      'size:medium',
    ]);
    expect(tags.find((t) => t.tag === 'size:medium')!.source).toBe('licence:L2');
  });

  it('gives persons no qualification or size tags', () => {
    const tags = computeTags(
      { kind: 'person', regionCode: '371002' },
      [],
      [{ identifier: 'L', typeCode: 'CARD', status: 'valid', registration: false, fields: {} }],
    );
    expect(tags.map((t) => t.tag)).toEqual(['region:371002', 'kind:person', 'licence:CARD']);
  });

  it('classifies size and industry, and reads subject references', () => {
    expect([sizeByEmployees(5), sizeByEmployees(20), sizeByEmployees(999)]).toEqual([
      'micro',
      'small',
      'medium',
    ]);
    expect([sizeByCapital(10), sizeByCapital(500), sizeByCapital(20000)]).toEqual([
      'micro',
      'small',
      'large',
    ]);
    expect(industriesOf('软件开发；信息技术咨询服务')).toEqual(['I']);
    expect(parseSubjectRef('not-a-subject')).toBeNull();
    expect(parseSubjectRef('91371000MA3C00000X')).toBeNull();
    expect(parseSubjectRef(randomUUID())?.by).toBe('id');
    expect(identifierFor('inspector', 'person', '371002198603142214')).toBe('371002********2214');
    expect(identifierFor('clerk', 'person', '371002198603142214')).toBe('371002198603142214');
    expect(identifierFor('supervisor', 'enterprise', '91371072M37100005C')).toBe(
      '913710********005C',
    );
    expect(identifierFor('admin', 'enterprise', '91371072M37100005C')).toBe('91371072M37100005C');
  });
});

describe('dossiers', () => {
  let server: TestServer;
  let cookies: Record<string, string>;
  let firm: { id: string; name: string; identifier: string; regionCode: string };
  let person: { id: string; name: string; identifier: string };
  let food: { id: string } | null;

  beforeAll(async () => {
    server = await startTestServer({
      seed: 'all',
      env: { ONETHING_OUTBOX_SECONDS: '0', ONETHING_SLA_SWEEP_SECONDS: '0' },
    });
    const db = server.db.kysely;
    // a clerk of 文登区: the demo enterprise (经区) and citizen (环翠区) are outside their region
    const clerk = await db
      .selectFrom('users')
      .select(['passwordHash', 'departmentId'])
      .where('username', '=', 'clerk')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('users')
      .values({
        username: 'clerk-wendeng',
        displayName: '文登窗口',
        passwordHash: clerk.passwordHash,
        role: 'clerk',
        regionCode: '371003',
        departmentId: clerk.departmentId,
      })
      .execute();
    cookies = {};
    for (const name of [
      'citizen',
      'enterprise',
      'clerk',
      'reviewer',
      'reviewer-xzsp',
      'supervisor',
      'inspector',
      'admin',
      'operator',
      'handler',
      'clerk-wendeng',
    ]) {
      cookies[name] = await server.signIn(name);
    }
    const subjectOf = (username: string) =>
      db
        .selectFrom('users')
        .innerJoin('subjects', 'subjects.id', 'users.subjectId')
        .select(['subjects.id', 'subjects.name', 'subjects.identifier', 'subjects.regionCode'])
        .where('users.username', '=', username)
        .executeTakeFirstOrThrow();
    firm = await subjectOf('enterprise');
    person = await subjectOf('citizen');
    // a business licence and a food business licence issued to the demo enterprise by decided cases
    const licences = new LicenceService(db);
    const issue = (type: string, dept: string, data: Record<string, unknown>) =>
      db.transaction().execute((trx) =>
        licences.issueFromCase(
          trx,
          {
            caseId: randomUUID(),
            itemCode: 'test',
            departmentCode: dept,
            decision: 'approved',
            result: { kind: 'licence', licenceType: type },
            results: {},
            data,
            subjectId: firm.id,
            holder: { kind: 'enterprise', name: firm.name, identifier: firm.identifier },
          },
          '371000',
          new Date(),
        ),
      );
    await issue('营业执照', 'xzsp', {
      'business-scope': '机械零部件加工；通用设备制造（不含特种设备制造）',
      'registered-capital': 50,
    });
    food = await issue('食品经营许可证', 'xzsp', { 'business-items': '预包装食品销售' });
  });
  afterAll(() => server?.close());

  const path = (subject: string, query = '') => `/api/dossiers/${subject}${query}`;

  it('computes tags when a licence is issued', async () => {
    const tags = await server.db.kysely
      .selectFrom('subjectTags')
      .select('tag')
      .where('subjectId', '=', firm.id)
      .execute();
    expect(tags.map((t) => t.tag)).toEqual(
      expect.arrayContaining([
        'region:371072',
        'region:371000',
        'kind:enterprise',
        'licence:11100000MA0000001A001',
        'licence:11100000MA0000001A002',
        'qualification:11100000MA0000001A002',
        'industry:C',
        'industry:F',
        'size:micro',
      ]),
    );
    expect(tags.map((t) => t.tag)).not.toContain('qualification:11100000MA0000001A001');
  });

  it("shows an enterprise's credit grade as supervision keeps it, and no person's", async () => {
    const db = server.db.kysely;
    const subjectNamed = (name: string) =>
      db.selectFrom('subjects').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    // a demo enterprise with a published penalty (data/supervision/): 85 points, grade B
    const yuanfan = await subjectNamed('荣成远帆水产有限公司');
    const reply = await server.api(path(yuanfan.id), { cookie: cookies.admin });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const card = await server.api(`/api/supervision/credit/subjects/${yuanfan.id}`);
    expect(reply.body.credit).toEqual({ score: 85, grade: 'B', asOf: card.body.asOf });
    expect([card.body.score, card.body.grade]).toEqual([85, 'B']);
    expect(reply.body.creditNote).toBeNull();
    // a person's credit is personal information: not in the dossier
    const liNa = await subjectNamed('李娜');
    const his = await server.api(path(liNa.id), { cookie: cookies.admin });
    expect(his.status).toBe(200);
    expect(his.body.credit).toBeNull();
    expect(his.body.creditNote.zh).toContain('个人信息');
    expect(his.body.creditNote.en).toContain('personal');
  });

  it('shows a clerk the whole dossier by credit code, id or resident ID, logged and audited', async () => {
    const reply = await server.api(path(firm.identifier), { cookie: cookies.clerk });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.subject).toMatchObject({
      id: firm.id,
      kind: 'enterprise',
      name: firm.name,
      identifier: firm.identifier,
      identifierMasked: false,
      region: { code: '371072' },
    });
    // the demo data's business licence, and the two issued above
    expect(reply.body.licences.map((l: any) => l.type.name.zh).sort()).toEqual([
      '营业执照',
      '营业执照',
      '食品经营许可证',
    ]);
    expect(reply.body.tags.map((t: any) => t.tag)).toContain('size:micro');
    // no credit record: grade A, as supervision's public page says
    expect(reply.body.credit).toMatchObject({ grade: 'A', score: 100 });
    expect(reply.body.creditNote).toBeNull();
    expect(reply.body.applications.available).toBe(true);
    expect((await server.api(path(firm.id), { cookie: cookies.admin })).status).toBe(200);
    const byRic = await server.api(path(person.identifier), { cookie: cookies.reviewer });
    expect(byRic.status).toBe(200);
    expect(byRic.body.subject.identifier).toBe(person.identifier);
    const audit = await server.db.kysely
      .selectFrom('auditLog')
      .select(['action', 'actorRole'])
      .where('objectId', '=', firm.id)
      .where('action', '=', 'dossiers.read')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.actorRole)).toEqual(['clerk', 'admin']);
  });

  it('lists the subject’s submitted applications through cases', async () => {
    const first17 = '37100219860314201';
    const ric = first17 + ricCheckChar(first17);
    const reply = await server.api('/api/applications', {
      method: 'POST',
      cookie: cookies.enterprise,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        bundleCode: 'enterprise-opening',
        answers: {
          'enterprise-type': ['sole-proprietorship'],
          'related-trade-name': ['no'],
          food: ['no'],
          also: ['later'],
          agent: ['no'],
          'vat-status': ['small-scale'],
          invoices: ['no'],
        },
        data: {
          'enterprise-name': '威海市环翠区档案测试精密机械厂',
          'enterprise-kind': 'sole-proprietorship',
          'region-part': '371000',
          'trade-name': '档案精工',
          industry: '精密机械',
          'registered-capital': 10,
          'domicile-region': '371002',
          domicile: '威海市环翠区文化西路9号',
          'business-scope': '机械零部件加工',
          'legal-rep-name': '张伟',
          'legal-rep-ric': ric,
          'legal-rep-mobile': '13906310001',
          shareholders: [
            {
              'shareholder-name': '张伟',
              'shareholder-ric': ric,
              subscribed: 10,
              'contribution-date': '2030-12-31',
            },
          ],
          'finance-officer': '王芳',
          'finance-officer-mobile': '13906310002',
          'tax-handler-ric': ric,
          'accounting-method': 'independent',
        },
        pledges: ['residence-proof'],
        submit: true,
      },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const dossier = await server.api(path(firm.id), { cookie: cookies.clerk });
    expect(dossier.body.applications.items).toEqual([
      expect.objectContaining({
        id: reply.body.id,
        number: reply.body.number,
        bundle: expect.objectContaining({ code: 'enterprise-opening' }),
        status: reply.body.status,
      }),
    ]);
  });

  it('masks a resident ID for supervisors and inspectors; inspectors must give a reason', async () => {
    const supervised = await server.api(path(person.id), { cookie: cookies.supervisor });
    expect(supervised.status).toBe(200);
    expect(supervised.body.subject.identifierMasked).toBe(true);
    expect(supervised.body.subject.identifier).not.toBe(person.identifier);
    expect(supervised.body.subject.identifier).toMatch(/^\d{6}\*+/);
    expect(JSON.stringify(supervised.body)).not.toContain(person.identifier);
    const noReason = await server.api(path(person.id), { cookie: cookies.inspector });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.details[0]).toMatchObject({
      path: 'querystring.reason',
      rule: 'required-for-role',
    });
    const inspected = await server.api(path(person.id, '?reason=双随机抽查'), {
      cookie: cookies.inspector,
    });
    expect(inspected.status).toBe(200);
    expect(inspected.body.access.reason).toBe('双随机抽查');
  });

  it('refuses anonymous 401, other roles 403, staff outside the region 404, bad references 422', async () => {
    expect((await server.api(path(firm.id))).status).toBe(401);
    for (const role of ['operator', 'handler', 'citizen', 'enterprise']) {
      expect((await server.api(path(firm.id), { cookie: cookies[role] })).status, role).toBe(403);
    }
    expect((await server.api(path(firm.id), { cookie: cookies['clerk-wendeng'] })).status).toBe(
      404,
    );
    expect((await server.api(path(randomUUID()), { cookie: cookies.admin })).status).toBe(404);
    const bad = await server.api(path('12345'), { cookie: cookies.admin });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].rule).toBe('subject-reference');
    const logged = await server.db.kysely
      .selectFrom('dossierAccessLog')
      .select('actorRole')
      .where('subjectId', '=', firm.id)
      .execute();
    // refused reads leave no trace of a read
    expect(logged.map((l) => l.actorRole).sort()).toEqual(['admin', 'clerk', 'clerk']);
  });

  it('shows the subject its own dossier and who looked at it, with reasons', async () => {
    expect((await server.api('/api/dossiers/mine', { cookie: cookies.clerk })).status).toBe(403);
    expect((await server.api('/api/dossiers/mine')).status).toBe(401);
    const mine = await server.api('/api/dossiers/mine', { cookie: cookies.citizen });
    expect(mine.status).toBe(200);
    expect(mine.body.subject).toMatchObject({ id: person.id, identifier: person.identifier });
    const log = await server.api('/api/dossiers/mine/access-log', { cookie: cookies.citizen });
    expect(log.status).toBe(200);
    expect(log.body.items.map((i: any) => i.role)).toEqual(['inspector', 'supervisor', 'reviewer']);
    expect(log.body.items[0]).toMatchObject({ reason: '双随机抽查', name: '孙浩' });
    expect(log.body.items[0].department.code).toBe('scjg');
    const firmLog = await server.api('/api/dossiers/mine/access-log', {
      cookie: cookies.enterprise,
    });
    expect(firmLog.body.items.map((i: any) => i.role)).toEqual(['clerk', 'admin', 'clerk']);
    expect(
      (await server.api('/api/dossiers/mine/access-log', { cookie: cookies.admin })).status,
    ).toBe(403);
  });

  it('shows administrators the access log of any subject and no one else', async () => {
    const reply = await server.api(path(firm.id, '/access-log'), { cookie: cookies.admin });
    expect(reply.status).toBe(200);
    expect(reply.body.total).toBe(3);
    expect((await server.api(path(firm.id, '/access-log'), { cookie: cookies.clerk })).status).toBe(
      403,
    );
  });

  it('lists subjects by tag within the caller’s regions, paged', async () => {
    const tag = encodeURIComponent('qualification:11100000MA0000001A002');
    const reply = await server.api(`/api/dossiers?tag=${tag}`, { cookie: cookies.inspector });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ total: 1, items: [{ id: firm.id, kind: 'enterprise' }] });
    const outside = await server.api(`/api/dossiers?tag=${tag}`, {
      cookie: cookies['clerk-wendeng'],
    });
    expect(outside.body.total).toBe(0);
    const byName = await server.api(`/api/dossiers?q=${encodeURIComponent('澜石')}`, {
      cookie: cookies.clerk,
    });
    expect(byName.body.items.map((i: any) => i.id)).toEqual([firm.id]);
    expect((await server.api('/api/dossiers', { cookie: cookies.clerk })).status).toBe(422);
    expect((await server.api('/api/dossiers?tag=nocolon', { cookie: cookies.clerk })).status).toBe(
      422,
    );
    expect((await server.api(`/api/dossiers?tag=${tag}`, { cookie: cookies.handler })).status).toBe(
      403,
    );
    expect((await server.api(`/api/dossiers?tag=${tag}`)).status).toBe(401);
  });

  it('drops a qualification tag when the licence is revoked, and refreshes tags on demand', async () => {
    const revoked = await server.api(`/api/licences/${food!.id}/revoke`, {
      method: 'POST',
      body: { reason: '不再从事食品经营' },
      cookie: cookies['reviewer-xzsp'],
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const tag = encodeURIComponent('qualification:11100000MA0000001A002');
    const after = await server.api(`/api/dossiers?tag=${tag}`, { cookie: cookies.admin });
    expect(after.body.total).toBe(0);
    // a subject with no licence (王芳 of the demo data) is tagged on demand by region and kind
    const plain = await server.db.kysely
      .selectFrom('subjects')
      .select('id')
      .where('name', '=', '王芳')
      .executeTakeFirstOrThrow();
    const refreshed = await server.api(path(plain.id, '/tags/refresh'), {
      method: 'POST',
      cookie: cookies.clerk,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.tags.map((t: any) => t.tag)).toEqual([
      'region:371002',
      'region:371000',
      'region:370000',
      'kind:person',
    ]);
    expect(
      (
        await server.api(path(plain.id, '/tags/refresh'), {
          method: 'POST',
          cookie: cookies.inspector,
        })
      ).status,
    ).toBe(403);
    const all = await server.api('/api/dossiers/tags/refresh', {
      method: 'POST',
      cookie: cookies.admin,
    });
    expect(all.status).toBe(200);
    expect(all.body.subjects).toBeGreaterThanOrEqual(18);
    const region = await server.api(`/api/dossiers?tag=${encodeURIComponent('region:371083')}`, {
      cookie: cookies.supervisor,
    });
    // 乳山: two people and one enterprise of the demo
    expect(region.body.total).toBe(3);
    expect(
      (await server.api('/api/dossiers/tags/refresh', { method: 'POST', cookie: cookies.clerk }))
        .status,
    ).toBe(403);
  });
});
