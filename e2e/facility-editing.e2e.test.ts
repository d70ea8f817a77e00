import { crc32, deflateSync } from 'node:zlib';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  browserSession,
  chooseOption,
  demoPassword,
  loginThroughUi,
  newPage,
  screenshot,
} from './helpers.ts';

const ETOWN = '140827-E01';
const NAME = '皋陶冷链分拣仓';
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const year = today.slice(0, 4);

type Indicator = { no: number; status: string; facts: Record<string, unknown> };
type FacilityJson = {
  id: string;
  kind: string;
  name: string;
  buildingAreaM2: string;
  features: string[];
  projectId: string | null;
  openedOn: string | null;
  version: number;
};

/** A real (if plain) PNG, so the page can show it: `width`×`height` pixels of one colour. */
function solidPng(width: number, height: number, [red, green, blue]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, checksum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  const pixel = Buffer.from([red, green, blue]);
  const row = Buffer.concat([Buffer.from([0]), ...Array.from({ length: width }, () => pixel)]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Picks an option and waits until its dropdown has gone, so the next select opens its own. */
async function choose(page: Page, select: Locator, text: string) {
  await chooseOption(page, select, text);
  await page.locator('.ant-select-item-option:visible').first().waitFor({ state: 'hidden' });
}

/** Types a date into an antd DatePicker, as a person would. */
async function typeDate(page: Page, picker: Locator, date: string) {
  await picker.click();
  await page.keyboard.type(date);
  await page.keyboard.press('Enter');
}

describe('county corrects a facility until it meets the plan, manages its photos and deletes it', () => {
  const session = browserSession();
  let facilityId = '';

  const scorecard = async (): Promise<Map<number, Indicator>> => {
    const response = await session.page.request.get(`/api/etowns/${ETOWN}/scorecard?year=${year}`);
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { indicators: Indicator[] };
    return new Map(body.indicators.map((indicator) => [indicator.no, indicator]));
  };
  const logisticsCenters = async () => (await scorecard()).get(17)?.facts.logisticsCenters as number;
  const messages = () => session.page.locator('.ant-message').textContent();

  test('a logistics center registered short of 500 m² meets #17 once its area is corrected', async () => {
    await loginThroughUi(session.page, 'county.yuanqu', demoPassword);
    const before = await scorecard();
    expect(before.get(17)?.status).toBe('met');

    await session.page.getByTestId('menu-projects').click();
    await session.page.getByTestId('project-section-nav').getByText('设施').click();
    await session.page.getByTestId('facility-table').waitFor();
    await session.page.getByTestId('facility-create').click();
    const form = session.page.getByTestId('facility-form');
    // The county has one e-town; the form chooses it.
    await expect.poll(() => form.getByTestId('facility-etown').textContent()).toContain('皋陶');
    await choose(session.page, form.getByTestId('facility-kind'), '物流配送中心');
    await expect.poll(() => form.textContent()).toContain('指标17：不少于 500 平方米');
    await form.getByTestId('facility-name').fill(NAME);
    await form.getByTestId('facility-area').fill('450');
    await choose(session.page, form.getByTestId('facility-features'), '分拣');
    await choose(session.page, form.getByTestId('facility-features'), '冷链仓储');
    await session.page.getByTestId('facility-form-ok').click();
    await expect.poll(messages).toContain(`已登记设施「${NAME}」`);
    const row = session.page.getByTestId('facility-table').locator('tr', { hasText: NAME });
    expect(await row.getByTestId('plan-check-17').textContent()).toContain('不符合');
    expect((await logisticsCenters()) - (before.get(17)?.facts.logisticsCenters as number)).toBe(1);

    // The list's own edit opens the form with the row's values.
    await row.getByTestId('facility-row-edit').click();
    await expect.poll(() => form.getByTestId('facility-name').inputValue()).toBe(NAME);
    expect(await form.getByTestId('facility-area').inputValue()).toBe('450');
    await form.getByRole('button', { name: /取\s*消/ }).click();
    await form.waitFor({ state: 'hidden' });

    await row.getByRole('link', { name: NAME }).click();
    await session.page.waitForURL(/\/projects\/facilities\/[0-9a-f-]{36}$/);
    facilityId = session.page.url().split('/').pop() as string;
    const check = session.page.getByTestId('plan-check-detail-17');
    await expect.poll(() => check.getByTestId('plan-check-verdict').textContent()).toBe('本设施不符合规划');
    expect(await check.textContent()).toContain('不少于 500 平方米');
    expect(await check.getByTestId('plan-outcome-area').textContent()).toBe('比下限少 50 平方米');
    expect(await check.getByTestId('plan-check-reasons').textContent()).toBe(
      '建筑面积 450 平方米，少于 500 平方米',
    );
    // The e-town keeps #17 through its seeded logistics center, and the page says which.
    const etownVerdict = check.getByTestId('etown-indicator-17');
    await expect.poll(() => etownVerdict.textContent()).toContain('达标');
    expect(await etownVerdict.textContent()).toContain('垣曲县电子商务物流仓储配送中心');
    await screenshot(session.page, 'facility-editing-01-short-of-plan');

    await session.page.getByTestId('facility-edit').click();
    await expect.poll(() => form.getByTestId('facility-area').inputValue()).toBe('450');
    expect(await form.getByTestId('facility-form-etown').textContent()).toBe('皋陶乡村e镇');
    await form.getByTestId('facility-area').fill('6２0');
    await session.page.getByTestId('facility-form-ok').click();
    await expect
      .poll(() => form.locator('.ant-form-item-explain-error').allTextContents())
      .toContain('建筑面积须为数字（最多两位小数）');
    await form.getByTestId('facility-area').fill('620.5');
    await typeDate(session.page, form.getByTestId('facility-opened'), `${year}-03-18`);
    await screenshot(session.page, 'facility-editing-02-form');
    await session.page.getByTestId('facility-form-ok').click();
    await form.waitFor({ state: 'hidden' });
    await expect.poll(messages).toContain('已保存');
    await expect.poll(() => check.getByTestId('plan-check-verdict').textContent()).toBe('本设施符合规划');
    expect(await check.getByTestId('plan-outcome-area').textContent()).toBe('符合，高出下限 120.5 平方米');
    expect(await check.getByTestId('plan-check-reasons').count()).toBe(0);
    expect(await session.page.getByTestId('facility-info-area').textContent()).toBe('620.5 平方米');
    expect(await session.page.getByTestId('facility-info-opened').textContent()).toBe(`${year}年3月18日`);
    const stored = (await (
      await session.page.request.get(`/api/facilities/${facilityId}`)
    ).json()) as FacilityJson;
    expect(stored).toMatchObject({ buildingAreaM2: '620.5', openedOn: `${year}-03-18`, version: 2 });
    expect(stored.features.sort()).toEqual(['cold_storage', 'sorting']);
    await screenshot(session.page, 'facility-editing-03-meets-plan');

    // Another clerk saves first: this form's save is refused with the server's message, and closing it
    // shows what the other clerk stored.
    await session.page.getByTestId('facility-edit').click();
    await form.getByTestId('facility-area').fill('700');
    const theirs = await session.page.request.patch(`/api/facilities/${facilityId}`, {
      data: {
        kind: stored.kind,
        name: stored.name,
        buildingAreaM2: stored.buildingAreaM2,
        features: [...stored.features, 'dispatch'],
        projectId: stored.projectId,
        openedOn: stored.openedOn,
        version: stored.version,
      },
    });
    expect(theirs.status()).toBe(200);
    await session.page.getByTestId('facility-form-ok').click();
    await expect.poll(messages).toContain('该记录已被他人修改，已载入最新内容');
    // The form stays open with what this clerk typed.
    expect(await form.getByTestId('facility-area').isVisible()).toBe(true);
    expect(await form.getByTestId('facility-area').inputValue()).toBe('700');
    await form.getByRole('button', { name: /取\s*消/ }).click();
    await expect.poll(() => session.page.getByTestId('facility-info').textContent()).toContain('配送调度');
    expect(await session.page.getByTestId('facility-info-area').textContent()).toBe('620.5 平方米');
  });

  test('uploads and deletes a photo; a text file is refused', async () => {
    const photos = session.page.getByTestId('facility-photos');
    const input = photos.locator('input[type=file]');
    await input.setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('不是图片') });
    await expect.poll(messages).toContain('设施照片仅支持 JPEG、PNG 或 WebP 格式');
    expect(await photos.getByTestId('facility-photo').count()).toBe(0);

    await input.setInputFiles({
      name: '冷库外景.png',
      mimeType: 'image/png',
      buffer: solidPng(160, 120, [70, 130, 180]),
    });
    await expect.poll(() => photos.getByTestId('facility-photo').count()).toBe(1);
    await expect.poll(messages).toContain('已上传照片「冷库外景.png」');
    const image = photos.getByTestId('facility-photo').locator('img');
    await expect
      .poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth))
      .toBe(160);
    expect(await photos.locator('.ant-card-head').textContent()).toContain('设施照片（1）');
    await screenshot(session.page, 'facility-editing-04-photo');

    await photos.getByTestId('facility-photo-delete').click();
    await session.page.locator('.ant-popconfirm', { hasText: '删除照片「冷库外景.png」？' }).waitFor();
    await session.page.getByTestId('facility-photo-delete-confirm').click();
    await expect.poll(() => photos.getByTestId('facility-photo').count()).toBe(0);
    await expect.poll(messages).toContain('已删除照片「冷库外景.png」');
    expect(await photos.textContent()).toContain('还没有照片');
  });

  test('a city reviewer sees the facility and its check but no write buttons', async () => {
    const { page: cityPage, errors: cityErrors } = await newPage(session.browser, session.server.baseUrl);
    await loginThroughUi(cityPage, 'city.yuncheng', demoPassword);
    await cityPage.goto(`/projects/facilities/${facilityId}`);
    await cityPage.getByTestId('plan-check-detail-17').waitFor();
    expect(await cityPage.getByTestId('page-title').textContent()).toBe(NAME);
    for (const button of ['facility-edit', 'facility-delete', 'facility-photo-upload']) {
      expect(await cityPage.getByTestId(button).count()).toBe(0);
    }
    await cityPage.goto('/projects/facilities');
    await cityPage.getByTestId('facility-table').locator('tr', { hasText: NAME }).waitFor();
    expect(await cityPage.getByTestId('facility-create').count()).toBe(0);
    expect(await cityPage.getByTestId('facility-row-edit').count()).toBe(0);
    expect(await cityPage.getByTestId('facility-table').textContent()).not.toContain('操作');
    expect(cityErrors).toEqual([]);
    await cityPage.context().close();
  });

  test('deleting the facility names it, takes its photos and leaves #17 counting one fewer', async () => {
    const counted = await logisticsCenters();
    const photos = session.page.getByTestId('facility-photos');
    await photos.locator('input[type=file]').setInputFiles({
      name: '分拣区.png',
      mimeType: 'image/png',
      buffer: solidPng(120, 90, [200, 120, 40]),
    });
    await expect.poll(() => photos.getByTestId('facility-photo').count()).toBe(1);
    const photo = (await (await session.page.request.get(`/api/facilities/${facilityId}`)).json()) as {
      photos: { id: string }[];
    };
    const photoUrl = `/api/facilities/${facilityId}/photos/${photo.photos[0]?.id}`;
    expect((await session.page.request.get(photoUrl)).status()).toBe(200);

    await session.page.getByTestId('page-header').getByTestId('facility-delete').click();
    const confirm = session.page.locator('.ant-popconfirm', { hasText: `删除设施「${NAME}」？` });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('它的 1 张照片将一并删除');
    expect(await confirm.textContent()).toContain('不再计入指标17的核验');
    await screenshot(session.page, 'facility-editing-05-delete-confirm');
    await session.page.getByTestId('facility-delete-confirm').click();
    await session.page.waitForURL(/\/projects\/facilities$/);
    await expect.poll(messages).toContain(`已删除设施「${NAME}」`);
    await session.page
      .getByTestId('facility-table')
      .locator('tr', { hasText: '垣曲县电子商务物流仓储配送中心' })
      .waitFor();
    expect(await session.page.getByTestId('facility-table').textContent()).not.toContain(NAME);
    await screenshot(session.page, 'facility-editing-06-list-after-delete');

    // A showroom is checked against both bounds and its zones.
    await session.page
      .getByTestId('facility-table')
      .getByRole('link', { name: '垣曲优特产品展示体验中心' })
      .click();
    const showroom = session.page.getByTestId('plan-check-detail-16');
    await expect
      .poll(() => showroom.getByTestId('plan-outcome-area').textContent())
      .toBe('符合，高出下限 140 平方米，距上限 60 平方米');
    expect(await showroom.textContent()).toContain('100–300 平方米（含）');
    expect(await showroom.getByTestId('plan-outcome-features').textContent()).toBe(
      '符合，要求的功能分区齐全',
    );
    await showroom.getByTestId('etown-indicator-16').waitFor();
    await screenshot(session.page, 'facility-editing-07-showroom');

    expect((await session.page.request.get(`/api/facilities/${facilityId}`)).status()).toBe(404);
    expect((await session.page.request.get(photoUrl)).status()).toBe(404);
    expect(await logisticsCenters()).toBe(counted - 1);
    expect((await scorecard()).get(17)?.status).toBe('met');
    expect(session.pageErrors).toEqual([]);
  });
});
