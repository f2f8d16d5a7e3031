import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDb } from '../../../test/support/db';
import { open } from '../crypto';
import type { Db } from '../db/database';
import { seedDemo } from '../seed/demo';
import type { NotifyInput, OutgoingMessage, Sender } from './model';
import { ConsoleSender } from './senders';
import { NotifyService, notify } from './service';
import { claimDueOutbox } from './store';

const T0 = new Date('2026-11-23T02:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A sender that records what it is given and fails while told to. */
class RecordingSender implements Sender {
  readonly sent: OutgoingMessage[] = [];
  failures = 0;
  constructor(
    readonly channel: 'sms' | 'email',
    private readonly delayMs = 0,
  ) {}
  async send(message: OutgoingMessage) {
    if (this.delayMs) await sleep(this.delayMs);
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('gateway timeout');
    }
    this.sent.push(message);
    return { reference: `ref-${this.sent.length}` };
  }
}

describe('notifications and the outbox', () => {
  let db: Db;
  const users = new Map<string, { id: string; subjectId: string | null }>();

  beforeAll(async () => {
    db = await createTestDb();
    await seedDemo(db.kysely);
    for (const row of await db.kysely
      .selectFrom('users')
      .select(['id', 'username', 'subjectId'])
      .execute()) {
      users.set(row.username, row);
    }
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await sql`delete from messages`.execute(db.kysely);
    await sql`delete from outbox`.execute(db.kysely);
  });

  const user = (name: string) => users.get(name)!;
  const send = (input: NotifyInput, now = T0) =>
    db.kysely.transaction().execute((trx) => notify(trx, input, now));
  const accepted = (dedupeKey: string, extra: Partial<NotifyInput> = {}): NotifyInput => ({
    to: { userIds: [user('citizen').id] },
    kind: 'cases.accepted',
    title: { zh: '申请已受理', en: 'Application accepted' },
    body: { zh: '您的申请已受理。', en: 'Your application has been accepted.' },
    link: '/applications/x',
    dedupeKey,
    sms: { mobile: '13800138000' },
    ...extra,
  });
  /** The outbox rows, their recipients opened. */
  const outboxRows = async () =>
    (await db.kysely.selectFrom('outbox').selectAll().orderBy('createdAt').execute()).map(
      (row) => ({ ...row, recipient: open(row.recipient) }),
    );

  it('stores the recipient sealed and hands the sender the plain mobile', async () => {
    const sms = new RecordingSender('sms');
    const service = new NotifyService(db.kysely, { senders: [sms, new RecordingSender('email')] });
    await send(accepted('sealed'));
    await send(accepted('sealed-again'));
    const { rows } = await sql<{ stored: string }>`
      select recipient as stored from outbox order by created_at, id`.execute(db.kysely);
    expect(rows).toHaveLength(2);
    for (const { stored } of rows) {
      expect(stored).toMatch(/^sm4:1:/);
      expect(stored).not.toContain('13800138000');
    }
    // Deterministic, so the same recipient under the same dedupe key is still queued once.
    expect(rows[0]!.stored).toBe(rows[1]!.stored);
    expect(await send(accepted('sealed'))).toEqual({ messages: 0, outbox: 0 });
    expect(await service.deliverOutbox(at(1))).toEqual({ sent: 2, retried: 0, failed: 0 });
    expect(sms.sent.map((m) => m.recipient)).toEqual(['13800138000', '13800138000']);
  });

  it('writes one message and one outbox row when notified twice with the same dedupe key', async () => {
    expect(await send(accepted('app-1:accepted'))).toEqual({ messages: 1, outbox: 1 });
    expect(await send(accepted('app-1:accepted'))).toEqual({ messages: 0, outbox: 0 });
    expect(await db.kysely.selectFrom('messages').selectAll().execute()).toHaveLength(1);
    expect(await outboxRows()).toMatchObject([
      { channel: 'sms', recipient: '13800138000', state: 'pending', attempts: 0 },
    ]);
  });

  it('reaches the accounts of subjects and the staff of a department in the given roles, once each', async () => {
    const result = await send(
      accepted('mix', {
        to: {
          userIds: [user('citizen').id, user('reviewer').id],
          subjectIds: [user('citizen').subjectId!, user('enterprise').subjectId!],
          department: { code: 'scjg', regionCode: '371000', roles: ['reviewer'] },
        },
        sms: undefined,
        email: { address: 'Zhang.Wei@Example.cn' },
      }),
    );
    expect(result).toEqual({ messages: 3, outbox: 1 });
    const owners = await db.kysely.selectFrom('messages').select('userId').execute();
    expect(owners.map((o) => o.userId).sort()).toEqual(
      [user('citizen').id, user('enterprise').id, user('reviewer').id].sort(),
    );
    expect(await outboxRows()).toMatchObject([
      { channel: 'email', recipient: 'zhang.wei@example.cn' },
    ]);
  });

  it('refuses a bad mobile number or a link outside the app, writing nothing', async () => {
    await expect(send(accepted('bad', { sms: { mobile: '12345' } }))).rejects.toMatchObject({
      status: 422,
      details: [{ path: 'sms.mobile' }],
    });
    await expect(send(accepted('bad', { link: '//evil.example' }))).rejects.toMatchObject({
      details: [{ path: 'link' }],
    });
    expect(await outboxRows()).toHaveLength(0);
  });

  it('sends each outbox row once, with its id as the idempotency key, and marks it sent', async () => {
    const sms = new RecordingSender('sms');
    const service = new NotifyService(db.kysely, { senders: [sms, new RecordingSender('email')] });
    await send(accepted('one'));
    expect(await service.deliverOutbox(at(1))).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await service.deliverOutbox(at(2))).toEqual({ sent: 0, retried: 0, failed: 0 });
    const [row] = await outboxRows();
    expect(sms.sent).toHaveLength(1);
    expect(sms.sent[0]).toMatchObject({ id: row!.id, idempotencyKey: row!.id, attempt: 1 });
    expect(row).toMatchObject({ state: 'sent', attempts: 1, reference: 'ref-1', leaseUntil: null });
  });

  it('sends each message once when two workers deliver at the same time', async () => {
    const sms = new RecordingSender('sms', 5);
    const one = new NotifyService(db.kysely, { senders: [sms], batch: 4 });
    const two = new NotifyService(db.kysely, { senders: [sms], batch: 4 });
    for (let i = 0; i < 10; i++) {
      await send(accepted(`many-${i}`, { sms: { mobile: `1380013${String(8000 + i)}` } }));
    }
    let total = 0;
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([one.deliverOutbox(at(1)), two.deliverOutbox(at(1))]);
      total += a.sent + b.sent;
    }
    expect(total).toBe(10);
    expect(sms.sent).toHaveLength(10);
    expect(new Set(sms.sent.map((m) => m.id)).size).toBe(10);
    expect((await outboxRows()).every((r) => r.state === 'sent')).toBe(true);
  });

  it('retries a failed send with exponential backoff and gives up after the last attempt', async () => {
    const sms = new RecordingSender('sms');
    sms.failures = 10;
    const service = new NotifyService(db.kysely, {
      senders: [sms],
      maxAttempts: 3,
      backoff: { baseSeconds: 30, maxSeconds: 3600 },
    });
    await send(accepted('flaky'));
    expect(await service.deliverOutbox(at(0))).toEqual({ sent: 0, retried: 1, failed: 0 });
    let [row] = await outboxRows();
    expect(row).toMatchObject({ state: 'pending', attempts: 1, lastError: 'gateway timeout' });
    expect(row!.nextAttemptAt).toEqual(at(30));

    expect(await service.deliverOutbox(at(29))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await service.deliverOutbox(at(30))).toEqual({ sent: 0, retried: 1, failed: 0 });
    [row] = await outboxRows();
    expect(row!.nextAttemptAt).toEqual(at(90));

    expect(await service.deliverOutbox(at(90))).toEqual({ sent: 0, retried: 0, failed: 1 });
    [row] = await outboxRows();
    expect(row).toMatchObject({ state: 'failed', attempts: 3 });
    expect(await service.deliverOutbox(at(100_000))).toEqual({ sent: 0, retried: 0, failed: 0 });
  });

  it('sends again after a worker died between claiming and marking (at least once)', async () => {
    const sms = new RecordingSender('sms');
    const service = new NotifyService(db.kysely, { senders: [sms], leaseSeconds: 60 });
    await send(accepted('crash'));
    // A worker claims the row (and perhaps sends it) and dies before it can mark it sent.
    const { claimed } = await db.kysely
      .transaction()
      .execute((trx) =>
        claimDueOutbox(trx, at(0), { limit: 10, leaseSeconds: 60, maxAttempts: 8 }),
      );
    expect(claimed).toHaveLength(1);

    expect(await service.deliverOutbox(at(59))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(sms.sent).toHaveLength(0);
    expect(await service.deliverOutbox(at(60))).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(sms.sent).toMatchObject([{ attempt: 2, idempotencyKey: claimed[0]!.id }]);
    const [row] = await outboxRows();
    expect(row).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('prints one masked line per message with the console sender', async () => {
    const lines: string[] = [];
    const service = new NotifyService(db.kysely, {
      senders: [new ConsoleSender('sms', { write: (line: string) => lines.push(line) })],
    });
    await send(accepted('console'));
    await service.deliverOutbox(at(1));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('138****8000');
    expect(lines[0]).toContain('【一件事】申请已受理：您的申请已受理。');
    expect(lines[0]).not.toContain('13800138000');
  });
});
