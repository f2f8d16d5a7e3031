// Waiving materials (免提交) end to end over HTTP: the founder's licences stand in for papers when
// they open a business; the business licence it produced stands in when they open a restaurant
// for the new enterprise; every use is logged for the holder, including the reviewer's opening.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENING_ANSWERS, openingData } from '../cases/samples';
import { startTestServer, type TestServer } from '../../test/support/server';

const RESTAURANT_ANSWERS = {
  pledge: ['no'],
  'food-items': ['hot-food'],
  renovation: ['no'],
  sign: ['none'],
};

describe('waiving materials with licences and shared data (免提交)', () => {
  let server: TestServer;
  let citizen: string;
  let opening: any;
  let licence: { id: string; identifier: string; holderIdentifier: string; subjectId: string };

  beforeAll(async () => {
    server = await startTestServer({
      seed: 'all',
      env: { ONETHING_OUTBOX_SECONDS: '0', ONETHING_SLA_SWEEP_SECONDS: '0' },
    });
    citizen = await server.signIn('citizen');
  });
  afterAll(() => server?.close());

  const create = (cookie: string, bundleCode: string, body: Record<string, unknown>) =>
    server.api('/api/applications', {
      method: 'POST',
      cookie,
      headers: { 'idempotency-key': randomUUID() },
      body: { bundleCode, ...body },
    });
  const material = (application: any, key: string) =>
    application.materials.find((m: any) => m.key === key);

  it('waives the residence proof with the founder’s title certificate and logs the use', async () => {
    const draft = await create(citizen, 'enterprise-opening', {
      answers: OPENING_ANSWERS,
      // a trade name of Han characters only: the name and every other case are decided by rule
      data: { ...openingData(7), 'trade-name': '海澜精工' },
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const residence = material(draft.body, 'residence-proof');
    expect(residence.waived.sources).toEqual([
      expect.objectContaining({
        kind: 'licence',
        name: '不动产权证书',
        licence: expect.objectContaining({ identifier: expect.stringMatching(/^1\.2\.156\./) }),
      }),
    ]);
    expect(draft.body.missing.map((p: any) => p.path)).not.toContain('materials.residence-proof');
    // nothing is logged for a draft
    const before = await server.api('/api/licences/mine/uses', { cookie: citizen });
    expect(before.body.total).toBe(0);

    const submitted = await server.api(`/api/applications/${draft.body.id}/submit`, {
      method: 'POST',
      cookie: citizen,
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.status).toBe('accepted');
    expect(material(submitted.body, 'residence-proof').waived).not.toBeNull();
    opening = submitted.body;

    const uses = await server.api('/api/licences/mine/uses', { cookie: citizen });
    expect(uses.status).toBe(200);
    expect(uses.body.items).toEqual([
      expect.objectContaining({
        action: 'attached',
        source: expect.objectContaining({ kind: 'licence', name: '不动产权证书' }),
        application: { id: opening.id, number: opening.number },
        material: expect.objectContaining({ key: 'residence-proof' }),
        actor: expect.objectContaining({ name: '张伟', role: 'citizen' }),
      }),
    ]);
    expect(uses.body.items[0].purpose.zh).toContain('免提交');
    // a second submission of the same application records nothing twice
    const again = await server.api(`/api/applications/${draft.body.id}/submit`, {
      method: 'POST',
      cookie: citizen,
    });
    expect(again.status).toBe(200);
    expect((await server.api('/api/licences/mine/uses', { cookie: citizen })).body.total).toBe(1);
  });

  it('issues the business licence to the new enterprise and lets its founder act for it', async () => {
    await server.app.events.dispatch();
    const row = await server.db.kysely
      .selectFrom('licences')
      .innerJoin('cases', 'cases.id', 'licences.sourceCaseId')
      .select([
        'licences.id',
        'licences.identifier',
        'licences.holderIdentifier',
        'licences.subjectId',
      ])
      .where('cases.applicationId', '=', opening.id)
      .executeTakeFirstOrThrow();
    expect(row.subjectId).not.toBeNull();
    licence = { ...row, subjectId: row.subjectId! };
    const subjects = await server.api('/api/me/subjects', { cookie: citizen });
    expect(subjects.status).toBe(200);
    const founded = subjects.body.subjects.find((s: any) => s.subjectId === licence.subjectId);
    expect(founded).toMatchObject({ kind: 'enterprise' });
    const switched = await server.api('/api/session/subject', {
      method: 'PUT',
      cookie: citizen,
      body: { subjectId: licence.subjectId },
    });
    expect(switched.status, JSON.stringify(switched.body)).toBe(200);
    const wallet = await server.api('/api/licences/mine', { cookie: citizen });
    expect(wallet.body.items.map((l: any) => l.id)).toEqual([licence.id]);
  });

  it('needs no upload of the business licence when the new enterprise opens a restaurant', async () => {
    const draft = await create(citizen, 'restaurant-opening', {
      answers: RESTAURANT_ANSWERS,
      data: {},
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    expect(draft.body.applicant).toMatchObject({
      kind: 'enterprise',
      identifier: licence.holderIdentifier,
    });
    const business = material(draft.body, 'business-licence');
    expect(business.provision).toBe('upload');
    expect(business.waived.sources).toEqual([
      expect.objectContaining({
        kind: 'licence',
        name: '营业执照',
        licence: expect.objectContaining({ id: licence.id, identifier: licence.identifier }),
      }),
    ]);
    const missing = draft.body.missing.map((p: any) => p.path);
    expect(missing).not.toContain('materials.business-licence');
    // what the government does not hold is still asked for
    expect(missing).toContain('materials.layout');

    // a revoked licence stands in for nothing: the paper is asked for again
    const revoked = await server.api(`/api/licences/${licence.id}/revoke`, {
      method: 'POST',
      cookie: await server.signIn('reviewer-xzsp'),
      body: { reason: '测试：吊销后不再免提交' },
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const after = await server.api(`/api/applications/${draft.body.id}`, { cookie: citizen });
    expect(material(after.body, 'business-licence').waived).toBeNull();
    expect(after.body.missing.map((p: any) => p.path)).toContain('materials.business-licence');
  });

  it('lets the reviewer handling the case open the attached licence, logged for the holder', async () => {
    const xzsp = await server.signIn('reviewer-xzsp');
    const cases = await server.api(`/api/cases?application=${opening.id}`, { cookie: xzsp });
    expect(cases.status).toBe(200);
    const registration = cases.body.items.find((c: any) => c.memberKey === 'registration');
    const view = await server.api(`/api/cases/${registration.id}`, { cookie: xzsp });
    expect(view.status).toBe(200);
    const residence = view.body.materials.find((m: any) => m.key === 'residence-proof');
    const attached = residence.waived.sources[0].licence;
    const path = (materialKey: string, licenceId: string) =>
      `/api/cases/${registration.id}/materials/${materialKey}/licences/${licenceId}`;

    const opened = await server.api(path('residence-proof', attached.id), { cookie: xzsp });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    expect(opened.body).toMatchObject({ id: attached.id, type: { name: { zh: '不动产权证书' } } });
    // not this case's material, not the attached licence, not this department, not staff
    expect((await server.api(path('articles', attached.id), { cookie: xzsp })).status).toBe(404);
    expect((await server.api(path('residence-proof', licence.id), { cookie: xzsp })).status).toBe(
      404,
    );
    const police = await server.signIn('reviewer-police');
    expect(
      (await server.api(path('residence-proof', attached.id), { cookie: police })).status,
    ).toBe(404);
    const other = await server.signIn('citizen');
    expect((await server.api(path('residence-proof', attached.id), { cookie: other })).status).toBe(
      403,
    );
    expect((await server.api(path('residence-proof', attached.id))).status).toBe(401);

    // the holder (acting as themselves again) sees who opened it
    await server.api('/api/session/subject', {
      method: 'PUT',
      cookie: citizen,
      body: { subjectId: null },
    });
    const uses = await server.api(`/api/licences/mine/uses?licence=${attached.id}`, {
      cookie: citizen,
    });
    expect(uses.body.items.map((u: any) => u.action)).toEqual(['viewed', 'attached']);
    expect(uses.body.items[0].actor).toMatchObject({
      name: '赵丽',
      role: 'reviewer',
      department: { zh: '威海市行政审批服务局' },
    });
    const audit = await server.db.kysely
      .selectFrom('auditLog')
      .select('action')
      .where('objectId', '=', attached.id)
      .where('action', '=', 'licences.viewed_for_case')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('lists no uses to staff and refuses the use log to anonymous callers', async () => {
    expect((await server.api('/api/licences/mine/uses')).status).toBe(401);
    const clerk = await server.signIn('clerk');
    expect((await server.api('/api/licences/mine/uses', { cookie: clerk })).status).toBe(403);
    const enterprise = await server.signIn('enterprise');
    const theirs = await server.api('/api/licences/mine/uses', { cookie: enterprise });
    expect(theirs.body.total).toBe(0);
  });
});
