import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shoot, submitSignIn, TestBrowser } from '../support/browser';
import { startTestServer } from '../support/server';

const DESKTOP = { width: 1280, height: 900 };

describe('the web app: the audit log (审计日志)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: TestBrowser;

  beforeAll(async () => {
    server = await startTestServer();
    // Sign-ins of other accounts, so the log has more than the administrator's own entries.
    await server.signIn('clerk');
    await server.signIn('supervisor');
    browser = await TestBrowser.launch({ viewport: DESKTOP, timeout: 15_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lets an administrator filter by an action, open an entry and verify the chain', async () => {
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/signin`);
      await submitSignIn(page, 'admin');
      await page.waitForURL(/\/workbench/);
      await page.getByRole('link', { name: '审计日志' }).first().click();
      await page.waitForURL(/\/workbench\/audit$/);
      const table = page.getByTestId('audit-table');
      await table.locator('tbody tr.ant-table-row').first().waitFor();

      // Actions read by their labels, with the code beside; objects by their type's label.
      const first = await table.locator('tbody tr.ant-table-row').first().innerText();
      expect(first).toMatch(/登录[\s\S]*auth\.signed_in/);
      expect(first).toContain('账号');

      // The filter groups the actions by module and finds them by label or code.
      await page.getByLabel('动作').click();
      await page.keyboard.type('账号与登录');
      await page.locator('.ant-select-item-option', { hasText: '账号与登录：全部动作' }).waitFor();
      await shoot(page, 'audit-action-filter');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('auth.signed_in');
      const option = page.locator('.ant-select-item-option', {
        hasText: /^登录 auth\.signed_in · \d+$/,
      });
      expect(await page.locator('.ant-select-item-group', { hasText: '账号与登录' }).count()).toBe(
        1,
      );
      await option.click();

      // Filter by one action: the clerk's sign-in.
      await page.getByLabel('操作人用户名').fill('clerk');
      await page.getByRole('button', { name: /查\s*询/ }).click();
      await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(1);
      const row = table.locator('tbody tr.ant-table-row').first();
      expect(await row.innerText()).toMatch(/\s登录\s+auth\.signed_in\s+账号/);

      // Expand it: request id, place in its chain, hash and detail.
      await row.getByRole('button', { name: /展开|expand/i }).click();
      const detail = table.locator('[data-testid^="audit-entry-"]').first();
      await detail.waitFor();
      expect(await detail.innerText()).toMatch(/SM3 哈希[\s\S]*[0-9a-f]{64}/);
      expect(await detail.innerText()).toContain('第');
      await shoot(page, 'audit-admin-filtered');

      // Verify the chains.
      await page.getByRole('button', { name: /验证审计链/ }).click();
      const result = page.getByTestId('audit-verification-result');
      await result.waitFor({ timeout: 60_000 });
      expect(await result.innerText()).toContain('审计链完整');
      expect(await result.innerText()).toMatch(/已校验 \d+ 条/);
      await shoot(page, 'audit-admin-verified');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('shows a supervisor the list but no verify button', async () => {
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/signin`);
      await submitSignIn(page, 'supervisor');
      // A supervisor lands on the cockpit.
      await page.waitForURL(/\/cockpit/);
      await page.goto(`${server.url}/workbench/audit`);
      await page.getByTestId('audit-table').locator('tbody tr.ant-table-row').first().waitFor();
      expect(await page.getByRole('button', { name: /验证审计链/ }).count()).toBe(0);
      expect(await page.getByText('详情中的个人信息已脱敏').count()).toBe(1);
      await shoot(page, 'audit-supervisor');

      // Object types are suggested by label and filtered by code.
      const table = page.getByTestId('audit-table');
      await page.getByLabel('对象类型').fill('账号');
      await page.locator('.ant-select-item-option', { hasText: '账号 · user' }).click();
      expect(await page.getByLabel('对象类型').inputValue()).toBe('user');
      await page.getByRole('button', { name: /查\s*询/ }).click();
      await expect
        .poll(async () => {
          const rows = await table.locator('tbody tr.ant-table-row').allInnerTexts();
          return rows.length > 0 && rows.every((row) => /\t账号/.test(row));
        })
        .toBe(true);

      // In English the labels are English, the codes the same.
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await expect.poll(() => table.innerText()).toMatch(/Signed in\s+auth\.signed_in\s+Account/);
      await page.getByLabel('Action').click();
      await page.locator('.ant-select-item-group', { hasText: 'Accounts and sign-in' }).waitFor();
      expect(
        await page
          .locator('.ant-select-item-option', { hasText: /^Signed in auth\.signed_in · \d+$/ })
          .count(),
      ).toBe(1);
      await shoot(page, 'audit-supervisor-en');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
