import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOption, dialogsSettled, shoot, submitSignIn, TestBrowser } from '../support/browser';
import { startTestServer } from '../support/server';

const DESKTOP = { width: 1280, height: 800 };

describe('the web app: user administration', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: TestBrowser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await TestBrowser.launch({ viewport: DESKTOP });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an administrator creates a reviewer, who changes the temporary password at first sign-in', async () => {
    const { context, page } = await browser.openPage();
    let temporary: string;
    try {
      await page.goto(`${server.url}/signin`);
      await submitSignIn(page, 'admin');
      await page.waitForURL(/\/workbench/);
      await page
        .getByRole('navigation', { name: '功能菜单' })
        .getByRole('link', { name: '用户与角色' })
        .click();
      await page.waitForURL(/\/workbench\/users/);
      await page.getByTestId('users-table').getByText('reviewer-tax').waitFor();
      await shoot(page, 'users-list');

      await page.getByRole('button', { name: '新建账号' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('用户名').fill('reviewer-zhang');
      await dialog.getByLabel('姓名').fill('张审批');
      await chooseOption(page, dialog.getByLabel('角色'), '部门审批');
      await chooseOption(
        page,
        dialog.getByLabel('部门'),
        '威海市市场监督管理局（371000）',
        '市场监督',
      );
      await shoot(page, 'users-create');
      await dialog.getByRole('button', { name: '新建账号' }).click();
      const shown = page.getByTestId('temporary-password');
      await shown.waitFor();
      temporary = (await shown.innerText()).trim();
      expect(temporary).toMatch(/^[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}$/);
      await shoot(page, 'users-temporary-password');
      await page.getByRole('button', { name: '我已复制并妥善交付' }).click();
      await dialogsSettled(page);
      // The list is by username, 20 to a page: the new account is found by searching.
      await page.getByLabel('用户名或姓名').fill('zhang');
      await page.getByLabel('用户名或姓名').press('Enter');
      await page.getByTestId('users-table').getByText('reviewer-zhang').waitFor();
      await expect.poll(() => page.getByTestId('users-table').locator('tbody tr').count()).toBe(1);
      await shoot(page, 'users-search');
      await page.getByRole('button', { name: '退出登录' }).first().click();
      await page.waitForURL(/\/signin|\/$/);
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }

    const next = await browser.openPage();
    try {
      await next.page.goto(`${server.url}/signin`);
      await submitSignIn(next.page, 'reviewer-zhang', temporary);
      await next.page.waitForURL(/\/workbench\/password/);
      await next.page.getByTestId('password-change-required').waitFor();
      await shoot(next.page, 'users-must-change-password');
      // Anywhere else in the workbench leads back to the password change.
      await next.page.goto(`${server.url}/workbench/cases`);
      await next.page.waitForURL(/\/workbench\/password/);
      await next.page.getByLabel('临时密码').fill(temporary);
      await next.page.getByLabel('新密码', { exact: true }).fill('Zhang-Review-2026');
      await next.page.getByLabel('确认新密码').fill('Zhang-Review-2026');
      await next.page.getByRole('button', { name: '修改密码' }).last().click();
      await next.page.waitForURL((url) => url.pathname === '/workbench');
      await next.page.getByText('张审批').first().waitFor();
      await shoot(next.page, 'users-after-password-change');
      const me = await next.page.request.get(`${server.url}/api/me`);
      expect((await me.json()).user).toMatchObject({
        username: 'reviewer-zhang',
        role: 'reviewer',
        passwordChangeRequired: false,
      });
      // The held-back session made no call it was refused (no bell, no subject list).
      expect(browser.errorsOf(next.page)).toEqual([]);
    } finally {
      await next.context.close();
    }
  }, 180_000);
});
