// Policies over HTTP on a seeded platform: the seed policies matched over the demo and synthetic
// dossiers; the editor's preview agrees with the reference interpreter on the same dossiers; the
// hall recommends with reasons; facts sent by data exchange re-match a subject at once and grant
// 免申即享; the department confirms and pays within the deadline, with a ledger; 静默认证
// suspends a grant that no longer qualifies; and everyone else is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server';
import { toLocalDate } from '../platform/calendar';
import { evaluate } from './reference';
import { checkRule, type Dossier, type Rule } from './rule';

describe('policies: matching, recommendations and grants', () => {
  let server: TestServer;
  const cookie: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer({
      seed: 'all',
      syntheticSubjects: 300,
      env: { ONETHING_OUTBOX_SECONDS: '0', ONETHING_SLA_SWEEP_SECONDS: '0' },
    });
    for (const name of [
      'citizen',
      'enterprise',
      'admin',
      'supervisor',
      'reviewer-kjcx',
      'reviewer-rsj',
      'reviewer-ybj',
      'reviewer',
      'clerk',
    ])
      cookie[name] = await server.signIn(name);
  });
  afterAll(() => server?.close());

  const api = (who: string | null, path: string, method = 'GET', body?: unknown) =>
    server.api(path, { method, cookie: who ? cookie[who] : undefined, body });
  const subjectId = async (name: string) =>
    (
      await server.db.kysely
        .selectFrom('subjects')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
    ).id;

  it('publishes the seed policies to everyone, with their benefit and who matched', async () => {
    const reply = await api(null, '/api/policies');
    expect(reply.status).toBe(200);
    const codes = reply.body.items.map((p: any) => p.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'gazelle-support',
        'maternity-allowance',
        'student-aid',
        'resident-pension',
      ]),
    );
    const gazelle = reply.body.items.find((p: any) => p.code === 'gazelle-support');
    expect(gazelle.modeName.zh).toBe('免申即享');
    expect(gazelle.benefitText.zh).toBe('200,000 元');
    expect(gazelle.matched).toBeGreaterThanOrEqual(1);
    const one = await api(null, '/api/policies/gazelle-support');
    expect(one.body.rule.all).toHaveLength(4);
    expect((await api(null, '/api/policies/no-such-policy')).status).toBe(404);
  });

  it('stores exactly the matches the reference interpreter finds on every dossier', async () => {
    const dossiers = await server.db.kysely
      .selectFrom('policyDossiers')
      .select(['subjectId', 'dossier'])
      .execute();
    expect(dossiers.length).toBeGreaterThan(200);
    const policies = await server.db.kysely
      .selectFrom('policies')
      .select(['id', 'code', 'rule'])
      .where('state', '=', 'published')
      .execute();
    const regions = await server.db.kysely
      .selectFrom('regions')
      .select(['code', 'parentCode'])
      .execute();
    const parents = new Map(regions.map((r) => [r.code, r.parentCode]));
    const asOf = toLocalDate(new Date());
    for (const policy of policies) {
      const stored = await server.db.kysely
        .selectFrom('policyMatches')
        .select('subjectId')
        .where('policyId', '=', policy.id)
        .where('status', '=', 'matched')
        .execute();
      const expected = dossiers
        .filter((d) => evaluate(policy.rule as Rule, d.dossier as Dossier, parents, asOf))
        .map((d) => d.subjectId)
        .sort();
      expect(stored.map((s) => s.subjectId).sort(), policy.code).toEqual(expected);
    }
  });

  it('recommends to the demo enterprise what it meets, with the reasons and its grant', async () => {
    const reply = await api('enterprise', '/api/policies/recommended');
    expect(reply.status).toBe(200);
    const gazelle = reply.body.items.find((r: any) => r.policy.code === 'gazelle-support');
    expect(gazelle.matched).toBe(true);
    expect(gazelle.explanation.summary.zh).toContain('纳税信用 A ✓');
    expect(gazelle.amount).toBe(200000);
    expect(gazelle.grant.stateName.zh).toBe('待确认');
    const rate = reply.body.items.find((r: any) => r.policy.code === 'insurance-rate-cut');
    expect(rate.amount).toBe(186 * 150);
    // a near miss says what is missing
    const giant = reply.body.items.find((r: any) => r.policy.code === 'little-giant-award');
    expect(giant.matched).toBe(false);
    expect(giant.explanation.summary.zh).toMatch(/标签 .* ✗ 需/);
    // 张伟: talent card met, the flexible-employment subsidy missed on age (men from 50)
    const mine = await api('citizen', '/api/policies/recommended');
    const talent = mine.body.items.find((r: any) => r.policy.code === 'talent-card');
    expect(talent.matched).toBe(true);
    const flexible = mine.body.items.find(
      (r: any) => r.policy.code === 'flexible-employment-subsidy',
    );
    expect(flexible.matched).toBe(false);
    expect(flexible.explanation.nearMiss).toBe(true);
    // staff have no recommendations
    expect((await api('admin', '/api/policies/recommended')).status).toBe(403);
    expect((await api(null, '/api/policies/recommended')).status).toBe(401);
  });

  it('previews a rule over every dossier, and names the problems of a bad one', async () => {
    const rule = {
      all: [
        { attr: 'kind', op: 'eq', value: 'enterprise' },
        { attr: 'employees', op: 'gte', value: 100 },
        { attr: 'creditGrade', op: 'atLeast', value: 'B' },
      ],
    };
    const reply = await api('admin', '/api/policies/preview', 'POST', { rule, limit: 5 });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const dossiers = await server.db.kysely
      .selectFrom('policyDossiers')
      .select('dossier')
      .execute();
    const asOf = toLocalDate(new Date());
    const expected = dossiers.filter((d) =>
      evaluate(rule as Rule, d.dossier as Dossier, new Map(), asOf),
    ).length;
    expect(reply.body.matched).toBe(expected);
    expect(reply.body.subjects).toBe(dossiers.length);
    expect(reply.body.sample.length).toBe(Math.min(5, expected));
    expect(reply.body.sample[0].explanation.matched).toBe(true);
    expect(reply.body.nearMissSample.every((s: any) => s.explanation.nearMiss)).toBe(true);

    const bad = await api('admin', '/api/policies/preview', 'POST', {
      rule: { all: [{ attr: 'employees', op: 'has', value: 3 }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toMatch(/rule/);
    expect(checkRule({ all: [{ attr: 'employees', op: 'has', value: 3 }] }).length).toBeGreaterThan(
      0,
    );
    expect((await api('supervisor', '/api/policies/preview', 'POST', { rule })).status).toBe(403);
  });

  it('lets an administrator write, publish and withdraw a policy; grants follow publication', async () => {
    const body = {
      code: 'test-export-award',
      name: { zh: '测试外贸奖励', en: 'Test export award' },
      summary: { zh: '测试用政策', en: 'a policy for the test' },
      departmentCode: 'rsj',
      regionCode: '371000',
      sourceDocument: '测试文件',
      validFrom: '2026-01-01',
      tags: ['测试'],
      mode: 'automatic',
      benefit: { kind: 'fixed', amount: 3000 },
      rule: {
        all: [
          { attr: 'kind', op: 'eq', value: 'enterprise' },
          { attr: 'tags', op: 'has', value: 'hired-hardship' },
          { attr: 'region', op: 'within', value: '371002' },
        ],
      },
    };
    // what is wrong is named, field by field
    const wrong = await api('admin', '/api/policies', 'POST', {
      ...body,
      benefit: null,
      validUntil: '2025-01-01',
      departmentCode: 'nope',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details.map((d: any) => d.rule).sort()).toEqual(
      ['after_valid_from', 'known_department', 'required_for_grants'].sort(),
    );
    expect((await api('supervisor', '/api/policies', 'POST', body)).status).toBe(403);
    const created = await api('admin', '/api/policies', 'POST', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.state).toBe('draft');
    expect((await api('admin', '/api/policies', 'POST', body)).status).toBe(409);
    // drafts are not public
    expect((await api(null, '/api/policies/test-export-award')).status).toBe(404);
    const published = await api('admin', '/api/policies/test-export-award/publish', 'POST');
    expect(published.status).toBe(200);
    expect(published.body.matched).toBeGreaterThanOrEqual(1); // 威海星屿 at least
    const grants = await server.db.kysely
      .selectFrom('policyGrants')
      .innerJoin('policies', 'policies.id', 'policyGrants.policyId')
      .select(['policyGrants.subjectId'])
      .where('policies.code', '=', 'test-export-award')
      .execute();
    expect(grants).toHaveLength(published.body.matched);
    // a changed rule re-matches at once; a stale version is refused
    const narrower = {
      ...body,
      rule: { all: [...body.rule.all, { attr: 'size', op: 'eq', value: 'large' }] },
      version: published.body.version,
    };
    const updated = await api('admin', '/api/policies/test-export-award', 'PUT', narrower);
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.matched).toBeLessThan(published.body.matched);
    expect((await api('admin', '/api/policies/test-export-award', 'PUT', narrower)).status).toBe(
      409,
    );
    const withdrawn = await api('admin', '/api/policies/test-export-award/withdraw', 'POST');
    expect(withdrawn.body.state).toBe('withdrawn');
    expect(withdrawn.body.matched).toBe(0);
    // grants already made stand
    const after = await server.db.kysely
      .selectFrom('policyGrants')
      .innerJoin('policies', 'policies.id', 'policyGrants.policyId')
      .select('policyGrants.id')
      .where('policies.code', '=', 'test-export-award')
      .execute();
    expect(after).toHaveLength(grants.length);
  });

  it('re-matches a subject when data exchange sends new facts, and grants 免申即享 at once', async () => {
    const id = await subjectId('李娜'); // born 1979, female, 文登
    const before = await api('admin', `/api/policies/dossiers/${id}`);
    expect(before.body.matches.some((m: any) => m.status === 'matched')).toBe(false);
    const reply = await api('admin', `/api/policies/dossiers/${id}/facts`, 'PUT', {
      facts: { tags: ['maternity-insured', 'pregnant'] },
      source: '市医保局 生育保险参保数据',
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.grantsCreated).toBe(1);
    expect(reply.body.dossier.sex).toBe('female');
    const prenatal = await server.db.kysely
      .selectFrom('policyGrants')
      .innerJoin('policies', 'policies.id', 'policyGrants.policyId')
      .select(['policyGrants.id', 'policyGrants.amount', 'policyGrants.dueAt'])
      .where('policies.code', '=', 'prenatal-checkup')
      .where('policyGrants.subjectId', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(prenatal.amount)).toBe(1200);
    // due ten working days later: at least two weeks of calendar time
    expect(prenatal.dueAt.getTime() - Date.now()).toBeGreaterThan(13 * 86_400_000);
    // the same facts again change nothing
    const again = await api('admin', `/api/policies/dossiers/${id}/facts`, 'PUT', {
      facts: { tags: ['maternity-insured', 'pregnant'] },
      source: '市医保局 生育保险参保数据',
    });
    expect(again.body.grantsCreated).toBe(0);
    const bad = await api('admin', `/api/policies/dossiers/${id}/facts`, 'PUT', {
      facts: { creditGrade: 'E', employees: -1 },
      source: 'x',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: any) => d.path)).toEqual(
      expect.arrayContaining(['body.facts.creditGrade', 'body.facts.employees']),
    );
    expect(
      (
        await api('reviewer-ybj', `/api/policies/dossiers/${id}/facts`, 'PUT', {
          facts: {},
          source: 'xx',
        })
      ).status,
    ).toBe(403);
  });

  it('re-matches when a licence changes the tags (the event), with no call from anyone', async () => {
    const id = await subjectId('周杰');
    await server.db.kysely
      .insertInto('domainEvents')
      .values({
        type: 'licences.tags_changed',
        key: `${id}:test`,
        regionCode: '371083',
        payload: JSON.stringify({ subjectId: id }),
        occurredAt: new Date(),
      })
      .execute();
    await server.db.kysely.deleteFrom('policyDossiers').where('subjectId', '=', id).execute();
    await server.app.events.dispatch();
    const dossier = await server.db.kysely
      .selectFrom('policyDossiers')
      .select('dossier')
      .where('subjectId', '=', id)
      .executeTakeFirst();
    expect(dossier?.dossier).toMatchObject({ kind: 'person', sex: 'male', region: '371083' });
  });

  it('has the department confirm and pay a grant, in order, with a ledger the subject reads', async () => {
    const list = await api('reviewer-kjcx', '/api/policy-grants?state=pending&limit=100');
    expect(list.status).toBe(200);
    const grant = list.body.items.find((g: any) => g.subject.name === '威海澜石精密机械有限公司');
    expect(grant.policy.code).toBe('gazelle-support');
    expect(grant.overdue).toBe(false);
    // other departments do not see it, nor may they act on it
    const rsj = await api('reviewer-rsj', '/api/policy-grants?limit=100');
    expect(rsj.body.items.some((g: any) => g.id === grant.id)).toBe(false);
    expect(
      (
        await api('reviewer-rsj', `/api/policy-grants/${grant.id}/confirm`, 'POST', {
          version: grant.version,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api('supervisor', `/api/policy-grants/${grant.id}/confirm`, 'POST', {
          version: grant.version,
        })
      ).status,
    ).toBe(403);
    // pay before confirming: refused, naming the rule
    const early = await api('reviewer-kjcx', `/api/policy-grants/${grant.id}/pay`, 'POST', {
      version: grant.version,
      paymentRef: 'ZF001',
    });
    expect(early.status).toBe(422);
    expect(early.body.error.details[0].rule).toBe('state');
    const confirmed = await api('reviewer-kjcx', `/api/policy-grants/${grant.id}/confirm`, 'POST', {
      version: grant.version,
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.state).toBe('confirmed');
    // a retry of the same confirmation answers the same
    const retry = await api('reviewer-kjcx', `/api/policy-grants/${grant.id}/confirm`, 'POST', {
      version: grant.version,
    });
    expect(retry.status).toBe(200);
    expect(retry.body.version).toBe(confirmed.body.version);
    const noRef = await api('reviewer-kjcx', `/api/policy-grants/${grant.id}/pay`, 'POST', {
      version: confirmed.body.version,
    });
    expect(noRef.body.error.details[0].path).toBe('body.paymentRef');
    const paid = await api('reviewer-kjcx', `/api/policy-grants/${grant.id}/pay`, 'POST', {
      version: confirmed.body.version,
      paymentRef: 'GK2026112300017',
    });
    expect(paid.status).toBe(200);
    expect(paid.body.state).toBe('paid');
    expect(paid.body.ledger.map((l: any) => l.action)).toEqual(['created', 'confirmed', 'paid']);
    expect(paid.body.ledger[2].amount).toBe(200000);
    // the enterprise reads it, and was told
    const own = await api('enterprise', `/api/policy-grants/${grant.id}`);
    expect(own.status).toBe(200);
    expect(own.body.ledger).toHaveLength(3);
    const messages = await api('enterprise', '/api/messages');
    expect(JSON.stringify(messages.body)).toContain('瞪羚企业扶持资金');
    expect((await api('citizen', `/api/policy-grants/${grant.id}`)).status).toBe(404);
    // audited
    const audit = await server.db.kysely
      .selectFrom('auditLog')
      .select('action')
      .where('objectId', '=', grant.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['policies.grant_confirmed', 'policies.grant_paid']);
  });

  it('rejects a grant only with a reason', async () => {
    const list = await api('reviewer-rsj', '/api/policy-grants?state=pending&limit=1');
    const grant = list.body.items[0];
    const noReason = await api('reviewer-rsj', `/api/policy-grants/${grant.id}/reject`, 'POST', {
      version: grant.version,
    });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.details[0].path).toBe('body.note');
    const rejected = await api('reviewer-rsj', `/api/policy-grants/${grant.id}/reject`, 'POST', {
      version: grant.version,
      note: '该企业已享受同类补贴',
    });
    expect(rejected.body.state).toBe('rejected');
  });

  it('lists overdue grants once their deadline passes', async () => {
    const list = await api('reviewer-ybj', '/api/policy-grants?state=pending&limit=1');
    const grant = list.body.items[0];
    await server.db.kysely
      .updateTable('policyGrants')
      .set({ dueAt: new Date(Date.now() - 60_000) })
      .where('id', '=', grant.id)
      .execute();
    const overdue = await api('reviewer-ybj', '/api/policy-grants?overdue=true');
    expect(overdue.body.items.map((g: any) => g.id)).toContain(grant.id);
    expect(overdue.body.items.every((g: any) => g.overdue)).toBe(true);
  });

  it('静默认证: re-certifies who still qualifies and suspends, with notice, who no longer does', async () => {
    const id = await subjectId('孙丽');
    const grant = await server.db.kysely
      .selectFrom('policyGrants')
      .innerJoin('policies', 'policies.id', 'policyGrants.policyId')
      .select(['policyGrants.id', 'policyGrants.nextCheckAt'])
      .where('policies.code', '=', 'resident-pension')
      .where('policyGrants.subjectId', '=', id)
      .executeTakeFirstOrThrow();
    expect(grant.nextCheckAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const due = () =>
      server.db.kysely
        .updateTable('policyGrants')
        .set({ nextCheckAt: new Date(Date.now() - 1000) })
        .where('id', '=', grant.id)
        .execute();
    await due();
    const first = await api('admin', '/api/policies/recheck', 'POST');
    expect(first.body.checked).toBeGreaterThanOrEqual(1);
    let row = await server.db.kysely
      .selectFrom('policyGrants')
      .selectAll()
      .where('id', '=', grant.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('pending');
    // the data now say she died: the next check suspends the grant and says why
    await api('admin', `/api/policies/dossiers/${id}/facts`, 'PUT', {
      facts: { tags: ['resident-pension-insured', 'deceased'] },
      source: '市民政局 殡葬数据',
    });
    await due();
    const second = await api('admin', '/api/policies/recheck', 'POST');
    expect(second.body.suspended).toBeGreaterThanOrEqual(1);
    row = await server.db.kysely
      .selectFrom('policyGrants')
      .selectAll()
      .where('id', '=', grant.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('suspended');
    const ledger = await api('admin', `/api/policy-grants/${grant.id}`);
    expect(ledger.body.ledger.map((l: any) => l.action)).toEqual([
      'created',
      'recertified',
      'suspended',
    ]);
    expect(ledger.body.ledger[2].note).toContain('✗');
    // the facts corrected: resumed at the next check
    await api('admin', `/api/policies/dossiers/${id}/facts`, 'PUT', {
      facts: { tags: ['resident-pension-insured'] },
      source: '市民政局 更正',
    });
    await due();
    await api('admin', '/api/policies/recheck', 'POST');
    row = await server.db.kysely
      .selectFrom('policyGrants')
      .selectAll()
      .where('id', '=', grant.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('pending');
    expect((await api('supervisor', '/api/policies/recheck', 'POST')).status).toBe(403);
  });

  it('shows matches to the issuing department and supervisors, not to other departments', async () => {
    const own = await api('reviewer-ybj', '/api/policies/maternity-allowance/matches');
    expect(own.status).toBe(200);
    expect(own.body.items.find((m: any) => m.name === '王芳').summary.zh).toContain('✓');
    // persons' identifiers are masked for staff
    expect(own.body.items[0].identifier).toContain('*');
    expect((await api('supervisor', '/api/policies/maternity-allowance/matches')).status).toBe(200);
    expect((await api('reviewer-kjcx', '/api/policies/maternity-allowance/matches')).status).toBe(
      403,
    );
    expect((await api('citizen', '/api/policies/maternity-allowance/matches')).status).toBe(403);
    const near = await api(
      'reviewer-rsj',
      '/api/policies/flexible-employment-subsidy/matches?status=near_miss&limit=100',
    );
    expect(near.body.items.some((m: any) => m.name === '张伟')).toBe(true);
  });

  it('rebuilds every dossier and re-matches on demand, and refuses others', async () => {
    const reply = await api('admin', '/api/policies/rematch', 'POST');
    expect(reply.status).toBe(200);
    expect(reply.body.subjects).toBe(reply.body.dossiersRebuilt);
    expect(reply.body.grantsCreated).toBe(0); // nothing new since
    expect((await api('reviewer-rsj', '/api/policies/rematch', 'POST')).status).toBe(403);
  });
});
