import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/server';
import { ACTING_CHANGED } from './service';
import { addRepresentative, representedEnterprises, representsEnterprise } from './representatives';

// 切换办事主体 / 法人办事 over real HTTP: a citizen who is the legal representative of an enterprise
// acts for it in the same session, every route then sees the enterprise, and only while the
// representation lasts; nobody else can act for an enterprise.

describe('acting for an enterprise one represents', () => {
  let server: TestServer;
  let person: { id: string; identifier: string };
  let represented: { id: string; name: string; identifier: string };
  let other: { id: string; name: string };

  const subjectNamed = (name: string) =>
    server.db.kysely
      .selectFrom('subjects')
      .select(['id', 'name', 'identifier'])
      .where('name', '=', name)
      .executeTakeFirstOrThrow();

  const switchTo = (cookie: string, subjectId: unknown, lang?: string) =>
    server.api('/api/session/subject', {
      method: 'PUT',
      cookie,
      body: { subjectId },
      ...(lang ? { lang } : {}),
    });

  const actingChanges = () =>
    server.db.kysely
      .selectFrom('auditLog')
      .select(['actorRole', 'objectId', 'detail'])
      .where('action', '=', ACTING_CHANGED)
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    server = await startTestServer();
    person = await subjectNamed('张伟');
    represented = await subjectNamed('威海星屿海洋食品有限公司');
    other = await subjectNamed('威海澜石精密机械有限公司');
  });
  afterAll(() => server?.close());

  it('should list the citizen and the enterprise they represent, the citizen current', async () => {
    const cookie = await server.signIn('citizen');
    const reply = await server.api('/api/me/subjects', { cookie });
    expect(reply.status).toBe(200);
    expect(reply.body.subjects).toEqual([
      {
        subjectId: person.id,
        kind: 'person',
        name: '张伟',
        identifier: `${person.identifier.slice(0, 6)}********${person.identifier.slice(-4)}`,
        current: true,
      },
      {
        subjectId: represented.id,
        kind: 'enterprise',
        name: '威海星屿海洋食品有限公司',
        identifier: represented.identifier,
        current: false,
      },
    ]);
    const me = await server.api('/api/me', { cookie });
    expect(me.body.user).toMatchObject({ role: 'citizen', subjectId: person.id, acting: null });
  });

  it('should act for the represented enterprise after switching, on every route', async () => {
    const cookie = await server.signIn('citizen');
    const before = (await actingChanges()).length;
    const reply = await switchTo(cookie, represented.id);
    expect(reply.status).toBe(200);
    expect(reply.body.user).toMatchObject({
      username: 'citizen',
      displayName: '张伟',
      role: 'enterprise',
      subjectId: represented.id,
      acting: { subjectId: represented.id, name: represented.name, kind: 'enterprise' },
    });

    const me = await server.api('/api/me', { cookie });
    expect(me.body.user).toMatchObject({
      role: 'enterprise',
      subjectId: represented.id,
      acting: { subjectId: represented.id, name: represented.name },
    });
    const dossier = await server.api('/api/dossiers/mine', { cookie });
    expect(dossier.status).toBe(200);
    expect(dossier.body.subject).toMatchObject({
      id: represented.id,
      identifier: represented.identifier,
    });
    const subjects = await server.api('/api/me/subjects', { cookie });
    expect(
      subjects.body.subjects.map((s: { name: string; current: boolean }) => [s.name, s.current]),
    ).toEqual([
      ['张伟', false],
      [represented.name, true],
    ]);

    const changes = await actingChanges();
    expect(changes).toHaveLength(before + 1);
    expect(changes.at(-1)).toEqual({
      actorRole: 'citizen',
      objectId: represented.id,
      detail: { from: null, to: represented.id },
    });
  });

  it('should leave other sessions of the same user acting as the person', async () => {
    const acting = await server.signIn('citizen');
    const plain = await server.signIn('citizen');
    expect((await switchTo(acting, represented.id)).status).toBe(200);
    const me = await server.api('/api/me', { cookie: plain });
    expect(me.body.user).toMatchObject({ role: 'citizen', subjectId: person.id, acting: null });
    const dossier = await server.api('/api/dossiers/mine', { cookie: plain });
    expect(dossier.body.subject.id).toBe(person.id);
  });

  it('should act as the person again after switching back with null or with their own id', async () => {
    const cookie = await server.signIn('citizen');
    for (const back of [null, person.id]) {
      expect((await switchTo(cookie, represented.id)).status).toBe(200);
      const reply = await switchTo(cookie, back);
      expect(reply.status).toBe(200);
      expect(reply.body.user).toMatchObject({
        role: 'citizen',
        subjectId: person.id,
        acting: null,
      });
      const dossier = await server.api('/api/dossiers/mine', { cookie });
      expect(dossier.body.subject.id).toBe(person.id);
    }
    expect((await actingChanges()).at(-1)).toMatchObject({
      detail: { from: represented.id, to: null },
    });
  });

  it('should record nothing when switching to the subject already current', async () => {
    const cookie = await server.signIn('citizen');
    const before = (await actingChanges()).length;
    expect((await switchTo(cookie, null)).status).toBe(200);
    expect(await actingChanges()).toHaveLength(before);
  });

  it('should refuse with 403 in both languages an enterprise the citizen does not represent', async () => {
    const cookie = await server.signIn('citizen');
    for (const subjectId of [other.id, randomUUID()]) {
      const zh = await switchTo(cookie, subjectId);
      expect(zh.status).toBe(403);
      expect(zh.body.error).toMatchObject({
        code: 'auth.forbidden',
        message: '您不是该企业的法定代表人，不能以该企业身份办事',
      });
    }
    const en = await switchTo(cookie, other.id, 'en');
    expect(en.status).toBe(403);
    expect(en.body.error.message).toMatch(/not the legal representative/i);
    const me = await server.api('/api/me', { cookie });
    expect(me.body.user).toMatchObject({ role: 'citizen', acting: null });
  });

  it('should refuse a subject id that is not a uuid, or a missing one, with 422 naming the field', async () => {
    const cookie = await server.signIn('citizen');
    const bad = await switchTo(cookie, 'not-a-uuid');
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body.error.details)).toContain('subjectId');
    const missing = await server.api('/api/session/subject', { method: 'PUT', cookie, body: {} });
    expect(missing.status).toBe(422);
    expect(JSON.stringify(missing.body.error.details)).toContain('subjectId');
  });

  it('should let no enterprise account act for another enterprise, even one a person represents', async () => {
    const cookie = await server.signIn('enterprise');
    const subjects = await server.api('/api/me/subjects', { cookie });
    expect(subjects.status).toBe(200);
    expect(subjects.body.subjects).toEqual([
      expect.objectContaining({ name: other.name, kind: 'enterprise', current: true }),
    ]);
    const refused = await switchTo(cookie, represented.id);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('只有自然人用户可以切换为所代表的企业办事');
    const self = await switchTo(cookie, null);
    expect(self.status).toBe(200);
    expect(self.body.user).toMatchObject({ role: 'enterprise', subjectId: other.id, acting: null });
  });

  it('should refuse staff and anonymous callers on both routes', async () => {
    for (const role of ['clerk', 'reviewer', 'admin']) {
      const cookie = await server.signIn(role);
      expect((await server.api('/api/me/subjects', { cookie })).status, role).toBe(403);
      expect((await switchTo(cookie, represented.id)).status, role).toBe(403);
      expect((await switchTo(cookie, null)).status, role).toBe(403);
    }
    expect((await server.api('/api/me/subjects')).status).toBe(401);
    const anonymous = await server.api('/api/session/subject', {
      method: 'PUT',
      body: { subjectId: null },
    });
    expect(anonymous.status).toBe(401);
  });

  it('should fall back to the person on the next request once the representation is removed', async () => {
    const cookie = await server.signIn('citizen');
    expect((await switchTo(cookie, represented.id)).status).toBe(200);
    await server.db.kysely
      .deleteFrom('subjectRepresentatives')
      .where('enterpriseId', '=', represented.id)
      .where('personId', '=', person.id)
      .execute();
    try {
      const me = await server.api('/api/me', { cookie });
      expect(me.body.user).toMatchObject({ role: 'citizen', subjectId: person.id, acting: null });
      const dossier = await server.api('/api/dossiers/mine', { cookie });
      expect(dossier.body.subject.id).toBe(person.id);
      const subjects = await server.api('/api/me/subjects', { cookie });
      expect(subjects.body.subjects.map((s: { name: string }) => s.name)).toEqual(['张伟']);
      expect((await switchTo(cookie, represented.id)).status).toBe(403);
      expect((await actingChanges()).at(-1)).toEqual({
        actorRole: 'citizen',
        objectId: represented.id,
        detail: { from: represented.id, to: null, reason: 'representation-ended' },
      });
    } finally {
      await server.db.kysely.transaction().execute((trx) =>
        addRepresentative(trx, {
          enterpriseId: represented.id,
          personId: person.id,
          since: new Date(),
          source: 'test',
        }),
      );
    }
    // The ended acting was cleared, not suspended: a renewed representation does not revive it.
    const me = await server.api('/api/me', { cookie });
    expect(me.body.user).toMatchObject({ role: 'citizen', acting: null });
  });

  it('should start as the person after signing out and in again, and after signing in over a session', async () => {
    const cookie = await server.signIn('citizen');
    expect((await switchTo(cookie, represented.id)).status).toBe(200);
    // Signing in while presenting the acting session ends it and starts afresh.
    const rotated = await server.api('/api/session', {
      method: 'POST',
      cookie,
      body: { username: 'citizen', password: 'OneThing@2026' },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.user).toMatchObject({ role: 'citizen', acting: null });
    expect((await server.api('/api/me', { cookie })).status).toBe(401);

    const again = await server.signIn('citizen');
    expect((await switchTo(again, represented.id)).status).toBe(200);
    expect((await server.api('/api/session', { method: 'DELETE', cookie: again })).status).toBe(
      204,
    );
    const fresh = await server.signIn('citizen');
    const me = await server.api('/api/me', { cookie: fresh });
    expect(me.body.user).toMatchObject({ role: 'citizen', subjectId: person.id, acting: null });
  });
});

