import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENING_ANSWERS, openingData } from '../../src/cases/samples';
import { cookieOf, shoot, submitSignIn, TestBrowser } from '../support/browser';
import { startTestServer } from '../support/server';

// 免提交 in the browser (issue 6's "done when"): 张伟 founds an enterprise on the platform (decided by
// rule; its business licence is issued to the new enterprise and he becomes its legal
// representative); he switches to act for it and opens a restaurant — the business licence his
// first application produced is attached, not asked for. His wallet's use log shows who used his
// title certificate for the first application, and the reviewer who opened it.
describe('waived materials in the browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: TestBrowser;
  let founded: { name: string; identifier: string };

  beforeAll(async () => {
    server = await startTestServer({
      seed: 'all',
      env: {
        ONETHING_OUTBOX_SECONDS: '0',
        ...(process.env.ONETHING_WEB_DIR ? { ONETHING_WEB_DIR: process.env.ONETHING_WEB_DIR } : {}),
      },
    });
    browser = await TestBrowser.launch({ viewport: { width: 1366, height: 900 } });
    // The first business, applied for over the API: a sole proprietorship decided by rule.
    const citizen = await server.signIn('citizen');
    const data = { ...openingData(5), 'trade-name': '澜海精工' };
    const reply = await server.api('/api/applications', {
      method: 'POST',
      cookie: citizen,
      headers: { 'idempotency-key': randomUUID() },
      body: { bundleCode: 'enterprise-opening', answers: OPENING_ANSWERS, data, submit: true },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.status).toBe('accepted');
    await server.app.events.dispatch();
    const licence = await server.db.kysely
      .selectFrom('licences')
      .innerJoin('cases', 'cases.id', 'licences.sourceCaseId')
      .select(['licences.holderName', 'licences.holderIdentifier'])
      .where('cases.applicationId', '=', reply.body.id)
      .executeTakeFirstOrThrow();
    founded = { name: licence.holderName, identifier: licence.holderIdentifier };
    expect(founded.name).toBe(data['enterprise-name']);
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

  it('opens a restaurant for the new enterprise without handing in its business licence', async () => {
    const { context, page } = await browser.openPage();
    try {
      await signIn(page, 'citizen', '/licences');
      // act for the enterprise founded above (法人办事)
      await page.getByTestId('acting-subject').click();
      await page.getByRole('option').filter({ hasText: founded.name }).click();
      await page.getByTestId('identity-acting-for').first().waitFor();
      await page.goto(`${server.url}/licences`);
      const card = page.getByTestId('licence-card').first();
      await card.waitFor();
      await expect.poll(() => card.innerText()).toContain('营业执照');
      await shoot(page, 'waivers-enterprise-wallet');

      await page.goto(`${server.url}/bundles/restaurant-opening`);
      const question = (key: string) => page.locator(`[data-situation="${key}"]`);
      await question('pledge').getByText('否，先现场核查后发证').click();
      await question('food-items').getByText('热食类食品制售').click();
      await question('renovation').getByText('否', { exact: true }).click();
      await question('sign').getByText('不设置').click();
      await page.getByTestId('bundle-apply').filter({ hasText: '开始申请' }).click();
      await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
      await page.getByTestId('application-editor').waitFor();
      const waived = page.getByTestId('waived-business-licence');
      await waived.waitFor();
      await expect.poll(() => waived.innerText()).toContain('免提交');
      const material = page.locator('[data-app-material="business-licence"]');
      // the business licence: attached from the wallet, nothing to upload
      await expect.poll(() => material.innerText()).toContain('营业执照');
      expect(await material.getByTestId('upload-business-licence').count()).toBe(0);
      await material.scrollIntoViewIfNeeded();
      await shoot(page, 'waivers-restaurant-draft');
      const id = page.url().split('/').pop()!;
      const draft = await server.api(`/api/applications/${id}`, {
        cookie: await cookieOf(context, server.url),
      });
      expect(draft.body.applicant.identifier).toBe(founded.identifier);
      expect(draft.body.missing.map((p: any) => p.path)).not.toContain(
        'materials.business-licence',
      );
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('shows the holder who used their title certificate, and why', async () => {
    const { context, page } = await browser.openPage();
    try {
      await signIn(page, 'citizen', '/licences');
      await page.getByTestId('licence-uses-tab').click();
      await page.locator('.ant-tabs-tab-active').filter({ hasText: '用证记录' }).waitFor();
      const uses = page.getByTestId('licence-uses');
      await uses.waitFor();
      await expect.poll(() => uses.getAttribute('data-total')).toBe('1');
      const row = uses.getByTestId('licence-use').first();
      expect(await row.getAttribute('data-action')).toBe('attached');
      await expect.poll(() => row.innerText()).toContain('不动产权证书');
      await expect.poll(() => row.innerText()).toContain('张伟');
      // the tab's slide has settled before the picture is taken
      await expect
        .poll(() =>
          uses.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).opacity),
        )
        .toBe('1');
      await shoot(page, 'waivers-use-log');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
