import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocalDate } from '../../src/platform/calendar';
import { dialogsSettled, shoot, submitSignIn, TestBrowser } from '../support/browser';
import { startTestServer, type TestServer } from '../support/server';

// 双随机一公开 in the browser (issue 10's "done when"): the market regulator's planner writes a plan
// over the development zone, commits to the seed, draws and verifies the draw on the page; no
// assigned inspector has a declared conflict; the inspector files the task (an unplanned filing is
// refused), the enterprise shows its check-in code, the inspector enters it, records the result and
// publishes it; the public results page shows it. Credit repair runs from the enterprise's
// application to the department's approval, after which the public credit page drops the record.
const LANSHI = '威海澜石精密机械有限公司';

describe('双随机一公开 and credit repair in the browser', () => {
  let server: TestServer;
  let browser: TestBrowser;
  let lanshi = '';
  let planId = '';
  let inspectionId = '';
  let inspectionNumber = '';
  let token = '';
  const cookie: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer({
      seed: 'all',
      syntheticSubjects: 60,
      env: {
        ONETHING_OUTBOX_SECONDS: '0',
        ...(process.env.ONETHING_WEB_DIR ? { ONETHING_WEB_DIR: process.env.ONETHING_WEB_DIR } : {}),
      },
    });
    browser = await TestBrowser.launch({ viewport: { width: 1366, height: 900 } });
    for (const name of ['inspector', 'enterprise']) cookie[name] = await server.signIn(name);
    const db = server.db.kysely;
    lanshi = (
      await db
        .selectFrom('subjects')
        .select('id')
        .where('name', '=', LANSHI)
        .executeTakeFirstOrThrow()
    ).id;
    // Every market-regulation inspector but one (and 孙浩, who has an account) declared a conflict
    // with 威海澜石, so 孙浩 is surely one of the two drawn for it (回避 leaves no one else).
    const others = await db
      .selectFrom('inspectors')
      .select('id')
      .where('userId', 'is', null)
      .where('departmentCode', '=', 'scjg')
      .orderBy('certificateNo')
      .execute();
    await db
      .insertInto('inspectorConflicts')
      .values(
        others.slice(1).map((i) => ({
          inspectorId: i.id,
          subjectId: lanshi,
          regionCode: '371072',
          reason: '亲属任职',
          declaredAt: new Date(),
        })),
      )
      .execute();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const api = (who: string | null, path: string, method = 'GET', body?: unknown) =>
    server.api(path, { method, cookie: who ? cookie[who] : undefined, body });

  async function signIn(page: Page, username: string, target: string) {
    await page.goto(`${server.url}${target}`);
    await page.waitForURL(/\/signin\?next=/);
    await submitSignIn(page, username);
    await page.waitForURL(`${server.url}${target}`);
  }

  /** A full-page picture once no table is loading any more. */
  async function shot(page: Page, name: string) {
    await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
    await page.waitForTimeout(400); // the table's fade back from loading, for the picture only
    await shoot(page, name);
  }

  it('lets the planner write a plan, commit to the seed, draw and verify it on the page', async () => {
    const { context, page } = await browser.openPage();
    try {
      await signIn(page, 'inspector', '/workbench/supervision/plans');
      await page.getByTestId('plans-page').waitFor();
      await page.getByTestId('plan-new').click();
      await page.getByTestId('plan-editor').waitFor();
      await page.getByTestId('plan-title').fill('经开区食品经营者双随机抽查');
      await page.getByTestId('plan-item-scjg-food-safety').click();
      const zones = page.getByTestId('plan-filter-regions');
      await zones.click();
      await page.keyboard.type('371072');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Escape');
      for (const tier of ['A', 'B', 'C', 'D'])
        await page.getByTestId(`plan-ratio-${tier}`).fill('100');
      await shot(page, 'supervision-plan-editor');
      await page.getByTestId('plan-save').click();
      await page.waitForURL(/\/workbench\/supervision\/plans\/[0-9a-f-]{36}$/);
      planId = page.url().split('/').pop()!;
      const plan = page.getByTestId('plan-page');
      await plan.waitFor();
      expect(await page.getByTestId('plan-facts').innerText()).toContain(
        '经开区食品经营者双随机抽查',
      );

      await page.getByTestId('plan-commit').click();
      await page.getByTestId('seed-hash').waitFor();
      expect(await page.getByTestId('seed-hash').innerText()).toMatch(/[0-9a-f]{64}/);
      expect(Number(await page.getByTestId('target-count').innerText())).toBeGreaterThan(1);
      await page.getByTestId('plan-draw').click();
      await page.getByTestId('draw-outcome').waitFor();
      expect(await page.getByTestId('seed').innerText()).toMatch(/[0-9a-f]{64}/);
      await expect.poll(() => page.getByTestId('selected-targets').innerText()).toContain(LANSHI);
      await page.getByTestId('verify-draw').click();
      const verified = page.getByTestId('verify-result');
      await verified.waitFor();
      expect(await verified.getAttribute('data-ok')).toBe('true');
      expect(await verified.innerText()).toContain('✓ 验证通过');
      await shot(page, 'supervision-plan-drawn');
      await page.goto(`${server.url}/workbench/supervision/plans`);
      await page.getByTestId('plan-link').first().waitFor();
      await shot(page, 'supervision-plans');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
    // through the API: every zone enterprise drawn, two inspectors each, none with a conflict
    const drawn = (await api(null, `/api/supervision/plans/${planId}`)).body;
    expect(drawn.state).toBe('drawn');
    expect(drawn.result.selected.length).toBe(drawn.inputs.targets.length);
    const conflicts = new Map<string, string[]>(
      drawn.inputs.inspectors.map((i: any) => [i.id, i.conflicts]),
    );
    for (const pick of drawn.result.selected) {
      expect(new Set(pick.inspectorIds).size).toBe(2);
      for (const id of pick.inspectorIds) expect(conflicts.get(id)).not.toContain(pick.targetId);
    }
    expect(drawn.result.selected.some((p: any) => p.targetId === lanshi)).toBe(true);
  }, 120_000);

  it('shows a refused commit (the item sampling limit) with its message', async () => {
    const today = toLocalDate(new Date());
    const created = await api('inspector', '/api/supervision/plans', 'POST', {
      title: '经开区营业执照公示检查',
      itemCodes: ['scjg-licence-display'],
      regionCode: '371000',
      filters: { regions: ['371072'] },
      tierRatios: { A: 1, B: 1, C: 1, D: 1 },
      inspectorsPerTarget: 2,
      startsOn: today,
      endsOn: toLocalDate(new Date(Date.now() + 20 * 86_400_000)),
    });
    expect(created.status).toBe(201);
    const { context, page } = await browser.openPage();
    try {
      await signIn(page, 'inspector', `/workbench/supervision/plans/${created.body.id}`);
      await page.getByTestId('plan-commit').click();
      const problems = page.getByTestId('plan-problems');
      await problems.waitFor();
      expect(await problems.locator('[data-rule="max_ratio"]').innerText()).toContain(
        '超过检查事项上限',
      );
      await shot(page, 'supervision-plan-refused');
      expect(browser.errorsOf(page, [401, 422])).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('refuses unplanned filings and files the drawn task in the browser', async () => {
    // an enterprise nobody drew for 孙浩: refused through the API
    const elsewhere = await server.db.kysely
      .selectFrom('subjects')
      .select('id')
      .where('kind', '=', 'enterprise')
      .where('regionCode', '!=', '371072')
      .executeTakeFirstOrThrow();
    const unplanned = await api('inspector', '/api/supervision/inspections/file', 'POST', {
      subjectId: elsewhere.id,
      itemCodes: ['scjg-food-safety'],
      scheduledOn: toLocalDate(new Date()),
    });
    expect(unplanned.status).toBe(422);
    expect(unplanned.body.error.code).toBe('supervision.unplanned');

    const { context, page } = await browser.openPage();
    try {
      await signIn(page, 'inspector', '/workbench/inspections');
      const list = page.getByTestId('inspections-page');
      await list.waitFor();
      const lanshiTask = page.locator(`[data-testid="inspection-link"][data-subject="${LANSHI}"]`);
      await lanshiTask.waitFor();
      await shot(page, 'supervision-tasks');
      await lanshiTask.click();
      await page.getByTestId('step-file').waitFor();
      inspectionId = page.url().split('/').pop()!;
      // a day outside the plan's period: refused in the page with the rule's message
      const picker = page.getByTestId('file-date');
      await picker.click();
      await picker.fill('2020-01-02');
      await picker.press('Enter');
      await page.getByTestId('file-submit').click();
      const problems = page.getByTestId('file-problems');
      await problems.waitFor();
      expect(await problems.getAttribute('data-code')).toBe('supervision.unplanned');
      expect(await problems.innerText()).toContain('检查日期须在');
      await shot(page, 'supervision-file-refused');
      const today = toLocalDate(new Date());
      await picker.click();
      await picker.fill(today);
      await picker.press('Enter');
      await page.getByTestId('file-submit').click();
      await page.getByTestId('step-check-in').waitFor();
      expect(await page.getByTestId('inspection-state').getAttribute('data-state')).toBe('filed');
      expect(browser.errorsOf(page, [401, 422])).toEqual([]);
    } finally {
      await context.close();
    }
    inspectionNumber = (await api('inspector', `/api/supervision/inspections/${inspectionId}`)).body
      .number;
  }, 90_000);

  it("shows the enterprise's check-in code with its countdown", async () => {
    const { context, page } = await browser.openPage();
    try {
      await signIn(page, 'enterprise', '/supervision/mine');
      await page.getByTestId(`show-code-${inspectionNumber}`).click();
      const code = page.getByTestId('checkin-code');
      await code.waitFor();
      token = (await page.getByTestId('checkin-token').innerText()).trim();
      expect(token.length).toBeGreaterThanOrEqual(20);
      expect(await page.getByTestId('checkin-expiry').innerText()).toMatch(
        /[0-9]:[0-5][0-9] 后失效/,
      );
      await expect.poll(() => code.locator('img').count()).toBe(1);
      await shot(page, 'supervision-mine-code');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('checks the inspector in with the code, records the result and publishes it', async () => {
    const { context, page } = await browser.openPage();
    try {
      await signIn(page, 'inspector', `/workbench/inspections/${inspectionId}`);
      await page.getByTestId('checkin-token-input').fill('not-the-right-code');
      await page.getByTestId('checkin-submit').click();
      await page.getByTestId('checkin-problems').waitFor();
      expect(await page.getByTestId('checkin-problems').innerText()).toContain('入企码无效');
      await page.getByTestId('checkin-token-input').fill(token);
      await page.getByTestId('checkin-submit').click();
      await page.getByTestId('step-finish').waitFor();
      await page.getByTestId('finish-result').click();
      await page.getByTitle('发现问题已责令整改').click();
      await page.getByTestId('finish-findings').fill('后厨食品留样记录不全，已责令当场整改。');
      await page.getByTestId('finish-submit').click();
      await page.getByTestId('step-publish').waitFor();
      expect(await page.getByTestId('inspection-page').innerText()).toContain('公示期限');
      await shot(page, 'supervision-task-finished');
      await page.getByTestId('publish-submit').click();
      await page.getByTestId('step-published').waitFor();
      const events = await page
        .locator('[data-testid="inspection-events"] [data-action]')
        .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-action')));
      expect(events).toEqual(['planned', 'file', 'check_in', 'finish', 'publish']);
      await shot(page, 'supervision-task-published');
      expect(browser.errorsOf(page, [401, 422])).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('publishes the result and the verifiable plan to everyone, in Chinese and English', async () => {
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/`);
      await page.locator('a[href="/supervision/results"]').first().click();
      await page.getByTestId('results-page').waitFor();
      const table = page.getByTestId('results-table');
      await expect.poll(() => table.innerText()).toContain(LANSHI);
      expect(await table.innerText()).toContain('发现问题已责令整改');
      await shot(page, 'supervision-results');
      await page.goto(`${server.url}/supervision/plans/${planId}`);
      await page.getByTestId('verify-draw').click();
      await page.getByTestId('verify-result').waitFor();
      expect(await page.getByTestId('verify-result').getAttribute('data-ok')).toBe('true');
      await shot(page, 'supervision-public-plan');
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await expect.poll(() => page.getByTestId('public-plan').innerText()).toContain('Seed hash');
      await shot(page, 'supervision-public-plan-en');
      await page.goto(`${server.url}/supervision/results`);
      await expect
        .poll(() => page.getByTestId('results-table').innerText())
        .toContain('problems found, correction ordered');
      await shot(page, 'supervision-results-en');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('runs credit repair from the enterprise to the department and off the public page', async () => {
    const title = '未按规定公示食品经营许可信息（警告）';
    const recorded = await api('inspector', '/api/supervision/credit/records', 'POST', {
      subjectId: lanshi,
      kind: 'penalty',
      severity: 'minor',
      title,
      decidedOn: toLocalDate(new Date()),
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    const recordId = recorded.body.id;
    const publicCard = () => api(null, `/api/supervision/credit/subjects/${lanshi}`);
    expect((await publicCard()).body.records.map((r: any) => r.title)).toContain(title);

    const enterprise = await browser.openPage();
    try {
      const page = enterprise.page;
      await signIn(page, 'enterprise', '/supervision/mine');
      await page.getByTestId(`repair-${recordId}`).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      await dialogsSettled(page);
      await page.getByTestId('repair-statement').fill('已在店堂醒目位置公示食品经营许可证。');
      await page.getByTestId('repair-submit').click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByTestId('my-repairs').waitFor();
      expect(await page.getByTestId('repair-state').getAttribute('data-state')).toBe('submitted');
      // an enterprise's credit is published: its page links to the public card
      expect(await page.getByTestId('public-credit-link').getAttribute('href')).toBe(
        `/supervision/credit/${lanshi}`,
      );
      await shot(page, 'supervision-mine-credit');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, 'supervision-mine-phone');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await enterprise.context.close();
    }

    // A person's credit is not published: their page offers no public card (it would be a 404).
    const person = await browser.openPage();
    try {
      const page = person.page;
      await signIn(page, 'citizen', '/supervision/mine');
      await page.getByTestId('my-credit').getByTestId('credit-grade').waitFor();
      expect(await page.getByTestId('public-credit-link').count()).toBe(0);
      expect(await page.getByTestId('my-supervision').innerText()).toContain('仅您本人可见');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await person.context.close();
    }

    const department = await browser.openPage();
    try {
      const page = department.page;
      await signIn(page, 'inspector', '/workbench/credit-repairs');
      await page.getByTestId('credit-repairs').waitFor();
      const approve = page.locator('[data-testid^="approve-"]').first();
      await approve.click();
      await page.getByRole('dialog').waitFor();
      await dialogsSettled(page);
      await page.getByTestId('decision-note').fill('经核实已整改到位。');
      await page.getByTestId('decision-confirm').click();
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
      await expect
        .poll(() => page.getByTestId('repair-queue-state').first().getAttribute('data-state'))
        .toBe('approved');
      await shot(page, 'supervision-credit-repairs');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await department.context.close();
    }

    const visitor = await browser.openPage();
    try {
      const page = visitor.page;
      await page.goto(`${server.url}/supervision/credit/${lanshi}`);
      await page.getByTestId('credit-grade').waitFor();
      expect(await page.getByTestId('public-credit').innerText()).not.toContain(title);
      await shot(page, 'supervision-public-credit');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await visitor.context.close();
    }
    expect((await publicCard()).body.records.map((r: any) => r.title)).not.toContain(title);
  }, 120_000);
});
