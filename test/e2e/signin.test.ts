import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, shoot, submitSignIn, TestBrowser } from '../support/browser';
import { startTestServer } from '../support/server';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

interface Me {
  displayName: string;
  role: string;
}

describe('the web app: sign-in, entries and language', () => {
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

  /** The signed-in user as the server sees this browser's session cookie. */
  async function whoAmI(page: Page): Promise<Me | null> {
    const reply = await page.request.get(`${server.url}/api/me`);
    if (reply.status() === 401) return null;
    return ((await reply.json()) as { user: Me }).user;
  }

  it('sends an anonymous visitor of the workbench to sign-in, then lets the clerk in, in Chinese and English', async () => {
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/workbench`);
      await page.waitForURL(/\/signin\?next=%2Fworkbench$/);
      await page.getByRole('heading', { name: '登录' }).waitFor();

      await submitSignIn(page, 'clerk', 'not-the-password');
      const error = page.getByTestId('signin-error');
      await error.waitFor();
      // The server's own message, in the language the UI asked for (zh-CN by default).
      expect(await error.innerText()).toMatch(/[\u4e00-\u9fff]/);
      expect(page.url()).toContain('/signin');
      const submit = page.getByRole('button', { name: '登录', exact: true });
      await expect.poll(() => submit.isEnabled()).toBe(true);
      await page.waitForTimeout(300); // let the form's re-enable transition settle for the picture
      await shoot(page, 'signin-wrong-password');

      await submitSignIn(page, 'clerk', DEMO_PASSWORD);
      await page.waitForURL(`${server.url}/workbench`);
      await page.getByRole('heading', { name: '工作台' }).waitFor();
      const clerk = await whoAmI(page);
      expect(clerk?.role).toBe('clerk');
      const header = page.locator('header');
      expect(await header.getByTestId('identity-name').innerText()).toBe(clerk?.displayName);
      expect(await header.getByTestId('identity-role').innerText()).toBe('综合窗口');
      expect(await header.getByTestId('identity-org').innerText()).not.toBe('');
      expect(await page.getByRole('menuitem', { name: /窗口受理/ }).isVisible()).toBe(true);
      await shoot(page, 'workbench-clerk-zh');

      await page.getByRole('button', { name: 'Switch to English' }).click();
      await page.getByRole('heading', { name: 'Workbench' }).waitFor();
      expect(await header.getByTestId('identity-role').innerText()).toBe('Window clerk');
      expect(await header.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
      expect(await page.getByRole('menuitem', { name: /Counter intake/ }).isVisible()).toBe(true);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await shoot(page, 'workbench-clerk-en');

      // The choice of language survives a reload.
      await page.reload();
      await page.getByRole('heading', { name: 'Workbench' }).waitFor();

      await header.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${server.url}/signin`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect(await whoAmI(page)).toBeNull();
    } finally {
      await context.close();
    }
  }, 60_000);

  it('refuses the workbench to a citizen with a clear message, and signs the citizen out', async () => {
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/workbench`);
      await page.waitForURL(/\/signin\?next=/);
      await submitSignIn(page, 'citizen', DEMO_PASSWORD);
      await page.waitForURL(`${server.url}/workbench`);

      await page.getByText('无权进入工作台').waitFor();
      const refusal = await page.getByTestId('entry-refused').innerText();
      expect(refusal).toContain('自然人');
      expect(refusal).toContain('综合窗口');
      expect(await page.getByRole('heading', { name: '工作台', exact: true }).count()).toBe(0);
      expect(await page.locator('header').getByTestId('identity-role').innerText()).toBe('自然人');
      await shoot(page, 'workbench-refused-citizen');

      await page.locator('header').getByRole('button', { name: '退出登录' }).click();
      await page.waitForURL(`${server.url}/signin`);
      expect(await whoAmI(page)).toBeNull();
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows a citizen who they are on a phone and where they are on a desktop', async () => {
    const phone = await browser.openPage(PHONE);
    try {
      const { page } = phone;
      await page.goto(`${server.url}/signin`);
      await submitSignIn(page, 'citizen', DEMO_PASSWORD);
      await page.waitForURL(`${server.url}/`);
      // the identity bar under the header: the acting-subject switch and the buttons must leave
      // the name and role readable, not squeeze them to nothing
      const bar = page.locator('.ot-identity-bar');
      await bar.getByTestId('acting-subject-mobile').waitFor();
      for (const id of ['identity-name', 'identity-role']) {
        const box = await bar.getByTestId(id).boundingBox();
        expect(box?.width ?? 0, `${id} is squeezed`).toBeGreaterThan(24);
      }
      expect(await bar.getByTestId('identity-name').innerText()).toBe('张伟');
      await shoot(page, 'hall-phone-citizen');
    } finally {
      await phone.context.close();
    }

    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/signin?next=%2Flicences`);
      await submitSignIn(page, 'citizen', DEMO_PASSWORD);
      await page.waitForURL(`${server.url}/licences`);
      // the wallet is part of the service hall, and the navigation says so
      const selected = page.locator('.ot-nav-menu .ant-menu-item-selected');
      await expect.poll(() => selected.innerText()).toBe('办事大厅');
      await page.goto(`${server.url}/hotline`);
      await expect.poll(() => selected.innerText()).toBe('办事大厅');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('takes a supervisor to the cockpit after signing in', async () => {
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/signin`);
      await submitSignIn(page, 'supervisor', DEMO_PASSWORD);
      await page.waitForURL(`${server.url}/cockpit`);
      await page.getByRole('heading', { name: '驾驶舱' }).waitFor();
      expect(await page.locator('header').getByTestId('identity-role').innerText()).toBe(
        '效能督办',
      );
      await shoot(page, 'cockpit-supervisor');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows the public service hall with a sign-in link on a desktop and on a phone', async () => {
    for (const [name, viewport] of [
      ['hall-desktop', DESKTOP],
      ['hall-phone', PHONE],
    ] as const) {
      const { context, page } = await browser.openPage(viewport);
      try {
        const response = await page.goto(`${server.url}/`);
        expect(response?.status(), 'GET / serves the web app').toBe(200);
        await page.getByRole('heading', { name: '办事大厅' }).waitFor();
        await page.getByTestId('hall-signin').waitFor();
        // Nothing sticks out sideways on a narrow screen.
        const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
        expect(width).toBeLessThanOrEqual(viewport.width);
        await shoot(page, name);
      } finally {
        await context.close();
      }
    }
  }, 60_000);
});
