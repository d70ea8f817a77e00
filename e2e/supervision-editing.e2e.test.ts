import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  browserSession,
  chooseOption,
  demoPassword,
  loginThroughUi,
  newPage,
  screenshot,
} from './helpers.ts';

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const shiftDays = (days: number) => {
  const value = new Date(`${today}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
};
const yesterday = shiftDays(-1);
const inAMonth = shiftDays(30);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

/** Picks an option and waits until its dropdown has gone, so the next select opens its own. */
async function choose(page: Page, select: ReturnType<Page['getByTestId']>, text: string) {
  await chooseOption(page, select, text);
  await page.locator('.ant-select-item-option:visible').first().waitFor({ state: 'hidden' });
}

/** Types a date into an antd DatePicker, as a person would. */
async function typeDate(page: Page, picker: ReturnType<Page['getByTestId']>, date: string) {
  await picker.click();
  await page.keyboard.type(date);
  await page.keyboard.press('Enter');
}

const toast = (page: Page, text: string) => page.locator('.ant-message').getByText(text).first().waitFor();
const errorsOf = (form: ReturnType<Page['getByTestId']>) =>
  form.locator('.ant-form-item-explain-error').allTextContents();

describe('county supervision: an inspection page with added findings, incidents and documents edited', () => {
  const session = browserSession();
  let inspectionUrl = '';

  test('registers an inspection, opens its page and adds a second finding there', async () => {
    await loginThroughUi(session.page, 'county.yuanqu', demoPassword);
    await session.page.getByTestId('menu-supervision').click();
    await session.page.getByRole('tab', { name: '检查记录' }).click();
    await session.page.waitForURL(/tab=inspections/);
    await session.page.getByTestId('inspection-create').click();
    const form = session.page.getByTestId('inspection-form');
    if (!((await form.getByTestId('inspection-etown').textContent()) ?? '').includes('皋陶')) {
      await choose(session.page, form.getByTestId('inspection-etown'), '皋陶');
    }
    await choose(session.page, form.getByTestId('inspection-kind'), '第三方核查');
    await typeDate(session.page, form.getByTestId('inspection-date'), yesterday);
    await form.getByTestId('inspection-inspectors').fill('山西某会计师事务所');
    await form.getByTestId('inspection-summary').fill('核查资金使用台账和公共服务中心运营记录');
    await form.getByTestId('finding-add').click();
    await form.getByTestId('finding-description').fill('补贴资金支付凭证缺少验收单');
    await form.getByTestId('finding-owner').fill('县工科局');
    await typeDate(session.page, form.getByTestId('finding-deadline'), yesterday);
    await session.page.getByTestId('inspection-form-ok').click();
    await toast(session.page, '已登记检查');

    const listRow = session.page
      .getByTestId('inspection-table')
      .locator('tr', { hasText: '山西某会计师事务所' });
    await listRow.waitFor();
    await screenshot(session.page, 'supervision-01-inspections');
    await listRow.getByTestId('inspection-link').click();
    await session.page.waitForURL(/\/supervision\/inspections\/[0-9a-f-]{36}/);
    inspectionUrl = new URL(session.page.url()).pathname;

    const overview = session.page.getByTestId('inspection-overview');
    await overview.getByText('核查资金使用台账和公共服务中心运营记录').waitFor();
    expect(await session.page.getByTestId('page-title').textContent()).toBe(`第三方核查（${yesterday}）`);
    expect(await overview.textContent()).toContain('山西某会计师事务所');
    expect(await overview.textContent()).toContain('皋陶');
    const findings = session.page.getByTestId('finding-table');
    const first = findings.locator('tr', { hasText: '补贴资金支付凭证缺少验收单' });
    await first.getByTestId('finding-overdue').waitFor();
    expect(await first.getByTestId('finding-status').textContent()).toBe('待整改');

    await session.page.getByTestId('finding-append').click();
    const append = session.page.getByTestId('finding-append-form');
    await append.getByTestId('finding-description').waitFor();
    // OK on the empty form again until its errors show: on a loaded machine the page's data can arrive
    // after the first click and render the form anew (an empty form's OK only validates, never submits).
    await expect
      .poll(async () => {
        await session.page.getByTestId('finding-append-form-ok').click();
        return errorsOf(append);
      })
      .toContain('请填写问题描述');
    await append.getByTestId('finding-description').fill('公共服务中心运营日志未按月归档');
    await append.getByTestId('finding-owner').fill('皋陶e镇运营主体');
    await typeDate(session.page, append.getByTestId('finding-deadline'), inAMonth);
    await session.page.getByTestId('finding-append-form-ok').click();
    await toast(session.page, '已补充问题');
    const second = findings.locator('tr', { hasText: '公共服务中心运营日志未按月归档' });
    await second.waitFor();
    expect(await second.textContent()).toContain(inAMonth);
    expect(await second.getByTestId('finding-overdue').count()).toBe(0);
    await expect
      .poll(() => session.page.getByTestId('inspection-finding-counts').textContent())
      .toContain('待整改 2');
    expect(await session.page.getByTestId('inspection-finding-counts').textContent()).toContain('逾期 1');

    // Stored, not only shown: a reload brings both back.
    await session.page.reload();
    await second.waitFor();
    expect(await findings.locator('tr[data-testid^="finding-row-"]').count()).toBe(2);
    await screenshot(session.page, 'supervision-02-inspection-detail');

    // The problem list leads back to the inspection.
    await session.page.getByTestId('breadcrumb').getByText('监督检查').click();
    await session.page.getByTestId('finding-table').getByText('公共服务中心运营日志未按月归档').waitFor();
    await screenshot(session.page, 'supervision-03-problem-list');
    await session.page
      .getByTestId('finding-table')
      .locator('tr', { hasText: '公共服务中心运营日志未按月归档' })
      .getByTestId('finding-inspection-link')
      .click();
    await session.page.waitForURL((url) => url.pathname === inspectionUrl);
    await session.page.getByTestId('inspection-overview').waitFor();

    await session.page.goto('/supervision/inspections/00000000-0000-4000-8000-000000000000');
    await session.page.getByTestId('not-found').getByText('检查记录不存在').waitFor();
    expect(session.pageErrors).toEqual([]);
  });

  test('the e-town rectifies on the inspection page and removes wrong evidence; it may not add findings', async () => {
    const { page: etownPage, errors: etownErrors } = await newPage(session.browser, session.server.baseUrl);
    await loginThroughUi(etownPage, 'etown.gaotao', demoPassword);
    await etownPage.goto(inspectionUrl);
    const row = etownPage
      .getByTestId('finding-table')
      .locator('tr', { hasText: '公共服务中心运营日志未按月归档' });
    await row.getByTestId('finding-rectify').waitFor();
    expect(await etownPage.getByTestId('finding-append').count()).toBe(0);
    expect(await row.getByTestId('finding-close').count()).toBe(0);

    await row.locator('input[type=file]').setInputFiles({
      name: '错传的文件.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await toast(etownPage, '已上传 错传的文件.pdf');
    const file = row.getByTestId('finding-file').filter({ hasText: '错传的文件.pdf' });
    await file.waitFor();
    const href = await file.locator('a').getAttribute('href');
    expect((await etownPage.request.get(href ?? '')).status()).toBe(200);
    await file.getByTestId('finding-file-delete').click();
    await etownPage.getByTestId('finding-file-delete-confirm').click();
    await toast(etownPage, '已删除 错传的文件.pdf');
    await expect.poll(() => row.getByTestId('finding-file').count()).toBe(0);
    expect((await etownPage.request.get(href ?? '')).status()).toBe(404);

    await row.getByTestId('finding-rectify').click();
    await etownPage.getByTestId('finding-note').fill('运营日志已按月装订归档');
    await etownPage.getByTestId('finding-action-form-ok').click();
    await toast(etownPage, '已提交整改情况');
    await expect.poll(() => row.getByTestId('finding-status').textContent()).toBe('已整改待销号');
    await screenshot(etownPage, 'supervision-04-etown-rectified');
    expect(etownErrors).toEqual([]);
    await etownPage.context().close();

    await session.page.goto(inspectionUrl);
    const countyRow = session.page
      .getByTestId('finding-table')
      .locator('tr', { hasText: '公共服务中心运营日志未按月归档' });
    await countyRow.getByTestId('finding-close').click();
    await session.page.getByTestId('finding-note').fill('抽查三个月日志，同意销号');
    await session.page.getByTestId('finding-action-form-ok').click();
    await toast(session.page, '已验收销号');
    await expect.poll(() => countyRow.getByTestId('finding-status').textContent()).toBe('已销号');
    expect(await session.page.getByTestId('inspection-finding-counts').textContent()).toContain('已销号 1');
  });

  test('edits and deletes a compliance incident', async () => {
    await session.page.goto('/supervision?tab=incidents');
    await session.page.getByTestId('incident-create').click();
    const form = session.page.getByTestId('incident-form');
    if (!((await form.getByTestId('incident-etown').textContent()) ?? '').includes('皋陶')) {
      await choose(session.page, form.getByTestId('incident-etown'), '皋陶');
    }
    await typeDate(session.page, form.getByTestId('incident-occurred-on'), yesterday);
    await choose(session.page, form.getByTestId('incident-category'), '生态环保');
    await form.getByTestId('incident-description').fill('物流园区夜间施工噪声扰民');
    await session.page.getByTestId('incident-form-ok').click();
    await toast(session.page, '已登记事件');
    const row = session.page
      .getByTestId('incident-table')
      .locator('tr', { hasText: '物流园区夜间施工噪声扰民' });
    await row.getByText('未处置').waitFor();

    await row.getByTestId('incident-edit').click();
    const edit = session.page.getByTestId('incident-form');
    expect(await edit.getByTestId('incident-description').inputValue()).toBe('物流园区夜间施工噪声扰民');
    expect(await edit.getByTestId('incident-category').textContent()).toContain('生态环保');
    await screenshot(session.page, 'supervision-05-incident-edit-form');
    await edit.getByTestId('incident-handling').fill('已责令停止夜间施工并处罚款');
    await typeDate(session.page, edit.getByTestId('incident-handled-on'), shiftDays(-2));
    await session.page.getByTestId('incident-form-ok').click();
    // The server refuses a handling date before the incident, in Chinese, on the field.
    await expect.poll(() => errorsOf(edit)).toContain('处置日期不能早于发生日期');
    await edit.getByTestId('incident-handled-on').click();
    await session.page.keyboard.press('ControlOrMeta+A');
    await session.page.keyboard.type(today);
    await session.page.keyboard.press('Enter');
    await session.page.getByTestId('incident-form-ok').click();
    await toast(session.page, '已保存');
    await row.getByText(`已责令停止夜间施工并处罚款（${today}）`).waitFor();
    await screenshot(session.page, 'supervision-06-incident-edited');

    await row.getByTestId('incident-delete').click();
    await session.page.getByText('删除这条违规违法事件？').waitFor();
    await session.page.getByTestId('incident-delete-confirm').click();
    await toast(session.page, '已删除');
    await expect
      .poll(() =>
        session.page
          .getByTestId('incident-table')
          .locator('tr', { hasText: '物流园区夜间施工噪声扰民' })
          .count(),
      )
      .toBe(0);
    await session.page.reload();
    await session.page.getByTestId('incident-table').waitFor();
    expect(await session.page.getByTestId('incident-table').textContent()).not.toContain(
      '物流园区夜间施工噪声扰民',
    );
  });

  test('edits a policy document and replaces its attachment', async () => {
    await session.page.getByRole('tab', { name: '制度文件' }).click();
    await session.page.getByTestId('document-create').click();
    const form = session.page.getByTestId('document-form');
    if (!((await form.getByTestId('document-etown').textContent()) ?? '').includes('皋陶')) {
      await choose(session.page, form.getByTestId('document-etown'), '皋陶');
    }
    await choose(session.page, form.getByTestId('document-kind'), '电商企业奖励办法');
    await form.getByTestId('document-title').fill('垣曲县电商企业奖励办法（试行）');
    await form.getByTestId('document-doc-no').fill('垣政办发〔2025〕3号');
    await typeDate(session.page, form.getByTestId('document-issued-on'), yesterday);
    await session.page.getByTestId('document-form-ok').click();
    await toast(session.page, '已登记制度文件');
    const row = session.page
      .getByTestId('document-table')
      .locator('tr', { hasText: '垣曲县电商企业奖励办法' });
    await row.getByText('垣政办发〔2025〕3号').waitFor();

    await row.getByTestId('document-edit').click();
    const edit = session.page.getByTestId('document-form');
    expect(await edit.getByTestId('document-title').inputValue()).toBe('垣曲县电商企业奖励办法（试行）');
    expect(await edit.getByTestId('document-doc-no').inputValue()).toBe('垣政办发〔2025〕3号');
    await edit.getByTestId('document-title').fill('垣曲县电商企业奖励办法');
    await edit.getByTestId('document-doc-no').fill('垣政办发〔2025〕12号');
    await edit.getByTestId('document-issuer').fill('垣曲县人民政府办公室');
    await session.page.getByTestId('document-form-ok').click();
    await toast(session.page, '已保存');
    await row.getByText('垣政办发〔2025〕12号').waitFor();
    expect(await row.textContent()).toContain('垣曲县人民政府办公室');
    expect(await row.textContent()).not.toContain('（试行）');

    await row.locator('input[type=file]').setInputFiles({
      name: '奖励办法.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await row.getByTestId('document-download').getByText('奖励办法.pdf').waitFor();
    expect(await row.getByTestId('document-upload').textContent()).toContain('替换');
    await row.locator('input[type=file]').setInputFiles({
      name: '奖励办法（修订）.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await toast(session.page, '已将附件替换为 奖励办法（修订）.pdf');
    await row.getByTestId('document-download').getByText('奖励办法（修订）.pdf').waitFor();
    const download = await session.page.request.get(
      (await row.getByTestId('document-download').getAttribute('href')) ?? '',
    );
    expect(download.status()).toBe(200);
    expect(decodeURIComponent(download.headers()['content-disposition'] ?? '')).toContain(
      '奖励办法（修订）.pdf',
    );
    await screenshot(session.page, 'supervision-07-documents');
    expect(session.pageErrors).toEqual([]);
  });

  test('a city reviewer reads the inspection and the documents but sees no write buttons', async () => {
    const { page: cityPage, errors: cityErrors } = await newPage(session.browser, session.server.baseUrl);
    await loginThroughUi(cityPage, 'city.yuncheng', demoPassword);
    await cityPage.goto('/supervision?tab=documents');
    await cityPage.getByTestId('document-table').getByText('垣曲县电商企业奖励办法').waitFor();
    expect(await cityPage.getByTestId('document-create').count()).toBe(0);
    expect(await cityPage.getByTestId('document-edit').count()).toBe(0);
    expect(await cityPage.getByTestId('document-upload').count()).toBe(0);
    await cityPage.goto(inspectionUrl);
    await cityPage.getByTestId('inspection-overview').waitFor();
    // The city inspects (may add findings and reopen) but does not rectify.
    await cityPage.getByTestId('finding-append').waitFor();
    expect(await cityPage.getByTestId('finding-rectify').count()).toBe(0);
    expect(await cityPage.getByTestId('finding-upload').count()).toBe(0);
    expect(cityErrors).toEqual([]);
    await cityPage.context().close();
  });
});
