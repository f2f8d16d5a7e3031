import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/server';
import { laneOf } from './model';
import type { AuditAction, AuditObjectType } from './actions';
import { appendAudit } from './store';

// The audit review over real HTTP on a seeded platform. The fixture entries are of object type
// `widget` and dated in 2020, so that filters and time ranges see only them; the last test breaks a
// chain in this test's own database.

const RIC = '11010519491231002X';
const MOBILE = '13812345678';

describe('the audit review routes', () => {
  let server: TestServer;
  let admin: string;
  let supervisor: string;
  let clerk: string;
  let adminId: string;

  const list = (query: Record<string, string | number>, cookie = admin) => {
    const params = Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]);
    return server.api(`/api/audit?${new URLSearchParams(params)}`, { cookie });
  };
  const verify = (cookie?: string) =>
    server.api('/api/audit/verification', { method: 'POST', cookie });

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.signIn('admin');
    supervisor = await server.signIn('supervisor');
    clerk = await server.signIn('clerk');
    const user = await server.db.kysely
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    adminId = user.id;
    const facts = [
      ['widget.created', 'w-1', '2020-01-01T00:00:00Z', { size: 1 }],
      ['widget.renamed', 'w-1', '2020-01-02T00:00:00Z', { name: 'one' }],
      ['widget.created', 'w-2', '2020-01-03T00:00:00Z', { size: 2 }],
      ['widget.noted', 'w-2', '2020-01-04T00:00:00Z', { note: `call ${MOBILE}`, id: RIC }],
      ['widget.removed', 'w-1', '2020-01-05T00:00:00Z', {}],
    ] as const;
    for (const [action, objectId, at, detail] of facts) {
      await server.db.kysely.transaction().execute((trx) =>
        appendAudit(trx, {
          at: new Date(at),
          actorId: adminId,
          actorRole: 'admin',
          // Made up, as an older version's entries may be: nothing writes them now.
          action: action as AuditAction,
          objectType: 'widget' as AuditObjectType,
          objectId,
          ip: '10.0.0.1',
          requestId: `req-${action}-${objectId}`,
          detail,
        }),
      );
    }
  });
  afterAll(() => server?.close());

  describe('GET /api/audit', () => {
    it('should list entries newest first with actor, object, lane and hash', async () => {
      const reply = await list({ objectType: 'widget' });
      expect(reply.status).toBe(200);
      const actions = reply.body.entries.map((e: { action: string }) => e.action);
      expect(actions).toEqual([
        'widget.removed',
        'widget.noted',
        'widget.created',
        'widget.renamed',
        'widget.created',
      ]);
      expect(reply.body.nextBefore).toBeNull();
      expect(reply.body.entries[0]).toMatchObject({
        at: '2020-01-05T00:00:00.000Z',
        actor: { id: adminId, username: 'admin', displayName: expect.any(String), role: 'admin' },
        objectType: 'widget',
        objectId: 'w-1',
        ip: '10.0.0.1',
        requestId: 'req-widget.removed-w-1',
        detail: {},
        lane: laneOf('widget', 'w-1'),
        laneSeq: expect.any(Number),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it('should filter by exact action, by action prefix, by object and by actor', async () => {
      const exact = await list({ action: 'widget.created' });
      expect(exact.body.entries.map((e: { objectId: string }) => e.objectId)).toEqual([
        'w-2',
        'w-1',
      ]);
      const prefix = await list({ action: 'widget.' });
      expect(prefix.body.entries).toHaveLength(5);
      const signIns = await list({ action: 'auth.', actorUsername: 'clerk' });
      expect(signIns.body.entries.length).toBeGreaterThan(0);
      expect(
        signIns.body.entries.every(
          (e: { action: string; actor: { username: string } }) =>
            e.action.startsWith('auth.') && e.actor.username === 'clerk',
        ),
      ).toBe(true);
      const object = await list({ objectType: 'widget', objectId: 'w-2' });
      expect(object.body.entries.map((e: { action: string }) => e.action)).toEqual([
        'widget.noted',
        'widget.created',
      ]);
      const byId = await list({ objectType: 'widget', actorId: adminId });
      expect(byId.body.entries).toHaveLength(5);
      const nobody = await list({ objectType: 'widget', actorUsername: 'clerk' });
      expect(nobody.body.entries).toEqual([]);
      const unknownPrefix = await list({ action: 'nothing.' });
      expect(unknownPrefix.body).toMatchObject({ entries: [], nextBefore: null });
    });

    it('should filter by a time range, both ends included', async () => {
      const reply = await list({
        from: '2020-01-02T00:00:00Z',
        to: '2020-01-04T08:00:00+08:00',
      });
      expect(reply.body.entries.map((e: { action: string }) => e.action)).toEqual([
        'widget.noted',
        'widget.created',
        'widget.renamed',
      ]);
    });

    it('should page with the before cursor until the last page', async () => {
      const first = await list({ objectType: 'widget', limit: 2 });
      expect(first.body.entries).toHaveLength(2);
      expect(first.body.nextBefore).toBe(first.body.entries[1].seq);
      const second = await list({ objectType: 'widget', limit: 2, before: first.body.nextBefore });
      const third = await list({ objectType: 'widget', limit: 2, before: second.body.nextBefore });
      expect(third.body.entries).toHaveLength(1);
      expect(third.body.nextBefore).toBeNull();
      const seqs = [first, second, third].flatMap((r) =>
        r.body.entries.map((e: { seq: number }) => e.seq),
      );
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
      expect(new Set(seqs).size).toBe(5);
    });

    it('should mask resident IDs and mobile numbers in details for supervisors and administrators', async () => {
      for (const cookie of [supervisor, admin]) {
        const reply = await list({ action: 'widget.noted' }, cookie);
        expect(reply.status).toBe(200);
        expect(reply.body.masked).toBe(true);
        expect(reply.body.entries[0].detail).toEqual({
          note: 'call 138****5678',
          id: '110105********002X',
        });
      }
      // What is hashed is what was written: the chain still verifies (see below).
    });

    it('should refuse to with an earlier instant than from, naming the field and rule', async () => {
      const reply = await server.api(
        '/api/audit?from=2020-01-02T00:00:00Z&to=2020-01-01T00:00:00Z',
        { cookie: admin, lang: 'en' },
      );
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'querystring.to', rule: 'range' }),
      ]);
      expect(reply.body.error.message).toMatch(/to must not be earlier than from/);
    });

    it.each([
      ['limit', 'limit=201'],
      ['limit', 'limit=0'],
      ['before', 'before=x'],
      ['from', 'from=yesterday'],
      ['actorId', 'actorId=not-a-uuid'],
      ['action', 'action=a%20b'],
    ])('should refuse a bad %s (%s) with 4xx naming it', async (field, query) => {
      const reply = await server.api(`/api/audit?${query}`, { cookie: admin });
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
      expect(JSON.stringify(reply.body.error.details)).toContain(field);
    });

    it('should refuse other roles and anonymous callers', async () => {
      expect((await list({}, clerk)).status).toBe(403);
      expect((await server.api('/api/audit')).status).toBe(401);
    });
  });

  describe('GET /api/audit/actions', () => {
    it('should list the distinct actions with their labels and counts', async () => {
      const reply = await server.api('/api/audit/actions', { cookie: supervisor });
      expect(reply.status).toBe(200);
      const actions = reply.body.actions as { action: string; count: number; capped: boolean }[];
      expect(actions).toEqual(
        expect.arrayContaining([
          {
            action: 'widget.created',
            label: { zh: 'widget.created', en: 'widget.created' },
            count: 2,
            capped: false,
          },
          expect.objectContaining({ action: 'widget.noted', count: 1, capped: false }),
          expect.objectContaining({
            action: 'auth.signed_in',
            label: { zh: '登录', en: 'Signed in' },
          }),
        ]),
      );
      const names = actions.map((a) => a.action);
      expect(names).toEqual([...new Set(names)]);
    });

    it('should refuse other roles', async () => {
      expect((await server.api('/api/audit/actions', { cookie: clerk })).status).toBe(403);
      expect((await server.api('/api/audit/actions')).status).toBe(401);
    });
  });

  describe('POST /api/audit/verification', () => {
    it('should refuse supervisors, other roles and anonymous callers', async () => {
      expect((await verify(supervisor)).status).toBe(403);
      expect((await verify(clerk)).status).toBe(403);
      expect((await verify()).status).toBe(401);
    });

    it('should verify an intact log, report the lane heads, and audit the check', async () => {
      const reply = await verify(admin);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        ok: true,
        break: null,
        headHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        checkedAt: expect.any(String),
      });
      expect(reply.body.entries).toBeGreaterThanOrEqual(5);
      const widgetLane = reply.body.heads.find(
        (h: { lane: number }) => h.lane === laneOf('widget', 'w-1'),
      );
      expect(widgetLane).toMatchObject({ laneSeq: expect.any(Number), hash: expect.any(String) });
      const recorded = await list({ action: 'audit.verified' });
      expect(recorded.body.entries[0]).toMatchObject({
        actor: { username: 'admin' },
        objectType: 'audit_log',
        detail: { ok: true, entries: reply.body.entries, headHash: reply.body.headHash },
      });
    });

    it('should name where the chain breaks when an entry was edited behind the guard', async () => {
      const lane = laneOf('widget', 'w-2');
      const edited = await server.db.kysely
        .selectFrom('auditLog')
        .select(['laneSeq'])
        .where('action', '=', 'widget.noted')
        .executeTakeFirstOrThrow();
      await server.db.kysely.transaction().execute(async (trx) => {
        await sql`alter table audit_log disable trigger audit_log_no_update`.execute(trx);
        await sql`update audit_log set detail = '{"note": "nothing"}'
          where action = 'widget.noted'`.execute(trx);
        await sql`alter table audit_log enable trigger audit_log_no_update`.execute(trx);
      });
      const reply = await verify(admin);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        ok: false,
        heads: [],
        headHash: null,
        break: { lane, laneSeq: edited.laneSeq, reason: 'hash_mismatch' },
      });
      const recorded = await list({ action: 'audit.verified', limit: 1 });
      expect(recorded.body.entries[0].detail).toMatchObject({
        ok: false,
        break: { lane, seq: edited.laneSeq, reason: 'hash_mismatch' },
      });
    });
  });
});
