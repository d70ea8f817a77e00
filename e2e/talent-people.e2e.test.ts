import { describe, expect, test } from 'vitest';
import { browserSession, chooseOption, demoPassword, loginThroughUi, screenshot } from './helpers.ts';

const ETOWN = '140827-E01';
const NAME = '黄河渔嫂（端到端）';
const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 4);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

type Indicator = { no: number; facts: Record<string, unknown> };

describe('an e-town operator registers a local influencer with evidence, and #13 counts her', () => {
  const session = browserSession();

  const influencers = async () => {
    const response = await session.page.request.get(`/api/etowns/${ETOWN}/scorecard?year=${year}`);
    const body = (await response.json()) as { indicators: Indicator[] };
    return body.indicators.find((indicator) => indicator.no === 13)?.facts.count as number;
  };

  test('registers the influencer, uploads a contract and sees it listed', async () => {
    const { page } = session;
    await loginThroughUi(page, 'etown.gaotao', demoPassword);
    const before = await influencers();
    await page.goto('/talent-people');
    const table = page.getByTestId('talent-people-table');
    await expect.poll(() => table.textContent()).toContain('历山茶姐（演示数据）');
    await page.getByTestId('talent-person-create').click();
    const form = page.getByTestId('talent-person-form');
    await chooseOption(page, form.getByTestId('talent-role'), '本地网红');
    await form.getByTestId('talent-name').fill(NAME);
    await form.getByTestId('talent-platform').locator('input').fill('快手');
    await form.getByTestId('talent-account').fill('huanghe-yusao');
    await form.getByTestId('talent-followers').fill('8800');
    await form.getByTestId('talent-sales').fill('45678.90');
    await form.getByTestId('talent-sales-month').fill(`${year}-02`);
    await page.getByTestId('talent-person-form-ok').click();
    const row = table.locator('tr', { hasText: NAME });
    await expect.poll(() => row.textContent()).toContain('销售额 45678.90 元');
    expect(await influencers()).toBe(before + 1);

    await row
      .locator('input[type=file]')
      .setInputFiles({ name: '带货合同.pdf', mimeType: 'application/pdf', buffer: PDF });
    await expect.poll(() => row.textContent()).toContain('带货合同.pdf');
    expect(session.pageErrors).toEqual([]);
    await screenshot(page, 'talent-people');
  });
});
