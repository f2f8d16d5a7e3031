import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLedger } from '../../src/insight/ledger-seed';
import { shoot, submitSignIn, TestBrowser } from '../support/browser';
import { startTestServer } from '../support/server';

const CHARTS = ['chart-map', 'chart-trend', 'chart-bundles', 'chart-departments', 'chart-hot'];
const LAPTOP = { width: 1366, height: 768 };
const LARGE = { width: 1920, height: 1080 };

/** This Beijing month (YYYY-MM) and today's day of it. */
function beijingToday(): { month: string; day: number } {
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
  return { month: today.slice(0, 7), day: Number(today.slice(8, 10)) };
}

// 驾驶舱 in the browser: the supervisor reads the month's figures, drills into one, switches to a
// district on the map, and opens the monthly report; a citizen is kept out.
describe('the cockpit in the browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: TestBrowser;
  let cookie = '';
  const { month, day } = beijingToday();

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        ONETHING_OUTBOX_SECONDS: '0',
        ...(process.env.ONETHING_WEB_DIR ? { ONETHING_WEB_DIR: process.env.ONETHING_WEB_DIR } : {}),
      },
    });
    await seedLedger(server.db.kysely);
    // a month of applications in the daily rollups the indicators read, so every chart has data
    const rows = [];
    for (let d = 1; d <= day; d++) {
      const date = `${month}-${String(d).padStart(2, '0')}`;
      for (const [i, regionCode] of ['371002', '371003', '371082', '371083', '371072'].entries()) {
        for (const [bundleCode, hours] of [
          ['enterprise-opening', 0.8],
          ['birth', 20],
        ] as const) {
          const completed = 2 + ((d + i) % 3);
          rows.push({
            day: date,
            regionCode,
            bundleCode,
            submitted: 3 + ((d * (i + 1)) % 4),
            submittedOnline: 2 + ((d + i) % 2),
            completed,
            completedOnTime: completed - (d % 5 === i ? 1 : 0),
            easy: completed - ((d + i) % 4 === 0 ? 1 : 0),
            durationHours: completed * hours,
            savedSteps: completed * 3,
            savedMaterials: completed * 5,
            savedVisits: completed * 2,
            waivedMaterials: 1,
          });
        }
      }
    }
    await server.db.kysely.insertInto('insightApplicationDays').values(rows).execute();
    await server.db.kysely
      .insertInto('insightApplicationDurations')
      .values(
        rows.map((r) => ({
          day: r.day,
          regionCode: r.regionCode,
          bundleCode: r.bundleCode,
          bucket: r.bundleCode === 'birth' ? 8 : 2,
          n: r.completed,
        })),
      )
      .execute();
    cookie = await server.signIn('supervisor');
    browser = await TestBrowser.launch({ viewport: LARGE });
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

  const chartsReady = async (page: Page) => {
    for (const id of CHARTS) {
      const chart = page.locator(`[data-testid="${id}"][data-state="ready"]`);
      await chart.waitFor();
      expect(await chart.locator('canvas').count(), id).toBeGreaterThan(0);
    }
  };

  const kpiText = (page: Page, key: string) =>
    page.getByTestId(`kpi-${key}`).getByTestId('kpi-value').innerText();

  it('shows the month’s figures as the API computes them, drills down and switches region', async () => {
    const { context, page } = await browser.openPage(LARGE);
    try {
      await signIn(page, 'supervisor', '/cockpit');
      await page.getByRole('heading', { name: '政务服务数字驾驶舱' }).waitFor();
      await chartsReady(page);

      const reply = await server.api(
        `/api/insight/indicators?from=${month}-01&to=${month}-${String(day).padStart(2, '0')}`,
        { cookie },
      );
      expect(reply.status).toBe(200);
      const figures = reply.body.figures;
      expect(figures.submitted).toBeGreaterThan(0);
      await expect
        .poll(() => kpiText(page, 'submitted'))
        .toBe(figures.submitted.toLocaleString('zh-CN'));
      expect(await kpiText(page, 'easyRate')).toBe(`${figures.easyRate}%`);
      expect(await kpiText(page, 'onTimeRate')).toBe(`${figures.onTimeRate}%`);
      expect(await kpiText(page, 'onlineRate')).toBe(`${figures.onlineRate}%`);
      expect(await kpiText(page, 'savedVisits')).toBe(figures.savedVisits.toLocaleString('zh-CN'));
      expect(await kpiText(page, 'averageHours')).toBe(
        `${figures.averageHours.toLocaleString('zh-CN', { maximumFractionDigits: 1 })}小时`,
      );
      const panels = await server.api(
        `/api/insight/panels?from=${month}-01&to=${month}-${String(day).padStart(2, '0')}`,
        { cookie },
      );
      expect(panels.status).toBe(200);
      expect(await kpiText(page, 'certificateFreeScenarios')).toBe(
        panels.body.certificateFree.scenarios.toLocaleString('zh-CN'),
      );
      const warnings = await server.api('/api/insight/warnings', { cookie });
      expect(warnings.status).toBe(200);
      await expect
        .poll(() => page.getByTestId('warning-count-ledger_overdue').getAttribute('data-count'))
        .toBe(String(warnings.body.counts.ledger_overdue));
      expect(warnings.body.counts.ledger_overdue).toBeGreaterThan(0);
      // a warning row links to the record behind it
      const first = page.getByTestId('warning-row').first().locator('a');
      expect(await first.getAttribute('href')).toBe(warnings.body.items[0].link);
      // the target of 好办易办率 comes with its card
      expect(await page.getByTestId('kpi-easyRate').innerText()).toContain('目标 90%');
      await shoot(page, 'cockpit-1920', false);
      await shoot(page, 'cockpit-1920-full');

      // a KPI opens the records behind it, with its definition
      await page.getByTestId('kpi-onTimeRate').click();
      const drawer = page.locator('[data-testid="drill-drawer"][data-indicator="onTimeRate"]');
      await drawer.waitFor();
      await drawer.getByTestId('definition').waitFor();
      const records = await server.api(
        `/api/insight/records?indicator=onTimeRate&from=${month}-01&to=${month}-${String(day).padStart(2, '0')}`,
        { cookie },
      );
      expect(records.status).toBe(200);
      await expect
        .poll(() => drawer.getByTestId('drill-total').innerText())
        .toBe(`共 ${records.body.total} 条`);
      await shoot(page, 'cockpit-drill', false);
      await page.locator('.ot-ck-drawer .ant-drawer-close').click();
      await drawer.waitFor({ state: 'hidden' });

      // a click on 文登区 on the map switches the cockpit to it
      const map = page.getByTestId('chart-map');
      await expect.poll(() => map.getAttribute('data-points')).toContain('371003');
      await page.locator('.ant-drawer-mask').waitFor({ state: 'hidden' });
      await map.scrollIntoViewIfNeeded();
      const regionShown = () => page.getByTestId('cockpit').getAttribute('data-region');
      // the click lands where the chart drew 文登区's centre; clicked again if the page was still
      // settling (a drawer fading out) when it came
      await expect
        .poll(
          async () => {
            if ((await regionShown()) === '371003') return true;
            const points = JSON.parse((await map.getAttribute('data-points'))!) as Record<
              string,
              [number, number]
            >;
            const box = (await map.boundingBox())!;
            await page.mouse.click(box.x + points['371003']![0], box.y + points['371003']![1]);
            await page.waitForTimeout(300);
            return (await regionShown()) === '371003';
          },
          { timeout: 30_000, interval: 500 },
        )
        .toBe(true);
      expect(page.url()).toContain('region=371003');
      await expect.poll(() => page.getByTestId('cockpit-subtitle').innerText()).toContain('文登区');
      const district = await server.api(
        `/api/insight/indicators?from=${month}-01&to=${month}-${String(day).padStart(2, '0')}&region=371003`,
        { cookie },
      );
      await expect
        .poll(() => kpiText(page, 'submitted'))
        .toBe(district.body.figures.submitted.toLocaleString('zh-CN'));
      await chartsReady(page);

      // the large-screen board, dark
      await page.getByTestId('big-screen').click();
      await page.locator('.ot-ck-big').waitFor();
      await chartsReady(page);
      await shoot(page, 'cockpit-1920-big', false);
      await page.getByTestId('big-screen').click();

      // the laptop
      await page.setViewportSize(LAPTOP);
      await chartsReady(page);
      await shoot(page, 'cockpit-1366', false);
      await shoot(page, 'cockpit-1366-full');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('prints the monthly report with its tables', async () => {
    const { context, page } = await browser.openPage(LAPTOP);
    try {
      await signIn(page, 'supervisor', '/cockpit');
      await page.getByTestId('report-link').click();
      await page.waitForURL(/\/cockpit\/report\?region=371000&month=\d{4}-\d{2}$/);
      const [year, mon] = month.split('-');
      await expect
        .poll(() => page.getByTestId('report-title').innerText())
        .toBe(`威海市政务服务月度报告 ${year}年${Number(mon)}月`);
      for (const table of [
        'report-indicators',
        'report-bundles',
        'report-regions',
        'report-ledger-documents',
        'report-ledger-units',
      ])
        await page.getByTestId(table).waitFor();
      await expect
        .poll(() => page.getByTestId('report-indicators').locator('tbody tr').count())
        .toBeGreaterThanOrEqual(16);
      await expect
        .poll(() => page.getByTestId('report-regions').locator('tbody tr').count())
        .toBe(5);
      await expect
        .poll(() => page.getByTestId('report-ledger-documents').locator('tbody tr').count())
        .toBe(5);
      // no app header on the report, and the print button hides on paper
      expect(await page.locator('header').count()).toBe(0);
      await page.emulateMedia({ media: 'print' });
      expect(await page.getByTestId('print').isVisible()).toBe(false);
      await page.emulateMedia({ media: 'screen' });
      await shoot(page, 'cockpit-report-top', false);
      await shoot(page, 'cockpit-report');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('refuses a citizen the cockpit', async () => {
    const { context, page } = await browser.openPage(LAPTOP);
    try {
      await signIn(page, 'citizen', '/cockpit');
      await page.getByTestId('entry-refused').waitFor();
      expect(await page.getByTestId('cockpit').count()).toBe(0);
      await page.goto(`${server.url}/cockpit/report`);
      await page.getByTestId('entry-refused').waitFor();
    } finally {
      await context.close();
    }
  }, 60_000);
});
