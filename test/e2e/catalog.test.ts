import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialogsSettled, shoot, submitSignIn, TestBrowser } from '../support/browser';
import { startTestServer } from '../support/server';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** 企业设立登记 in the seed catalog (data/catalog/enterprise-opening.yaml). */
const COMPANY = '371000-XZSP-01-0002';
const COMPANY_NAME = '企业设立登记';

describe('the service catalog: hall, guide, print view and the administrator’s editor', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: TestBrowser;

  beforeAll(async () => {
    server = await startTestServer({ seed: 'all' }); // with the seed catalog
    browser = await TestBrowser.launch({ viewport: DESKTOP });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function noSidewaysScroll(page: Page, width: number): Promise<void> {
    const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
    expect(scrollWidth, 'nothing sticks out sideways').toBeLessThanOrEqual(width);
  }

  async function materialKeys(page: Page): Promise<string[]> {
    return page
      .getByTestId('materials')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-material') ?? ''));
  }

  it('lets a citizen search “开公司”, read the guide of company registration, answer a situation and print it', async () => {
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/`);
      await page.getByRole('heading', { name: '办事大厅' }).waitFor();
      // The theme entry points come from the catalog's facets.
      const themes = page.getByTestId('theme-entries');
      await themes
        .getByRole('link', { name: /企业开办/ })
        .first()
        .waitFor();
      await shoot(page, 'catalog-hall-desktop');

      const search = page.getByRole('search').getByRole('searchbox');
      await search.fill('开公司');
      await search.press('Enter');
      await page.waitForURL(/\/services\?q=/);
      const results = page.getByTestId('results');
      await results.waitFor();
      expect(await page.getByTestId('results-total').innerText()).toContain('开公司');
      const names = await results.locator('.ot-result-name').allInnerTexts();
      expect(names).toContain(COMPANY_NAME);
      // Ranked: company registration is among the first few hits.
      expect(names.indexOf(COMPANY_NAME)).toBeLessThan(3);
      await shoot(page, 'catalog-search-desktop');

      await results.getByRole('link', { name: COMPANY_NAME, exact: true }).click();
      await page.waitForURL(`${server.url}/services/${COMPANY}`);
      await page.getByTestId('guide-title').filter({ hasText: COMPANY_NAME }).waitFor();
      const guide = page.getByTestId('item-guide');
      // The guide: type, department, limits, legal basis, process, materials, contacts.
      const body = await guide.innerText();
      for (const expected of [
        '行政许可',
        '威海市行政审批服务局',
        '法定 3 个工作日',
        '承诺 30 分钟',
        '零跑动',
        '全程网办',
        '设定依据',
        '办理流程',
        '申请材料',
        '营业执照',
        '可免提交',
        '告知承诺',
      ]) {
        expect(body).toContain(expected);
      }
      const before = await materialKeys(page);
      expect(before).toContain('articles');
      expect(before).toContain('foreign-investor-proof'); // listed as "视情形" before any answer
      expect(await page.getByTestId('materials-summary').innerText()).toContain('视情形');

      // A foreign investor: the list narrows to what applies, adds the proof, and the limit grows.
      await page
        .locator('[data-situation="foreign-investment"]')
        .getByText('是，外商投资企业')
        .click();
      await page.getByTestId('materials-summary').filter({ hasText: '按您的情形' }).waitFor();
      await expect
        .poll(async () => (await page.getByTestId('guide-committed').innerText()).trim())
        .toBe('承诺 1 个工作日');
      const foreign = await materialKeys(page);
      expect(foreign).toContain('foreign-investor-proof');
      expect(foreign).not.toContain('partnership-agreement');
      expect(
        await page.locator('tr[data-material="foreign-investor-proof"]').innerText(),
      ).toContain('是，外商投资企业');

      // A partnership: articles of association drop out, the partnership agreement comes in.
      await page.locator('[data-situation="enterprise-type"]').getByText('合伙企业').click();
      await expect.poll(() => materialKeys(page)).toContain('partnership-agreement');
      const partnership = await materialKeys(page);
      expect(partnership).not.toContain('articles');
      expect(partnership).toContain('foreign-investor-proof');
      expect(page.url()).toContain('s.enterprise-type=partnership');
      await shoot(page, 'catalog-guide-desktop');

      await page.getByTestId('guide-print').click();
      await page.waitForURL(new RegExp(`/services/${COMPANY}/print\\?`));
      const sheet = page.getByTestId('print-sheet');
      await sheet.getByTestId('guide-title').waitFor();
      await expect.poll(() => materialKeys(page)).toContain('partnership-agreement');
      expect(await page.locator('header.ot-header').count(), 'no navigation on paper').toBe(0);
      expect(await sheet.innerText()).toContain('☑');
      await page.emulateMedia({ media: 'print' });
      expect(await page.getByTestId('print-toolbar').isVisible()).toBe(false);
      await shoot(page, 'catalog-print');
      await page.emulateMedia({ media: 'screen' });
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('shows the hall, the catalog and the guide on a phone without sideways scrolling', async () => {
    const { context, page } = await browser.openPage(PHONE);
    try {
      await page.goto(`${server.url}/`);
      await page
        .getByTestId('theme-entries')
        .getByRole('link', { name: /企业开办/ })
        .first()
        .waitFor();
      await noSidewaysScroll(page, PHONE.width);
      await shoot(page, 'catalog-hall-phone');

      await page.goto(
        `${server.url}/services?audience=enterprise&theme=${encodeURIComponent('企业开办')}`,
      );
      await page.getByTestId('results').waitFor();
      await noSidewaysScroll(page, PHONE.width);
      await shoot(page, 'catalog-services-phone');

      await page.goto(`${server.url}/services/${COMPANY}`);
      await page.getByTestId('guide-title').waitFor();
      await noSidewaysScroll(page, PHONE.width);
      await shoot(page, 'catalog-guide-phone');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('lets the administrator edit, preview and publish an item, which the hall then shows at once', async () => {
    const { context, page } = await browser.openPage();
    const newName = '企业设立登记（一窗通）';
    try {
      await page.goto(`${server.url}/workbench/catalog`);
      await page.waitForURL(/\/signin\?next=/);
      await submitSignIn(page, 'admin');
      await page.waitForURL(`${server.url}/workbench/catalog`);
      await page.getByRole('heading', { name: '事项目录' }).waitFor();
      expect(await page.getByRole('menuitem', { name: /事项目录/ }).isVisible()).toBe(true);

      await page.getByPlaceholder('按名称、编码或关键词搜索').fill(COMPANY);
      await page.getByPlaceholder('按名称、编码或关键词搜索').press('Enter');
      const row = page.getByTestId('catalog-published').locator(`tr[data-row-key="${COMPANY}"]`);
      await row.waitFor();
      await shoot(page, 'catalog-admin-list');
      await row.getByRole('button', { name: /编辑/ }).click();
      await page.waitForURL(`${server.url}/workbench/catalog/${COMPANY}/edit`);
      const nameInput = page.getByTestId('editor-name-zh');
      await expect.poll(() => nameInput.inputValue()).toBe(COMPANY_NAME);

      // A committed limit beyond the statutory one: the server's 422 lands next to the input.
      const committed = page.getByTestId('editor-committed-value');
      await committed.fill('30');
      await page.getByTestId('editor-save').click();
      const problemsBox = page.getByTestId('editor-problems');
      await problemsBox.waitFor();
      expect(await problemsBox.innerText()).toContain('committedLimit');
      const committedItem = page.locator('.ant-form-item', { has: committed }).last();
      await committedItem.locator('.ant-form-item-explain-error').first().waitFor();
      expect(await committedItem.innerText()).toContain('法定时限');
      await shoot(page, 'catalog-editor-problem', false);

      await committed.fill('1');
      await nameInput.fill(newName);
      await page.getByTestId('editor-save').click();
      await page.getByTestId('editor-status').filter({ hasText: '草稿' }).waitFor();
      expect(await problemsBox.count()).toBe(0);

      await page.getByRole('button', { name: /预览/ }).click();
      const preview = page.getByTestId('editor-preview');
      await preview.getByTestId('guide-title').filter({ hasText: newName }).waitFor();
      await page.waitForTimeout(400); // let the dialog finish opening for the picture
      expect(await preview.getByTestId('guide-committed').innerText()).toContain('承诺 1 小时');
      await shoot(page, 'catalog-editor-preview', false);
      await page.keyboard.press('Escape');
      await preview.waitFor({ state: 'detached' });

      // Before publishing, the hall still shows the published version.
      const reply = await server.api(`/api/catalog/items/${COMPANY}`);
      expect(reply.body.item.name.zh).toBe(COMPANY_NAME);

      await page.getByTestId('editor-publish').click();
      await page.getByRole('dialog').waitFor();
      await dialogsSettled(page);
      await page.getByRole('dialog').getByRole('button', { name: '发布' }).click();
      await page.getByTestId('editor-status').filter({ hasText: '已发布' }).waitFor();
      expect(await page.getByTestId('editor-versions').innerText()).toContain('已替代');
      await shoot(page, 'catalog-editor-published', false);
      expect(browser.errorsOf(page, [401, 422])).toEqual([]);
    } finally {
      await context.close();
    }

    // Anyone, signed in or not, sees the new guide at once.
    const visitor = await browser.openPage();
    try {
      await visitor.page.goto(`${server.url}/services/${COMPANY}`);
      await visitor.page.getByTestId('guide-title').filter({ hasText: newName }).waitFor();
      expect(await visitor.page.getByTestId('guide-committed').innerText()).toBe('承诺 1 小时');
      await visitor.page.goto(`${server.url}/services/${COMPANY}/print`);
      await visitor.page.getByTestId('print-sheet').getByText(newName).first().waitFor();
    } finally {
      await visitor.context.close();
    }
  }, 120_000);
});
