import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cookieOf,
  fillForm,
  SCREENSHOTS,
  shoot as shootPage,
  submitForAcceptance,
  submitSignIn,
  TestBrowser,
  dialogsSettled,
  materialsToUpload,
  uploadAll,
  writeSamplePdf,
} from '../support/browser';
import type { Field } from '../support/browser';
import { startTestServer } from '../support/server';

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const PDF = path.join(SCREENSHOTS, 'cases-sample.pdf');

/** The department of each member of 企业开办 and its demo reviewer. */
const REVIEWERS: Record<string, string> = {
  name: 'reviewer-xzsp',
  registration: 'reviewer-xzsp',
  seal: 'reviewer-police',
  tax: 'reviewer-tax',
  'invoice-limit': 'reviewer-tax',
  bank: 'reviewer-pbc',
  'social-insurance': 'reviewer-rsj',
  'medical-insurance': 'reviewer-ybj',
  'housing-fund': 'reviewer-gjj',
};
/** Members the seeds keep manual; every other member is decided by rules at once (秒批). */
const MANUAL = ['seal', 'bank'];

/** A case on the application's timeline, as the tests read it. */
interface TimelineCase {
  id: string;
  memberKey: string;
  state: string;
}

// 企业开办 from submission to the combined result in the browser: the enterprise applies once, the
// application fans out into department cases, most are decided by rules at once, the police and the
// bank work theirs in their queues (one round of correction included), the enterprise follows the
// progress and receives every result together, and the supervisor reads the board.
describe('department cases in the browser: queues, actions, progress and the combined result', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: TestBrowser;

  beforeAll(async () => {
    server = await startTestServer({ seed: 'all' });
    browser = await TestBrowser.launch({ viewport: DESKTOP, timeout: 15_000 });
    await writeSamplePdf(PDF);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A picture of one part of the page, without the sticky header over it. */
  async function shootPart(page: Page, part: Locator, name: string): Promise<void> {
    await page.addStyleTag({ content: '.ot-header { position: static !important; }' });
    await part.screenshot({ path: path.join(SCREENSHOTS, `cases-${name}.png`) });
  }

  function shoot(page: Page, name: string, fullPage = true): Promise<void> {
    return shootPage(page, `cases-${name}`, fullPage);
  }

  /** Signs in on the sign-in page and is led on to `target`. */
  async function signInAt(page: Page, username: string, target: string): Promise<void> {
    await page.goto(`${server.url}/signin?next=${encodeURIComponent(target)}`);
    await submitSignIn(page, username);
    await page.waitForURL(`${server.url}${target}`);
  }

  /** Runs one action of the case page through its dialog and waits for the state it leads to. */
  async function act(page: Page, action: string, state: string, note?: string): Promise<void> {
    await page.getByTestId(`case-action-${action}`).click();
    const dialog = page.getByTestId(`action-dialog-${action}`);
    await dialog.waitFor();
    await dialogsSettled(page);
    if (note) await dialog.getByTestId('action-note').fill(note);
    await page.locator('.ant-modal-footer:visible').getByTestId('action-ok').click();
    await page.locator(`[data-testid="case-page"][data-case-state="${state}"]`).waitFor();
    await dialog.waitFor({ state: 'detached' });
  }

  let applicationId = '';
  let applicantCookie = '';
  const caseOf = new Map<string, string>();

  async function timelineCases(): Promise<TimelineCase[]> {
    const reply = await server.api(`/api/applications/${applicationId}/timeline`, {
      cookie: applicantCookie,
    });
    return reply.status === 200 ? (reply.body.cases as TimelineCase[]) : [];
  }

  it('lets an enterprise apply for 企业开办 with seals, a bank account, staff and VAT invoices; the cases fan out and the rule-based ones are decided at once', async () => {
    const { context, page } = await browser.openPage();
    try {
      await signInAt(page, 'enterprise', '/bundles/enterprise-opening');
      await page.getByTestId('bundle-timeline').waitFor();
      const question = (key: string) => page.locator(`[data-situation="${key}"]`);
      await question('enterprise-type').getByText('有限责任公司或股份有限公司').click();
      await question('related-trade-name').getByText('否', { exact: true }).click();
      await question('food').getByText('否', { exact: true }).click();
      await question('also').getByText('刻制印章').click();
      await question('also').getByText('预约银行开立基本存款账户').click();
      await question('also').getByText('招用员工').click();
      await question('agent').getByText('否，法定代表人本人办理').click();
      await question('vat-status').getByText('小规模纳税人').click();
      await question('invoices').getByText('需要，含增值税专用发票').click();
      await page.getByTestId('bundle-apply').filter({ hasText: '开始申请' }).click();
      await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
      applicationId = page.url().split('/').pop()!;
      await page.getByTestId('application-editor').waitFor();
      applicantCookie = await cookieOf(context, server.url);

      const draft = (
        await server.api(`/api/applications/${applicationId}`, { cookie: applicantCookie })
      ).body;
      expect(draft.answers.also).toEqual(expect.arrayContaining(['seals', 'bank', 'staff']));
      await fillForm(page, draft.guide.fields as Field[]);
      await uploadAll(page, materialsToUpload(draft.materials), PDF);
      await submitForAcceptance(page, 'cases-submit-refused');

      // One case per member; the rule-based ones go through at once, the manual ones wait in
      // their departments' queues.
      await expect
        .poll(async () => (await timelineCases()).map((c) => c.memberKey).sort(), {
          timeout: 30_000,
        })
        .toEqual(Object.keys(REVIEWERS).sort());
      await expect
        .poll(
          async () =>
            Object.fromEntries((await timelineCases()).map((c) => [c.memberKey, c.state])),
          { timeout: 60_000, interval: 500 },
        )
        .toEqual(
          Object.fromEntries(
            Object.keys(REVIEWERS).map((m) => [
              m,
              MANUAL.includes(m) ? 'pending' : 'result_issued',
            ]),
          ),
        );
      for (const c of await timelineCases()) caseOf.set(c.memberKey, c.id);

      // The application page shows the progress: who is awaited for what, and the steps.
      await page.reload();
      const progress = page.getByTestId('progress');
      await progress.waitFor();
      expect(await progress.getAttribute('data-progress')).toBe('in_progress');
      expect(await page.getByTestId('progress-case').count()).toBe(Object.keys(REVIEWERS).length);
      const seal = page.locator('[data-testid="progress-case"][data-member="seal"]');
      expect(await seal.innerText()).toContain('公安');
      expect(await seal.getByTestId('progress-awaited').getAttribute('data-who')).toBe(
        'department',
      );
      expect(await page.getByTestId('progress-step').count()).toBeGreaterThan(0);
      await shoot(page, 'applicant-progress');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it("shows each department's reviewer their own case of the application in their queue", async () => {
    expect(caseOf.size, 'the application fanned out').toBe(Object.keys(REVIEWERS).length);
    const byReviewer = new Map<string, string[]>();
    for (const [member, reviewer] of Object.entries(REVIEWERS)) {
      byReviewer.set(reviewer, [...(byReviewer.get(reviewer) ?? []), member]);
    }
    for (const [reviewer, members] of byReviewer) {
      const { context, page } = await browser.openPage();
      try {
        await signInAt(page, reviewer, '/workbench/cases');
        await page.getByTestId('case-queue').waitFor();
        for (const member of members) {
          await page.locator(`tr[data-row-key="${caseOf.get(member)}"]`).waitFor();
        }
        // Another department's case is not in this queue.
        const foreign = Object.keys(REVIEWERS).find((m) => REVIEWERS[m] !== reviewer)!;
        expect(await page.locator(`tr[data-row-key="${caseOf.get(foreign)}"]`).count()).toBe(0);
        if (reviewer === 'reviewer-police') await shoot(page, 'queue-police');
        if (reviewer === 'reviewer-xzsp') {
          // A rule-based case shows its decision and the checks that made it.
          await page.locator(`tr[data-row-key="${caseOf.get('registration')}"]`).click();
          await page.getByTestId('case-page').waitFor();
          await page.getByTestId('case-decision').getByTestId('case-result').waitFor();
          expect(await page.getByTestId('case-checks').count()).toBe(1);
          await shoot(page, 'case-automatic');
        }
        expect(browser.errorsOf(page), reviewer).toEqual([]);
      } finally {
        await context.close();
      }
    }
  }, 180_000);

  it('lets the police reviewer accept, return for correction, and after the correction review, approve and issue the seal', async () => {
    const { context, page } = await browser.openPage();
    try {
      await signInAt(page, 'reviewer-police', '/workbench/cases');
      await page
        .locator(`tr[data-row-key="${caseOf.get('seal')}"]`)
        .getByTestId('case-link')
        .click();
      await page.waitForURL(/\/workbench\/cases\/[0-9a-f-]{36}$/);
      await page.locator('[data-testid="case-page"][data-case-state="pending"]').waitFor();
      expect(await page.getByTestId('case-department').innerText()).toContain('公安');
      await page.getByTestId('case-inputs').waitFor();
      await shoot(page, 'case-police-pending');
      await act(page, 'accept', 'accepted');

      // A return needs its note: the dialog says so before anything is sent.
      await page.getByTestId('case-action-return').click();
      await page.getByTestId('action-dialog-return').waitFor();
      await dialogsSettled(page);
      await page.locator('.ant-modal-footer:visible').getByTestId('action-ok').click();
      await page.locator('.ant-modal:visible .ant-form-item-explain-error').first().waitFor();
      await shoot(page, 'action-dialog-return', false);
      await page.getByTestId('action-note').fill('请补充印章印模样式说明');
      await page.locator('.ant-modal-footer:visible').getByTestId('action-ok').click();
      await page
        .locator('[data-testid="case-page"][data-case-state="returned_for_correction"]')
        .waitFor();
      expect(await page.getByTestId('case-clock').innerText()).toMatch(/计时暂停|补正/);
      expect(await page.getByTestId('case-segments').innerText()).toContain('补正');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }

    // The enterprise sees what is awaited of it and confirms the correction.
    const applicant = await browser.openPage();
    try {
      await signInAt(applicant.page, 'enterprise', `/applications/${applicationId}`);
      const seal = applicant.page.locator('[data-testid="progress-case"][data-member="seal"]');
      await seal.waitFor();
      expect(await seal.getByTestId('progress-awaited').getAttribute('data-who')).toBe('applicant');
      await shoot(applicant.page, 'applicant-correction');
      await seal.getByTestId('progress-correct').click();
      await applicant.page.getByTestId('action-dialog-correct').waitFor();
      await dialogsSettled(applicant.page);
      await applicant.page.getByTestId('action-note').fill('已上传印模样式说明');
      await applicant.page.locator('.ant-modal-footer:visible').getByTestId('action-ok').click();
      await applicant.page
        .locator('[data-testid="progress-case"][data-member="seal"][data-state="accepted"]')
        .waitFor();
      expect(browser.errorsOf(applicant.page)).toEqual([]);
    } finally {
      await applicant.context.close();
    }

    const again = await browser.openPage();
    try {
      await signInAt(again.page, 'reviewer-police', `/workbench/cases/${caseOf.get('seal')}`);
      await again.page.locator('[data-testid="case-page"][data-case-state="accepted"]').waitFor();
      await act(again.page, 'start-review', 'in_review');
      await act(again.page, 'approve', 'approved', '印章刻制备案准予');
      await act(again.page, 'issue-result', 'result_issued');
      expect(await again.page.getByTestId('case-no-actions').count()).toBe(1);
      expect(await again.page.getByTestId('case-events').innerText()).toContain('出具结果');
      await shoot(again.page, 'case-police-issued');
      expect(browser.errorsOf(again.page)).toEqual([]);
    } finally {
      await again.context.close();
    }
  }, 120_000);

  it('shows the supervisor the board by department, leads to the open bank case and lets them urge it; a reviewer is refused the board', async () => {
    const { context, page } = await browser.openPage();
    try {
      await signInAt(page, 'supervisor', '/workbench/supervision');
      await page.getByTestId('supervision-board').waitFor();
      await page.getByTestId('board-at').waitFor();
      expect(await page.getByTestId('board-error').count()).toBe(0);
      // The bank case is still open at the bank (人民银行).
      const pbc = page.getByTestId('board-departments').locator('tr[data-row-key="pbc"]');
      await pbc.waitFor();
      await page.getByTestId('board-refresh').click();
      await page.getByTestId('board-at').waitFor();
      await shoot(page, 'board');

      // The department leads to its cases, and the case to its page, where the supervisor urges.
      await pbc.getByRole('link').click();
      await page.waitForURL(/\/workbench\/cases\?department=pbc/);
      await page.locator(`tr[data-row-key="${caseOf.get('bank')}"]`).waitFor();
      expect(await page.locator('tr[data-row-key]').count()).toBe(1);
      await page
        .locator(`tr[data-row-key="${caseOf.get('bank')}"]`)
        .getByTestId('case-link')
        .click();
      await page.locator('[data-testid="case-page"][data-case-state="pending"]').waitFor();
      expect(await page.getByTestId('case-actions').innerText()).not.toContain('受理');
      await page.getByTestId('case-action-urge').click();
      await page.getByTestId('action-dialog-urge').waitFor();
      await dialogsSettled(page);
      await page.getByTestId('action-note').fill('请于今日内完成开户预约审核');
      await page.locator('.ant-modal-footer:visible').getByTestId('action-ok').click();
      await page.getByTestId('action-dialog-urge').waitFor({ state: 'detached' });
      await page
        .getByTestId('case-events')
        .locator('[data-action="urged"]')
        .filter({ hasText: '请于今日内完成开户预约审核' })
        .waitFor();
      await shoot(page, 'case-urged');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }

    const reviewer = await browser.openPage();
    try {
      await signInAt(reviewer.page, 'reviewer-police', '/workbench/supervision');
      await reviewer.page.getByText('此功能仅供').waitFor();
    } finally {
      await reviewer.context.close();
    }
  }, 60_000);

  it('lets the bank reviewer work the bank case through; a denial without a reason is refused in the dialog', async () => {
    const { context, page } = await browser.openPage();
    try {
      await signInAt(page, 'reviewer-pbc', `/workbench/cases/${caseOf.get('bank')}`);
      await page.locator('[data-testid="case-page"][data-case-state="pending"]').waitFor();
      await act(page, 'accept', 'accepted');
      await act(page, 'start-review', 'in_review');

      await page.getByTestId('case-action-deny').click();
      await page.getByTestId('action-dialog-deny').waitFor();
      await dialogsSettled(page);
      await page.locator('.ant-modal-footer:visible').getByTestId('action-ok').click();
      await page.locator('.ant-modal:visible .ant-form-item-explain-error').first().waitFor();
      await shoot(page, 'action-dialog-deny', false);
      await page.locator('.ant-modal-footer:visible').getByRole('button', { name: '取消' }).click();
      await page.getByTestId('action-dialog-deny').waitFor({ state: 'detached' });

      await act(page, 'approve', 'approved');
      await act(page, 'issue-result', 'result_issued');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('gives the enterprise every result together once all cases are done, in Chinese and English and on a phone', async () => {
    const { context, page } = await browser.openPage();
    try {
      await signInAt(page, 'enterprise', `/applications/${applicationId}`);
      const pkg = page.locator('[data-testid="result-package"][data-complete="true"]');
      await pkg.waitFor();
      expect(await pkg.getByTestId('result-item').count()).toBe(Object.keys(REVIEWERS).length);
      expect(
        await pkg
          .locator('[data-testid="result-item"][data-member="seal"]')
          .getAttribute('data-decision'),
      ).toBe('approved');
      expect(await page.getByTestId('progress').getAttribute('data-progress')).toBe('completed');
      await shoot(page, 'applicant-results');
      await shootPart(page, pkg, 'result-package');
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await page.getByTestId('result-package').getByText('Results, delivered together').waitFor();
      await page.getByTestId('progress').getByText('Completed').first().waitFor();
      await shoot(page, 'applicant-results-en');
      await shootPart(page, page.getByTestId('result-package'), 'result-package-en');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }

    const phone = await browser.openPage(PHONE);
    try {
      await signInAt(phone.page, 'enterprise', `/applications/${applicationId}`);
      await phone.page.getByTestId('result-package').waitFor();
      // The progress and the result package fit the phone's width (nothing sticks out sideways).
      for (const id of ['progress', 'result-package']) {
        const box = await phone.page.getByTestId(id).boundingBox();
        expect(box!.x + box!.width, id).toBeLessThanOrEqual(PHONE.width);
      }
      await shoot(phone.page, 'applicant-phone');
      await shootPart(phone.page, phone.page.getByTestId('progress'), 'progress-phone');
      expect(browser.errorsOf(phone.page)).toEqual([]);
    } finally {
      await phone.context.close();
    }
  }, 90_000);
});
