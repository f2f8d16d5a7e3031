import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import dayjs from 'dayjs';
import { shoot, submitSignIn, TestBrowser } from '../support/browser';
import { startTestServer } from '../support/server';

const DESKTOP = { width: 1280, height: 900 };

// The working-day calendar (工作日历): an administrator marks a local holiday on a workday two
// months ahead, sees the day marked and the deadline check move by one day, and removes it again.

describe('the web app: the working-day calendar (工作日历)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: TestBrowser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await TestBrowser.launch({ viewport: DESKTOP, timeout: 15_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const cell = (page: Page, date: string) => page.getByTestId(`calendar-day-${date}`);
  const kindOf = (page: Page, date: string) => cell(page, date).getAttribute('data-kind');
  const due = (page: Page) => page.getByTestId('calendar-deadline-due').getAttribute('data-due');

  it('lets an administrator set a local holiday, see it and its effect on a deadline, and remove it', async () => {
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/signin`);
      await submitSignIn(page, 'admin');
      await page.waitForURL(/\/workbench/);
      await page.getByRole('link', { name: '工作日历' }).first().click();
      await page.waitForURL(/\/workbench\/calendar$/);
      await page.getByTestId('calendar-legend').waitFor();

      // Two months ahead, a plain workday followed by another one.
      const month = dayjs().startOf('month').add(2, 'month');
      await page.getByRole('button', { name: '下个月' }).click();
      await page.getByRole('button', { name: '下个月' }).click();
      await expect
        .poll(() => page.getByTestId('calendar-month').innerText())
        .toBe(`${month.year()}年${month.month() + 1}月`);
      await expect.poll(() => kindOf(page, month.format('YYYY-MM-DD'))).not.toBeNull();
      let day: dayjs.Dayjs | undefined;
      for (let d = month.add(1, 'day'); d.isSame(month, 'month'); d = d.add(1, 'day')) {
        const date = d.format('YYYY-MM-DD');
        const next = d.add(1, 'day').format('YYYY-MM-DD');
        if ((await kindOf(page, date)) === 'workday' && (await kindOf(page, next)) === 'workday') {
          day = d;
          break;
        }
      }
      expect(day, 'a workday followed by a workday').toBeDefined();
      const date = day!.format('YYYY-MM-DD');
      const nextDate = day!.add(1, 'day').format('YYYY-MM-DD');
      expect(await cell(page, date).getAttribute('data-local')).toBeNull();

      // The deadline check: 1 working day after the day before is the day itself.
      const start = page.locator('#calendar-deadline-start');
      await start.click();
      await start.fill(day!.subtract(1, 'day').format('YYYY-MM-DD'));
      await start.press('Enter');
      await page.locator('#calendar-deadline-workdays').fill('1');
      await expect.poll(() => due(page)).toBe(date);

      // A local holiday (台风停工) on that day.
      await cell(page, date).click();
      const dialog = page.getByTestId('calendar-day-dialog');
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain('工作日');
      await page.getByLabel('放假（地方假日）').check();
      await page.getByLabel('名称（中文）').fill('台风停工');
      await page.getByLabel('名称（英文）').fill('Typhoon day off');
      await shoot(page, 'calendar-dialog');
      await page.getByRole('button', { name: '保存调整' }).click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => kindOf(page, date)).toBe('holiday');
      expect(await cell(page, date).getAttribute('data-local')).toBe('371000');
      expect(await cell(page, date).innerText()).toContain('台风停工');
      await expect.poll(() => due(page)).toBe(nextDate);
      await shoot(page, 'calendar-local-holiday');

      // Removed again: the day and the deadline are back.
      await cell(page, date).click();
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain('台风停工');
      await page.getByRole('button', { name: '撤销本区划调整' }).click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => kindOf(page, date)).toBe('workday');
      expect(await cell(page, date).getAttribute('data-local')).toBeNull();
      await expect.poll(() => due(page)).toBe(date);
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('refuses the page to a window clerk, and the workbench to a citizen', async () => {
    const clerk = await browser.openPage();
    try {
      await clerk.page.goto(`${server.url}/signin`);
      await submitSignIn(clerk.page, 'clerk');
      await clerk.page.waitForURL(/\/workbench/);
      expect(await clerk.page.getByRole('link', { name: '工作日历' }).count()).toBe(0);
      await clerk.page.goto(`${server.url}/workbench/calendar`);
      await clerk.page.getByText('此功能仅供系统管理使用').waitFor();
      expect(await clerk.page.getByTestId('calendar-legend').count()).toBe(0);
      await shoot(clerk.page, 'calendar-refused-clerk');
    } finally {
      await clerk.context.close();
    }

    const citizen = await browser.openPage();
    try {
      await citizen.page.goto(`${server.url}/workbench/calendar`);
      await citizen.page.waitForURL(/\/signin\?next=/);
      await submitSignIn(citizen.page, 'citizen');
      await citizen.page.getByTestId('entry-refused').waitFor();
      expect(await citizen.page.getByTestId('calendar-legend').count()).toBe(0);
    } finally {
      await citizen.context.close();
    }
  }, 120_000);
});
