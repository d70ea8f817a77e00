import { request } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { browserSession, chooseOption, demoPassword, loginThroughUi, screenshot } from './helpers.ts';

const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 4);

describe('county operator runs a regional brand, its authorizations, products and batches', () => {
  const session = browserSession();
  let brandUrl = '';

  test('registers a regional public brand with its standard', async () => {
    await loginThroughUi(session.page, 'county.yuanqu', demoPassword);
    await session.page.getByTestId('menu-brands').click();
    await session.page.getByTestId('brand-table').getByText('垣曲六宝').waitFor();
    await screenshot(session.page, 'brands-01-list');

    await session.page.getByTestId('brand-create').click();
    const form = session.page.getByTestId('brand-form');
    await session.page.getByTestId('brand-form-ok').click();
    await expect
      .poll(() => form.locator('.ant-form-item-explain-error').allTextContents())
      .toContain('请填写品牌名称');
    await form.getByTestId('brand-name').fill('历山山珍');
    await form
      .getByTestId('brand-standard-text')
      .fill(
        '地三宝：猴头菇、黑木耳、羊肚菌；水三宝：黄河大鲤鱼、库区小银鱼、历山娃娃鱼。须产自垣曲县域内备案基地，检测合格。',
      );
    await session.page.getByTestId('brand-form-ok').click();
    await session.page.waitForURL(/\/brands\/[0-9a-f-]{36}/);
    brandUrl = new URL(session.page.url()).pathname;
    await expect.poll(() => session.page.getByTestId('brand-title').textContent()).toBe('历山山珍');
    await session.page
      .getByTestId('standard-card')
      .locator('input[type=file]')
      .setInputFiles({ name: '历山山珍品牌标准.pdf', mimeType: 'application/pdf', buffer: pdf });
    await session.page.getByTestId('standard-file').waitFor();
    expect(await session.page.getByTestId('standard-file').textContent()).toContain('历山山珍品牌标准.pdf');
  });

  test('authorizes an enterprise that applied, with a term and a generated certificate number', async () => {
    // The enterprise applies through the API, as its own client would.
    const enterprise = await request.newContext({ baseURL: session.server.baseUrl });
    expect(
      (
        await enterprise.post('/api/auth/login', {
          data: { username: 'enterprise.demo', password: demoPassword },
        })
      ).ok(),
    ).toBe(true);
    const entityId = (await (await enterprise.get('/api/entities')).json()).items[0].id;
    const brandId = brandUrl.split('/').pop();
    const applied = await enterprise.post('/api/brand-authorizations', {
      data: { brandId, entityId, productNames: ['垣曲猴头菇干品', '黑木耳'], applicationNote: '基地已备案' },
    });
    expect(applied.status()).toBe(201);
    await enterprise.dispose();

    await session.page.reload();
    const table = session.page.getByTestId('authorization-table');
    await expect.poll(() => table.getByTestId('authorization-status').first().textContent()).toBe('待审核');
    await session.page.getByTestId('authorization-authorize').click();
    await session.page.getByTestId('authorize-modal').getByText('请对照品牌标准审核').waitFor();
    await screenshot(session.page, 'brands-02-authorize-modal');
    await session.page.getByTestId('authorize-modal-ok').click();
    await expect.poll(() => table.getByTestId('authorization-status').first().textContent()).toBe('有效');
    expect(await table.getByTestId('certificate-number').first().textContent()).toBe(`LSSZ-${year}-0001`);
    await screenshot(session.page, 'brands-03-authorized');
  });

  test('adds a product with a certification and a batch with an inspection report', async () => {
    await session.page.getByTestId('menu-brands').click();
    await session.page.getByTestId('brand-section-nav').getByText('网货产品').click();
    await session.page.getByTestId('product-table').waitFor();
    await session.page.getByTestId('product-create').click();
    const form = session.page.getByTestId('product-form');
    await form.getByTestId('product-name').fill('历山猴头菇礼盒');
    await chooseOption(session.page, form.getByTestId('product-entity'), '演示食用菌', {
      search: '演示食用菌',
    });
    // The producer's dropdown must be gone before the brand's opens.
    await expect.poll(() => session.page.locator('.ant-select-item-option:visible').count()).toBe(0);
    await chooseOption(session.page, form.getByTestId('product-brand'), '历山山珍', { search: '历山' });
    await form.getByTestId('product-specification').fill('250g×4袋/盒');
    await form.getByTestId('product-price').fill('59.999');
    await session.page.getByTestId('product-form-ok').click();
    await expect
      .poll(() => form.locator('.ant-form-item-explain-error').allTextContents())
      .toContain('请填写不超过两位小数的金额，如 59.90');
    await form.getByTestId('product-price').fill('59.9');
    await session.page.getByTestId('product-form-ok').click();
    await session.page.waitForURL(/\/brands\/products\/[0-9a-f-]{36}/);
    await expect.poll(() => session.page.getByTestId('product-price-value').textContent()).toBe('¥59.90');

    await session.page.getByTestId('certification-add').click();
    await session.page
      .getByTestId('certification-modal')
      .getByTestId('certification-number')
      .fill('LB-18-2401140827A');
    await session.page.getByTestId('certification-modal-ok').click();
    await session.page.getByTestId('certification-table').getByText('LB-18-2401140827A').waitFor();

    await session.page.getByTestId('batch-add').click();
    const batchForm = session.page.getByTestId('batch-modal');
    await batchForm.getByTestId('batch-number').fill('HTG-001');
    await batchForm.getByTestId('batch-quantity').fill('500');
    await batchForm.getByTestId('batch-origin').fill('皋落乡食用菌标准化种植基地');
    await session.page.getByTestId('batch-modal-ok').click();
    await session.page.getByTestId('batch-row-HTG-001').waitFor();

    await session.page.getByTestId('batch-inspect-HTG-001').click();
    const inspection = session.page.getByTestId('inspection-modal');
    await inspection.getByTestId('inspection-agency').fill('运城市农产品质量安全检验检测中心');
    await inspection.getByTestId('inspection-items').fill('农药残留、重金属');
    await inspection
      .locator('input[type=file]')
      .setInputFiles({ name: '检测报告.pdf', mimeType: 'application/pdf', buffer: pdf });
    await session.page.getByTestId('inspection-modal-ok').click();
    await session.page.getByTestId('batch-table').getByText('合格（1）').waitFor();
    await session.page.getByTestId('batch-table').locator('.ant-table-row-expand-icon').first().click();
    await session.page.getByTestId('inspection-report').waitFor();
    expect(await session.page.getByTestId('inspection-report').textContent()).toContain('检测报告.pdf');
    expect(await session.page.getByTestId('batch-trace-HTG-001').getAttribute('href')).toMatch(
      /^\/trace\/batches\/[0-9a-f-]{36}$/,
    );
    await screenshot(session.page, 'brands-04-product-detail');
  });

  test('suspends, then revokes the authorization, each with a reason', async () => {
    await session.page.goto(brandUrl);
    const table = session.page.getByTestId('authorization-table');
    await session.page.getByTestId('authorization-suspend').click();
    await session.page.getByTestId('suspend-reason').waitFor();
    // Let the modal finish opening, so the click lands on the button where it stays.
    await session.page.waitForTimeout(400);
    await session.page.getByTestId('suspend-modal-ok').click();
    await expect
      .poll(
        () =>
          session.page.getByTestId('suspend-modal').locator('.ant-form-item-explain-error').allTextContents(),
        {
          timeout: 5000,
        },
      )
      .toContain('请填写暂停理由');
    await session.page.getByTestId('suspend-reason').fill('监督检查发现包装未标注授权编号');
    await session.page.getByTestId('suspend-modal-ok').click();
    await expect.poll(() => table.getByTestId('authorization-status').first().textContent()).toBe('已暂停');

    await session.page.getByTestId('authorization-revoke').click();
    await session.page.getByTestId('revoke-reason').fill('逾期未整改，退出品牌使用');
    await session.page.getByTestId('revoke-modal-ok').click();
    await expect.poll(() => table.getByTestId('authorization-status').first().textContent()).toBe('已撤销');
    await table.locator('.ant-table-row-expand-icon').first().click();
    const history = table.locator('[data-testid^="authorization-history-"]');
    await history.getByText('撤销授权').waitFor();
    expect(await history.textContent()).toContain('逾期未整改，退出品牌使用');
    await screenshot(session.page, 'brands-05-revoked');
  });

  test('records an expo for indicator 10', async () => {
    await session.page.getByTestId('menu-promotion').click();
    await session.page.getByTestId('event-table').waitFor();
    await session.page.getByTestId('event-add').click();
    const modal = session.page.getByTestId('event-modal');
    const title = modal.getByTestId('event-title');
    await title.waitFor();
    // Not the demo ledger's expo (山西国际果品交易博览会, dated 18 October of the demo year): from that day
    // on the list holds it too, and a count of one would find two.
    await title.fill('垣曲县农特产品产销对接会');
    await modal.getByTestId('event-date').click();
    await session.page.keyboard.type(`${year}-05-20`);
    // Enter confirms the date; it must not submit the form (the OK below is the one submission).
    await session.page.keyboard.press('Enter');
    await session.page
      .locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)')
      .waitFor({ state: 'hidden' });
    await expect.poll(() => modal.getByTestId('event-date').inputValue()).toBe(`${year}-05-20`);
    await session.page.waitForTimeout(400);
    await session.page.getByTestId('event-modal-ok').click();
    await modal.waitFor({ state: 'hidden' });
    const rows = session.page
      .getByTestId('event-table')
      .locator('tr')
      .filter({ hasText: '垣曲县农特产品产销对接会' });
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    await screenshot(session.page, 'brands-06-promotion');
    expect(session.pageErrors).toEqual([]);
  });
});
