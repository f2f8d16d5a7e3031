// Rotating the data key end to end: a platform that stored its personal data under key A starts
// with key B (A in ONETHING_DATA_KEY_PREVIOUS) and re-seals everything under B at start-up; reads,
// ID lookups and the 12345 caller index still work, and keep working once A is dropped.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/db';
import { findSubjectByIdentifier, membersOf, sealApplicationForms } from '../../cases/store';
import { casesOf } from '../../cases/department-store';
import { OPENING_ANSWERS, OPENING_PLEDGES, openingData } from '../../cases/samples';
import { mobileIndex } from '../../hotline/store';
import { buildServer, seedDemoData } from '../../server';
import { loadConfig } from '../config';
import type { Db } from '../db/database';
import type { App } from '../http/app';
import { publishEvent } from '../notify';
import { insertOutbox } from '../notify/store';
import { SESSION_COOKIE } from '../http/app';
import {
  SealedValueError,
  forgetDataKeys,
  lookupForms,
  open,
  seal,
  sealingKey,
  useDataKey,
} from '.';

const A = randomBytes(16);
const B = randomBytes(16);
const idOf = (key: Buffer) => sealingKey(key).id;

describe('re-sealing under a new data key', () => {
  let db: Db;
  let app: App | null = null;

  beforeAll(async () => {
    db = await createTestDb();
    forgetDataKeys();
    useDataKey(A);
    await seedDemoData(db, { syntheticSubjects: 0 });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
    forgetDataKeys();
  });

  /** Starts the platform over the same database with the given keys (start-up sealing runs). */
  async function boot(env: Record<string, string>) {
    await app?.close();
    app = await buildServer(db, loadConfig({ LOG_LEVEL: 'error', ...env }));
    await app.ready();
    return app;
  }

  async function signIn(username: string) {
    const reply = await app!.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username, password: 'OneThing@2026' },
    });
    expect(reply.statusCode).toBe(200);
    const cookie = [reply.headers['set-cookie']]
      .flat()
      .find((c) => c?.startsWith(`${SESSION_COOKIE}=`));
    return cookie!.split(';')[0]!;
  }

  /** The ids of every key any stored value anywhere is sealed under (nested JSON included). */
  async function keyIdsStored(): Promise<Map<string, string[]>> {
    const { rows: tables } = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db.kysely);
    const found = new Map<string, string[]>();
    for (const { name } of tables) {
      const { rows } = await sql<{ j: string }>`
        select to_jsonb(t)::text as j from ${sql.table(name)} as t
        where to_jsonb(t)::text like '%sm4:1:%'`.execute(db.kysely);
      for (const { j } of rows) {
        for (const match of j.matchAll(/sm4:1:([0-9a-f]{8}):/g)) {
          found.set(match[1]!, [...new Set([...(found.get(match[1]!) ?? []), name])]);
        }
      }
    }
    return found;
  }

  it('re-seals every sealed value under the new key; reads and lookups still work, also without the old key', async () => {
    await boot({ ONETHING_DATA_KEY: A.toString('hex') });
    const enterprise = await signIn('enterprise');
    const operator = await signIn('operator');

    // An accepted application: its applicant, answers, data, members and cases hold personal data.
    const data = openingData(77);
    const created = await app!.inject({
      method: 'POST',
      url: '/api/applications',
      headers: { cookie: enterprise, 'idempotency-key': randomUUID() },
      payload: {
        bundleCode: 'enterprise-opening',
        answers: OPENING_ANSWERS,
        data,
        pledges: OPENING_PLEDGES,
        submit: true,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const application = created.json();
    expect(application.status).toBe('accepted');

    // A 12345 ticket (requester sealed, mobile blind-indexed), a queued SMS, an event.
    const mobile = '13906317777';
    const ticket = await app!.inject({
      method: 'POST',
      url: '/api/hotline/tickets',
      headers: { cookie: operator },
      payload: {
        channel: 'phone',
        type: 'complaint',
        categoryCode: 'CS-01',
        regionCode: '371002',
        address: '环翠区青岛中路88号东侧',
        content: '青岛中路88号东侧垃圾桶满溢多日无人清运，气味很大，请尽快处理。',
        requesterName: '郑海',
        requesterMobile: mobile,
      },
    });
    expect(ticket.statusCode, ticket.body).toBe(201);
    const ticketId = ticket.json().id as string;
    const person = await db.kysely
      .selectFrom('subjects')
      .select(['id', 'identifier'])
      .where('kind', '=', 'person')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await db.kysely.transaction().execute(async (trx) => {
      await insertOutbox(
        trx,
        {
          channel: 'sms',
          recipient: mobile,
          kind: 'test.rotation',
          title: { zh: '测试', en: 'Test' },
          body: { zh: '测试', en: 'Test' },
          link: null,
          dedupeKey: 'rotation',
        },
        new Date(),
      );
      await publishEvent(trx, {
        type: 'test.rotation',
        key: 'rotation',
        regionCode: '371002',
        payload: { subjectId: person.id },
        personal: { identifier: person.identifier },
      });
    });

    // A staff account's authenticator secret.
    const totpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await sql`insert into user_second_factors (user_id, secret, confirmed_at)
      select id, ${seal(totpSecret)}, now() from users where username = 'operator'`.execute(
      db.kysely,
    );

    const underA = await keyIdsStored();
    expect([...underA.keys()]).toEqual([idOf(A)]);
    for (const table of [
      'subjects',
      'applications',
      'application_members',
      'cases',
      'hotline_tickets',
      'outbox',
      'domain_events',
      'licence_signing_keys',
      'user_second_factors',
    ]) {
      expect(underA.get(idOf(A)), table).toContain(table);
    }
    const { rows: sample } = await sql<{ stored: string }>`
      select identifier as stored from subjects where id = ${person.id}`.execute(db.kysely);
    const sealedUnderA = sample[0]!.stored;

    // Restart with B in use and A as the previous key: everything is sealed anew under B.
    await boot({
      ONETHING_DATA_KEY: B.toString('hex'),
      ONETHING_DATA_KEY_PREVIOUS: A.toString('hex'),
    });
    const underB = await keyIdsStored();
    expect([...underB.keys()]).toEqual([idOf(B)]);
    expect([...underB.get(idOf(B))!].sort()).toEqual([...underA.get(idOf(A))!].sort());
    expect((await sealApplicationForms(db.kysely)).sealed).toBe(0);
    // While an earlier key is configured (a rotation under way) every start scans: nothing skipped.
    expect(await stepsDone()).toEqual([]);

    async function stillReads() {
      const factor = await db.kysely
        .selectFrom('userSecondFactors')
        .select('secret')
        .executeTakeFirstOrThrow();
      expect(open(factor.secret)).toBe(totpSecret);
      const cookie = await signIn('enterprise');
      const one = await app!.inject({
        url: `/api/applications/${application.id}`,
        headers: { cookie },
      });
      expect(one.statusCode).toBe(200);
      expect(one.json().data).toEqual(data);
      expect(one.json().answers).toEqual(OPENING_ANSWERS);
      const members = await membersOf(db.kysely, application.id);
      expect(members.length).toBeGreaterThan(0);
      for (const m of members) expect(m.data).toBeTypeOf('object');
      const cases = await casesOf(db.kysely, [application.id]);
      expect(cases.length).toBe(members.length);
      for (const c of cases) expect(c.inputs).toMatchObject({ answers: expect.any(Object) });
      // ID lookups find the re-sealed number; the caller index is under B
      expect((await findSubjectByIdentifier(db.kysely, person.identifier))?.id).toBe(person.id);
      const stored = await db.kysely
        .selectFrom('hotlineTickets')
        .select(['requesterMobile', 'requesterMobileHash'])
        .where('id', '=', ticketId)
        .executeTakeFirstOrThrow();
      expect(open(stored.requesterMobile!)).toBe(mobile);
      expect(stored.requesterMobileHash).toBe(mobileIndex(mobile));
      const { rows } = await sql<{ stored: string }>`
        select identifier as stored from subjects where id = ${person.id}`.execute(db.kysely);
      expect(rows[0]!.stored).toBe(lookupForms(person.identifier)[1]);
    }
    await stillReads();

    // A dropped from ONETHING_DATA_KEY_PREVIOUS: nothing needs it any more.
    await app!.close();
    app = null;
    forgetDataKeys();
    await boot({ ONETHING_DATA_KEY: B.toString('hex') });
    expect(() => open(sealedUnderA)).toThrow(SealedValueError);
    await stillReads();
    // With B alone each step is recorded as gone through under it: later starts skip its scan.
    expect(await stepsDone()).toEqual(
      expect.arrayContaining(['cases.applications', 'cases.subjects', 'notify.events']),
    );

    async function stepsDone() {
      const { rows: steps } = await sql<{ step: string }>`
        select step from sealing_steps where key_id = ${idOf(B)} order by step`.execute(db.kysely);
      return steps.map((row) => row.step);
    }
  }, 240_000);
});
