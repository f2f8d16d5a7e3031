import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

// What the browser tests (test/e2e) share: Chromium, pages that remember their console errors and
// crashes so a broken render fails the test that caused it, and filling the application form the
// way a person would.

/** The password of every demo user (data/demo/platform.yaml). */
export const DEMO_PASSWORD = 'OneThing@2026';

/** 威海澜石精密机械有限公司, the demo enterprise (data/demo/platform.yaml). */
export const ENTERPRISE_USCC = '91371072M37100005C';

/** Where the tests leave their screenshots and sample files. */
export const SCREENSHOTS = path.resolve('test-results');

/** How pages open unless a test says otherwise. */
export interface PageDefaults {
  viewport: { width: number; height: number };
  /** Playwright's default timeout of each page, in ms; its own (30 s) when not given. */
  timeout?: number;
}

/** Headless Chromium with the pages it opened and what went wrong on each. */
export class TestBrowser {
  private readonly problems = new Map<Page, string[]>();

  private constructor(
    private readonly browser: Browser,
    private readonly defaults: PageDefaults,
  ) {}

  /**
   * Starts /usr/bin/chromium without the sandbox, GPU and background traffic a CI box lacks, and
   * makes the folder of the screenshots.
   */
  static async launch(defaults: PageDefaults): Promise<TestBrowser> {
    await mkdir(SCREENSHOTS, { recursive: true });
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
    return new TestBrowser(browser, defaults);
  }

  /** A fresh browser profile (no cookies, no stored language) on one page, in Chinese. */
  async openPage(
    viewport = this.defaults.viewport,
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await this.browser.newContext({ viewport, locale: 'zh-CN' });
    const page = await context.newPage();
    if (this.defaults.timeout !== undefined) page.setDefaultTimeout(this.defaults.timeout);
    const seen: string[] = [];
    this.problems.set(page, seen);
    page.on('pageerror', (error) => seen.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') seen.push(`console: ${message.text()}`);
    });
    return { context, page };
  }

  /**
   * The console errors and crashes of a page, minus the failed requests a test provokes on
   * purpose: by default `/api/me` answering 401 to anonymous visitors.
   */
  errorsOf(page: Page, expected: number[] = [401]): string[] {
    return (this.problems.get(page) ?? []).filter(
      (line) => !expected.some((status) => line.includes(`status of ${status}`)),
    );
  }

  /** Closes Chromium and every page. */
  close(): Promise<void> {
    return this.browser.close();
  }
}

/**
 * A picture of the page in SCREENSHOTS: the whole page from the top (so the sticky header sits
 * where it belongs), or the viewport. Pictures are for people to look at, not what a test checks:
 * they get a minute (a starved Chromium painting CJK text on a busy two-core machine took over the
 * pages' 15 s in CI), with animations stopped and the caret hidden so the picture can settle.
 */
export async function shoot(page: Page, name: string, fullPage = true): Promise<void> {
  if (fullPage) await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({
    path: path.join(SCREENSHOTS, `${name}.png`),
    fullPage,
    animations: 'disabled',
    caret: 'hide',
    timeout: 60_000,
  });
}

/** Fills in and sends the sign-in form the page shows. */
export async function submitSignIn(
  page: Page,
  username: string,
  password = DEMO_PASSWORD,
): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

