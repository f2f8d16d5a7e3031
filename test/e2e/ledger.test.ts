import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLedger } from '../../src/insight/ledger-seed';
import { chooseOption, shoot, submitSignIn, TestBrowser } from '../support/browser';
import { startTestServer } from '../support/server';

const DOCUMENT = '003_2ff81f0e7c0069ce';

// 改革任务台账 in the browser: the supervisor opens the board, the human-resources bureau's reviewer
// reports a task of theirs completed, the supervisor ticks it off, and the board counts it.
describe('the reform-task ledger in the browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: TestBrowser;
  let taskId = '';

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        ONETHING_OUTBOX_SECONDS: '0',
        ...(process.env.ONETHING_WEB_DIR ? { ONETHING_WEB_DIR: process.env.ONETHING_WEB_DIR } : {}),
      },
    });
    await seedLedger(server.db.kysely);
    browser = await TestBrowser.launch({ viewport: { width: 1366, height: 900 } });
    const mine = await server.api(
      `/api/insight/ledger/tasks?mine=true&document=${DOCUMENT}&limit=1`,
      {
        cookie: await server.signIn('reviewer-rsj'),
      },
    );
    expect(mine.status).toBe(200);
    taskId = mine.body.items[0].id;
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

  const doneOnBoard = async (page: Page) => {
    const card = page.locator(`[data-testid="ledger-document"][data-key="${DOCUMENT}"]`);
    await card.waitFor();
    return Number(await card.getByTestId('count-done').getAttribute('data-count'));
  };
  const taskPath = () => `/workbench/ledger/tasks/${encodeURIComponent(taskId)}`;

  it('reports, ticks off and counts a task', async () => {
    const supervisor = await browser.openPage();
    const { page } = supervisor;
    await signIn(page, 'supervisor', '/workbench/ledger');
    await expect.poll(() => page.getByTestId('ledger-document').count()).toBe(5);
    const before = await doneOnBoard(page);
    await page.getByTestId('ledger-units').locator('tbody tr').first().waitFor();
    await shoot(page, 'ledger-board');

    const unit = await browser.openPage();
    try {
      await signIn(unit.page, 'reviewer-rsj', taskPath());
      const form = unit.page.getByTestId('report-form');
      await form.waitFor();
      await chooseOption(unit.page, form.getByTestId('report-status'), '已完成');
      await expect
        .poll(() =>
          form
            .locator('input[data-testid="report-percent"], [data-testid="report-percent"] input')
            .first()
            .inputValue(),
        )
        .toBe('100');
      await form.getByTestId('report-note').fill('系统已上线运行，配套制度已印发。');
      await form.getByTestId('report-submit').click();
      await unit.page.locator('[data-testid="report-history"] [data-status="completed"]').waitFor();
      await shoot(unit.page, 'ledger-task-reported');
      expect(browser.errorsOf(unit.page)).toEqual([]);
    } finally {
      await unit.context.close();
    }

    await page.goto(`${server.url}${taskPath()}`);
    const decision = page.getByTestId('decision-card');
    await decision.waitFor();
    await decision.getByTestId('decision-note').fill('经核验，佐证材料齐全，同意销号。');
    await decision.getByTestId('tick-off').click();
    await page.locator('[data-testid="ledger-task"][data-state="done"]').waitFor();
    await shoot(page, 'ledger-task-done');

    await page.goto(`${server.url}/workbench/ledger`);
    await expect.poll(() => doneOnBoard(page)).toBe(before + 1);
    await shoot(page, 'ledger-board-after');

    await page.goto(`${server.url}/workbench/ledger/tasks?document=${DOCUMENT}&warning=overdue`);
    await page.getByTestId('task-link').first().waitFor();
    await shoot(page, 'ledger-list');
    expect(browser.errorsOf(page)).toEqual([]);
    await supervisor.context.close();
  }, 120_000);
});
