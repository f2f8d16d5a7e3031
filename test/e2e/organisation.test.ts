import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationCodeCheckChar, usccCheckChar } from '../../src/platform/ids';
import { shoot, submitSignIn, TestBrowser } from '../support/browser';
import { startTestServer } from '../support/server';

const DESKTOP = { width: 1280, height: 900 };

// Regions and departments (区划与部门): an administrator finds 威海市 in the region tree, sees its
// departments, adds a department to 环翠区 and sees it listed, and is told clearly when a
// department code is already taken; a window clerk is refused the page.

/** A valid department USCC (机关, 11) in a region, built from an eight-character organisation body. */
function departmentUscc(region: string, orgBody: string): string {
  const first17 = `11${region}${orgBody}${organisationCodeCheckChar(orgBody)}`;
  return first17 + usccCheckChar(first17);
}

describe('the web app: regions and departments (区划与部门)', () => {
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

  it('lets an administrator browse the region tree, add a department to a district and see a duplicate code refused', async () => {
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/signin`);
      await submitSignIn(page, 'admin');
      await page.waitForURL(/\/workbench/);
      await page.getByRole('link', { name: '区划与部门' }).first().click();
      await page.waitForURL(/\/workbench\/organisation$/);

      // 威海市 by search, then its departments.
      await page.getByTestId('region-search').locator('input').fill('威海');
      await page.getByTestId('region-371000').click();
      await expect.poll(() => page.getByTestId('region-title').innerText()).toBe('威海市');
      await expect
        .poll(() => page.getByTestId('department-table').innerText())
        .toContain('行政审批服务局');
      expect(await page.getByTestId('department-xzsp').count()).toBe(1);
      // The functional zones are in the tree under 威海市, marked as such.
      expect(await page.getByTestId('region-371072').innerText()).toContain('功能区');
      await shoot(page, 'organisation-weihai');

      // 环翠区 and a new department in it.
      await page.getByTestId('region-search').locator('input').fill('环翠');
      await page.getByTestId('region-371002').click();
      await expect.poll(() => page.getByTestId('region-title').innerText()).toBe('环翠区');
      await page.getByRole('button', { name: '新增部门' }).click();
      const dialog = page.getByTestId('department-dialog');
      await dialog.waitFor();
      await dialog.getByLabel('代码', { exact: true }).fill('huancui-sthj');
      await dialog.getByLabel('名称（中文）').fill('环翠区生态环境分局');
      await dialog.getByLabel('名称（英文）').fill('Huancui Ecology and Environment Sub-bureau');
      await dialog.getByLabel('统一社会信用代码').fill(departmentUscc('371002', '00000555'));
      await shoot(page, 'organisation-new-department');
      await page.getByRole('button', { name: '保存' }).click();
      await dialog.waitFor({ state: 'detached' });
      const row = page.getByTestId('department-huancui-sthj');
      await row.waitFor();
      expect(await row.innerText()).toContain('环翠区生态环境分局');
      expect(await row.getAttribute('aria-selected')).toBe('true');
      expect(await page.getByTestId('region-title').innerText()).toBe('环翠区');
      await shoot(page, 'organisation-department-added');

      // The same code again: the dialog stays open and says so under the code field.
      await page.getByRole('button', { name: '新增部门' }).click();
      await dialog.waitFor();
      await dialog.getByLabel('代码', { exact: true }).fill('huancui-sthj');
      await dialog.getByLabel('名称（中文）').fill('环翠区另一个分局');
      await dialog.getByLabel('名称（英文）').fill('Another sub-bureau');
      await dialog.getByLabel('统一社会信用代码').fill(departmentUscc('371002', '00000556'));
      await page.getByRole('button', { name: '保存' }).click();
      await dialog.getByText('部门代码 huancui-sthj 已被使用').first().waitFor();
      expect(await page.getByTestId('organisation-dialog-error').innerText()).toContain('已存在');
      await shoot(page, 'organisation-duplicate-code');
      await page
        .getByRole('button', { name: '取 消' })
        .or(page.getByRole('button', { name: '取消' }))
        .first()
        .click();
      await dialog.waitFor({ state: 'detached' });

      // Renamed (机构更名): the code stays, the new name is listed.
      await row.getByRole('button', { name: '更名' }).click();
      const rename = page.getByTestId('rename-dialog');
      await rename.waitFor();
      await rename.getByLabel('名称（中文）').fill('威海市生态环境局环翠分局');
      await page.getByRole('button', { name: '保存' }).click();
      await rename.waitFor({ state: 'detached' });
      await expect.poll(() => row.innerText()).toContain('威海市生态环境局环翠分局');
      await shoot(page, 'organisation-renamed');

      // A functional zone under 环翠区: the code hint follows the kind chosen.
      await page.getByRole('button', { name: '新增区划/功能区' }).click();
      const region = page.getByTestId('region-dialog');
      await region.waitFor();
      await region.getByText('自定代码').waitFor();
      await region.getByText('行政区划（GB/T 2260）').click();
      await region.getByText('6 位 GB/T 2260 代码').waitFor();
      await region.getByText('功能区（开发区、高新区等）').click();
      await region.getByLabel('代码', { exact: true }).fill('371002-wq');
      await region.getByLabel('名称（中文）').fill('环翠湾区');
      await region.getByLabel('名称（英文）').fill('Huancui Bay Zone');
      await page.getByRole('button', { name: '保存' }).click();
      await region.waitFor({ state: 'detached' });
      await expect.poll(() => page.getByTestId('region-title').innerText()).toBe('环翠湾区');
      expect(await page.getByTestId('region-371002-WQ').innerText()).toContain('功能区');
      await shoot(page, 'organisation-zone-added');
      // The refused request itself is the only thing the console reports.
      expect(browser.errorsOf(page)).toEqual([expect.stringContaining('status of 409 (Conflict)')]);
    } finally {
      await context.close();
    }
  }, 120_000);

  // A deployment without demo data (ONETHING_DEMO=off) seeds its departments without credit codes.
  it('lets an administrator enter the real credit code of a department seeded without one', async () => {
    await server.db.kysely
      .updateTable('departments')
      .set({ uscc: null })
      .where('code', '=', 'cgj')
      .execute();
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/signin`);
      await submitSignIn(page, 'admin');
      await page.waitForURL(/\/workbench/);
      await page.goto(`${server.url}/workbench/organisation`);
      await page.getByTestId('region-search').locator('input').fill('威海');
      await page.getByTestId('region-371000').click();
      const row = page.getByTestId('department-cgj');
      await row.waitFor();
      expect(await row.innerText()).toContain('未登记');
      await shoot(page, 'organisation-uscc-missing');

      await row.getByRole('button', { name: '补录代码' }).click();
      const dialog = page.getByTestId('rename-dialog');
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain('补录前不能签发电子证照');
      const uscc = departmentUscc('371000', '00000557');
      await dialog.getByLabel('统一社会信用代码').fill(uscc.toLowerCase());
      await shoot(page, 'organisation-uscc-entering');
      await page.getByRole('button', { name: '保存' }).click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => row.innerText()).toContain(uscc);
      expect(await row.innerText()).not.toContain('未登记');
      await shoot(page, 'organisation-uscc-entered');
      const stored = await server.db.kysely
        .selectFrom('departments')
        .select('uscc')
        .where('code', '=', 'cgj')
        .executeTakeFirstOrThrow();
      expect(stored.uscc).toBe(uscc);
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('refuses the page to a window clerk', async () => {
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/signin`);
      await submitSignIn(page, 'clerk');
      await page.waitForURL(/\/workbench/);
      expect(await page.getByRole('link', { name: '区划与部门' }).count()).toBe(0);
      await page.goto(`${server.url}/workbench/organisation`);
      await page.getByText('此功能仅供系统管理使用').waitFor();
      expect(await page.getByTestId('region-search').count()).toBe(0);
      await shoot(page, 'organisation-refused-clerk');
    } finally {
      await context.close();
    }
  }, 120_000);
});
