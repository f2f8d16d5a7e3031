import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server';
import { checkRic } from '../platform/ids';
import { issueSocialSecurityCard } from './fixtures';
import { sealLicences } from './store';

// Resident ID numbers (居民身份证号) at rest: stored sealed with a synthetic IV (the same number
// gives the same text, so lookups by equality still work), read back whole, masked where they
// were masked before. Credit codes stay in the clear. Licences written before sealing are sealed
// in place at start-up (subjects: src/cases/intake.test.ts).

describe('resident ID numbers sealed at rest', () => {
  let server: TestServer;
  let citizen: string;
  let person: { id: string; name: string; identifier: string; stored: string };

  /** The stored text of a column, not opened by the database layer (selected under another name). */
  async function stored(table: 'subjects' | 'licences', column: string, id: string) {
    const { rows } = await sql<{ stored: string }>`
      select ${sql.ref(column)} as stored from ${sql.table(table)} where id = ${id}`.execute(
      server.db.kysely,
    );
    return rows[0]!.stored;
  }

  beforeAll(async () => {
    server = await startTestServer({
      seed: 'all',
      env: { ONETHING_OUTBOX_SECONDS: '0', ONETHING_SLA_SWEEP_SECONDS: '0' },
    });
    citizen = await server.signIn('citizen');
    person = await server.db.kysely
      .selectFrom('users')
      .innerJoin('subjects', 'subjects.id', 'users.subjectId')
      .select([
        'subjects.id',
        'subjects.name',
        'subjects.identifier',
        sql<string>`subjects.identifier`.as('stored'),
      ])
      .where('users.username', '=', 'citizen')
      .executeTakeFirstOrThrow();
  });
  afterAll(() => server?.close());

  it('stores people’s numbers sealed and enterprises’ credit codes in the clear', async () => {
    expect(person.stored).toMatch(/^sm4:1:/);
    expect(person.stored).not.toContain(person.identifier);
    expect(person.stored).not.toContain(person.identifier.slice(0, 6));
    expect(checkRic(person.identifier).valid).toBe(true);
    const { rows } = await sql<{ kind: string; stored: string }>`
      select kind, identifier as stored from subjects`.execute(server.db.kysely);
    expect(rows.filter((r) => r.kind === 'person' && !r.stored.startsWith('sm4:1:'))).toEqual([]);
    expect(rows.some((r) => r.kind === 'enterprise' && /^[0-9A-Z]{18}$/.test(r.stored))).toBe(true);
  });

  it('shows the signed-in citizen their own number masked from the opened value', async () => {
    const reply = await server.api('/api/me/subjects', { cookie: citizen });
    expect(reply.status).toBe(200);
    expect(reply.body.subjects[0]).toMatchObject({
      subjectId: person.id,
      identifier: `${person.identifier.slice(0, 6)}********${person.identifier.slice(-4)}`,
    });
  });

  it('issues a person’s licence with the holder sealed, signed over the plain number', async () => {
    const db = server.db.kysely;
    const card = await issueSocialSecurityCard(db, person);
    expect(card.holderIdentifier).toBe(person.identifier);
    const holder = await stored('licences', 'holder_identifier', card.id);
    expect(holder).toBe(person.stored);

    const verified = await server.api(`/api/licences/verify/${card.identifier}`);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      valid: true,
      status: 'valid',
      signature: { valid: true },
    });
    const mine = await server.api('/api/licences/mine', { cookie: citizen });
    expect(mine.body.items.map((l: { id: string }) => l.id)).toContain(card.id);

    // Its fields, which carry the number, are sealed whole; read back whole, and verified over
    // them; fields stored in the clear before sealing still read and verify.
    expect(card.fields).toMatchObject({ ric: person.identifier });
    const { rows } = await sql<{ fields: string; kind: string }>`
      select fields #>> '{}' as fields, jsonb_typeof(fields) as kind
      from licences where id = ${card.id}`.execute(db);
    expect(rows[0]!.kind).toBe('string');
    expect(rows[0]!.fields).toMatch(/^sm4:1:/);
    expect(rows[0]!.fields).not.toContain(person.identifier);
    expect(rows[0]!.fields).not.toContain(person.identifier.slice(-8));
    await sql`update licences set fields = ${JSON.stringify(card.fields)}::jsonb
      where id = ${card.id}`.execute(db);
    const plain = await server.api(`/api/licences/verify/${card.identifier}`);
    expect(plain.body).toMatchObject({ valid: true, signature: { valid: true } });

    // A licence stored before sealing is sealed at start-up and still verifies.
    await sql`update licences set holder_identifier = ${person.identifier} where id = ${card.id}`.execute(
      db,
    );
    // As before the upgrade: the sealing steps the start-up went through are forgotten.
    await sql`delete from sealing_steps`.execute(db);
    expect((await sealLicences(db)).sealed).toBeGreaterThanOrEqual(1);
    expect(await stored('licences', 'holder_identifier', card.id)).toBe(person.stored);
    const again = await server.api(`/api/licences/verify/${card.identifier}`);
    expect(again.body).toMatchObject({ valid: true, signature: { valid: true } });
  });

  it('finds a person’s dossier by the whole number only, and a firm’s by a prefix', async () => {
    const admin = await server.signIn('admin');
    const search = (q: string) =>
      server.api(`/api/dossiers?q=${encodeURIComponent(q)}`, { cookie: admin });
    const whole = await search(person.identifier);
    expect(whole.status).toBe(200);
    expect(whole.body.items.map((s: { id: string }) => s.id)).toEqual([person.id]);
    const prefix = await search(person.identifier.slice(0, 10));
    expect(prefix.status).toBe(200);
    expect(prefix.body.items).toEqual([]);
    const firm = await server.db.kysely
      .selectFrom('subjects')
      .select(['id', 'identifier'])
      .where('kind', '=', 'enterprise')
      .orderBy('identifier')
      .executeTakeFirstOrThrow();
    const byCode = await search(firm.identifier.slice(0, 12));
    expect(byCode.body.items.map((s: { id: string }) => s.id)).toContain(firm.id);
  });
});
