import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LicenceService } from '../../src/licences';
import { dialogsSettled, shoot, submitSignIn, TestBrowser } from '../support/browser';
import { startTestServer } from '../support/server';

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

// 亮证 in the browser: the demo enterprise opens its wallet, shows its business licence with two
// fields as a QR code; a stranger opens the link and sees only those two fields with a green
// verification; the public verify page says valid, then revoked once the issuing department
// revokes the licence; a wrong check character is refused in red.
describe('e-licences in the browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: TestBrowser;
  let licence: { id: string; identifier: string; holderName: string };

  beforeAll(async () => {
    server = await startTestServer({
      seed: 'all',
      // a web build elsewhere than web/dist when the runner says so
      env: process.env.ONETHING_WEB_DIR ? { ONETHING_WEB_DIR: process.env.ONETHING_WEB_DIR } : {},
    });
    browser = await TestBrowser.launch({ viewport: DESKTOP });
    // The enterprise's business licence, issued the way a decided case issues it.
    const subject = await server.db.kysely
      .selectFrom('users')
      .innerJoin('subjects', 'subjects.id', 'users.subjectId')
      .select(['subjects.id', 'subjects.identifier', 'subjects.name'])
      .where('users.username', '=', 'enterprise')
      .executeTakeFirstOrThrow();
    const service = new LicenceService(server.db.kysely);
    const row = await server.db.kysely.transaction().execute((trx) =>
      service.issueFromCase(
        trx,
        {
          caseId: randomUUID(),
          itemCode: 'e2e-licences',
          departmentCode: 'xzsp',
          decision: 'approved',
          result: { kind: 'licence', licenceType: '营业执照' },
          results: {},
          data: {
            'enterprise-kind': '有限责任公司',
            'legal-rep-name': '李娜',
            'registered-capital': 500,
            domicile: '威海市经济技术开发区海滨南路1号',
            'business-scope': '精密机械零部件加工',
          },
          subjectId: subject.id,
          holder: { kind: 'enterprise', name: subject.name, identifier: subject.identifier },
        },
        '371000',
        new Date(),
      ),
    );
    licence = row!;
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

  let shareUrl = '';

  it('shows a licence from the wallet with two fields, and a stranger sees only those', async () => {
    const holder = await browser.openPage();
    const stranger = await browser.openPage();
    try {
      const { page } = holder;
      await signIn(page, 'enterprise', '/licences');
      const card = page.locator(
        `[data-testid="licence-card"][data-identifier="${licence.identifier}"]`,
      );
      await card.waitFor();
      await expect.poll(() => card.innerText()).toContain('营业执照');
      await expect.poll(() => card.innerText()).toContain('有效');
      await shoot(page, 'licences-wallet');

      await card.click();
      await page.getByTestId('licence-detail').waitFor();
      await expect.poll(() => page.getByTestId('licence-fields').innerText()).toContain('海滨南路');
      await page.getByTestId('licence-show').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('share-form').waitFor();
      // pick only once the opening zoom is over: a click during it can be lost on a loaded machine
      await dialogsSettled(page);
      await dialog.locator('[data-pick="enterprise-name"]').click();
      await dialog.locator('[data-pick="legal-rep-name"]').click();
      await dialog.getByText('30 分钟', { exact: true }).click();
      await dialog.getByTestId('share-create').click();
      await dialog.getByTestId('share-qr').locator('svg').waitFor();
      await expect
        .poll(() => dialog.getByTestId('share-countdown').innerText())
        .toMatch(/剩余 (29|30):\d\d/);
      shareUrl = (await dialog.getByTestId('share-link').getAttribute('href'))!;
      expect(shareUrl).toMatch(/^\/licence-shares\/[A-Za-z0-9_-]{32}$/);
      await shoot(page, 'licences-share-dialog', false);

      // A stranger, not signed in, opens the link.
      const other = stranger.page;
      await other.goto(`${server.url}${shareUrl}`);
      await other.getByTestId('verify-verdict').waitFor();
      expect(await other.getByTestId('verify-verdict').getAttribute('data-valid')).toBe('true');
      const shown = other.getByTestId('shared-fields');
      await expect.poll(() => shown.locator('[data-field]').count()).toBe(2);
      expect(await shown.locator('[data-field="enterprise-name"]').innerText()).toBe(
        licence.holderName,
      );
      expect(await shown.locator('[data-field="legal-rep-name"]').innerText()).toBe('李娜');
      const visible = await other.getByTestId('share-page').innerText();
      expect(visible).not.toContain('海滨南路');
      expect(visible).not.toContain('精密机械零部件加工');
      await shoot(other, 'licences-share-public');
      expect(browser.errorsOf(other)).toEqual([]);

      // Back with the holder: the share is listed as opened once.
      await dialog.getByTestId('share-done').click();
      await dialog.waitFor({ state: 'hidden' });
      const views = page.getByTestId('share-item').first().getByTestId('share-views');
      await expect.poll(() => views.getAttribute('data-count')).toBe('1');
      await shoot(page, 'licences-detail');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await holder.context.close();
      await stranger.context.close();
    }
  }, 60_000);

  it('works on a phone in English: wallet, detail and the 亮证 dialog', async () => {
    const { context, page } = await browser.openPage(PHONE);
    try {
      // Signed in on the Chinese form, then switched to English as a visitor would.
      await signIn(page, 'enterprise', '/licences');
      await page.evaluate("window.localStorage.setItem('onething.lang', 'en')");
      await page.reload();
      const card = page.getByTestId('licence-card').first();
      await card.waitFor();
      await expect.poll(() => card.innerText()).toContain('Business licence');
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width).toBeLessThanOrEqual(PHONE.width);
      await shoot(page, 'licences-wallet-phone');
      await card.click();
      await page.getByTestId('licence-detail').waitFor();
      await shoot(page, 'licences-detail-phone');
      await page.getByTestId('licence-show').click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      await dialogsSettled(page);
      await dialog.locator('[data-pick="uscc"]').click();
      await dialog.getByTestId('share-create').click();
      await dialog.getByTestId('share-qr').locator('svg').waitFor();
      await expect.poll(() => dialog.getByTestId('share-countdown').innerText()).toMatch(/left/);
      await shoot(page, 'licences-share-dialog-phone', false);
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('verifies in public: green when valid, red once revoked, red for a wrong check character', async () => {
    const { context, page } = await browser.openPage(PHONE);
    try {
      await page.goto(`${server.url}/verify/${licence.identifier}`);
      const verdict = page.getByTestId('verify-verdict');
      await verdict.waitFor();
      expect(await verdict.getAttribute('data-valid')).toBe('true');
      await expect.poll(() => verdict.innerText()).toContain('真实有效');
      await shoot(page, 'licences-verify-valid');

      const reviewer = await server.signIn('reviewer-xzsp');
      const revoked = await server.api(`/api/licences/${licence.id}/revoke`, {
        method: 'POST',
        cookie: reviewer,
        body: { reason: '以欺骗手段取得登记，依法撤销' },
      });
      expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);

      await page.reload();
      await verdict.waitFor();
      expect(await verdict.getAttribute('data-valid')).toBe('false');
      await expect.poll(() => verdict.innerText()).toContain('已被撤销');
      expect(await page.getByTestId('licence-status').getAttribute('data-status')).toBe('revoked');
      await shoot(page, 'licences-verify-revoked');

      // The share made before the revocation now says revoked too.
      await page.goto(`${server.url}${shareUrl}`);
      await page.getByTestId('verify-verdict').waitFor();
      expect(await page.getByTestId('verify-verdict').getAttribute('data-valid')).toBe('false');
      await expect.poll(() => page.getByTestId('verify-verdict').innerText()).toContain('已被撤销');
      await shoot(page, 'licences-share-revoked');

      const last = licence.identifier.at(-1) === 'A' ? 'B' : 'A';
      await page.goto(`${server.url}/verify/${licence.identifier.slice(0, -1)}${last}`);
      await page.getByTestId('verify-verdict').waitFor();
      expect(await page.getByTestId('verify-verdict').getAttribute('data-valid')).toBe('false');
      await expect.poll(() => page.getByTestId('verify-verdict').innerText()).toMatch(/校验/);
      await shoot(page, 'licences-verify-bad-check');

      await page.goto(`${server.url}/licence-shares/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
      await page.getByTestId('share-error').waitFor();
      await expect.poll(() => page.getByTestId('share-error').innerText()).toContain('亮证码无效');
      // The failed lookups the page provokes on purpose: 422 and 404.
      expect(browser.errorsOf(page, [401, 404, 422])).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('titles the dossier and certificate-free pages like the rest of the workbench, in both languages', async () => {
    const enterprise = await server.db.kysely
      .selectFrom('users')
      .select('subjectId')
      .where('username', '=', 'enterprise')
      .executeTakeFirstOrThrow();
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/signin?next=%2Fworkbench%2Fdossiers`);
      await submitSignIn(page, 'clerk');
      await page.getByRole('heading', { name: '一人一档 / 一企一档' }).waitFor();
      await page.goto(`${server.url}/workbench/dossiers/${enterprise.subjectId}`);
      const tags = page.locator('.ot-dossier .ant-tag');
      await tags.first().waitFor();
      expect(await tags.allInnerTexts()).toContainEqual(expect.stringMatching(/^行业：/));
      // the enterprise's credit grade as supervision keeps it (a commendation, no penalty: A) and its public page
      const credit = page.getByTestId('dossier-credit');
      expect(await credit.innerText()).toContain('A 级（守信）');
      expect(await credit.getByRole('link', { name: '信用信息公示' }).getAttribute('href')).toBe(
        `/supervision/credit/${enterprise.subjectId}`,
      );
      await shoot(page, 'dossier-enterprise-credit');
      // English tags read "Industry: C", not with the Chinese colon
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await expect.poll(() => tags.allInnerTexts()).toContainEqual('Industry: C');
      expect((await tags.allInnerTexts()).join(' ')).not.toContain('：');
      await page.getByRole('button', { name: '切换到中文' }).click();
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
    const supervisor = await browser.openPage();
    try {
      await supervisor.page.goto(`${server.url}/signin?next=%2Fworkbench%2Fcertificate-free`);
      await submitSignIn(supervisor.page, 'supervisor');
      await supervisor.page.getByRole('heading', { name: '无证明场景' }).waitFor();
      expect(browser.errorsOf(supervisor.page)).toEqual([]);
    } finally {
      await supervisor.context.close();
    }
  }, 60_000);
});
