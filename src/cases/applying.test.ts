import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../test/support/server';
import { verifyAuditChain } from '../platform/audit';
import {
  eicarBytes,
  exeBytes,
  jpegBytes,
  pdfBytes,
  pngBytes,
  startIntakeServer,
  uploadFile,
  zipBytes,
} from './fixtures';
import { COMPANY_ANSWERS, OPENING_ANSWERS, OPENING_PLEDGES, openingData } from './samples';
import { membersOf } from './store';

// Applying online: drafts, uploads, submission with idempotency keys, automatic intake, bad files,
// and who may see what — over real HTTP against a real database.

describe('applying for enterprise-opening online', () => {
  let server: TestServer;
  let enterprise: string;
  let citizen: string;
  let clerk: string;

  beforeAll(async () => {
    server = await startIntakeServer();
    enterprise = await server.signIn('enterprise');
    citizen = await server.signIn('citizen');
    clerk = await server.signIn('clerk');
  });
  afterAll(() => server?.close());

  function create(cookie: string, body: unknown, key: string = randomUUID()) {
    return server.api('/api/applications', {
      method: 'POST',
      cookie,
      headers: { 'idempotency-key': key },
      body,
    });
  }

  async function draft(answers: object = OPENING_ANSWERS, n = 1) {
    const reply = await create(enterprise, {
      bundleCode: 'enterprise-opening',
      answers,
      data: openingData(n, answers === COMPANY_ANSWERS ? 'llc' : 'sole-proprietorship'),
      pledges: OPENING_PLEDGES,
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body;
  }

  it('prefills the applicant from the signed-in subject', async () => {
    const reply = await server.api('/api/applications/prefill?bundle=enterprise-opening', {
      cookie: enterprise,
    });
    expect(reply.status).toBe(200);
    expect(reply.body.applicant).toMatchObject({
      kind: 'enterprise',
      name: '威海澜石精密机械有限公司',
    });
    // The new enterprise's code is not the applicant's: it is never prefilled.
    expect(reply.body.data.uscc).toBeUndefined();
    expect(
      (await server.api('/api/applications/prefill?bundle=enterprise-opening', { cookie: clerk }))
        .status,
    ).toBe(403);
  });

  it('refuses a create without an Idempotency-Key, naming the header', async () => {
    const reply = await server.api('/api/applications', {
      method: 'POST',
      cookie: enterprise,
      body: { bundleCode: 'enterprise-opening' },
    });
    expect(reply.status).toBe(422);
    expect(reply.body.error.details[0].path).toBe('headers.idempotency-key');
  });

  it('saves a draft with what is still missing, and refuses an applicant named by an applicant', async () => {
    const reply = await create(enterprise, { bundleCode: 'enterprise-opening' });
    expect(reply.status).toBe(201);
    const app = reply.body;
    expect(app).toMatchObject({ status: 'draft', channel: 'online', intake: 'auto' });
    expect(app.number).toMatch(/^YJS\d{8}\d{5}$/);
    expect(app.missing.map((p: any) => p.path)).toContain('answers.enterprise-type');
    expect(app.actions).toEqual(expect.arrayContaining(['update', 'upload', 'submit', 'withdraw']));

    const named = await create(enterprise, {
      bundleCode: 'enterprise-opening',
      applicant: { kind: 'person', name: '某人', identifier: '1' },
    });
    expect(named.status).toBe(422);
    expect(named.body.error.details[0]).toMatchObject({
      path: 'body.applicant',
      rule: 'not_allowed',
    });
  });

  it('takes drafts, uploads and a submission through to automatic acceptance with its notice', async () => {
    const app = await draft(COMPANY_ANSWERS, 2);
    const articles = app.materials.find((m: any) => m.key === 'articles');
    expect(articles).toMatchObject({ required: true, provision: 'upload', uploads: [] });
    // The name notice comes from the name declaration's result, not from the applicant.
    expect(app.materials.find((m: any) => m.key === 'name-notice').provision).toBe('result');
    expect(app.missing).toEqual([
      expect.objectContaining({ path: 'materials.articles', rule: 'upload' }),
    ]);

    const early = await server.api(`/api/applications/${app.id}/submit`, {
      method: 'POST',
      cookie: enterprise,
    });
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('cases.incomplete');
    expect(early.body.error.details.map((d: any) => d.path)).toEqual(['materials.articles']);

    const saved = await server.api(`/api/applications/${app.id}`, {
      method: 'PUT',
      cookie: enterprise,
      body: { data: { ...app.data, employees: 3 } },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.data.employees).toBe(3);

    const up = await uploadFile(server, enterprise, app.id, 'articles', {
      name: '公司章程.pdf',
      bytes: pdfBytes('articles'),
    });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({ contentType: 'application/pdf', filename: '公司章程.pdf' });

    const submitted = await server.api(`/api/applications/${app.id}/submit`, {
      method: 'POST',
      cookie: enterprise,
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    const done = submitted.body;
    expect(done.status).toBe('accepted');
    expect(done.acceptedAt).not.toBeNull();
    expect(done.expectedBy).toMatch(/\+08:00$/);
    // The accounting-system filing may follow (容缺): the system lists it with a due date.
    expect(done.deficiency).toMatchObject({ materials: ['accounting-system'] });
    expect(done.deficiency.dueDate > done.acceptedAt.slice(0, 10)).toBe(true);
    expect(done.notices).toHaveLength(1);
    expect(done.notices[0]).toMatchObject({ kind: 'acceptance' });
    expect(done.events.map((e: any) => e.action)).toEqual([
      'created',
      'material_uploaded',
      'submitted',
      'auto_accepted',
    ]);

    const notice = await server.api(`/api/applications/${app.id}/notices/${done.notices[0].id}`, {
      cookie: enterprise,
    });
    expect(notice.status).toBe(200);
    expect(notice.body).toMatchObject({
      kind: 'acceptance',
      title: { zh: '容缺受理通知书' },
      application: { number: done.number, applicantName: '威海澜石精密机械有限公司' },
      statusPath: `/status/${done.publicToken}`,
    });
    expect(notice.body.facts.deficiency.materials[0].key).toBe('accounting-system');
    expect(notice.body.qrSvg).toMatch(/^<svg/);
    expect(notice.body.statusUrl).toBe(`${server.url}/status/${done.publicToken}`);

    // The members are recorded for the department cases, with each one's share of the form.
    const members = await membersOf(server.db.kysely, app.id);
    expect(members.map((m) => m.memberKey).sort()).toEqual(['name', 'registration', 'tax']);
    const name = members.find((m) => m.memberKey === 'name')!;
    expect((name.data as Record<string, unknown>)['proposed-name']).toBe(
      app.data['enterprise-name'],
    );
    expect(name.itemVersion).toBeGreaterThan(0);

    // Submitting again returns it as it is; it can no longer be edited.
    const again = await server.api(`/api/applications/${app.id}/submit`, {
      method: 'POST',
      cookie: enterprise,
    });
    expect(again.status).toBe(200);
    expect(again.body.notices).toHaveLength(1);
    const edit = await server.api(`/api/applications/${app.id}`, {
      method: 'PUT',
      cookie: enterprise,
      body: { data: {} },
    });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('cases.invalid_state');
  });

  it('accepts a complete submission at once, without deficiency when everything is there', async () => {
    const app = await draft(OPENING_ANSWERS, 3);
    expect(
      (
        await uploadFile(server, enterprise, app.id, 'accounting-system', {
          name: 'accounting.png',
          bytes: pngBytes(),
        })
      ).status,
    ).toBe(201);
    const done = await server.api(`/api/applications/${app.id}/submit`, {
      method: 'POST',
      cookie: enterprise,
    });
    expect(done.body).toMatchObject({ status: 'accepted', deficiency: null });
  });

  it('creates one application per Idempotency-Key, sequentially and when requests race', async () => {
    const body = {
      bundleCode: 'enterprise-opening',
      answers: OPENING_ANSWERS,
      data: openingData(4),
    };
    const key = randomUUID();
    const first = await create(enterprise, body, key);
    const second = await create(enterprise, body, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.number).toBe(first.body.number);

    const raced = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 6 }, () =>
        create(enterprise, { ...body, submit: true, pledges: OPENING_PLEDGES }, raced),
      ),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    const rows = await server.db.kysely
      .selectFrom('applicationRequests')
      .select('applicationId')
      .where('idempotencyKey', '=', raced)
      .execute();
    expect(rows).toHaveLength(1);

    const conflict = await create(enterprise, { ...body, data: openingData(5) }, key);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('cases.idempotency_conflict');
    // The key is the caller's own: another user may use the same one.
    const other = await create(citizen, { bundleCode: 'enterprise-opening' }, key);
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
  });

  it('refuses bad files cleanly and stores good ones under their sniffed type', async () => {
    const app = await draft(COMPANY_ANSWERS, 6);
    const send = (name: string, bytes: Buffer, material = 'articles') =>
      uploadFile(server, enterprise, app.id, material, { name, bytes });

    const big = await send('big.pdf', Buffer.concat([pdfBytes(), Buffer.alloc(10 * 1024 * 1024)]));
    expect(big.status).toBe(413);
    expect(big.body.error.details[0]).toMatchObject({ path: 'body.file', rule: 'maxBytes' });

    // Files well above the 1 MiB JSON body limit are fine up to the upload limit.
    const large = await send(
      'large.pdf',
      Buffer.concat([pdfBytes(), Buffer.alloc(3 * 1024 * 1024)]),
    );
    expect(large.status).toBe(201);
    expect(large.body.size).toBeGreaterThan(3 * 1024 * 1024);
    expect(
      (
        await server.api(`/api/applications/${app.id}/materials/${large.body.id}`, {
          method: 'DELETE',
          cookie: enterprise,
        })
      ).status,
    ).toBe(204);

    const exe = await send('章程.pdf', exeBytes());
    expect(exe.status).toBe(422);
    expect(exe.body.error.details[0]).toMatchObject({ path: 'body.file', rule: 'type' });

    const virus = await send('eicar.pdf', eicarBytes());
    expect(virus.status).toBe(422);
    expect(virus.body.error.details[0]).toMatchObject({ rule: 'virus' });

    const empty = await send('empty.pdf', Buffer.alloc(0));
    expect(empty.status).toBe(422);
    expect(empty.body.error.details[0]).toMatchObject({ rule: 'empty' });

    const zip = await send('archive.zip', zipBytes());
    expect(zip.status).toBe(422);
    expect(zip.body.error.details[0].rule).toBe('type');

    const elsewhere = await send('a.pdf', pdfBytes(), 'partnership-agreement');
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.details[0]).toMatchObject({
      path: 'body.material',
      rule: 'applicable',
    });

    const noMaterial = await uploadFile(server, enterprise, app.id, undefined, {
      name: 'a.pdf',
      bytes: pdfBytes(),
    });
    expect(noMaterial.status).toBe(422);
    expect(noMaterial.body.error.details[0].path).toBe('body.material');

    const json = await server.api(`/api/applications/${app.id}/materials`, {
      method: 'POST',
      cookie: enterprise,
      body: { material: 'articles' },
    });
    expect(json.status).toBe(415);

    // A PDF name over PNG bytes is a PNG; an OFD is a zip under an .ofd name; JPEG is fine.
    const png = await send('../../etc/章程.pdf', pngBytes());
    expect(png.status).toBe(201);
    expect(png.body).toMatchObject({ contentType: 'image/png', filename: '章程.pdf' });
    expect((await send('章程.ofd', zipBytes())).body.contentType).toBe('application/ofd');
    expect((await send('scan.jpg', jpegBytes())).body.contentType).toBe('image/jpeg');

    const download = await fetch(
      `${server.url}/api/applications/${app.id}/materials/${png.body.id}`,
      {
        headers: { cookie: enterprise },
      },
    );
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await download.arrayBuffer()).equals(pngBytes())).toBe(true);

    const removed = await server.api(`/api/applications/${app.id}/materials/${png.body.id}`, {
      method: 'DELETE',
      cookie: enterprise,
    });
    expect(removed.status).toBe(204);
    const after = await server.api(`/api/applications/${app.id}`, { cookie: enterprise });
    const uploads = after.body.materials.find((m: any) => m.key === 'articles').uploads;
    expect(uploads.map((u: any) => u.contentType).sort()).toEqual([
      'application/ofd',
      'image/jpeg',
    ]);
    expect(
      (
        await server.api(`/api/applications/${app.id}/materials/${png.body.id}`, {
          cookie: enterprise,
        })
      ).status,
    ).toBe(404);
  });

  it("hides an application from other applicants and refuses them clerks' actions", async () => {
    const app = await draft(OPENING_ANSWERS, 7);
    for (const [method, path] of [
      ['GET', ''],
      ['PUT', ''],
      ['POST', '/submit'],
      ['POST', '/withdraw'],
    ] as const) {
      const reply = await server.api(`/api/applications/${app.id}${path}`, {
        method,
        cookie: citizen,
        body: method === 'GET' ? undefined : {},
      });
      expect(reply.status, `${method} ${path}`).toBe(404);
    }
    const upload = await uploadFile(server, citizen, app.id, 'articles', {
      name: 'a.pdf',
      bytes: pdfBytes(),
    });
    expect(upload.status).toBe(404);
    const accept = await server.api(`/api/applications/${app.id}/accept`, {
      method: 'POST',
      cookie: enterprise,
    });
    expect(accept.status).toBe(403);
    // A clerk does not see an applicant's draft either.
    expect((await server.api(`/api/applications/${app.id}`, { cookie: clerk })).status).toBe(404);
    const mine = await server.api('/api/applications', { cookie: citizen });
    expect(mine.body.items.every((a: any) => a.id !== app.id)).toBe(true);
  });

  it('withdraws a draft, after which it cannot be submitted', async () => {
    const app = await draft(OPENING_ANSWERS, 8);
    const withdrawn = await server.api(`/api/applications/${app.id}/withdraw`, {
      method: 'POST',
      cookie: enterprise,
    });
    expect(withdrawn.body.status, JSON.stringify(withdrawn.body)).toBe('withdrawn');
    const submit = await server.api(`/api/applications/${app.id}/submit`, {
      method: 'POST',
      cookie: enterprise,
      lang: 'en',
    });
    expect(submit.status).toBe(409);
    expect(submit.body.error).toMatchObject({ code: 'cases.invalid_state' });
    expect(submit.body.error.message).toMatch(/withdrawn/);
  });

  it('shows the public status page without names or identifiers', async () => {
    const submitted = await create(enterprise, {
      bundleCode: 'enterprise-opening',
      answers: OPENING_ANSWERS,
      data: openingData(9),
      pledges: OPENING_PLEDGES,
      submit: true,
    });
    expect(submitted.status).toBe(201);
    const app = submitted.body;
    const page = await server.api(`/api/public/applications/${app.publicToken}`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ number: app.number, status: app.status });
    expect(page.body.items.length).toBeGreaterThan(0);
    const text = JSON.stringify(page.body);
    for (const secret of [
      app.applicant.name,
      app.applicant.identifier,
      app.data['legal-rep-ric'],
      app.data['legal-rep-name'],
      app.publicToken,
    ]) {
      expect(text).not.toContain(secret);
    }
    const draftApp = await draft(OPENING_ANSWERS, 10);
    expect((await server.api(`/api/public/applications/${draftApp.publicToken}`)).status).toBe(404);
    expect((await server.api('/api/public/applications/nope')).status).toBe(404);
  });

  it('lists the applicant’s own applications, newest first, and keeps the audit chain whole', async () => {
    const list = await server.api('/api/applications?limit=5', { cookie: enterprise });
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThanOrEqual(8);
    expect(list.body.items).toHaveLength(5);
    const times = list.body.items.map((a: any) => a.updatedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(list.body.items[0].applicant.name).toBe('威海澜石精密机械有限公司');
    expect((await verifyAuditChain(server.db.kysely)).ok).toBe(true);
  });
});
