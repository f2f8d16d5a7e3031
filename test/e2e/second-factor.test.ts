import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shoot, submitSignIn, TestBrowser } from '../support/browser';
import { startTestServer } from '../support/server';

const DESKTOP = { width: 1280, height: 800 };

describe('the web app: a staff account’s second factor', () => {
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

  it('enrols an authenticator, shows the recovery codes once, then asks for a code at sign-in', async () => {
    const { context, page } = await browser.openPage();
    let totp: TOTP;
    try {
      await page.goto(`${server.url}/signin`);
      await submitSignIn(page, 'admin');
      await page.waitForURL(/\/workbench/);
      await page.goto(`${server.url}/workbench/security`);
      await page.getByRole('button', { name: '开始绑定身份验证器' }).click();
      const secret = (await page.getByTestId('second-factor-secret').innerText()).replace(
        /\s/g,
        '',
      );
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      await shoot(page, 'second-factor-enrol');
      totp = new TOTP({ secret: Secret.fromBase32(secret) });
      await page.getByLabel('验证码').fill(totp.generate());
      await page.getByRole('button', { name: '确认绑定' }).click();
      const codes = page.getByTestId('recovery-codes');
      await codes.waitFor();
      expect(await codes.locator('li').count()).toBe(8);
      await shoot(page, 'second-factor-recovery-codes');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }

    const next = await browser.openPage();
    try {
      await next.page.goto(`${server.url}/signin`);
      await submitSignIn(next.page, 'admin');
      const step = next.page.getByTestId('signin-second-factor');
      await step.waitFor();
      // A wrong code is refused under its field, in the server's words.
      await step.getByLabel('验证码').fill('000000');
      await step.getByRole('button', { name: '验证并登录' }).click();
      await expect
        .poll(() => step.locator('.ant-form-item-explain-error').allInnerTexts())
        .toEqual([expect.stringMatching(/验证码不正确/)]);
      await shoot(next.page, 'second-factor-wrong-code');
      // The code just used at enrolment may not be used again: wait for the next one.
      const used = totp.generate();
      await expect.poll(() => totp.generate(), { timeout: 35_000, interval: 1000 }).not.toBe(used);
      await step.getByLabel('验证码').fill(totp.generate());
      await step.getByRole('button', { name: '验证并登录' }).click();
      await next.page.waitForURL(/\/workbench/);
      const me = await next.page.request.get(`${server.url}/api/me`);
      expect(me.status()).toBe(200);

      // New recovery codes for a current code: a wrong one is refused under the field, the next
      // code (the sign-in used this one) gives 8 codes shown once, and the count is back to 8.
      await next.page.goto(`${server.url}/workbench/security`);
      const renew = next.page.getByTestId('renew-recovery-codes');
      await renew.getByLabel('验证码').fill('000000');
      await renew.getByRole('button', { name: '生成新的恢复码' }).click();
      await expect
        .poll(() => renew.locator('.ant-form-item-explain-error').allInnerTexts())
        .toEqual([expect.stringMatching(/验证码不正确/)]);
      const signedInWith = totp.generate();
      await expect
        .poll(() => totp.generate(), { timeout: 35_000, interval: 1000 })
        .not.toBe(signedInWith);
      await renew.getByLabel('验证码').fill(totp.generate());
      await renew.getByRole('button', { name: '生成新的恢复码' }).click();
      const codes = next.page.getByTestId('recovery-codes');
      await codes.waitFor();
      expect(await codes.locator('li').count()).toBe(8);
      await shoot(next.page, 'second-factor-renewed-codes');
      await next.page.getByRole('button', { name: '我已保存，继续' }).click();
      await renew.waitFor();
      expect(await next.page.locator('.ant-descriptions').innerText()).toMatch(/剩余恢复码\s*8/);
      await shoot(next.page, 'second-factor-status');
      expect(browser.errorsOf(next.page, [401, 422])).toEqual([]);
    } finally {
      await next.context.close();
    }
  }, 180_000);
});
