import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENING_ANSWERS, openingData } from '../../src/cases/samples';
import { dialogsSettled, shoot, submitSignIn, TestBrowser } from '../support/browser';
import { startTestServer } from '../support/server';

// 好差评 in the browser (issue 8's "done when"): 张伟 rates his completed enterprise opening 非常不满意;
// the approval bureau sees the task, fixes and answers it; the supervisor approves; 张伟 sees the
// answer and rates it. A visitor rates a window on the counter tablet. The statistics follow.
describe('好差评 in the browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: TestBrowser;
  let application: { id: string; number: string };
  let rectificationId = '';

  beforeAll(async () => {
    server = await startTestServer({
      seed: 'all',
      env: {
        ONETHING_OUTBOX_SECONDS: '0',
        ...(process.env.ONETHING_WEB_DIR ? { ONETHING_WEB_DIR: process.env.ONETHING_WEB_DIR } : {}),
      },
    });
    browser = await TestBrowser.launch({ viewport: { width: 1366, height: 900 } });
    const citizen = await server.signIn('citizen');
    const reply = await server.api('/api/applications', {
      method: 'POST',
      cookie: citizen,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        bundleCode: 'enterprise-opening',
        answers: OPENING_ANSWERS,
        data: { ...openingData(21), 'trade-name': '好评精工' },
        submit: true,
      },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    application = reply.body;
    await server.app.events.dispatch();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(page: Page, username: string, target: string) {
    await page.goto(`${server.url}${target}`);
    await page.waitForURL(/\/signin\?next=/);
    await submitSignIn(page, username);
    await page.waitForURL(`${server.url}${target}`);
  }

  /** Waits for an antd dialog's opening zoom to end (a click during it can be lost). */
  async function settled(page: Page) {
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialogsSettled(page);
    return dialog;
  }

  it('lets the citizen rate the completed application 非常不满意 with reasons', async () => {
    const { context, page } = await browser.openPage();
    try {
      await signIn(page, 'citizen', `/applications/${application.id}`);
      const card = page.getByTestId('application-rating');
      await card.waitFor();
      const services = await server.api(`/api/evaluations/services?number=${application.number}`, {
        cookie: await server.signIn('citizen'),
      });
      const service = services.body.items.find((s: any) => s.kind === 'application');
      await card.getByTestId(`rate-${service.id}`).click();
      const dialog = await settled(page);
      await dialog.getByTestId('rating-level-1').click();
      await dialog.getByTestId('rating-tag-slow').click();
      await dialog.getByTestId('rating-tag-unclear').click();
      await dialog.getByTestId('rating-comment').fill('材料要求前后说法不一，来回问了好几次。');
      await shoot(page, 'evaluations-rating-dialog', false);
      await dialog.getByTestId('rating-submit').click();
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => card.innerText()).toContain('非常不满意');
      await shoot(page, 'evaluations-application-rated');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
    const queue = await server.api('/api/rectifications', {
      cookie: await server.signIn('reviewer-xzsp'),
    });
    expect(queue.body.total).toBe(1);
    rectificationId = queue.body.items[0].id;
  }, 90_000);

  it('has the approval bureau fix and answer it, with the callback, in the workbench', async () => {
    const { context, page } = await browser.openPage();
    try {
      await signIn(page, 'reviewer-xzsp', '/workbench/rectifications');
      const queue = page.getByTestId('rectification-queue');
      await queue.waitFor();
      await expect.poll(() => queue.innerText()).toContain('非常不满意');
      await shoot(page, 'evaluations-rectification-queue');
      await page.goto(`${server.url}/workbench/rectifications/${rectificationId}`);
      const detail = page.getByTestId('rectification-page');
      await detail.waitFor();
      await page.getByTestId('rect-explanation').fill('材料清单未在窗口公示，口头告知不一致。');
      await page.getByTestId('rect-fix').fill('在窗口和网上公示一次性告知清单，并培训窗口人员。');
      await page
        .getByTestId('rect-answer')
        .fill('您好，已公示一次性告知清单并培训窗口人员，感谢您的监督。');
      // the callback: just now, typed as the picker shows times (the browser's zone)
      const now = await page.evaluate(() => {
        const d = new Date();
        const two = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
      });
      const picker = page.getByTestId('rect-callback-at');
      await picker.click();
      await picker.fill(now);
      await picker.press('Enter');
      await expect.poll(() => picker.inputValue()).toBe(now);
      await page.getByTestId('rect-callback-note').fill('已电话回访张伟，说明整改措施。');
      await page.getByTestId('rect-submit').click();
      await expect.poll(() => detail.getAttribute('data-state')).toBe('submitted');
      await shoot(page, 'evaluations-rectification-submitted');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('has the supervisor approve, and the citizen see the answer and rate it', async () => {
    const supervisor = await browser.openPage();
    try {
      const { page } = supervisor;
      await signIn(page, 'supervisor', `/workbench/rectifications/${rectificationId}`);
      const detail = page.getByTestId('rectification-page');
      await detail.waitFor();
      await page.getByTestId('rect-review-note').fill('整改措施到位，同意答复。');
      await page.getByTestId('rect-approve').click();
      await expect.poll(() => detail.getAttribute('data-state')).toBe('answered');
      await shoot(page, 'evaluations-rectification-approved');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await supervisor.context.close();
    }
    const { context, page } = await browser.openPage();
    try {
      await signIn(page, 'citizen', '/evaluations');
      const list = page.getByTestId('my-ratings');
      await list.waitFor();
      await expect.poll(() => list.innerText()).toContain('已公示一次性告知清单');
      await page.getByTestId('verdict-satisfied').first().click();
      await list.getByTestId('verdict-given').first().waitFor();
      await shoot(page, 'evaluations-my-ratings');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('takes a rating on the counter tablet; window and staff statistics change', async () => {
    const supervisor = await server.signIn('supervisor');
    const before = await server.api('/api/evaluations/stats?by=window', { cookie: supervisor });
    expect(before.body.rows.find((r: any) => r.key === 'A05')).toBeUndefined();
    const { context, page } = await browser.openPage();
    try {
      await signIn(page, 'clerk', '/workbench/window-rating');
      await page.getByTestId('window-code').fill('A05');
      await page.getByTestId('window-start').click();
      const link = page.getByTestId('window-link');
      await link.waitFor();
      const path = new URL((await link.getAttribute('href'))!, server.url).pathname;
      expect(path).toMatch(/^\/counter\/[A-Za-z0-9_-]{32}$/);
      await page.goto(`${server.url}${path}`);
      const counter = page.getByTestId('counter-page');
      await counter.waitFor();
      await expect.poll(() => counter.innerText()).toContain('王晓燕');
      await counter.getByTestId('rating-level-5').click();
      await counter.getByTestId('rating-tag-friendly').click();
      await shoot(page, 'evaluations-counter');
      await counter.getByTestId('rating-submit').click();
      await counter.getByTestId('counter-thanks').waitFor();
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
    const byWindow = await server.api('/api/evaluations/stats?by=window', { cookie: supervisor });
    expect(byWindow.body.rows.find((r: any) => r.key === 'A05')).toMatchObject({
      ratings: 1,
      satisfied: 1,
      satisfactionRate: 1,
    });
    const byStaff = await server.api('/api/evaluations/stats?by=staff', { cookie: supervisor });
    expect(byStaff.body.rows.find((r: any) => r.name.zh === '王晓燕')).toMatchObject({
      ratings: 1,
    });
    const byDepartment = await server.api('/api/evaluations/stats?by=department', {
      cookie: supervisor,
    });
    expect(byDepartment.body.rows.find((r: any) => r.key === 'xzsp')).toMatchObject({
      ratings: 2,
      bad: 1,
      rectifications: 1,
      rectifiedOnTime: 1,
      calledBack: 1,
    });

    // The page of the figures: titled like every workbench page, its region named, not coded.
    const reader = await browser.openPage();
    try {
      await signIn(reader.page, 'supervisor', '/workbench/evaluations/stats');
      await reader.page.getByRole('heading', { name: '好差评统计' }).waitFor();
      const region = reader.page.getByText(/^威海市，\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}$/);
      await region.waitFor();
      expect(browser.errorsOf(reader.page)).toEqual([]);
    } finally {
      await reader.context.close();
    }
  }, 90_000);
});
