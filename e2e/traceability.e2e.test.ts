import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { labelCell } from '../src/modules/trace/label-sheet.ts';
import { browserSession, chooseOption, demoPassword, loginThroughUi, screenshot } from './helpers.ts';

const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 4);
const installed = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const WECHAT_USER_AGENT =
  'Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) ' +
  'WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

const BRAND = '历山山珍';
const PRODUCT = '历山猴头菇礼盒';
const PRODUCER = '垣曲县演示食用菌电商有限公司（演示数据）';
const BATCH = 'LS-HTG-001';
const AGENCY = '运城市农产品质量安全检验检测中心';

/** The text of the first label's QR code on a label sheet, read as a phone would: that label alone. */
function decodeFirstLabel(pdfFile: string, folder: string): string {
  const dpi = 200;
  const pixels = (millimetres: number) => String(Math.round((millimetres * dpi) / 25.4));
  const cell = labelCell(0);
  const prefix = path.join(folder, 'label-0');
  execFileSync(
    'pdftoppm',
    [
      '-png',
      '-r',
      String(dpi),
      '-f',
      String(cell.page),
      '-l',
      String(cell.page),
      '-x',
      pixels(cell.x),
      '-y',
      pixels(cell.y),
      '-W',
      pixels(cell.width),
      '-H',
      pixels(cell.height),
      '-singlefile',
      pdfFile,
      prefix,
    ],
    { stdio: 'ignore' },
  );
  // zbarimg complains on stderr when there is no D-Bus; only its answer matters.
  return execFileSync('zbarimg', ['--quiet', '--raw', '-Sqrcode.enable', `${prefix}.png`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .trim()
    .split('\n')[0] as string;
}

/** The text of the scan page's card headed `title` (品牌, 生产主体, 批次, 检验检测 …). */
async function cardText(scanPage: Page, title: string): Promise<string> {
  const card = scanPage
    .locator('section.card')
    .filter({ has: scanPage.getByRole('heading', { name: title, exact: true }) });
  return (await card.textContent()) ?? '';
}

describe('a county operator traces a product from brand authorization to the scan page on a phone', () => {
  const session = browserSession();
  let phone: BrowserContext;
  let phonePage: Page;
  let folder: string;
  let brandUrl = '';
  let qrText = '';
  let certificateNumber = '';

  beforeAll(async () => {
    if (!installed('zbarimg') || !installed('pdftoppm')) {
      throw new Error(
        'this test reads the printed QR code with zbarimg and pdftoppm: install zbar-tools and poppler-utils (.ci/run does)',
      );
    }
    folder = await mkdtemp(path.join(tmpdir(), 'ezhen-trace-e2e-'));
  });

  beforeEach(({ onTestFailed, task }) => {
    onTestFailed(async () => {
      if (phonePage && !phonePage.isClosed())
        await screenshot(phonePage, `failed-phone-${task.name.slice(0, 34)}`);
    });
  });

  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  test('creates a brand and authorizes an entity for a named product', async () => {
    await loginThroughUi(session.page, 'county.yuanqu', demoPassword);
    await session.page.getByTestId('menu-brands').click();
    await session.page.getByTestId('brand-table').waitFor();
    await session.page.getByTestId('brand-create').click();
    const form = session.page.getByTestId('brand-form');
    await form.getByTestId('brand-name').fill(BRAND);
    await form
      .getByTestId('brand-standard-text')
      .fill('须产自历山备案基地，批批检测合格，包装标注授权编号和追溯码。');
    await session.page.getByTestId('brand-form-ok').click();
    await session.page.waitForURL(/\/brands\/[0-9a-f-]{36}$/);
    brandUrl = new URL(session.page.url()).pathname;
    await expect.poll(() => session.page.getByTestId('brand-title').textContent()).toBe(BRAND);

    // The county applies on the entity's behalf, then reviews against the standard and authorizes.
    await session.page.getByTestId('authorization-apply').click();
    const apply = session.page.getByTestId('apply-modal');
    await chooseOption(session.page, apply.getByTestId('apply-entity'), '演示食用菌', {
      search: '演示食用菌',
    });
    await apply.getByTestId('apply-products').click();
    await session.page.keyboard.type(PRODUCT);
    await session.page.keyboard.press('Enter');
    await apply.locator('.ant-select-selection-item').filter({ hasText: PRODUCT }).waitFor();
    await session.page.getByTestId('apply-modal-ok').click();
    const table = session.page.getByTestId('authorization-table');
    await expect.poll(() => table.getByTestId('authorization-status').first().textContent()).toBe('待审核');
    await session.page.getByTestId('authorization-authorize').click();
    await session.page.getByTestId('authorize-modal').getByText('请对照品牌标准审核').waitFor();
    await session.page.getByTestId('authorize-modal-ok').click();
    await expect.poll(() => table.getByTestId('authorization-status').first().textContent()).toBe('有效');
    certificateNumber = (await table.getByTestId('certificate-number').first().textContent()) ?? '';
    expect(certificateNumber).toBe(`LSSZ-${year}-0001`);
  });

  test('adds the product and a batch with a passing inspection', async () => {
    await session.page.getByTestId('menu-brands').click();
    await session.page.getByTestId('brand-section-nav').getByText('网货产品').click();
    await session.page.getByTestId('product-table').waitFor();
    await session.page.getByTestId('product-create').click();
    const form = session.page.getByTestId('product-form');
    await form.getByTestId('product-name').fill(PRODUCT);
    await chooseOption(session.page, form.getByTestId('product-entity'), '演示食用菌', {
      search: '演示食用菌',
    });
    // The producer's dropdown must be gone before the brand's opens.
    await expect.poll(() => session.page.locator('.ant-select-item-option:visible').count()).toBe(0);
    await chooseOption(session.page, form.getByTestId('product-brand'), BRAND, { search: '历山' });
    await form.getByTestId('product-specification').fill('250g×4袋/盒');
    await form.getByTestId('product-price').fill('59.9');
    await session.page.getByTestId('product-form-ok').click();
    await session.page.waitForURL(/\/brands\/products\/[0-9a-f-]{36}$/);
    await expect.poll(() => session.page.getByTestId('product-title').textContent()).toBe(PRODUCT);

    await session.page.getByTestId('batch-add').click();
    const batchForm = session.page.getByTestId('batch-modal');
    await batchForm.getByTestId('batch-number').fill(BATCH);
    await batchForm.getByTestId('batch-quantity').fill('500');
    await batchForm.getByTestId('batch-origin').fill('皋落乡历山食用菌标准化种植基地');
    await session.page.getByTestId('batch-modal-ok').click();
    await session.page.getByTestId(`batch-row-${BATCH}`).waitFor();

    await session.page.getByTestId(`batch-inspect-${BATCH}`).click();
    const inspection = session.page.getByTestId('inspection-modal');
    await inspection.getByTestId('inspection-agency').fill(AGENCY);
    await inspection.getByTestId('inspection-items').fill('农药残留、重金属');
    await session.page.getByTestId('inspection-modal-ok').click();
    await session.page.getByTestId('batch-table').getByText('合格（1）').waitFor();
    await session.page.getByTestId(`batch-trace-${BATCH}`).click();
    await session.page.waitForURL(/\/trace\/batches\/[0-9a-f-]{36}$/);
  });

  test('generates 30 codes in the background and prints a label sheet whose QR opens this server', async () => {
    await session.page.getByTestId('trace-batch-page').waitFor();
    const amount = session.page.getByTestId('trace-generate-count');
    await amount.fill('30');
    await session.page.getByTestId('trace-generate-submit').click();
    // The run appears once the background job has finished.
    const runs = session.page.getByTestId('trace-runs');
    await runs.getByText('1—30').waitFor({ timeout: 60_000 });
    await screenshot(session.page, 'trace-01-batch-codes');

    await runs.locator('[data-testid^="trace-labels-"]').first().click();
    const download = session.page.getByTestId('trace-labels-download');
    await expect.poll(() => download.textContent()).toContain('30 枚');
    const [file] = await Promise.all([session.page.waitForEvent('download'), download.click()]);
    const pdfFile = path.join(folder, 'labels.pdf');
    await file.saveAs(pdfFile);
    expect((await readFile(pdfFile)).subarray(0, 5).toString()).toBe('%PDF-');

    qrText = decodeFirstLabel(pdfFile, folder);
    // The public address defaults to http://localhost:<PORT>; the QR carries it in upper case.
    const port = new URL(session.server.baseUrl).port;
    expect(qrText).toMatch(new RegExp(`^HTTP://LOCALHOST:${port}/T/[0-9A-Z]+$`));
  });

  test('a phone in WeChat, without JavaScript, opens the QR’s URL and sees the authorized product', async () => {
    phone = await session.browser.newContext({
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      userAgent: WECHAT_USER_AGENT,
      javaScriptEnabled: false,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    phonePage = await phone.newPage();
    const response = await phonePage.goto(qrText);
    expect(response?.status()).toBe(200);
    expect(phonePage.url()).toMatch(
      new RegExp(`^http://localhost:${new URL(session.server.baseUrl).port}/T/`),
    );
    await phonePage.locator('h1').getByText(PRODUCT).waitFor();
    const brand = await cardText(phonePage, '品牌');
    expect(brand).toContain(BRAND);
    expect(brand).toContain('品牌授权有效');
    expect(brand).toContain(`授权证书 ${certificateNumber}`);
    expect(await cardText(phonePage, '生产主体')).toContain(PRODUCER);
    expect(await cardText(phonePage, '批次')).toContain(`批次号${BATCH}`);
    const inspection = await cardText(phonePage, '检验检测');
    expect(inspection).toContain('合格');
    expect(inspection).toContain(`${AGENCY}：农药残留、重金属`);
    // Nothing overflows a 360-px screen.
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(phonePage, 'trace-02-phone-authorized');
  });

  test('revoking the authorization takes the brand off the phone’s page at once', async () => {
    await session.page.goto(brandUrl);
    const table = session.page.getByTestId('authorization-table');
    await expect.poll(() => table.getByTestId('authorization-status').first().textContent()).toBe('有效');
    await session.page.getByTestId('authorization-revoke').click();
    await session.page.getByTestId('revoke-reason').fill('抽检发现包装未标注授权编号，撤销品牌使用');
    await session.page.getByTestId('revoke-modal-ok').click();
    await expect.poll(() => table.getByTestId('authorization-status').first().textContent()).toBe('已撤销');

    await phonePage.reload();
    await phonePage.locator('h1').getByText(PRODUCT).waitFor();
    const brand = await cardText(phonePage, '品牌');
    expect(brand).toContain('授权已失效');
    expect(brand).toContain('该产品的品牌授权已撤销，不能以该品牌名义销售。');
    expect(brand).not.toContain('品牌授权有效');
    expect(brand).not.toContain(certificateNumber);
    expect(brand).not.toContain(BRAND);
    // The batch, producer and inspection are still there: only the brand is withdrawn.
    expect(await cardText(phonePage, '生产主体')).toContain(PRODUCER);
    expect(await cardText(phonePage, '批次')).toContain(`批次号${BATCH}`);
    expect(await cardText(phonePage, '检验检测')).toContain('合格');
    await screenshot(phonePage, 'trace-03-phone-revoked');
    expect(session.pageErrors).toEqual([]);
  });
});
