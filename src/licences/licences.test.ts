import { randomUUID } from 'node:crypto';
import smCrypto from 'sm-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server';
import { OPENING_ANSWERS, openingData as sampleOpeningData } from '../cases/samples';
import { isSealed, openJson } from '../platform/crypto';
import { checkUscc } from '../platform/ids';
import { issueSocialSecurityCard } from './fixtures';
import { checkLicenceIdentifier } from './identifier';
import { licenceContent } from './model';
import { canonicalForm } from './signature';

// E-licences end to end over HTTP: an enterprise opening decided by rule issues its 营业执照 to the
// new enterprise once, the signature verifies with an independent SM2 implementation, verification
// refuses a tampered or revoked licence and says why, and only holders and the issuing department
// see a licence.

/** An enterprise opening decided by rule: a trade name of Han characters only. */
function openingData(n: number) {
  return { ...sampleOpeningData(n), 'trade-name': n === 1 ? '澜证精工' : '澜信精工' };
}

describe('e-licences', () => {
  let server: TestServer;
  let enterprise: string;
  let citizen: string;
  let xzsp: string;
  let scjg: string;
  let rsj: string;
  let admin: string;
  let licence: any;

  beforeAll(async () => {
    // no background dispatcher or sweep: the tests dispatch when they choose
    server = await startTestServer({
      seed: 'all',
      env: { ONETHING_OUTBOX_SECONDS: '0', ONETHING_SLA_SWEEP_SECONDS: '0' },
    });
    enterprise = await server.signIn('enterprise');
    citizen = await server.signIn('citizen');
    xzsp = await server.signIn('reviewer-xzsp');
    scjg = await server.signIn('reviewer');
    rsj = await server.signIn('reviewer-rsj');
    admin = await server.signIn('admin');
  });
  afterAll(() => server?.close());

  async function openEnterprise(n: number) {
    const reply = await server.api('/api/applications', {
      method: 'POST',
      cookie: enterprise,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        bundleCode: 'enterprise-opening',
        answers: OPENING_ANSWERS,
        data: openingData(n),
        pledges: ['residence-proof'],
        submit: true,
      },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.status).toBe('accepted');
    return reply.body;
  }

  it('issues the business licence of an opening completed by rule to the new enterprise, once', async () => {
    const application = await openEnterprise(1);
    await server.app.events.dispatch();
    await server.app.events.dispatch();
    const rows = await server.db.kysely
      .selectFrom('licences')
      .selectAll()
      .where('typeCode', '=', '11100000MA0000001A001')
      .where('sourceCaseId', 'is not', null)
      .execute();
    expect(rows).toHaveLength(1);
    // read past the store: the fields are stored sealed whole
    expect(isSealed(String(rows[0]!.fields))).toBe(true);
    const row = { ...rows[0]!, fields: openJson(rows[0]!.fields) };
    expect(row.holderKind).toBe('enterprise');
    expect(checkUscc(row.holderIdentifier).valid).toBe(true);
    expect(row.holderName).toBe('威海市环翠区海澜1号精密机械厂');
    expect(row.fields).toMatchObject({
      uscc: row.holderIdentifier,
      'enterprise-name': '威海市环翠区海澜1号精密机械厂',
      'legal-rep-name': '张伟',
      'registered-capital': 10,
    });
    expect(row.issuerDepartmentCode).toBe('xzsp');
    expect(row.validUntil).toBeNull();
    // the new enterprise is known to the platform from now on (its dossier, its wallet)
    const founded = await server.db.kysely
      .selectFrom('subjects')
      .select(['id', 'kind', 'name'])
      .where('identifier', '=', row.holderIdentifier)
      .executeTakeFirstOrThrow();
    expect(founded).toMatchObject({ kind: 'enterprise', name: '威海市环翠区海澜1号精密机械厂' });
    expect(row.subjectId).toBe(founded.id);
    expect(checkLicenceIdentifier(row.identifier).valid).toBe(true);
    // the credit code is the one the application's results carry
    const results = await server.api(`/api/applications/${application.id}/results`, {
      cookie: enterprise,
    });
    expect(JSON.stringify(results.body)).toContain(row.holderIdentifier);
    licence = row;
  });

  it('signs the canonical content so that an independent SM2 implementation verifies it', async () => {
    const keys = await server.api('/api/licences/keys');
    expect(keys.status).toBe(200);
    const key = keys.body.keys.find((k: any) => k.id === licence.signingKeyId);
    expect(key).toMatchObject({ algorithm: 'SM2-SM3', active: true, userId: '1234567812345678' });
    const canonical = canonicalForm(licenceContent(licence));
    expect(smCrypto.sm3(canonical)).toBe(licence.contentHash);
    expect(
      smCrypto.sm2.doVerifySignature(canonical, licence.signature, key.publicKey, { hash: true }),
    ).toBe(true);
    // The private half is stored sealed with SM4, never as the bare scalar.
    const stored = await server.db.kysely
      .selectFrom('licenceSigningKeys')
      .select('privateKey')
      .where('id', '=', licence.signingKeyId)
      .executeTakeFirstOrThrow();
    expect(isSealed(stored.privateKey)).toBe(true);
    expect(stored.privateKey).not.toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies a valid licence in public, disclosing only the masked holder', async () => {
    const reply = await server.api(`/api/licences/verify/${licence.identifier}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      valid: true,
      status: 'valid',
      type: { name: { zh: '营业执照' } },
      holder: { kind: 'enterprise', name: '威海市****机械厂' },
      signature: { valid: true, reason: null },
      problems: [],
    });
    expect(JSON.stringify(reply.body)).not.toContain(licence.holderIdentifier);
    expect(reply.body.fields).toBeUndefined();
  });

  it('refuses an unknown identifier with 404 and a wrong check character with 422 naming the rule', async () => {
    const unknown = await server.api(
      '/api/licences/verify/1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
    );
    expect(unknown.status).toBe(404);
    const last = licence.identifier.at(-1) === 'A' ? 'B' : 'A';
    const bad = await server.api(`/api/licences/verify/${licence.identifier.slice(0, -1)}${last}`, {
      lang: 'en',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0]).toMatchObject({
      path: 'params.identifier',
      rule: 'iso7064-mod37-36',
    });
    expect(bad.body.error.details[0].message).toContain('MOD 37,36');
    const format = await server.api('/api/licences/verify/not-an-identifier');
    expect(format.status).toBe(422);
    expect(format.body.error.details[0].rule).toBe('licence-identifier-format');
  });

  it('says a licence whose stored content was changed is tampered with', async () => {
    const application = await openEnterprise(2);
    expect(application.id).toBeTruthy();
    await server.app.events.dispatch();
    const row = await server.db.kysely
      .selectFrom('licences')
      .selectAll()
      .where('holderName', '=', '威海市环翠区海澜2号精密机械厂')
      .executeTakeFirstOrThrow();
    await server.db.kysely
      .updateTable('licences')
      .set({
        fields: JSON.stringify({ ...(openJson(row.fields) as object), 'registered-capital': 1000 }),
      })
      .where('id', '=', row.id)
      .execute();
    const reply = await server.api(`/api/licences/verify/${row.identifier}`);
    expect(reply.status).toBe(200);
    expect(reply.body.valid).toBe(false);
    expect(reply.body.signature.valid).toBe(false);
    expect(reply.body.signature.reason.zh).toContain('篡改');
    expect(reply.body.problems.map((p: any) => p.code)).toEqual(['tampered']);
  });

  it('lets the issuing department suspend, reinstate and revoke, audited; verification says revoked', async () => {
    const path = `/api/licences/${licence.id}`;
    const body = { reason: '以欺骗手段取得登记' };
    expect((await server.api(`${path}/revoke`, { method: 'POST', body })).status).toBe(401);
    expect(
      (await server.api(`${path}/revoke`, { method: 'POST', body, cookie: enterprise })).status,
    ).toBe(403);
    expect(
      (await server.api(`${path}/revoke`, { method: 'POST', body, cookie: scjg })).status,
    ).toBe(404);
    const invalid = await server.api(`${path}/revoke`, { method: 'POST', body: {}, cookie: xzsp });
    expect(invalid.status).toBe(422);
    const suspended = await server.api(`${path}/suspend`, {
      method: 'POST',
      body: { reason: '涉嫌虚假登记，调查期间暂扣' },
      cookie: xzsp,
    });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    expect(suspended.body.status).toBe('suspended');
    expect(suspended.body.actions).toEqual(['revoke', 'reinstate']);
    const during = await server.api(`/api/licences/verify/${licence.identifier}`);
    expect(during.body).toMatchObject({ valid: false, status: 'suspended' });
    expect(during.body.signature.valid).toBe(true);
    const again = await server.api(`${path}/suspend`, { method: 'POST', body, cookie: xzsp });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('licences.invalid_status');
    expect(
      (await server.api(`${path}/reinstate`, { method: 'POST', body, cookie: admin })).body.status,
    ).toBe('valid');
    const revoked = await server.api(`${path}/revoke`, { method: 'POST', body, cookie: xzsp });
    expect(revoked.body.status).toBe('revoked');
    expect(revoked.body.history.map((h: any) => h.action)).toEqual([
      'issued',
      'suspended',
      'reinstated',
      'revoked',
    ]);
    const verified = await server.api(`/api/licences/verify/${licence.identifier}`, { lang: 'en' });
    expect(verified.body).toMatchObject({ valid: false, status: 'revoked' });
    expect(verified.body.problems).toEqual([
      {
        code: 'revoked',
        message: expect.objectContaining({ en: expect.stringContaining('revoked') }),
      },
    ]);
    const audit = await server.db.kysely
      .selectFrom('auditLog')
      .select('action')
      .where('objectId', '=', licence.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'licences.issued',
      'licences.suspended',
      'licences.reinstated',
      'licences.revoked',
    ]);
  });

  it("shows holders their own licences and refuses someone else's with 404", async () => {
    const db = server.db.kysely;
    const person = await db
      .selectFrom('users')
      .innerJoin('subjects', 'subjects.id', 'users.subjectId')
      .select(['subjects.id', 'subjects.name', 'subjects.identifier'])
      .where('users.username', '=', 'citizen')
      .executeTakeFirstOrThrow();
    // a social security card issued to the citizen by a decided case (the handler's own path)
    const card = await issueSocialSecurityCard(db, person);
    expect(card.validUntil).not.toBeNull();

    expect((await server.api('/api/licences/mine')).status).toBe(401);
    expect((await server.api('/api/licences/mine', { cookie: xzsp })).status).toBe(403);
    const mine = await server.api('/api/licences/mine', { cookie: citizen });
    expect(mine.status).toBe(200);
    // the newest first: the card, then the four licences of the demo data
    expect(mine.body.items.map((l: any) => l.id)).toHaveLength(5);
    expect(mine.body.items[0].id).toBe(card.id);
    expect(mine.body.items.map((l: any) => l.type.name.zh).sort()).toEqual(
      ['不动产权证书', '居民户口簿', '居民身份证', '社会保障卡', '社会保障卡'].sort(),
    );
    expect(mine.body.items[0].fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'ric', value: person.identifier })]),
    );
    const others = await server.api('/api/licences/mine', { cookie: enterprise });
    expect(others.body.items.map((l: any) => l.id)).not.toContain(card.id);

    expect((await server.api(`/api/licences/${card.id}`, { cookie: citizen })).status).toBe(200);
    expect((await server.api(`/api/licences/${licence.id}`, { cookie: citizen })).status).toBe(404);
    expect((await server.api(`/api/licences/${card.id}`, { cookie: enterprise })).status).toBe(404);
    expect((await server.api(`/api/licences/${card.id}`, { cookie: rsj })).status).toBe(200);
    expect((await server.api(`/api/licences/${card.id}`, { cookie: xzsp })).status).toBe(404);
    expect((await server.api(`/api/licences/${licence.id}`, { cookie: xzsp })).status).toBe(200);
    expect((await server.api(`/api/licences/${licence.id}`, { cookie: admin })).status).toBe(200);
    expect((await server.api(`/api/licences/${licence.id}`)).status).toBe(401);
    const clerk = await server.signIn('clerk');
    expect((await server.api(`/api/licences/${licence.id}`, { cookie: clerk })).status).toBe(403);
    expect((await server.api(`/api/licences/${randomUUID()}`, { cookie: admin })).status).toBe(404);
  });

  it('replaces a valid licence with its next version (换发): new fields, old one points to it', async () => {
    const db = server.db.kysely;
    const firm = await db
      .selectFrom('licences')
      .selectAll()
      .where('holderName', '=', '威海澜石精密机械有限公司')
      .executeTakeFirstOrThrow();
    const path = `/api/licences/${firm.id}/replace`;
    const body = {
      reason: '住所变更',
      fields: { domicile: '山东省威海市经济技术开发区海林路18号' },
    };
    // only the issuing department (xzsp) or an administrator; not the holder, not another bureau
    expect((await server.api(path, { method: 'POST', body, cookie: enterprise })).status).toBe(403);
    expect((await server.api(path, { method: 'POST', body, cookie: rsj })).status).toBe(404);
    const immutable = await server.api(path, {
      method: 'POST',
      body: { reason: '更正', fields: { uscc: '91371000MA3C00000X' } },
      cookie: xzsp,
    });
    expect(immutable.status).toBe(422);
    expect(immutable.body.error.details[0]).toMatchObject({
      path: 'body.fields.uscc',
      rule: 'immutable',
    });
    const unknown = await server.api(path, {
      method: 'POST',
      body: { reason: '更正', fields: { colour: 'red' } },
      cookie: xzsp,
    });
    expect(unknown.body.error.details[0].rule).toBe('licence-field');

    const replaced = await server.api(path, { method: 'POST', body, cookie: xzsp });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    const next = replaced.body;
    // the same type, issuer and serial; the next version (GB/T 36904-2018 版本号)
    const [type, issuer, serial, version] = firm.identifier
      .slice('1.2.156.3005.2.'.length)
      .split('.');
    expect(version).toBe('001');
    expect(next.identifier.startsWith(`1.2.156.3005.2.${type}.${issuer}.${serial}.002.`)).toBe(
      true,
    );
    expect(checkLicenceIdentifier(next.identifier).valid).toBe(true);
    expect(next.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'domicile', value: '山东省威海市经济技术开发区海林路18号' }),
        expect.objectContaining({ key: 'legal-rep-name', value: '李娜' }),
      ]),
    );
    const old = await server.api(`/api/licences/verify/${firm.identifier}`);
    expect(old.body).toMatchObject({ valid: false, status: 'replaced' });
    const fresh = await server.api(`/api/licences/verify/${next.identifier}`);
    expect(fresh.body).toMatchObject({ valid: true, status: 'valid' });
    expect(fresh.body.signature.valid).toBe(true);
    const stored = await db
      .selectFrom('licences')
      .select(['status', 'replacedBy'])
      .where('id', '=', firm.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'replaced', replacedBy: next.id });
    // a replaced licence is not replaced again
    expect((await server.api(path, { method: 'POST', body, cookie: xzsp })).status).toBe(409);
  });

  it('lists the seeded licence types in public', async () => {
    const reply = await server.api('/api/licences/types');
    expect(reply.status).toBe(200);
    const names = reply.body.types.map((t: any) => t.name.zh);
    expect(names).toEqual(expect.arrayContaining(['营业执照', '食品经营许可证', '社会保障卡']));
  });
});
