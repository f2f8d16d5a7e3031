import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cookieOf,
  ENTERPRISE_USCC,
  fillForm,
  SCREENSHOTS,
  shoot,
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
import { pdfBytes, uploadFile } from '../../src/cases/fixtures';
import { COMPANY_ANSWERS, OPENING_PLEDGES, openingData } from '../../src/cases/samples';
import type { Text } from '../../src/platform/i18n';

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const PDF = path.join(SCREENSHOTS, 'bundles-sample.pdf');

describe('bundles in the browser: guide, one form, one set of materials, intake and the editor', () => {
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

  async function timelineMembers(page: Page): Promise<string[]> {
    return page
      .getByTestId('bundle-timeline')
      .locator('[data-member]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-member') ?? ''));
  }

  it('lets an enterprise pick 企业开办, answer, apply with one form and one set of materials, and print the acceptance notice', async () => {
    const { context, page } = await browser.openPage();
    try {
      // The hall leads to the bundles; 企业开办 is among them, with its commitment.
      await page.goto(`${server.url}/`);
      await page.getByTestId('hall-bundles').locator('[data-bundle]').first().waitFor();
      await page.getByTestId('hall-bundles-all').click();
      await page.waitForURL(`${server.url}/bundles`);
      const card = page.locator('[data-bundle="enterprise-opening"]');
      await card.waitFor();
      expect(await card.getByTestId('bundle-commitment').innerText()).toMatch(/1个环节 · 0成本/);
      await shoot(page, 'bundles-list-desktop');
      await card.click();
      await page.waitForURL(`${server.url}/bundles/enterprise-opening`);
      await page.getByTestId('bundle-title').filter({ hasText: '企业开办' }).waitFor();
      await page.getByTestId('bundle-timeline').waitFor();

      // The live list follows the answers: engraving seals adds the seal item to the timeline.
      const before = await timelineMembers(page);
      expect(before).toEqual(expect.arrayContaining(['name', 'registration']));
      expect(before).not.toContain('seal');
      const question = (key: string) => page.locator(`[data-situation="${key}"]`);
      await question('enterprise-type').getByText('有限责任公司或股份有限公司').click();
      await question('related-trade-name').getByText('否', { exact: true }).click();
      await question('food').getByText('否', { exact: true }).click();
      await question('also').getByText('刻制印章').click();
      await expect.poll(() => timelineMembers(page)).toContain('seal');
      expect(
        await page.locator('[data-member="seal"]').innerText(),
        'the item names its department',
      ).toContain('公安');
      expect(await page.getByTestId('bundle-saves').innerText()).toMatch(
        /分别办理需 \d+ 次申请、\d+ 份材料 → 现在 1 次申请、\d+ 份材料/,
      );
      await shoot(page, 'bundle-guide-desktop');
      // Changing one's mind takes it out again.
      await question('also').getByText('刻制印章').click();
      await question('also').getByText('暂不办理').click();
      await expect.poll(() => timelineMembers(page)).not.toContain('seal');
      await question('agent').getByText('否，法定代表人本人办理').click();
      await question('vat-status').getByText('小规模纳税人').click();
      await question('invoices').getByText('暂不需要').click();

      // Applying needs a sign-in, which comes back here with the answers kept.
      await page.getByTestId('bundle-apply').click();
      await page.waitForURL(/\/signin\?next=/);
      await submitSignIn(page, 'enterprise');
      await page.waitForURL(/\/bundles\/enterprise-opening\?/);
      await page.getByTestId('bundle-apply').filter({ hasText: '开始申请' }).click();
      await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
      const id = page.url().split('/').pop()!;
      await page.getByTestId('application-editor').waitFor();

      // The one form and the one set of materials, as the server worked them out for the answers.
      const cookie = await cookieOf(context, server.url);
      const draft = (await server.api(`/api/applications/${id}`, { cookie })).body;
      expect(draft.status).toBe('draft');
      expect(draft.answers.also).toEqual(['later']);
      await fillForm(page, draft.guide.fields as Field[], { checkPlatformFields: true });
      const uploads = materialsToUpload(draft.materials);
      expect(uploads.length).toBeGreaterThan(0);
      await uploadAll(page, uploads, PDF);
      // Identity and online signature need no upload.
      expect(await page.getByTestId('application-materials').innerText()).toContain('无需上传');
      await shoot(page, 'bundle-application-editor');

      // 企业开办 is taken in automatically once complete (智能受理); a refusal names what is missing.
      await submitForAcceptance(page, 'bundle-application-refused');
      await page.getByTestId('accepted-note').waitFor();
      await shoot(page, 'bundle-application-accepted');
      const accepted = (await server.api(`/api/applications/${id}`, { cookie })).body;
      expect(accepted.status).toBe('accepted');
      // The platform's own notes name materials, never their keys ("容缺材料：accounting-system").
      const history = page.getByTestId('history');
      const keys = (accepted.materials as { key: string }[]).map((m) => m.key);
      for (const key of accepted.deficiency?.materials ?? []) {
        expect(await history.innerText()).not.toContain(key);
      }
      expect(keys.length).toBeGreaterThan(0);
      // In English the history names each uploaded material in English, not as recorded in Chinese.
      await page.getByRole('button', { name: 'Switch to English' }).click();
      const uploadNote = history.locator('[data-action="material_uploaded"] > div').last();
      await expect
        .poll(() => uploadNote.innerText())
        .toMatch(/^[^\u4e00-\u9fff]+: bundles-sample\.pdf$/);
      if (accepted.deficiency) {
        expect(await history.innerText()).toContain('Materials to follow: ');
      }
      await page.getByRole('button', { name: '切换到中文' }).click();
      await history.getByText('上传材料').first().waitFor();
      expect(accepted.notices.map((n: { kind: string }) => n.kind)).toContain('acceptance');

      // The acceptance notice prints with a QR code of the public status page.
      await page.getByTestId('notices').getByTestId('notice-link').first().click();
      await page.waitForURL(/\/notices\//);
      await page.getByTestId('notice-title').filter({ hasText: '受理通知书' }).waitFor();
      const qr = page.getByTestId('notice-qr-image');
      await qr.waitFor();
      expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
      const statusUrl = await page.getByTestId('notice-status-url').innerText();
      expect(statusUrl).toBe(`${server.url}/status/${accepted.publicToken}`);
      expect(await page.getByTestId('notice-identifier').innerText()).toContain('*');
      await shoot(page, 'bundle-acceptance-notice');
      await page.emulateMedia({ media: 'print' });
      expect(await page.getByTestId('print-toolbar').isVisible()).toBe(false);
      await page.emulateMedia({ media: 'screen' });

      // The QR code's address: public, no sign-in.
      const stranger = await browser.openPage(PHONE);
      try {
        await stranger.page.goto(statusUrl);
        await stranger.page
          .locator('[data-testid="application-status"][data-status="accepted"]')
          .waitFor();
        expect(await stranger.page.getByTestId('status-page').innerText()).toContain(
          accepted.number,
        );
        await shoot(stranger.page, 'bundle-status-phone');
        expect(browser.errorsOf(stranger.page)).toEqual([]);
      } finally {
        await stranger.context.close();
      }

      // And it is listed among the enterprise's applications.
      await page.goto(`${server.url}/applications`);
      await page.getByTestId('my-application').filter({ hasText: accepted.number }).waitFor();
      expect(browser.errorsOf(page, [401, 422])).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('names the materials to follow in the history of an application accepted without them', async () => {
    const cookie = await server.signIn('enterprise');
    const created = await server.api('/api/applications', {
      method: 'POST',
      cookie,
      headers: { 'idempotency-key': 'e2e-deficiency-note' },
      body: {
        bundleCode: 'enterprise-opening',
        answers: COMPANY_ANSWERS,
        data: openingData(7, 'llc'),
        pledges: OPENING_PLEDGES,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id: string = created.body.id;
    for (const key of materialsToUpload(created.body.materials, { skipDeficient: true })) {
      const up = await uploadFile(server, cookie, id, key, { name: 'a.pdf', bytes: pdfBytes(key) });
      expect(up.status).toBe(201);
    }
    const submitted = await server.api(`/api/applications/${id}/submit`, {
      method: 'POST',
      cookie,
    });
    expect(submitted.body.status).toBe('accepted');
    const [key] = submitted.body.deficiency.materials as string[];
    const material = (created.body.materials as { key: string; name: Text }[]).find(
      (m) => m.key === key,
    )!;

    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/signin?next=${encodeURIComponent(`/applications/${id}`)}`);
      await submitSignIn(page, 'enterprise');
      await page.waitForURL(`${server.url}/applications/${id}`);
      // the platform records the materials' keys ("容缺材料：accounting-system，…"): never shown
      const history = page.getByTestId('history');
      await history.getByText(`容缺材料：${material.name.zh}，`, { exact: false }).waitFor();
      expect(await page.locator('body').innerText()).not.toContain(key!);
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await history
        .getByText(`Materials to follow: ${material.name.en}, by`, { exact: false })
        .waitFor();
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('fits the bundles and a bundle guide on a phone in English', async () => {
    const { context, page } = await browser.openPage(PHONE);
    try {
      await page.goto(`${server.url}/`);
      await page.evaluate("localStorage.setItem('onething.lang', 'en')");
      // the English cluster names are wider than the phone; so are the "provided by the result
      // of …" tags of the guide's materials
      for (const [target, ready] of [
        ['/bundles', 'cluster-switch'],
        ['/bundles/enterprise-opening', 'bundle-materials'],
      ] as const) {
        await page.goto(`${server.url}${target}`);
        await page.getByTestId(ready).waitFor();
        await page.locator('.ant-skeleton').first().waitFor({ state: 'detached' });
        const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
        expect(width, `${target} sticks out sideways`).toBeLessThanOrEqual(PHONE.width);
      }
      await shoot(page, 'bundle-guide-phone-en');
      // the tab names the page, then the platform: not "一件事 · 一件事"
      await page.goto(`${server.url}/bundles`);
      await page.getByTestId('cluster-switch').waitFor();
      expect(await page.title()).toBe('One-thing bundles · OneThing');
      await page.evaluate("localStorage.setItem('onething.lang', 'zh')");
      await page.reload();
      await expect.poll(() => page.title()).toBe('一件事主题服务 · 一件事');
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('lets a window clerk apply for an enterprise with its consent, request a correction, and accept another from the queue', async () => {
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/workbench/intake`);
      await page.waitForURL(/\/signin\?next=/);
      await submitSignIn(page, 'clerk');
      await page.getByTestId('intake-queue').waitFor();

      // 帮办代办: who applies and how they consented, then the same editor as the hall's.
      await page.getByTestId('assisted-new').click();
      await page.getByTestId('assisted-page').waitFor();
      await page.getByTestId('assisted-bundle').click();
      await page.keyboard.type('歇业');
      await page.keyboard.press('Enter');
      await page.getByText('企业（法人）').click();
      await page.getByTestId('assisted-name').fill('威海澜石精密机械有限公司');
      await page.getByTestId('assisted-identifier').fill(ENTERPRISE_USCC);
      await page.getByTestId('assisted-mobile').fill('13806310001');
      await page.getByTestId('assisted-reference').fill('SQ-2026-0001');
      await shoot(page, 'bundle-assisted-start');
      await page.getByTestId('assisted-start').click();
      await page.waitForURL(/\/workbench\/intake\/[0-9a-f-]{36}$/);
      const id = page.url().split('/').pop()!;
      await page.getByTestId('application-editor').waitFor();

      const question = (key: string) => page.locator(`[data-situation="${key}"]`);
      await question('service-address').getByText('否，沿用原住所').click();
      await question('staff').getByText('无在岗职工').click();
      await question('housing-fund').getByText('否', { exact: true }).click();
      const cookie = await cookieOf(context, server.url);
      // The form follows the answers once they are saved.
      await expect
        .poll(async () => (await server.api(`/api/applications/${id}`, { cookie })).body.missing)
        .not.toContainEqual(expect.objectContaining({ path: 'answers.staff' }));
      const draft = (await server.api(`/api/applications/${id}`, { cookie })).body;
      expect(draft.channel).toBe('window');
      expect(draft.assisted.consent).toEqual({ method: 'signature', reference: 'SQ-2026-0001' });
      await fillForm(page, draft.guide.fields as Field[], { checkPlatformFields: true });
      const uploads = materialsToUpload(draft.materials, { skipDeficient: true });
      await uploadAll(page, uploads, PDF);
      await page.getByTestId('application-submit').click();

      // Submitted: a window bundle waits for the clerk's pre-review on the same page.
      await page.getByTestId('decision-bar').waitFor();
      await shoot(page, 'bundle-intake-review');
      await page.getByTestId('decide-correction').click();
      await page.getByTestId('correction-target-0').click();
      await page.keyboard.type('歇业截止日期');
      await page.keyboard.press('Enter');
      await page.getByTestId('correction-note-0').fill('歇业期限最长不超过三年，请核对截止日期');
      await shoot(page, 'bundle-correction-dialog', false);
      await dialogsSettled(page);
      await page
        .locator('.ant-modal-footer')
        .getByRole('button', { name: '一次性告知补正' })
        .click();
      await page.getByTestId('decision-done').waitFor();
      expect(await page.getByTestId('decision-done').innerText()).toContain('补正材料通知书');
      const corrected = (await server.api(`/api/applications/${id}`, { cookie })).body;
      expect(corrected.status).toBe('correction');
      expect(corrected.correction.items).toEqual([
        { field: 'suspend-until', note: '歇业期限最长不超过三年，请核对截止日期' },
      ]);
      await page.getByTestId('issued-notice').click();
      await page.getByTestId('notice-title').filter({ hasText: '补正材料通知书' }).waitFor();
      await page.getByTestId('notice-qr-image').waitFor();
      expect(await page.getByTestId('notice').innerText()).toContain('歇业截止日期');
      await shoot(page, 'bundle-correction-notice');

      // Another application, submitted online by the enterprise itself, waits in the queue.
      const owner = await server.signIn('enterprise');
      const created = await server.api('/api/applications', {
        method: 'POST',
        cookie: owner,
        headers: { 'idempotency-key': 'e2e-suspension-1' },
        body: {
          bundleCode: 'business-suspension',
          answers: corrected.answers,
          data: corrected.data,
        },
      });
      expect(created.status).toBe(201);
      const allUploads = materialsToUpload(draft.materials);
      for (const key of allUploads) {
        const body = new FormData();
        body.append('material', key);
        body.append('file', new Blob(['%PDF-1.4\n%%EOF\n'], { type: 'application/pdf' }), 'a.pdf');
        const reply = await fetch(`${server.url}/api/applications/${created.body.id}/materials`, {
          method: 'POST',
          headers: { cookie: owner },
          body,
        });
        expect(reply.status).toBeLessThan(300);
      }
      const submitted = await server.api(`/api/applications/${created.body.id}/submit`, {
        method: 'POST',
        cookie: owner,
        headers: { 'idempotency-key': 'e2e-suspension-1-submit' },
      });
      // The reply says why when it is not a submission. (The answers come from the application
      // read after its submission: a draft read earlier may miss the last autosaved answer.)
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
      expect(submitted.body.status).toBe('submitted');

      await page.goto(`${server.url}/workbench/intake`);
      const row = page.locator(`tr[data-row-key="${created.body.id}"]`);
      await row.waitFor();
      await shoot(page, 'bundle-intake-queue');
      await row.getByTestId('queue-link').click();
      await page.getByTestId('decision-bar').waitFor();
      // The clerk can open what was uploaded.
      expect(await page.getByTestId('upload-link').count()).toBe(allUploads.length);
      await page.getByTestId('decide-accept').click();
      await page.locator('.ant-modal-confirm').waitFor();
      await dialogsSettled(page);
      await page.locator('.ant-modal-confirm').getByRole('button', { name: '受理' }).click();
      await page.getByTestId('decision-done').waitFor();
      expect(await page.getByTestId('decision-done').innerText()).toContain('受理通知书');
      await page.locator('[data-testid="application-status"][data-status="accepted"]').waitFor();
      await shoot(page, 'bundle-intake-accepted');
      expect(browser.errorsOf(page, [401, 422])).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('shows the administrator the check error of a bundle whose order has a cycle', async () => {
    const { context, page } = await browser.openPage();
    try {
      await page.goto(`${server.url}/workbench/bundles`);
      await page.waitForURL(/\/signin\?next=/);
      await submitSignIn(page, 'admin');
      await page.getByTestId('bundle-admin').waitFor();
      // a new bundle's template is nothing the administrator changed: not "unsaved changes"
      await page.goto(`${server.url}/workbench/bundles/new`);
      await page.getByTestId('bundle-editor').waitFor();
      expect(await page.getByText('有未保存的修改').count()).toBe(0);
      await page.goto(`${server.url}/workbench/bundles`);
      await page.getByTestId('bundle-admin').waitFor();
      // beside the menu at 1280 px, in English, the list of bundles does not push the page sideways
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await page.getByTestId('edit-enterprise-opening').getByText('Edit').waitFor();
      expect(
        Number(await page.evaluate('document.documentElement.scrollWidth')),
      ).toBeLessThanOrEqual(1280);
      await page.getByRole('button', { name: '切换到中文' }).click();
      await page.setViewportSize(DESKTOP);
      await page.getByTestId('edit-enterprise-opening').click();
      await page.getByTestId('bundle-editor').waitFor();
      await page.locator('[data-testid="check-summary"][data-errors="0"]').waitFor();
      expect(await page.getByTestId('bundle-publish').isEnabled()).toBe(true);

      // 名称申报 now waits for 企业登记, which waits for 名称申报: a cycle. Edited in place, as a
      // person would: select the empty list after `name` and type over it.
      const yaml = page.getByTestId('bundle-yaml');
      const found = await yaml.evaluate((element) => {
        // The server's TypeScript has no DOM types; what the textarea offers, by shape.
        const area = element as unknown as {
          value: string;
          focus(): void;
          setSelectionRange(start: number, end: number): void;
        };
        const match = /- key: name\n\s+item: [^\n]+\n\s+after: (\[\s*\])/.exec(area.value);
        if (!match) return false;
        const start = match.index + match[0].length - match[1]!.length;
        area.focus();
        area.setSelectionRange(start, start + match[1]!.length);
        return true;
      });
      expect(found, 'the YAML lists member name with after: []').toBe(true);
      await page.keyboard.insertText('[ registration ]');
      const cycle = page.locator('[data-testid="check-list"] li[data-rule="cycle"]');
      await cycle.waitFor();
      expect(await cycle.innerText()).toMatch(/办理顺序成环：.*name.*registration/);
      expect(await page.getByTestId('bundle-publish').isEnabled()).toBe(false);
      await shoot(page, 'bundle-editor-cycle', false);

      // A YAML syntax error is named with its line before any check runs.
      await page.keyboard.press('Control+End');
      await page.keyboard.insertText('\nextra: [unclosed');
      await page.getByTestId('yaml-error').waitFor();
      expect(browser.errorsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