/** The session cookie of a browser context, for reading through the API what the page shows. */
export async function cookieOf(context: BrowserContext, url: string): Promise<string> {
  const cookies = await context.cookies(url);
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

/** Writes a minimal PDF to upload: the server reads the type from the bytes (%PDF-). */
export function writeSamplePdf(file: string): Promise<void> {
  return writeFile(file, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
}

/** A resident ID with its MOD 11-2 check character (GB 11643). */
export function ric(base17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...base17].reduce((total, digit, i) => total + Number(digit) * weights[i]!, 0);
  return base17 + '10X98765432'[sum % 11];
}

/** What the tests read of a form field from the API. */
export interface Field {
  key: string;
  type: string;
  identifierKind?: string;
  required: boolean;
  /** Filled by the platform from an earlier item's result: not the applicant's to enter. */
  filledBy?: string;
  min?: number;
  max?: number;
  columns?: Field[];
}

/** Fills one input of the application form by its type, the way a person would. */
export async function fillInput(page: Page, box: Locator, field: Field): Promise<void> {
  const input = box.locator('input, textarea').first();
  switch (field.type) {
    case 'number':
      return input.fill(String(Math.max(field.min ?? 1, 1)));
    case 'date':
      return input.fill('2030-06-28');
    case 'region':
      return input.fill('371002');
    case 'identifier':
      return input.fill(
        field.identifierKind === 'ric'
          ? ric('37100219900101234')
          : field.identifierKind === 'uscc'
            ? ENTERPRISE_USCC
            : field.identifierKind === 'mobile'
              ? '13806310001'
              : '371002',
      );
    case 'choice': {
      const radio = box.locator('.ant-radio-wrapper').first();
      if (await radio.count()) return radio.click();
      await box.locator('.ant-select').first().click();
      return page.keyboard.press('Enter');
    }
    default:
      return input.fill('澜石测试');
  }
}

/**
 * Fills every field of the application's form (tables: one row). Fields the platform fills are
 * left alone; with `checkPlatformFields` the test also proves the applicant cannot edit them.
 */
export async function fillForm(
  page: Page,
  fields: Field[],
  { checkPlatformFields = false }: { checkPlatformFields?: boolean } = {},
): Promise<void> {
  const form = page.getByTestId('application-form');
  for (const field of fields) {
    const box = form.locator(`[data-field="${field.key}"]`).first();
    if (field.filledBy) {
      if (checkPlatformFields) {
        expect(await box.locator('input').isDisabled(), `${field.key} is the platform's`).toBe(
          true,
        );
      }
      continue;
    }
    if (field.type !== 'table') {
      await fillInput(page, box, field);
      continue;
    }
    await box.getByRole('button', { name: /添加一行/ }).click();
    for (const column of field.columns ?? []) {
      await fillInput(page, form.locator(`[data-field="${field.key}.0.${column.key}"]`), column);
    }
  }
}

/**
 * Submits the application on its page and waits until it is accepted; a refusal fails the test
 * with what the page says is missing, after a screenshot named `refusedShot`.
 */
export async function submitForAcceptance(page: Page, refusedShot: string): Promise<void> {
  await page.getByTestId('application-submit').click();
  const accepted = page.locator('[data-testid="application-status"][data-status="accepted"]');
  await accepted.or(page.getByTestId('submit-problems')).first().waitFor();
  if (!(await accepted.isVisible())) {
    await shoot(page, refusedShot);
    expect.fail(`submit refused: ${await page.getByTestId('submit-problems').innerText()}`);
  }
}

/** Uploads the file for each material named, waiting until the page lists it. */
/**
 * The materials of an application the applicant must upload: required uploads the government's
 * licences and data do not stand in for (免提交), and, unless told otherwise, those that may follow
 * later (容缺) too.
 */
export function materialsToUpload(
  materials: {
    key: string;
    required: boolean;
    provision: string;
    waived: unknown;
    deficiencyAllowed: boolean;
  }[],
  options: { skipDeficient?: boolean } = {},
): string[] {
  return materials
    .filter((m) => m.required && m.provision === 'upload' && m.waived === null)
    .filter((m) => !(options.skipDeficient && m.deficiencyAllowed))
    .map((m) => m.key);
}

/**
 * Waits until no antd dialog is in its opening or closing zoom: on a loaded machine a click during
 * the animation was seen to be lost, leaving the dialog open with nothing sent.
 */
export async function dialogsSettled(page: Page): Promise<void> {
  // by locators, not a page function: the platform's CSP forbids evaluating strings in the page
  await expect
    .poll(() =>
      page.locator('.ant-modal[class*="ant-zoom"], [role="dialog"][class*="ant-zoom"]').count(),
    )
    .toBe(0);
}

export async function uploadAll(page: Page, materials: string[], file: string): Promise<void> {
  for (const key of materials) {
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId(`upload-${key}`).click();
    await (await chooser).setFiles(file);
    await page.locator(`[data-app-material="${key}"] .ot-app-uploads a`).first().waitFor();
  }
}

/**
 * Picks the option labelled `label` of the Ant Design select `select` and waits until the select
 * shows it. Typing `search` first narrows long (virtual) lists. On a loaded machine a click while
 * the dropdown slides open was seen to be lost (the select kept its old value), so a pick that did
 * not take is made again, up to three times.
 */
export async function chooseOption(
  page: Page,
  select: Locator,
  label: string,
  search?: string,
): Promise<void> {
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  // the test id may sit on the select itself or on its search input: look from the select
  const root = select.locator(
    "xpath=ancestor-or-self::*[contains(concat(' ', normalize-space(@class), ' '), ' ant-select ')][1]",
  );
  // a single select shows its value as the content, a multiple one as an item per value
  const shown = root
    .locator('.ant-select-content, .ant-select-selection-item, .ant-select-selection-item-content')
    .filter({ hasText: exact });
  for (let attempt = 1; ; attempt++) {
    await select.click();
    if (search) await page.keyboard.type(search);
    const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
    await dropdown.waitFor();
    await expect
      .poll(() => page.locator('.ant-select-dropdown[class*="ant-slide"]').count())
      .toBe(0);
    await dropdown.locator('.ant-select-item-option').filter({ hasText: exact }).first().click();
    try {
      await shown.first().waitFor({ timeout: 2_000 });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}
