import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../test/support/server';
import { toLocalDate } from '../platform/calendar';
import { lookupForms, sealLookup } from '../platform/crypto';
import { WINDOW_BUNDLE, pdfBytes, startIntakeServer, uploadFile } from './fixtures';
import { sealSubjects } from './store';
import { COMPANY_ANSWERS, OPENING_PLEDGES, openingData, sampleRic } from './samples';

// Window intake (一窗受理): pre-review by a clerk — correction (补正) and resubmission, acceptance
// with deficiency (容缺), refusal (不予受理), applying on someone's behalf (帮办代办), and two clerks
// deciding at once.

describe('window intake by a clerk', () => {
  let server: TestServer;
  let enterprise: string;
  let clerk: string;
  let supervisor: string;

  beforeAll(async () => {
    server = await startIntakeServer();
    enterprise = await server.signIn('enterprise');
    clerk = await server.signIn('clerk');
    supervisor = await server.signIn('supervisor');
  });
  afterAll(() => server?.close());

  function post(cookie: string, path: string, body?: unknown, lang?: string) {
    return server.api(`/api/applications${path}`, { method: 'POST', cookie, body, lang });
  }

  /** A complete online application of the window-intake bundle, submitted and waiting. */
  async function submitted(n: number, upload = true) {
    const created = await server.api('/api/applications', {
      method: 'POST',
      cookie: enterprise,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        bundleCode: WINDOW_BUNDLE,
        answers: COMPANY_ANSWERS,
        data: openingData(n, 'llc'),
        pledges: OPENING_PLEDGES,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    if (upload) {
      const up = await uploadFile(server, enterprise, created.body.id, 'articles', {
        name: '章程.pdf',
        bytes: pdfBytes(`articles ${n}`),
      });
      expect(up.status).toBe(201);
    }
    const reply = await post(enterprise, `/${created.body.id}/submit`);
    return reply;
  }

  /** The clerk applies for enterprise-opening on behalf of `applicant`, who consented by SMS. */
  function applyOnBehalf(applicant: Record<string, unknown>, smsCode: string) {
    return server.api('/api/applications', {
      method: 'POST',
      cookie: clerk,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        bundleCode: 'enterprise-opening',
        applicant,
        consent: { method: 'sms', reference: `短信验证码 ${smsCode}` },
      },
    });
  }

  function future(days: number): string {
    return toLocalDate(new Date(Date.now() + days * 86_400_000));
  }

  it('queues a complete online application for pre-review instead of accepting it', async () => {
    const reply = await submitted(1);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'submitted', intake: 'window', notices: [] });
    const queue = await server.api(`/api/applications?status=submitted&bundle=${WINDOW_BUNDLE}`, {
      cookie: clerk,
    });
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((a: any) => a.id)).toContain(reply.body.id);
    const seen = await server.api(`/api/applications/${reply.body.id}`, { cookie: clerk });
    expect(seen.body.actions).toEqual(
      expect.arrayContaining(['accept', 'accept-with-deficiency', 'correction', 'refuse']),
    );
    expect(seen.body.actions).not.toContain('submit');
  });

  it('requests a correction in one notice, stops the clock, and accepts with deficiency after resubmission', async () => {
    const { body: app } = await submitted(2);
    expect(app.status).toBe('submitted');

    // A plain acceptance needs every material; the accounting filing is missing.
    const plain = await post(clerk, `/${app.id}/accept`);
    expect(plain.status).toBe(422);
    expect(plain.body.error.details).toEqual([
      expect.objectContaining({ path: 'materials.accounting-system', rule: 'provided' }),
    ]);

    const bad = await post(clerk, `/${app.id}/correction`, {
      items: [{ material: 'no-such', note: 'x' }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0]).toMatchObject({
      path: 'body.items.0.material',
      rule: 'exists',
    });

    const correction = await post(clerk, `/${app.id}/correction`, {
      items: [
        { material: 'articles', note: '请上传全体股东签署的公司章程' },
        { field: 'domicile', note: '住所地址请写到门牌号' },
      ],
      note: '请一次性补正以上内容',
    });
    expect(correction.status, JSON.stringify(correction.body)).toBe(200);
    expect(correction.body.status).toBe('correction');
    expect(correction.body.correction.items).toHaveLength(2);
    expect(correction.body.notices.map((n: any) => n.kind)).toEqual(['correction']);
    expect(correction.body.events.map((e: any) => e.action).slice(-2)).toEqual([
      'correction_requested',
      'clock_stopped',
    ]);
    const notice = await server.api(
      `/api/applications/${app.id}/notices/${correction.body.notices[0].id}`,
      { cookie: enterprise },
    );
    expect(notice.body).toMatchObject({
      kind: 'correction',
      title: { zh: '补正材料通知书' },
      issuer: { department: { zh: '威海市行政审批服务局' }, name: '王晓燕' },
    });
    expect(notice.body.facts.items[0].materialName.zh).toBe('公司章程');

    // The clerk cannot decide again while the applicant corrects.
    expect((await post(clerk, `/${app.id}/accept`)).status).toBe(409);

    // The applicant fixes the form and hands in the articles, then resubmits.
    const fixed = await server.api(`/api/applications/${app.id}`, {
      method: 'PUT',
      cookie: enterprise,
      body: { data: { ...app.data, domicile: '威海市环翠区文化西路2号甲' } },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.status).toBe('correction');
    const old = fixed.body.materials.find((m: any) => m.key === 'articles').uploads[0];
    const removed = await server.api(`/api/applications/${app.id}/materials/${old.id}`, {
      method: 'DELETE',
      cookie: enterprise,
    });
    expect(removed.status).toBe(204);
    await uploadFile(server, enterprise, app.id, 'articles', {
      name: '章程.pdf',
      bytes: pdfBytes('fixed'),
    });
    const resubmitted = await post(enterprise, `/${app.id}/submit`);
    expect(resubmitted.body.status).toBe('submitted');
    expect(resubmitted.body.correction).toBeNull();
    expect(resubmitted.body.events.map((e: any) => e.action).slice(-2)).toEqual([
      'resubmitted',
      'clock_restarted',
    ]);

    const wrong = await post(clerk, `/${app.id}/accept-with-deficiency`, {
      materials: ['articles'],
      dueDate: toLocalDate(new Date()),
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details.map((d: any) => d.rule).sort()).toEqual([
      'covers_outstanding',
      'deficiency_allowed',
      'future',
    ]);

    const due = future(20);
    const accepted = await post(clerk, `/${app.id}/accept-with-deficiency`, {
      materials: ['accounting-system'],
      dueDate: due,
      note: '领取执照后补交',
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({
      status: 'accepted',
      deficiency: { materials: ['accounting-system'], dueDate: due, note: '领取执照后补交' },
    });
    expect(accepted.body.expectedBy).not.toBeNull();
    const acceptance = accepted.body.notices.find((n: any) => n.kind === 'acceptance');
    const printed = await server.api(`/api/applications/${app.id}/notices/${acceptance.id}`, {
      cookie: clerk,
    });
    expect(printed.body.facts.deficiency).toMatchObject({ dueDate: due });
    expect(printed.body.facts.materials.find((m: any) => m.key === 'articles').files).toBe(1);

    // The deficient material may follow after acceptance; nothing else may be changed.
    const late = await uploadFile(server, enterprise, app.id, 'accounting-system', {
      name: '财务制度.pdf',
      bytes: pdfBytes('accounting'),
    });
    expect(late.status).toBe(201);
    const other = await uploadFile(server, enterprise, app.id, 'articles', {
      name: '章程.pdf',
      bytes: pdfBytes('more'),
    });
    expect(other.status).toBe(409);

    const audit = await server.db.kysely
      .selectFrom('auditLog')
      .select('action')
      .where('objectId', '=', app.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'cases.application_created',
      'cases.material_uploaded',
      'cases.application_submitted',
      'cases.correction',
      'cases.application_saved',
      'cases.material_removed',
      'cases.material_uploaded',
      'cases.application_submitted',
      'cases.accept_with_deficiency',
      'cases.material_uploaded',
    ]);
  });

  it('refuses with the reason and legal basis, after which nothing else can be decided', async () => {
    const { body: app } = await submitted(3);
    const blank = await post(clerk, `/${app.id}/refuse`, { reason: ' ', legalBasis: 'x' });
    expect(blank.status).toBe(422);
    const refused = await post(clerk, `/${app.id}/refuse`, {
      reason: '申请事项依法不属于本机关职权范围',
      legalBasis: '《中华人民共和国行政许可法》第三十二条第一款第（二）项',
    });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({
      status: 'refused',
      refusal: { reason: '申请事项依法不属于本机关职权范围' },
    });
    const notice = await server.api(
      `/api/applications/${app.id}/notices/${refused.body.notices[0].id}`,
      { cookie: enterprise },
    );
    expect(notice.body).toMatchObject({
      kind: 'refusal',
      title: { zh: '不予受理决定书' },
      facts: { legalBasis: '《中华人民共和国行政许可法》第三十二条第一款第（二）项' },
    });
    const late = await post(clerk, `/${app.id}/accept`, undefined, 'en');
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'cases.invalid_state' });
    expect(late.body.error.message).toMatch(/refused/i);
  });

  it('lets exactly one of two clerks win when accept and refuse race', async () => {
    const { body: app } = await submitted(4);
    const second = await server.signIn('clerk');
    const [a, b] = await Promise.all([
      post(clerk, `/${app.id}/accept-with-deficiency`, {
        materials: ['accounting-system'],
        dueDate: future(10),
      }),
      post(second, `/${app.id}/refuse`, {
        reason: '不符合受理条件',
        legalBasis: '行政许可法第三十二条',
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const final = await server.api(`/api/applications/${app.id}`, { cookie: clerk });
    expect(final.body.notices).toHaveLength(1);
    expect(final.body.status).toBe(a.status === 200 ? 'accepted' : 'refused');
  });

  it("applies on a person's behalf with their consent, and refuses without it", async () => {
    const person = {
      kind: 'person',
      name: '林晓',
      identifier: sampleRic('371002', '19900101', '456'),
      mobile: '13906311077',
      address: '山东省威海市环翠区新威路 17 号',
    };
    const body = {
      bundleCode: 'enterprise-opening',
      answers: COMPANY_ANSWERS,
      data: openingData(5, 'llc'),
      pledges: OPENING_PLEDGES,
      applicant: person,
    };
    const headers = () => ({ 'idempotency-key': randomUUID() });
    const noConsent = await server.api('/api/applications', {
      method: 'POST',
      cookie: clerk,
      headers: headers(),
      body,
    });
    expect(noConsent.status).toBe(422);
    expect(noConsent.body.error.details).toEqual([
      expect.objectContaining({ path: 'body.consent', rule: 'required' }),
    ]);
    const badId = await server.api('/api/applications', {
      method: 'POST',
      cookie: clerk,
      headers: headers(),
      body: {
        ...body,
        applicant: { ...person, identifier: '371002199001014560' },
        consent: { method: 'signature', reference: '窗口签字确认单 2026-001' },
      },
    });
    expect(badId.status).toBe(422);
    expect(badId.body.error.details[0]).toMatchObject({
      path: 'body.applicant.identifier',
      rule: 'ric',
    });

    const created = await server.api('/api/applications', {
      method: 'POST',
      cookie: clerk,
      headers: headers(),
      body: { ...body, consent: { method: 'signature', reference: '窗口签字确认单 2026-001' } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const app = created.body;
    expect(app).toMatchObject({
      channel: 'window',
      applicant: { kind: 'person', name: '林晓', identifier: person.identifier },
      assisted: { clerkName: '王晓燕', consent: { method: 'signature' } },
    });
    const subject = await server.db.kysely
      .selectFrom('subjects')
      .select(['id', 'identifier', sql<string>`identifier`.as('stored')])
      .where('identifier', 'in', lookupForms(person.identifier))
      .executeTakeFirst();
    expect(subject?.id).toBe(app.subjectId);
    // The resident ID number is sealed at rest (deterministically) and read back whole.
    expect(subject?.identifier).toBe(person.identifier);
    expect(subject?.stored).toMatch(/^sm4:1:/);
    expect(subject?.stored).not.toContain(person.identifier);
    // So are the applicant's identifier, mobile and address inside the application's JSON.
    const stored = await sql<{ applicant: string }>`
      select applicant::text as applicant from applications where id = ${app.id}`.execute(
      server.db.kysely,
    );
    const applicantText = stored.rows[0]!.applicant;
    expect(applicantText).toContain('林晓');
    for (const plain of [person.identifier, person.mobile, '新威路']) {
      expect(applicantText).not.toContain(plain);
    }
    expect(JSON.parse(applicantText)).toMatchObject({
      identifier: subject?.stored,
      mobile: expect.stringMatching(/^sm4:1:/),
      address: expect.stringMatching(/^sm4:1:/),
    });
    expect(app.applicant).toMatchObject({ mobile: person.mobile, address: person.address });

    // The clerk hands in the materials at the counter and submits; a window application of an
    // automatic bundle is still pre-reviewed, then accepted.
    await uploadFile(server, clerk, app.id, 'articles', { name: '章程.pdf', bytes: pdfBytes() });
    await uploadFile(server, clerk, app.id, 'accounting-system', {
      name: '财务.pdf',
      bytes: pdfBytes('a'),
    });
    const sent = await post(clerk, `/${app.id}/submit`);
    expect(sent.body.status).toBe('submitted');
    const accepted = await post(clerk, `/${app.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', deficiency: null });
    const notice = await server.api(
      `/api/applications/${app.id}/notices/${accepted.body.notices[0].id}`,
      { cookie: clerk },
    );
    expect(notice.body.title.zh).toBe('受理通知书');
    expect(notice.body.application.applicantIdentifier).toBe(
      `${person.identifier.slice(0, 6)}********${person.identifier.slice(-4)}`,
    );

    // A second application for the same person links the same subject.
    const again = await applyOnBehalf(person, '123456');
    expect(again.body.subjectId).toBe(app.subjectId);
  });

  it('finds a person registered before sealing at the window, then seals the number in place', async () => {
    const db = server.db.kysely;
    const stored = async (id: string) =>
      (
        await sql<{
          stored: string;
        }>`select identifier as stored from subjects where id = ${id}`.execute(db)
      ).rows[0]!.stored;
    const ric = sampleRic('371002', '19750809', '318');
    const { id } = await db
      .insertInto('subjects')
      .values({ kind: 'person', name: '旧数据', identifier: ric, regionCode: '371002' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const applicant = { kind: 'person', name: '旧数据', identifier: ric };
    const created = await applyOnBehalf(applicant, '654321');
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.subjectId).toBe(id);
    expect(await stored(id)).toBe(ric);

    // A plain copy of a number another row holds sealed (a registration racing the upgrade).
    const sealedOne = await db
      .selectFrom('subjects')
      .select(['name', 'identifier', sql<string>`identifier`.as('stored')])
      .where('kind', '=', 'person')
      .where(sql<boolean>`identifier like 'sm4:1:%'`)
      .executeTakeFirstOrThrow();
    const { id: copy } = await db
      .insertInto('subjects')
      .values({
        kind: 'person',
        name: sealedOne.name,
        identifier: sealedOne.identifier,
        regionCode: '371002',
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    // As before the upgrade: the sealing steps the start-up went through are forgotten.
    await sql`delete from sealing_steps`.execute(db);
    expect((await sealSubjects(db, 1)).sealed).toBe(1);
    expect(await stored(id)).toBe(sealLookup(ric));
    expect(await stored(id)).not.toContain(ric);
    // left as it was: sealing it would break the unique constraint; lookups find both forms
    expect(await stored(copy)).toBe(sealedOne.identifier);
    expect(lookupForms(sealedOne.identifier)).toContain(sealedOne.stored);
    await db.deleteFrom('subjects').where('id', '=', copy).execute();

    const again = await applyOnBehalf(applicant, '654322');
    expect(again.body.subjectId).toBe(id);
    expect(again.body.applicant.identifier).toBe(ric);
  });

  it('lets supervisors and administrators read but not decide, and keeps reviewers out', async () => {
    const { body: app } = await submitted(6);
    expect((await server.api(`/api/applications/${app.id}`, { cookie: supervisor })).status).toBe(
      200,
    );
    const admin = await server.signIn('admin');
    expect((await server.api(`/api/applications/${app.id}`, { cookie: admin })).status).toBe(200);
    expect((await post(supervisor, `/${app.id}/accept`)).status).toBe(403);
    const reviewer = await server.signIn('reviewer');
    expect((await server.api(`/api/applications/${app.id}`, { cookie: reviewer })).status).toBe(
      403,
    );
    const queue = await server.api('/api/applications?status=submitted', { cookie: supervisor });
    expect(queue.body.items.some((a: any) => a.id === app.id)).toBe(true);
    // Oldest submitted first in the queue.
    const times = queue.body.items.map((a: any) => a.submittedAt);
    expect([...times].sort()).toEqual(times);
  });
});
