import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server';
import { sealEventPayloads } from '../platform/notify';
import { casesOf } from './department-store';
import { PERSONAL_EVENT_FIELDS } from './department-results';
import { COMPANY_ANSWERS, OPENING_ANSWERS, OPENING_PLEDGES, openingData } from './samples';
import { membersOf, sealApplicationForms } from './store';

// An application's form answers and data repeat ID numbers, mobiles and addresses: each column is
// sealed as a whole at rest (SM4) and read back whole; rows stored before sealing still read.

describe('sealed form answers and data', () => {
  let server: TestServer;
  let enterprise: string;

  beforeAll(async () => {
    server = await startTestServer({ seed: 'all' });
    enterprise = await server.signIn('enterprise');
  });
  afterAll(() => server?.close());

  /** The answers and data of an application as stored, as text. */
  async function stored(id: string) {
    const { rows } = await sql<{ answers: string; data: string; dataType: string }>`
      select answers #>> '{}' as answers, data #>> '{}' as data,
        jsonb_typeof(data) as "dataType"
      from applications where id = ${id}`.execute(server.db.kysely);
    return rows[0]!;
  }

  it('stores the answers and data sealed and reads them back whole, also after a change', async () => {
    const data = openingData(41, 'llc');
    const created = await server.api('/api/applications', {
      method: 'POST',
      cookie: enterprise,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        bundleCode: 'enterprise-opening',
        answers: COMPANY_ANSWERS,
        data,
        pledges: OPENING_PLEDGES,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    expect(created.body.data).toEqual(data);
    expect(created.body.answers).toEqual(COMPANY_ANSWERS);

    const first = await stored(id);
    expect(first.dataType).toBe('string');
    expect(first.answers).toMatch(/^sm4:1:/);
    expect(first.data).toMatch(/^sm4:1:/);
    for (const plain of [data['legal-rep-ric'], data['legal-rep-mobile'], '文化西路', '张伟']) {
      expect(first.data).not.toContain(plain);
    }
    expect(first.answers).not.toContain('company');

    const changed = { ...data, 'finance-officer-mobile': '13906319999' };
    const put = await server.api(`/api/applications/${id}`, {
      method: 'PUT',
      cookie: enterprise,
      body: { data: changed },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.data).toEqual(changed);
    const second = await stored(id);
    expect(second.data).toMatch(/^sm4:1:/);
    expect(second.data).not.toBe(first.data);
    expect(second.data).not.toContain('13906319999');
    expect(second.answers).toMatch(/^sm4:1:/);

    const read = await server.api(`/api/applications/${id}`, { cookie: enterprise });
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual(changed);
    expect(read.body.answers).toEqual(COMPANY_ANSWERS);
  });

  it('reads answers and data stored in the clear before sealing as they are', async () => {
    const created = await server.api('/api/applications', {
      method: 'POST',
      cookie: enterprise,
      headers: { 'idempotency-key': randomUUID() },
      body: { bundleCode: 'enterprise-opening', answers: COMPANY_ANSWERS },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const plain = { domicile: '威海市环翠区文化西路9号', 'legal-rep-mobile': '13906310009' };
    await sql`update applications
      set data = ${JSON.stringify(plain)}::jsonb, answers = ${JSON.stringify(COMPANY_ANSWERS)}::jsonb
      where id = ${id}`.execute(server.db.kysely);
    expect((await stored(id)).dataType).toBe('object');

    const read = await server.api(`/api/applications/${id}`, { cookie: enterprise });
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual(plain);
    expect(read.body.answers).toEqual(COMPANY_ANSWERS);
  });

  it('seals members’ copies of the form and cases’ inputs whole, and seals older plain rows at start-up', async () => {
    const data = openingData(43);
    const created = await server.api('/api/applications', {
      method: 'POST',
      cookie: enterprise,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        bundleCode: 'enterprise-opening',
        answers: OPENING_ANSWERS,
        data,
        pledges: OPENING_PLEDGES,
        submit: true,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.status).toBe('accepted');
    const id = created.body.id as string;
    const ric = data['legal-rep-ric'] as string;

    const storedForms = async () =>
      (
        await sql<{ kind: string; text: string }>`
          select 'member' as kind, answers #>> '{}' || ' ' || (data #>> '{}') as text
          from application_members where application_id = ${id}
          union all
          select 'case', inputs #>> '{}' from cases where application_id = ${id}`.execute(
          server.db.kysely,
        )
      ).rows;
    const sealedForms = await storedForms();
    expect(sealedForms.length).toBeGreaterThanOrEqual(6);
    for (const row of sealedForms) {
      expect(row.text, row.kind).toMatch(/^sm4:1:/);
      expect(row.text, row.kind).not.toContain(ric);
    }
    // read back whole by the store
    const members = await membersOf(server.db.kysely, id);
    const name = members.find((m) => m.memberKey === 'name')!;
    expect((name.data as Record<string, unknown>)['proposed-name']).toBe(data['enterprise-name']);
    const cases = await casesOf(server.db.kysely, [id]);
    expect(JSON.stringify(cases.map((c) => c.inputs))).toContain(ric);
    const one = await server.api(`/api/cases/${cases[0]!.id}`, {
      cookie: await server.signIn('admin'),
    });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body.inputs.answers).toBeTypeOf('object');

    // Rows stored in the clear before sealing read as they are, and are sealed by the start-up step.
    const plainInputs = { answers: { q: ['a'] }, data: { ric }, applicant: { kind: 'person' } };
    await sql`update cases set inputs = ${JSON.stringify(plainInputs)}::jsonb
      where id = ${cases[0]!.id}`.execute(server.db.kysely);
    await sql`update application_members set data = ${JSON.stringify({ ric })}::jsonb
      where application_id = ${id} and member_key = 'name'`.execute(server.db.kysely);
    expect((await casesOf(server.db.kysely, [id]))[0]!.inputs).toEqual(plainInputs);
    // As before the upgrade: the sealing steps the start-up went through are forgotten.
    await sql`delete from sealing_steps`.execute(server.db.kysely);
    const outcome = await sealApplicationForms(server.db.kysely);
    // these two rows, and the application the test before left plain
    expect(outcome).toEqual({ sealed: 3, refused: 0 });
    for (const row of await storedForms()) expect(row.text, row.kind).toMatch(/^sm4:1:/);
    expect((await casesOf(server.db.kysely, [id]))[0]!.inputs).toEqual(plainInputs);
    expect((await sealApplicationForms(server.db.kysely)).sealed).toBe(0);
  });

  it('keeps events’ personal fields sealed, and seals those of events stored before', async () => {
    const ric = '371002199001011234';
    const { rows } = await sql<{ id: string }>`
      insert into domain_events (type, key, region_code, payload, occurred_at)
      values ('cases.case_decided', ${randomUUID()}, '371002',
        ${JSON.stringify({ caseId: 'c1', holder: { kind: 'person', identifier: ric }, data: { ric } })}::jsonb,
        now())
      returning id`.execute(server.db.kysely);
    const eventId = rows[0]!.id;
    await sql`delete from sealing_steps`.execute(server.db.kysely);
    expect((await sealEventPayloads(server.db.kysely, PERSONAL_EVENT_FIELDS)).sealed).toBe(1);
    const { rows: after } = await sql<{ payload: Record<string, unknown>; text: string }>`
      select payload, payload::text as text from domain_events where id = ${eventId}`.execute(
      server.db.kysely,
    );
    expect(after[0]!.text).not.toContain(ric);
    expect(after[0]!.payload).toMatchObject({
      caseId: 'c1',
      sealed: expect.stringMatching(/^sm4:1:/),
    });
    expect(Object.keys(after[0]!.payload).sort()).toEqual(['caseId', 'sealed']);
    expect((await sealEventPayloads(server.db.kysely, PERSONAL_EVENT_FIELDS)).sealed).toBe(0);
    // events published by cases never hold the number in the clear
    const { rows: plain } = await sql<{ n: number }>`
      select count(*)::int as n from domain_events
      where type like 'cases.%' and (payload ? 'holder' or payload ? 'data' or payload ? 'mobile')`.execute(
      server.db.kysely,
    );
    expect(plain[0]!.n).toBe(0);
  });
});
