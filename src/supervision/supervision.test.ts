// Supervision over HTTP on a seeded platform: two departments draw plans over the development
// zone, the draws verify from what is published and fail when anything is changed, no inspector
// with a declared conflict is assigned, the plans on the same enterprise become one joint
// inspection, an unplanned filing is refused, the enterprise's code lets the inspector in, the
// result is due for publication in 20 working days and appears publicly, and the enterprise is
// invited to rate it; everyone else is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocalDate } from '../platform/calendar';
import { startTestServer, type TestServer } from '../../test/support/server';

describe('supervision: draws, joint inspections, filing, check-in, results', () => {
  let server: TestServer;
  const cookie: Record<string, string> = {};
  const today = toLocalDate(new Date());
  const inMonth = toLocalDate(new Date(Date.now() + 30 * 86_400_000));
  let lanshi: string;
  let scjgPlan: any;
  let xfjyPlan: any;

  beforeAll(async () => {
    server = await startTestServer({
      seed: 'all',
      syntheticSubjects: 120,
      env: { ONETHING_OUTBOX_SECONDS: '0' },
    });
    for (const name of ['inspector', 'inspector-xfjy', 'enterprise', 'clerk', 'admin', 'citizen'])
      cookie[name] = await server.signIn(name);
    const db = server.db.kysely;
    lanshi = (
      await db
        .selectFrom('subjects')
        .select('id')
        .where('name', '=', '威海澜石精密机械有限公司')
        .executeTakeFirstOrThrow()
    ).id;
    // The other inspectors of both departments but one declared a conflict with 威海澜石, so the
    // demo inspectors are the ones drawn for it (回避 leaves no one else).
    const others = await db
      .selectFrom('inspectors')
      .select(['id', 'departmentCode'])
      .where('userId', 'is', null)
      .where('departmentCode', 'in', ['scjg', 'xfjy'])
      .orderBy('certificateNo')
      .execute();
    const keep = new Set([
      others.find((i) => i.departmentCode === 'scjg')!.id,
      others.find((i) => i.departmentCode === 'xfjy')!.id,
    ]);
    await db
      .insertInto('inspectorConflicts')
      .values(
        others
          .filter((i) => !keep.has(i.id))
          .map((i) => ({
            inspectorId: i.id,
            subjectId: lanshi,
            regionCode: '371072',
            reason: '亲属任职',
            declaredAt: new Date(),
          })),
      )
      .execute();
  });
  afterAll(() => server?.close());

  const api = (who: string | null, path: string, method = 'GET', body?: unknown) =>
    server.api(path, { method, cookie: who ? cookie[who] : undefined, body });
  const plan = (item: string) => ({
    title: `经开区${item}抽查`,
    itemCodes: [item],
    regionCode: '371000',
    filters: { regions: ['371072'] },
    tierRatios: { A: 1, B: 1, C: 1, D: 1 },
    inspectorsPerTarget: 2,
    startsOn: today,
    endsOn: inMonth,
  });

  it('publishes the lists: items to everyone, targets and inspectors to staff', async () => {
    const items = await api(null, '/api/supervision/items');
    expect(items.body.items.map((i: any) => i.code)).toContain('scjg-food-safety');
    const targets = await api('inspector', '/api/supervision/targets?limit=100');
    expect(targets.body.total).toBeGreaterThan(50);
    expect((await api('enterprise', '/api/supervision/targets')).status).toBe(403);
    const inspectors = await api('inspector', '/api/supervision/inspectors');
    expect(inspectors.body.items.length).toBe(13);
  });

  it('refuses a plan with items of another department, a past period or no ratio', async () => {
    const wrong = await api('inspector', '/api/supervision/plans', 'POST', {
      ...plan('xfjy-fire-safety'),
      endsOn: '2020-01-01',
      startsOn: '2020-01-01',
      tierRatios: { A: 0, B: 0, C: 0, D: 0 },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details.map((d: any) => d.rule).sort()).toEqual(
      ['not_past', 'own_item', 'some_ratio'].sort(),
    );
    expect(
      (await api('clerk', '/api/supervision/plans', 'POST', plan('scjg-food-safety'))).status,
    ).toBe(403);
    const nowhere = await api('admin', '/api/supervision/plans', 'POST', {
      ...plan('scjg-food-safety'),
      regionCode: '999999',
    });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.error.details[0]).toMatchObject({
      path: 'body.regionCode',
      rule: 'known_region',
    });
    // a general item may sample at most 20 %
    const general = await api(
      'inspector',
      '/api/supervision/plans',
      'POST',
      plan('scjg-licence-display'),
    );
    expect(general.status).toBe(201);
    const commit = await api(
      'inspector',
      `/api/supervision/plans/${general.body.id}/commit`,
      'POST',
    );
    expect(commit.status).toBe(422);
    expect(commit.body.error.details[0].rule).toBe('max_ratio');
  });

  it('commits to a seed before the draw, reveals it after, and the draw verifies', async () => {
    const created = await api(
      'inspector',
      '/api/supervision/plans',
      'POST',
      plan('scjg-food-safety'),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.seedHash).toBeNull();
    const committed = await api(
      'inspector',
      `/api/supervision/plans/${created.body.id}/commit`,
      'POST',
    );
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    expect(committed.body.seedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(committed.body.seed).toBeNull(); // not revealed before the draw
    const early = await api(null, `/api/supervision/draws/${created.body.id}/verify`);
    expect(early.status).toBe(422);
    // another department's planner cannot draw it
    expect(
      (await api('inspector-xfjy', `/api/supervision/plans/${created.body.id}/draw`, 'POST'))
        .status,
    ).toBe(404);
    const drawn = await api('inspector', `/api/supervision/plans/${created.body.id}/draw`, 'POST');
    expect(drawn.status).toBe(200);
    expect(drawn.body.seed).toMatch(/^[0-9a-f]{64}$/);
    scjgPlan = drawn.body;
    // every target of the zone drawn (a key item may cover all), each with two distinct
    // inspectors, none with a declared conflict
    const targets = drawn.body.inputs.targets.length;
    expect(drawn.body.result.selected.length).toBe(targets);
    const conflicted = new Map<string, string[]>(
      drawn.body.inputs.inspectors.map((i: any) => [i.id, i.conflicts]),
    );
    for (const pick of drawn.body.result.selected) {
      expect(new Set(pick.inspectorIds).size).toBe(2);
      for (const id of pick.inspectorIds) expect(conflicted.get(id)).not.toContain(pick.targetId);
    }
    // anyone re-runs it
    const verified = await api(null, `/api/supervision/draws/${created.body.id}/verify`);
    expect(verified.body).toMatchObject({
      ok: true,
      seedMatchesCommitment: true,
      digestMatches: true,
    });
    // a retry of the draw changes nothing
    const again = await api('inspector', `/api/supervision/plans/${created.body.id}/draw`, 'POST');
    expect(again.body.drawDigest).toBe(drawn.body.drawDigest);
  });

  it('fails verification when the published inputs are changed', async () => {
    const db = server.db.kysely;
    const original = await db
      .selectFrom('inspectionPlans')
      .select('inputs')
      .where('id', '=', scjgPlan.id)
      .executeTakeFirstOrThrow();
    const inputs = structuredClone(original.inputs) as any;
    inputs.targets.pop();
    await db
      .updateTable('inspectionPlans')
      .set({ inputs: JSON.stringify(inputs) })
      .where('id', '=', scjgPlan.id)
      .execute();
    const verified = await api(null, `/api/supervision/draws/${scjgPlan.id}/verify`);
    expect(verified.body.ok).toBe(false);
    await db
      .updateTable('inspectionPlans')
      .set({ inputs: JSON.stringify(original.inputs) })
      .where('id', '=', scjgPlan.id)
      .execute();
    expect((await api(null, `/api/supervision/draws/${scjgPlan.id}/verify`)).body.ok).toBe(true);
  });

  it("merges the fire brigade's plan on the same enterprises into joint inspections", async () => {
    const created = await api(
      'inspector-xfjy',
      '/api/supervision/plans',
      'POST',
      plan('xfjy-fire-safety'),
    );
    await api('inspector-xfjy', `/api/supervision/plans/${created.body.id}/commit`, 'POST');
    const drawn = await api(
      'inspector-xfjy',
      `/api/supervision/plans/${created.body.id}/draw`,
      'POST',
    );
    expect(drawn.status, JSON.stringify(drawn.body)).toBe(200);
    xfjyPlan = drawn.body;
    const inspections = await server.db.kysely
      .selectFrom('inspections')
      .select(['subjectId', 'departmentCodes', 'itemCodes', 'inspectorIds'])
      .execute();
    // one inspection per enterprise, not two (进一次门、查多项事)
    expect(inspections).toHaveLength(scjgPlan.result.selected.length);
    const joint = inspections.find((i) => i.subjectId === lanshi)!;
    expect([...(joint.departmentCodes as string[])].sort()).toEqual(['scjg', 'xfjy']);
    expect(joint.itemCodes).toEqual(['scjg-food-safety', 'xfjy-fire-safety']);
    expect(joint.inspectorIds).toHaveLength(4);
  });

  it('refuses an unplanned filing, files a planned one, lets the inspector in by the code', async () => {
    const zhang = (
      await server.db.kysely
        .selectFrom('subjects')
        .select('id')
        .where('name', '=', '威海星屿海洋食品有限公司')
        .executeTakeFirstOrThrow()
    ).id;
    const unplanned = await api('inspector', '/api/supervision/inspections/file', 'POST', {
      subjectId: zhang,
      itemCodes: ['scjg-food-safety'],
      scheduledOn: today,
    });
    expect(unplanned.status).toBe(422);
    expect(unplanned.body.error.code).toBe('supervision.unplanned');
    const wrongItem = await api('inspector', '/api/supervision/inspections/file', 'POST', {
      subjectId: lanshi,
      itemCodes: ['scjg-product-quality'],
      scheduledOn: today,
    });
    expect(wrongItem.body.error.details[0].rule).toBe('planned');
    const filed = await api('inspector', '/api/supervision/inspections/file', 'POST', {
      subjectId: lanshi,
      itemCodes: ['scjg-food-safety', 'xfjy-fire-safety'],
      scheduledOn: today,
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);
    expect(filed.body.state).toBe('filed');
    expect(filed.body.joint).toBe(true);
    const id = filed.body.id;
    // the enterprise's code, good for ten minutes; a wrong one is refused
    expect(
      (await api('citizen', `/api/supervision/inspections/${id}/checkin-code`, 'POST')).status,
    ).toBe(403);
    const code = await api('enterprise', `/api/supervision/inspections/${id}/checkin-code`, 'POST');
    expect(code.status).toBe(200);
    expect(new Date(code.body.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    const wrong = await api('inspector', `/api/supervision/inspections/${id}/check-in`, 'POST', {
      token: 'not-the-code',
    });
    expect(wrong.body.error.details[0].rule).toBe('valid');
    const inside = await api('inspector', `/api/supervision/inspections/${id}/check-in`, 'POST', {
      token: code.body.token,
    });
    expect(inside.status).toBe(200);
    expect(inside.body.state).toBe('checked_in');
    // finished: publication due twenty working days later, the enterprise invited to rate
    const finished = await api('inspector', `/api/supervision/inspections/${id}/finish`, 'POST', {
      result: 'issues',
      findings: '消防通道堆放杂物，已责令当场整改',
    });
    expect(finished.status).toBe(200);
    const due = new Date(finished.body.publishDueAt).getTime() - Date.now();
    expect(due).toBeGreaterThan(26 * 86_400_000);
    expect(finished.body.publishOverdue).toBe(false);
    await server.app.events.dispatch();
    const mine = await api('enterprise', '/api/evaluations/mine');
    expect(mine.body.items.some((s: any) => s.kind === 'inspection')).toBe(true);
    // not public before publication
    expect(
      (await api(null, '/api/supervision/results')).body.items.some((r: any) => r.id === id),
    ).toBe(false);
    const published = await api('inspector', `/api/supervision/inspections/${id}/publish`, 'POST');
    expect(published.body.state).toBe('published');
    const results = await api(null, '/api/supervision/results');
    const shown = results.body.items.find((r: any) => r.id === id);
    expect(shown.resultName.zh).toBe('发现问题已责令整改');
    expect(shown.inspectors).toBeUndefined();
    // every step on record
    const detail = await api('enterprise', `/api/supervision/inspections/${id}`);
    expect(detail.body.events.map((e: any) => e.action)).toEqual([
      'planned',
      'joined',
      'file',
      'check_in',
      'finish',
      'publish',
    ]);
  });

  it('tracks results overdue for publication', async () => {
    const tasks = await api('inspector', '/api/supervision/inspections?state=planned&limit=1');
    const task = tasks.body.items[0];
    await server.db.kysely
      .updateTable('inspections')
      .set({ state: 'finished', finishedAt: new Date(), publishDueAt: new Date(Date.now() - 1000) })
      .where('id', '=', task.id)
      .execute();
    const overdue = await api('inspector', '/api/supervision/inspections?publishOverdue=true');
    expect(overdue.body.items.map((i: any) => i.id)).toContain(task.id);
    expect(overdue.body.items.every((i: any) => i.publishOverdue)).toBe(true);
  });

  it('lets an inspector declare a conflict, after which they are never drawn for that enterprise', async () => {
    const declared = await api('inspector', '/api/supervision/conflicts', 'POST', {
      subjectId: lanshi,
      reason: '曾任该企业顾问',
    });
    expect(declared.status).toBe(201);
    expect(
      (
        await api('enterprise', '/api/supervision/conflicts', 'POST', {
          subjectId: lanshi,
          reason: 'xx',
        })
      ).status,
    ).toBe(403);
    void xfjyPlan;
  });
});
