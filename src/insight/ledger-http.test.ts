// The reform-task ledger over HTTP on a seeded platform: every measure of the five seed documents
// imported once, the board and list in each caller's regions, a unit's staff reporting progress
// (idempotent, others refused), warnings, tick-off only after a completed report, and the export.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server';
import { toLocalDate } from '../platform/calendar/time';
import { addDays, warningsOf, WARNINGS, type Warning } from './ledger';
import { seedLedger } from './ledger-seed';

const BASE = '/api/insight/ledger';

describe('the reform-task ledger (改革任务台账)', () => {
  let server: TestServer;
  const cookie: Record<string, string> = {};
  const today = toLocalDate(new Date());
  let rsjTask: { id: string; version: number };
  const users = [
    'citizen',
    'enterprise',
    'reviewer-rsj',
    'reviewer-tax',
    'reviewer-kjcx',
    'supervisor',
    'admin',
    'operator',
  ];

  beforeAll(async () => {
    server = await startTestServer({ env: { ONETHING_OUTBOX_SECONDS: '0' } });
    await seedLedger(server.db.kysely);
    for (const name of users) cookie[name] = await server.signIn(name);
  });
  afterAll(() => server?.close());

  const api = (
    who: string | null,
    path: string,
    method = 'GET',
    body?: unknown,
    headers?: Record<string, string>,
  ) => server.api(BASE + path, { method, cookie: who ? cookie[who] : undefined, body, headers });
  const progress = (
    who: string,
    id: string,
    body: Record<string, unknown>,
    headers?: Record<string, string>,
  ) => api(who, `/tasks/${encodeURIComponent(id)}/progress`, 'POST', body, headers);
  const decide = (
    who: string,
    id: string,
    action: 'tick-off' | 'reopen',
    body: Record<string, unknown>,
  ) => api(who, `/tasks/${encodeURIComponent(id)}/${action}`, 'POST', body);
  const board = async (who = 'supervisor') => (await api(who, '/board')).body;

  it('imports every measure of the five seed documents once, with units mapped to departments', async () => {
    const db = server.db.kysely;
    const count = async (table: 'ledgerTasks' | 'ledgerDocuments') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('ledgerTasks')).toBe(667);
    expect(await count('ledgerDocuments')).toBe(5);
    expect(await seedLedger(db)).toBe(0);
    expect(await count('ledgerTasks')).toBe(667);
    const rsj = await db
      .selectFrom('ledgerUnits')
      .select('name')
      .where('departmentCode', '=', 'rsj')
      .execute();
    expect(rsj.map((u) => u.name)).toContain('市人社局');
    const etdz = await db
      .selectFrom('ledgerDocuments')
      .select('key')
      .where('regionCode', '=', '371072')
      .execute();
    expect(etdz.map((d) => d.key).sort()).toEqual(['000_9a15eb66487ec55f', '002_6df087b0062fce39']);
  });

  it('refuses the anonymous (401) and citizens and enterprises (403), and admits staff', async () => {
    expect((await api(null, '/board')).status).toBe(401);
    expect((await api('citizen', '/board')).status).toBe(403);
    expect((await api('enterprise', '/tasks')).status).toBe(403);
    expect((await api('operator', '/board')).status).toBe(200);
  });

  it("shows each caller the documents of their regions: the city all five, the zone's staff its two", async () => {
    const city = await board();
    expect(city.documents).toHaveLength(5);
    expect(city.documents.reduce((n: number, d: { total: number }) => n + d.total, 0)).toBe(667);
    const zone = await board('reviewer-kjcx');
    expect(zone.documents.map((d: { key: string }) => d.key)).toEqual([
      '000_9a15eb66487ec55f',
      '002_6df087b0062fce39',
    ]);
    const rsj = city.units.find((u: { unit: string }) => u.unit === '市人社局');
    expect(rsj).toMatchObject({
      departmentCode: 'rsj',
      departmentName: { zh: '威海市人力资源和社会保障局' },
    });
    expect(rsj.total).toBeGreaterThan(20);
  });

  it('lists tasks with filters and paging, and refuses a bad filter with its field', async () => {
    const page = await api('supervisor', '/tasks?document=003_2ff81f0e7c0069ce&limit=10&offset=10');
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(184);
    expect(page.body.items).toHaveLength(10);
    const searched = await api('supervisor', `/tasks?q=${encodeURIComponent('一件事')}`);
    expect(searched.body.total).toBeGreaterThan(0);
    const bad = await api('supervisor', '/tasks?warning=late');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toContain('warning');
    const mine = await api(
      'reviewer-rsj',
      '/tasks?mine=true&document=003_2ff81f0e7c0069ce&limit=1',
    );
    expect(mine.body.total).toBeGreaterThan(0);
    const [task] = mine.body.items;
    rsjTask = { id: task.id, version: task.version };
  });

  it('counts the warnings on the board as the pure rule computes them for every task', async () => {
    const { body } = await api('supervisor', '/tasks?limit=200');
    const all = [...body.items];
    for (let offset = 200; offset < body.total; offset += 200)
      all.push(...(await api('supervisor', `/tasks?limit=200&offset=${offset}`)).body.items);
    expect(all).toHaveLength(667);
    const counted = (w: Warning) => all.filter((t) => warningsOf(t, today).includes(w)).length;
    const { documents } = await board();
    const sum = (key: string) =>
      documents.reduce((n: number, d: Record<string, number>) => n + (d[key] ?? 0), 0);
    const totals: Record<Warning, number> = {
      overdue: sum('overdue'),
      due_soon: sum('dueSoon'),
      unreported: sum('unreported'),
    };
    for (const w of WARNINGS) expect(totals[w], w).toBe(counted(w));
    expect(totals.overdue).toBeGreaterThan(0);
  });

  it('warns of a task due within 14 days', async () => {
    await server.db.kysely
      .updateTable('ledgerTasks')
      .set({ dueOn: addDays(today, 7) })
      .where('id', '=', rsjTask.id)
      .execute();
    const soon = await api('supervisor', '/tasks?warning=due_soon&limit=200');
    expect(soon.body.items.map((t: { id: string }) => t.id)).toContain(rsjTask.id);
    const task = await api('reviewer-rsj', `/tasks/${encodeURIComponent(rsjTask.id)}`);
    expect(task.body.warnings).toEqual(['due_soon', 'unreported']);
    expect(task.body.cadence).toBe('weekly');
  });

  it("lets the lead unit's staff report progress and refuses everyone else", async () => {
    const detail = await api('reviewer-rsj', `/tasks/${encodeURIComponent(rsjTask.id)}`);
    expect(detail.body.can.report).toContain('市人社局');
    const body = {
      status: 'on_track',
      percent: 40,
      note: '已完成系统对接方案',
      evidence: { text: '方案已印发', links: ['https://example.gov.cn/a'] },
    };
    const reported = await progress('reviewer-rsj', rsjTask.id, body, {
      'idempotency-key': 'rsj-report-0001',
    });
    expect(reported.status, JSON.stringify(reported.body)).toBe(201);
    const after = await api('reviewer-rsj', `/tasks/${encodeURIComponent(rsjTask.id)}`);
    expect(after.body.warnings).toEqual(['due_soon']);
    expect(after.body.reports).toHaveLength(1);
    expect(after.body.reports[0]).toMatchObject({
      unitName: '市人社局',
      period: after.body.currentPeriod,
      percent: 40,
    });

    const units = after.body.units.map((u: { departmentCode: string | null }) => u.departmentCode);
    if (!units.includes('tax'))
      expect((await progress('reviewer-tax', rsjTask.id, body)).status).toBe(403);
    expect((await progress('supervisor', rsjTask.id, body)).status).toBe(403);
    expect((await progress('reviewer-kjcx', rsjTask.id, body)).status).toBe(404);
    expect((await progress('reviewer-rsj', 'no-such-task', body)).status).toBe(404);
    expect((await progress('citizen', rsjTask.id, body)).status).toBe(403);
    expect((await progress(null as unknown as string, rsjTask.id, body)).status).toBe(401);
  });

  it('refuses bad reports with the field and the rule', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ status: 'on_track', percent: 101, note: '进展' }, 'body.percent', 'maximum'],
      [{ status: 'done', percent: 10, note: '进展' }, 'body.status', ''],
      [{ status: 'completed', percent: 90, note: '进展' }, 'body.percent', 'completed_percent'],
      [
        { status: 'on_track', percent: 10, note: '进展', period: '2999-01' },
        'body.period',
        'period_future',
      ],
      [
        { status: 'on_track', percent: 10, note: '进展', period: '2026-W77' },
        'body.period',
        'period_format',
      ],
      [
        { status: 'on_track', percent: 10, note: '进展', unit: '市气象局' },
        'body.unit',
        'unit_of_task',
      ],
      [
        { status: 'on_track', percent: 10, note: '进展', evidence: { links: ['javascript:x'] } },
        'body.evidence.links',
        '',
      ],
    ];
    for (const [body, path, rule] of cases) {
      const reply = await progress('reviewer-rsj', rsjTask.id, body);
      expect(reply.status, JSON.stringify(body)).toBe(422);
      expect(reply.body.error.details[0].path).toContain(path);
      if (rule) expect(reply.body.error.details[0].rule).toBe(rule);
    }
  });

  it('replays a retry with the same idempotency key, and replaces the same unit and period', async () => {
    const body = { status: 'on_track', percent: 40, note: '已完成系统对接方案' };
    const replay = await progress('reviewer-rsj', rsjTask.id, body, {
      'idempotency-key': 'rsj-report-0001',
    });
    expect(replay.status).toBe(200);
    expect(replay.body.replayed).toBe(true);
    const reused = await progress('reviewer-rsj', 'no-such-task', body, {
      'idempotency-key': 'rsj-report-0001',
    });
    expect(reused.status).toBe(409);
    const replaced = await progress('reviewer-rsj', rsjTask.id, { ...body, percent: 60 });
    expect(replaced.status).toBe(200);
    const { body: task } = await api('reviewer-rsj', `/tasks/${encodeURIComponent(rsjTask.id)}`);
    expect(task.reports).toHaveLength(1);
    expect(task.reports[0]).toMatchObject({ percent: 60, revision: 2 });
    expect(task.lastPercent).toBe(60);
  });

  it('ticks a task off only after a completed report, by a supervisor, and the board counts it', async () => {
    const id = rsjTask.id;
    const early = await decide('supervisor', id, 'tick-off', { note: '核验销号' });
    expect(early.status).toBe(422);
    expect(early.body.error.details[0].rule).toBe('completed_report');
    expect((await decide('reviewer-rsj', id, 'tick-off', { note: '核验销号' })).status).toBe(403);
    expect((await decide('supervisor', id, 'tick-off', {})).status).toBe(422);

    const done = await progress('reviewer-rsj', id, {
      status: 'completed',
      percent: 100,
      note: '全部完成',
    });
    expect(done.status).toBe(200);
    const before = (await board()).documents.find(
      (d: { key: string }) => d.key === '003_2ff81f0e7c0069ce',
    );
    const { body: task } = await api('supervisor', `/tasks/${encodeURIComponent(id)}`);
    expect(task.can).toMatchObject({ supervise: true, tickOff: true, reopen: false, report: [] });
    expect(
      (await decide('supervisor', id, 'tick-off', { note: '核验销号', version: task.version - 1 }))
        .status,
    ).toBe(409);
    const ticked = await decide('supervisor', id, 'tick-off', {
      note: '核验销号',
      version: task.version,
    });
    expect(ticked.status, JSON.stringify(ticked.body)).toBe(200);
    expect(ticked.body).toMatchObject({ state: 'done', version: task.version + 1 });
    const after = (await board()).documents.find(
      (d: { key: string }) => d.key === '003_2ff81f0e7c0069ce',
    );
    expect(after.done).toBe(before.done + 1);
    expect((await decide('supervisor', id, 'tick-off', { note: '再次销号' })).status).toBe(409);
    expect(
      (await progress('reviewer-rsj', id, { status: 'on_track', percent: 100, note: '补充' }))
        .status,
    ).toBe(409);

    const reopened = await decide('admin', id, 'reopen', { note: '复核发现未完成' });
    expect(reopened.status).toBe(200);
    expect(
      (await board()).documents.find((d: { key: string }) => d.key === '003_2ff81f0e7c0069ce').done,
    ).toBe(before.done);
    expect((await decide('admin', id, 'reopen', { note: '再次恢复' })).status).toBe(409);

    const audit = await server.db.kysely
      .selectFrom('auditLog')
      .select('action')
      .where('objectId', '=', id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'insight.progress_reported',
      'insight.progress_replaced',
      'insight.progress_replaced',
      'insight.task_ticked_off',
      'insight.task_reopened',
    ]);
  });

  it('exports the whole ledger as a valid workbook with every task', async () => {
    const reply = await fetch(`${server.url}${BASE}/export`, {
      headers: { cookie: cookie.supervisor! },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('spreadsheetml');
    expect(reply.headers.get('content-disposition')).toContain('.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await reply.arrayBuffer());
    const sheet = workbook.getWorksheet('台账 Ledger')!;
    expect(sheet.rowCount).toBe(1 + 667);
    const ids = new Set<string>();
    sheet.eachRow((row, n) => n > 1 && ids.add(String(row.getCell(1).value)));
    expect(ids.size).toBe(667);
    expect(ids.has(rsjTask.id)).toBe(true);
    expect(workbook.getWorksheet('汇总 Summary')!.rowCount).toBe(1 + 5);
    const filtered = await fetch(`${server.url}${BASE}/export?department=rsj`, {
      headers: { cookie: cookie.supervisor! },
    });
    const small = new ExcelJS.Workbook();
    await small.xlsx.load(await filtered.arrayBuffer());
    expect(small.getWorksheet('台账 Ledger')!.rowCount).toBeLessThan(668);
    expect((await api('citizen', '/export')).status).toBe(403);
  });
});
