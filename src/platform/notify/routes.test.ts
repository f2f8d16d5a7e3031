import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/server';
import { publishEvent } from './events';
import type { NotifyInput } from './model';
import { notify } from './service';

describe('messages and outbox over HTTP', () => {
  let server: TestServer;
  let citizen: string;
  let reviewer: string;
  let admin: string;
  const ids = new Map<string, string>();

  const message = (
    username: string,
    key: string,
    extra: Partial<NotifyInput> = {},
  ): NotifyInput => ({
    to: { userIds: [ids.get(username)!] },
    kind: 'test.notice',
    title: { zh: `通知 ${key}`, en: `Notice ${key}` },
    body: { zh: '请查看。', en: 'Please have a look.' },
    link: '/applications',
    dedupeKey: key,
    ...extra,
  });
  const send = (input: NotifyInput) =>
    server.db.kysely.transaction().execute((trx) => notify(trx, input));

  beforeAll(async () => {
    server = await startTestServer({ env: { ONETHING_OUTBOX_SECONDS: '0' } });
    for (const row of await server.db.kysely
      .selectFrom('users')
      .select(['id', 'username'])
      .execute()) {
      ids.set(row.username, row.id);
    }
    citizen = await server.signIn('citizen');
    reviewer = await server.signIn('reviewer');
    admin = await server.signIn('admin');
    for (let i = 1; i <= 3; i++) await send(message('citizen', `c-${i}`));
    await send(message('reviewer', 'r-1', { sms: { mobile: '13900139000' } }));
  });
  afterAll(() => server?.close());

  it('requires sign-in for messages', async () => {
    expect((await server.api('/api/messages')).status).toBe(401);
    expect((await server.api('/api/messages/unread-count')).status).toBe(401);
    expect((await server.api('/api/messages/read-all', { method: 'POST' })).status).toBe(401);
  });

  it('lists only the caller’s own messages, newest first, in pages', async () => {
    const all = await server.api('/api/messages', { cookie: citizen });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 3, unread: 3 });
    expect(all.body.messages.map((m: { title: { zh: string } }) => m.title.zh)).toEqual([
      '通知 c-3',
      '通知 c-2',
      '通知 c-1',
    ]);
    expect(all.body.messages[0]).toMatchObject({
      kind: 'test.notice',
      title: { zh: '通知 c-3', en: 'Notice c-3' },
      link: '/applications',
      readAt: null,
    });
    const page = await server.api('/api/messages?limit=2&offset=2', { cookie: citizen });
    expect(page.body.messages).toHaveLength(1);
    const theirs = await server.api('/api/messages', { cookie: reviewer });
    expect(theirs.body.total).toBe(1);
  });

  it('marks a message read and counts what is left unread', async () => {
    const list = await server.api('/api/messages', { cookie: citizen });
    const id = list.body.messages[2].id as string;
    const read = await server.api(`/api/messages/${id}/read`, { method: 'POST', cookie: citizen });
    expect(read.status).toBe(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    const again = await server.api(`/api/messages/${id}/read`, { method: 'POST', cookie: citizen });
    expect(again.body.readAt).toBe(read.body.readAt);
    expect((await server.api('/api/messages/unread-count', { cookie: citizen })).body).toEqual({
      unread: 2,
    });
    const unread = await server.api('/api/messages?unread=true', { cookie: citizen });
    expect(unread.body.messages.map((m: { id: string }) => m.id)).not.toContain(id);
    expect(unread.body.total).toBe(2);
  });

  it('answers 404 for another user’s message and 422 for an id that is not one', async () => {
    const list = await server.api('/api/messages', { cookie: citizen });
    const id = list.body.messages[0].id as string;
    const other = await server.api(`/api/messages/${id}/read`, {
      method: 'POST',
      cookie: reviewer,
    });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    const missing = await server.api('/api/messages/00000000-0000-4000-8000-000000000000/read', {
      method: 'POST',
      cookie: citizen,
    });
    expect(missing.status).toBe(404);
    const bad = await server.api('/api/messages/nope/read', { method: 'POST', cookie: citizen });
    expect(bad.status).toBe(422);
    const still = await server.api('/api/messages', { cookie: citizen });
    expect(still.body.messages[0].readAt).toBeNull();
  });

  it('marks all of the caller’s messages read and nobody else’s', async () => {
    const marked = await server.api('/api/messages/read-all', { method: 'POST', cookie: citizen });
    expect(marked.body).toEqual({ marked: 2 });
    expect((await server.api('/api/messages/unread-count', { cookie: citizen })).body.unread).toBe(
      0,
    );
    expect((await server.api('/api/messages/unread-count', { cookie: reviewer })).body.unread).toBe(
      1,
    );
    const audit = await server.db.kysely
      .selectFrom('auditLog')
      .select(['action', 'actorId'])
      .where('action', 'in', ['message.read', 'message.read_all'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['message.read', 'message.read_all']);
  });

  it('shows the outbox to administrators only, with recipients masked', async () => {
    expect((await server.api('/api/outbox')).status).toBe(401);
    const refused = await server.api('/api/outbox', { cookie: citizen });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('auth.forbidden');
    expect((await server.api('/api/outbox', { cookie: reviewer })).status).toBe(403);
    const seen = await server.api('/api/outbox?state=pending', { cookie: admin });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({
      total: 1,
      counts: { pending: 1, sending: 0, sent: 0, failed: 0 },
      items: [{ channel: 'sms', recipient: '139****9000', state: 'pending', dedupeKey: 'r-1' }],
    });
    expect(JSON.stringify(seen.body)).not.toContain('13900139000');
    expect((await server.api('/api/outbox?state=sent', { cookie: admin })).body.items).toEqual([]);
    expect((await server.api('/api/outbox?state=lost', { cookie: admin })).status).toBe(422);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = await server.api('/api/openapi.json');
    for (const path of [
      '/api/messages',
      '/api/messages/unread-count',
      '/api/messages/{id}/read',
      '/api/outbox',
    ]) {
      expect(doc.body.paths).toHaveProperty([path]);
    }
  });
});

describe('the event and outbox workers of a running server', () => {
  let server: TestServer;
  const lines: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({
      env: { ONETHING_OUTBOX_SECONDS: '1' },
      logStream: { write: (line: string) => void lines.push(line) },
    });
  });
  afterAll(() => server?.close());

  it('turns a published event into a message and a console SMS without further calls', async () => {
    const citizen = await server.db.kysely
      .selectFrom('users')
      .select(['id', 'subjectId'])
      .where('username', '=', 'citizen')
      .executeTakeFirstOrThrow();
    server.app.events.on('cases.accepted', 'notify.applicant', (trx, event) =>
      notify(trx, {
        to: { subjectIds: [String(event.payload.subjectId)] },
        kind: event.type,
        title: { zh: '申请已受理', en: 'Application accepted' },
        body: { zh: '您的申请已受理。', en: 'Your application has been accepted.' },
        dedupeKey: `${event.type}:${event.key}`,
        sms: { mobile: '13700137000' },
      }).then(() => undefined),
    );
    await server.db.kysely.transaction().execute((trx) =>
      publishEvent(trx, {
        type: 'cases.accepted',
        key: 'app-42',
        regionCode: '371002',
        payload: { subjectId: citizen.subjectId },
      }),
    );
    await expect
      .poll(() =>
        lines.some((line) => line.includes('sms sent (console)') && line.includes('137****7000')),
      )
      .toBe(true);
    const cookie = await server.signIn('citizen');
    const list = await server.api('/api/messages', { cookie });
    expect(list.body.messages).toMatchObject([{ kind: 'cases.accepted' }]);
  });
});
