import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdministrator } from '../../src/platform/auth/users';
import { seedDirectory } from '../../src/platform/seed/directory';
import { shoot, submitSignIn, TestBrowser } from '../support/browser';
import { startTestServer } from '../support/server';

const DESKTOP = { width: 1280, height: 900 };

// A real deployment (ONETHING_DEMO=off): the sign-in page lists no demo accounts and the footer
// calls nothing synthetic; the first administrator, made on the command line, is led to change the
// temporary password first. The demo (the default) still shows both.

describe('the web app on a deployment without demo data', () => {
  let live: Awaited<ReturnType<typeof startTestServer>>;
  let demo: Awaited<ReturnType<typeof startTestServer>>;
  let browser: TestBrowser;

  beforeAll(async () => {
    live = await startTestServer({ seed: false, env: { ONETHING_DEMO: 'off' } });
    await seedDirectory(live.db.kysely);
    demo = await startTestServer();
    browser = await TestBrowser.launch({ viewport: DESKTOP, timeout: 15_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await live?.close();
    await demo?.close();
  });

  it('says whether the platform runs the demo', async () => {
    expect((await live.api('/api/platform')).body).toEqual({ demo: false });
    expect((await demo.api('/api/platform')).body).toEqual({ demo: true });
  });

  it('shows no demo accounts and leads the first administrator to the password change', async () => {
    const { user, temporaryPassword } = await createAdministrator(live.db.kysely, {
      username: 'chief',
      displayName: '王主任',
      departmentCode: 'dsj',
    });
    expect(user.role).toBe('admin');
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${live.url}/signin`);
      await page.getByLabel('用户名').waitFor();
      await expect
        .poll(() => page.locator('.ot-footer').innerText())
        .toBe('一件事 · 政务服务一体化平台');
      expect(await page.getByText('演示账号').count()).toBe(0);
      await shoot(page, 'going-live-signin');
      await submitSignIn(page, 'chief', temporaryPassword);
      await page.waitForURL(/\/workbench\/password/);
      await page.getByTestId('password-change-required').waitFor();
      await shoot(page, 'going-live-first-admin');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('still lists the demo accounts on the demo', async () => {
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${demo.url}/signin`);
      await page.getByText('演示账号').waitFor();
      expect(await page.locator('.ot-footer').innerText()).toContain('演示环境');
    } finally {
      await context.close();
    }
  }, 60_000);
});