describe('the representatives store', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('should add a representation once however often it is recorded, and answer who represents what', async () => {
    const k = server.db.kysely;
    const person = await k
      .selectFrom('subjects')
      .select('id')
      .where('name', '=', '王芳')
      .executeTakeFirstOrThrow();
    const firm = await k
      .selectFrom('subjects')
      .select(['id', 'name', 'identifier', 'regionCode'])
      .where('name', '=', '荣成远帆水产有限公司')
      .executeTakeFirstOrThrow();
    expect(await representsEnterprise(k, person.id, firm.id)).toBe(false);
    expect(await representedEnterprises(k, person.id)).toEqual([]);
    for (const source of ['licence:first', 'licence:second']) {
      await k.transaction().execute((trx) =>
        addRepresentative(trx, {
          enterpriseId: firm.id,
          personId: person.id,
          since: new Date('2026-01-05T00:00:00Z'),
          source,
        }),
      );
    }
    const rows = await k
      .selectFrom('subjectRepresentatives')
      .select(['role', 'source'])
      .where('personId', '=', person.id)
      .execute();
    expect(rows).toEqual([{ role: 'legal-rep', source: 'licence:first' }]);
    expect(await representsEnterprise(k, person.id, firm.id)).toBe(true);
    expect(await representsEnterprise(k, firm.id, person.id)).toBe(false);
    expect(await representedEnterprises(k, person.id)).toEqual([
      {
        subjectId: firm.id,
        name: firm.name,
        identifier: firm.identifier,
        regionCode: firm.regionCode,
      },
    ]);
  });
});
