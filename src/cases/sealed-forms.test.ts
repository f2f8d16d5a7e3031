import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server';
import { COMPANY_ANSWERS, OPENING_PLEDGES, openingData } from './samples';

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
});
