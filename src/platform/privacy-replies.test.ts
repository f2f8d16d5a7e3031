import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server';
import { OPENING_ANSWERS, OPENING_PLEDGES, openingData, sampleRic } from '../cases/samples';

// Masking in replies over the real routes, role by role, for the replies issue 12 covers: the
// department cases, e-licences and the supervision directory. The roles that work the record see
// the values whole; the overseers see `138****5678`-style masks and the whole value nowhere.

const RIC = sampleRic('371002', '19860314', '617'); // openingData(517)'s legal representative
const RIC_MASKED = `371002${'*'.repeat(8)}${RIC.slice(-4)}`;

describe('personal data in the replies of cases, licences and supervision', () => {
  let server: TestServer;
  const cookies: Record<string, string> = {};
  const get = (path: string, user: string) => server.api(path, { cookie: cookies[user] });

  beforeAll(async () => {
    server = await startTestServer({ seed: 'all', env: { ONETHING_SLA_SWEEP_SECONDS: '0' } });
    const users = ['enterprise', 'citizen', 'supervisor', 'admin', 'inspector', 'clerk'];
    for (const user of users) cookies[user] = await server.signIn(user);
  }, 600_000);
  afterAll(() => server?.close());

  /** The demo reviewer of a department (`reviewer` is market regulation's). */
  async function reviewerOf(department: string): Promise<string> {
    const user = department === 'scjg' ? 'reviewer' : `reviewer-${department}`;
    cookies[user] ??= await server.signIn(user);
    return user;
  }

  describe('a department case of an enterprise opening', () => {
    let applicationId: string;
    let registration: { id: string; departmentCode: string };

    beforeAll(async () => {
      const data = openingData(517);
      expect(data['legal-rep-ric']).toBe(RIC);
      const reply = await server.api('/api/applications', {
        method: 'POST',
        cookie: cookies.enterprise,
        headers: { 'idempotency-key': randomUUID() },
        body: {
          bundleCode: 'enterprise-opening',
          answers: OPENING_ANSWERS,
          data,
          pledges: OPENING_PLEDGES,
          submit: true,
        },
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.body.status).toBe('accepted');
      applicationId = reply.body.id;
      const list = await get(`/api/cases?application=${applicationId}&limit=200`, 'admin');
      registration = list.body.items.find((c: any) => c.memberKey === 'registration');
      expect(registration).toBeDefined();
    });

    it.each(['supervisor', 'admin'])(
      'shows the %s the legal representative’s resident ID and mobile masked, in the queue and the case',
      async (user) => {
        const list = await get(`/api/cases?application=${applicationId}&limit=200`, user);
        expect(list.status).toBe(200);
        const one = await get(`/api/cases/${registration.id}`, user);
        expect(one.status).toBe(200);
        for (const body of [list.body, one.body]) {
          const json = JSON.stringify(body);
          expect(json).toContain(RIC_MASKED);
          expect(json).toContain('139****0001');
          expect(json).not.toContain(RIC);
          expect(json).not.toContain('13906310001');
        }
        expect(one.body.inputs.data['legal-rep-ric']).toBe(RIC_MASKED);
        expect(one.body.inputs.data['legal-rep-mobile']).toBe('139****0001');
        // the applicant's name and the enterprise's credit code stay
        expect(one.body.applicantName).toBeTruthy();
      },
    );

    it('shows the reviewer of the handling department the values whole', async () => {
      const reviewer = await reviewerOf(registration.departmentCode);
      const one = await get(`/api/cases/${registration.id}`, reviewer);
      expect(one.status, JSON.stringify(one.body)).toBe(200);
      expect(one.body.inputs.data['legal-rep-ric']).toBe(RIC);
      expect(one.body.inputs.data['legal-rep-mobile']).toBe('13906310001');
      const queue = await get(`/api/cases?application=${applicationId}&limit=200`, reviewer);
      expect(JSON.stringify(queue.body)).toContain(RIC);
    });

    it('masks the case a supervisor’s action answers with, and not the reviewer’s', async () => {
      const list = await get(`/api/cases?application=${applicationId}&limit=200`, 'admin');
      const open = list.body.items.find((c: any) => c.actions.length > 0 || c.state === 'pending');
      expect(open, JSON.stringify(list.body.items.map((c: any) => c.state))).toBeDefined();
      const urged = await server.api(`/api/cases/${open.id}/urge`, {
        method: 'POST',
        cookie: cookies.supervisor,
        body: { note: '请加快办理' },
      });
      expect(urged.status, JSON.stringify(urged.body)).toBe(200);
      expect(JSON.stringify(urged.body)).not.toContain(RIC);
      expect(JSON.stringify(urged.body)).not.toContain('13906310001');
      const reviewer = await reviewerOf(open.departmentCode);
      const accepted = await server.api(`/api/cases/${open.id}/accept`, {
        method: 'POST',
        cookie: cookies[reviewer],
        body: {},
      });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
      expect(JSON.stringify(accepted.body.inputs)).toContain(RIC);
    });

    it('keeps the whole values out of the supervision board', async () => {
      const board = await get('/api/cases/board', 'supervisor');
      expect(board.status).toBe(200);
      expect(JSON.stringify(board.body)).not.toContain(RIC);
    });
  });

  describe('an e-licence of a person (居民户口簿)', () => {
    let licence: any;
    let citizenRic: string;

    beforeAll(async () => {
      const mine = await get('/api/licences/mine', 'citizen');
      expect(mine.status).toBe(200);
      licence = mine.body.items.find((l: any) => l.type.name.zh === '居民户口簿');
      expect(licence).toBeDefined();
      citizenRic = licence.holder.identifier;
    });

    it('shows the holder their own licence whole', async () => {
      const reply = await get(`/api/licences/${licence.id}`, 'citizen');
      expect(reply.status).toBe(200);
      expect(reply.body.holder.identifier).toBe(citizenRic);
      const address = reply.body.fields.find((f: any) => f.key === 'household-address');
      expect(address.value).toBe('山东省威海市环翠区文化中路88号3单元502室');
    });

    it('shows the reviewers of the issuing department the licence whole', async () => {
      const reviewer = await reviewerOf(licence.issuer.code);
      const reply = await get(`/api/licences/${licence.id}`, reviewer);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body.holder.identifier).toBe(citizenRic);
    });

    it('shows an administrator the resident ID and the address masked', async () => {
      const reply = await get(`/api/licences/${licence.id}`, 'admin');
      expect(reply.status).toBe(200);
      expect(reply.body.holder).toMatchObject({
        name: '张伟',
        identifier: `${citizenRic.slice(0, 6)}${'*'.repeat(8)}${citizenRic.slice(-4)}`,
      });
      const address = reply.body.fields.find((f: any) => f.key === 'household-address');
      expect(address.value).toBe('山东省威海市环翠区文化中路***');
      const json = JSON.stringify(reply.body);
      expect(json).not.toContain(citizenRic);
      expect(json).not.toContain('88号3单元502室');
    });
  });

  describe('a person in the supervision directory (an individual business)', () => {
    let ric: string;

    beforeAll(async () => {
      const db = server.db.kysely;
      const subject = await db
        .selectFrom('subjects')
        .select(['id', 'identifier', 'regionCode'])
        .where('name', '=', '张伟')
        .where('kind', '=', 'person')
        .executeTakeFirstOrThrow();
      ric = subject.identifier;
      await db
        .insertInto('inspectionTargets')
        .values({
          subjectId: subject.id,
          regionCode: subject.regionCode,
          industry: 'F52',
          riskLevel: 'low',
          updatedAt: new Date(),
        })
        .onConflict((oc) => oc.column('subjectId').doNothing())
        .execute();
    });

    it('shows the inspector the resident ID whole', async () => {
      const reply = await get(
        `/api/supervision/targets?q=${encodeURIComponent('张伟')}`,
        'inspector',
      );
      expect(reply.status).toBe(200);
      expect(reply.body.items.map((t: any) => t.identifier)).toContain(ric);
    });

    it('shows the supervisor the resident ID masked', async () => {
      const reply = await get(
        `/api/supervision/targets?q=${encodeURIComponent('张伟')}`,
        'supervisor',
      );
      expect(reply.status).toBe(200);
      expect(reply.body.items.map((t: any) => t.identifier)).toContain(
        `${ric.slice(0, 6)}${'*'.repeat(8)}${ric.slice(-4)}`,
      );
      expect(JSON.stringify(reply.body)).not.toContain(ric);
    });
  });
});
