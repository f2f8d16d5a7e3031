import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOption, dialogsSettled, shoot, submitSignIn, TestBrowser } from '../support/browser';
import { startTestServer } from '../support/server';

// Policies in the browser (issue 9's "done when"): an administrator writes a rule in the editor and
// watches the live preview count who matches and why, saves and publishes it; the demo enterprise
// sees 瞪羚企业扶持资金 recommended with its reasons; the zone's science bureau confirms and pays the
// grant with a payment reference, and the enterprise sees it paid with its ledger.
describe('policies in the browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: TestBrowser;

  beforeAll(async () => {
    server = await startTestServer({
      seed: 'all',
      // a few hundred synthetic enterprises and residents, for the preview to count over
      syntheticSubjects: 400,
      env: {
        ONETHING_OUTBOX_SECONDS: '0',
        ...(process.env.ONETHING_WEB_DIR ? { ONETHING_WEB_DIR: process.env.ONETHING_WEB_DIR } : {}),
      },
    });
    browser = await TestBrowser.launch({ viewport: { width: 1366, height: 900 } });
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

  /** Clicks the primary button of the open antd dialog once its zoom has ended. */
  async function confirmDialog(page: Page, fill?: { testId: string; value: string }) {
    const dialog = page.locator('.ant-modal').last();
    await dialog.waitFor();
    await dialogsSettled(page);
    if (fill) await page.getByTestId(fill.testId).fill(fill.value);
    await dialog.locator('.ant-btn-primary').click();
    await dialog.waitFor({ state: 'hidden' });
  }

  /** The preview's count once it is worked out for the rule the editor shows now. */
  async function count(page: Page) {
    const current = page.locator('[data-testid="preview-count"][data-current="true"]');
    await current.waitFor({ timeout: 10_000 });
    return Number(await current.getAttribute('data-matched'));
  }

  it('lets the administrator build a rule, watch the live preview, save and publish', async () => {
    const { context, page } = await browser.openPage();
    try {
      await signIn(page, 'admin', '/workbench/policies');
      await page.getByTestId('policy-admin').getByText('瞪羚企业扶持资金').waitFor();
      await shoot(page, 'policies-admin-list');
      await page.getByTestId('policy-new').click();
      await page.waitForURL(/\/workbench\/policies\/new$/);
      const editor = page.getByTestId('policy-editor');
      await editor.waitFor();
      await page.getByTestId('policy-code').fill('e2e-skilled-hiring');
      await page.getByTestId('policy-name-zh').fill('规上企业稳岗奖励');
      await page.getByTestId('policy-name-en').fill('Job retention award');
      await page
        .getByTestId('policy-summary-zh')
        .fill('从业人数 100 人以上、纳税信用 B 级以上的企业，免申即享稳岗奖励。');
      await chooseOption(
        page,
        page.getByTestId('policy-department'),
        '威海市人力资源和社会保障局',
        '人力资源',
      );
      await page.getByTestId('policy-source').fill('威海市稳就业若干措施 第三条');
      await page
        .locator('input[data-testid="policy-amount"], [data-testid="policy-amount"] input')
        .first()
        .fill('5000');

      // the starting rule: enterprises — the preview counts them
      await page.getByTestId('preview-count').waitFor();
      const enterprises = await count(page);
      expect(enterprises).toBeGreaterThan(50);

      // employees ≥ 100: the count drops
      await page.getByTestId('add-condition-rule').click();
      expect(await page.getByTestId('cond-op-rule.all.1').innerText()).toBe('≥');
      await page.getByTestId('cond-value-rule.all.1').locator('input').fill('100');
      await page.getByTestId('cond-value-rule.all.1').locator('input').blur();
      const large = await count(page);
      expect(large).toBeLessThan(enterprises);
      expect(large).toBeGreaterThan(0);

      // credit grade at least B: fewer still, and the sample says why
      await page.getByTestId('add-condition-rule').click();
      await chooseOption(page, page.getByTestId('cond-attr-rule.all.2'), '纳税信用');
      await chooseOption(page, page.getByTestId('cond-op-rule.all.2'), '不低于');
      await chooseOption(
        page,
        page.getByTestId('cond-value-rule.all.2').locator('.ant-select'),
        'B',
      );
      const eligible = await count(page);
      expect(eligible).toBeLessThanOrEqual(large);
      expect(eligible).toBeGreaterThan(0);
      const sample = await page.getByTestId('preview-sample').innerText();
      expect(sample).toMatch(/从业人数 \S+ ✓/);
      expect(sample).toContain('✓');
      await shoot(page, 'policies-editor-preview');

      // a bad value is named with its path, and the preview pauses
      await page.getByTestId('cond-value-rule.all.1').locator('input').fill('');
      await page.getByTestId('preview-problems').waitFor();
      expect(await page.getByTestId('preview-problems').innerText()).toContain('rule.all.1.value');
      await page.getByTestId('cond-value-rule.all.1').locator('input').fill('100');
      await page.getByTestId('preview-problems').waitFor({ state: 'detached' });

      await page.getByTestId('policy-save').click();
      await page.waitForURL(/\/workbench\/policies\/e2e-skilled-hiring$/);
      await expect.poll(() => editor.getAttribute('data-state')).toBe('draft');
      await page.getByTestId('policy-publish').click();
      await confirmDialog(page);
      // publishing matches every dossier: allow it the time a loaded machine needs
      const published = page.locator('[data-testid="policy-editor"][data-state="published"]');
      await published.or(page.getByTestId('policy-problems')).first().waitFor({ timeout: 150_000 });
      if (!(await published.isVisible())) {
        await shoot(page, 'policies-publish-refused');
        expect.fail(`publish refused: ${await page.getByTestId('policy-problems').innerText()}`);
      }
      const notice = await page.getByTestId('policy-notice').innerText();
      expect(notice).toContain(`匹配 ${eligible} 个主体`);
      await shoot(page, 'policies-editor-published');

      await page.getByTestId('policy-matches-tab').click();
      await page.getByTestId('policy-matches').locator('.ant-table-row').first().waitFor();
      expect(await page.getByTestId('policy-matches').innerText()).toContain('纳税信用');
      await shoot(page, 'policies-editor-matches');

      // the JSON tab shows the same rule
      await page.getByRole('tab', { name: '编辑' }).click();
      await page.getByTestId('rule-json-tab').click();
      const json = JSON.parse(await page.getByTestId('rule-json').inputValue());
      expect(json).toEqual({
        all: [
          { attr: 'kind', op: 'eq', value: 'enterprise' },
          { attr: 'employees', op: 'gte', value: 100 },
          { attr: 'creditGrade', op: 'atLeast', value: 'B' },
        ],
      });
      // and the editor reads in English too
      await page.evaluate("localStorage.setItem('onething.lang', 'en')");
      await page.reload();
      await page.getByText('Live preview').waitFor();
      await page.getByTestId('preview-count').waitFor();
      expect(await page.getByTestId('preview-count').innerText()).toContain(`${eligible} of`);
      await shoot(page, 'policies-editor-en');

      // groups nest, and a condition can be negated (not saved: the policy stays as published)
      await page.getByRole('tab', { name: 'Conditions' }).click();
      await page.getByTestId('add-group-rule').click();
      await page.getByTestId('add-condition-rule.all.3').click();
      await page.getByTestId('cond-not-rule.all.0').click();
      await page.locator('[data-testid="preview-count"][data-current="true"]').waitFor();
      await shoot(page, 'policies-editor-nested');
      await page.getByTestId('rule-json-tab').click();
      const nested = JSON.parse(await page.getByTestId('rule-json').inputValue());
      expect(nested.all[0]).toEqual({ not: { attr: 'kind', op: 'eq', value: 'enterprise' } });
      expect(nested.all[3].any).toHaveLength(2);
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
    const stored = await server.api('/api/policies/e2e-skilled-hiring', {
      cookie: await server.signIn('admin'),
    });
    expect(stored.body.state).toBe('published');
    expect(stored.body.benefit).toEqual({ kind: 'fixed', amount: 5000 });
  }, 300_000);

  it('recommends 瞪羚企业扶持资金 to the demo enterprise with its reasons', async () => {
    const { context, page } = await browser.openPage();
    try {
      await signIn(page, 'enterprise', '/policies/mine');
      const card = page.locator('[data-testid="recommendation"][data-policy="gazelle-support"]');
      await card.waitFor();
      expect(await card.getAttribute('data-matched')).toBe('true');
      const words = await card.innerText();
      expect(words).toContain('纳税信用 A ✓');
      expect(words).toContain('免申即享');
      expect(words).toContain('200,000 元');
      expect(await card.getByTestId('grant-state').innerText()).toBe('待确认');
      await page.getByTestId('recommended-near').waitFor();
      expect(await page.getByTestId('recommended-near').innerText()).toContain('✗');
      await shoot(page, 'policies-recommended');
      await page.setViewportSize({ width: 390, height: 844 });
      await card.scrollIntoViewIfNeeded();
      await shoot(page, 'policies-recommended-phone', false);
      await page.setViewportSize({ width: 1366, height: 900 });
      // the English page reads as well
      await page.evaluate("localStorage.setItem('onething.lang', 'en')");
      await page.reload();
      await page.getByText('Recommended for you').first().waitFor();
      expect(await card.innerText()).toContain('Tax credit grade A ✓');
      await shoot(page, 'policies-recommended-en');
      // the enterprise's grants table scrolls on a phone; the page does not
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByTestId('my-grants').locator('tr.ant-table-row').first().waitFor();
      expect(
        Number(await page.evaluate('document.documentElement.scrollWidth')),
      ).toBeLessThanOrEqual(390);
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('has the science bureau confirm and pay the grant, and the enterprise see it paid', async () => {
    let grantId = '';
    const { context, page } = await browser.openPage();
    try {
      await signIn(page, 'reviewer-kjcx', '/workbench/policy-grants');
      const queue = page.getByTestId('grant-queue');
      const row = queue.locator('.ant-table-row').filter({ hasText: '威海澜石精密机械有限公司' });
      await row.first().waitFor();
      expect(await row.first().getByTestId('grant-due').innerText()).toMatch(
        /\d{4}年\d{1,2}月\d{1,2}日/,
      );
      await shoot(page, 'policies-grant-queue');
      await row.first().getByTestId('grant-link').click();
      await page.waitForURL(/\/workbench\/policy-grants\/[0-9a-f-]{36}$/);
      grantId = page.url().split('/').pop()!;
      const detail = page.getByTestId('grant-page');
      await detail.waitFor();
      expect(await detail.getAttribute('data-state')).toBe('pending');
      await page.getByTestId('grant-confirm').click();
      await confirmDialog(page);
      await expect.poll(() => detail.getAttribute('data-state')).toBe('confirmed');
      await page.getByTestId('grant-pay').click();
      await confirmDialog(page, { testId: 'grant-payment-input', value: 'GK2026112300099' });
      await expect.poll(() => detail.getAttribute('data-state')).toBe('paid');
      expect(await page.getByTestId('grant-payment-ref').innerText()).toBe('GK2026112300099');
      expect(await page.getByTestId('grant-ledger').innerText()).toContain('拨付到账');
      await shoot(page, 'policies-grant-paid');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }

    const enterprise = await browser.openPage();
    try {
      const { page } = enterprise;
      await signIn(page, 'enterprise', '/policies/mine');
      const card = page.locator('[data-testid="recommendation"][data-policy="gazelle-support"]');
      await expect.poll(() => card.getByTestId('grant-state').innerText()).toBe('已兑现');
      await card.getByTestId('grant-link').click();
      await page.waitForURL(`${server.url}/policies/grants/${grantId}`);
      const mine = page.getByTestId('my-grant');
      await mine.waitFor();
      expect(await mine.getAttribute('data-state')).toBe('paid');
      const ledger = page.getByTestId('grant-ledger');
      expect(await ledger.locator('[data-action]').count()).toBe(3);
      expect(await ledger.innerText()).toContain('部门确认');
      await shoot(page, 'policies-my-grant');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await enterprise.context.close();
    }
  }, 120_000);

  it('shows the public list of policies to anyone', async () => {
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/`);
      await page
        .getByTestId('hall-policies')
        .evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await shoot(page, 'policies-hall-entry', false);
      await page.getByTestId('hall-policies').click();
      await page.waitForURL(`${server.url}/policies`);
      const list = page.getByTestId('policies-public');
      await list.getByText('瞪羚企业扶持资金').waitFor();
      expect(await list.innerText()).toContain('经济技术开发区优化营商环境工作要点');
      await shoot(page, 'policies-public');
      await page.setViewportSize({ width: 390, height: 844 });
      await page.evaluate('window.scrollTo(0, 0)');
      await shoot(page, 'policies-public-phone', false);
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
