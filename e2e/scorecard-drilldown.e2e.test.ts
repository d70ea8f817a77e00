import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { browserSession, loginThroughUi, repositoryRoot } from './helpers.ts';

// 皋陶乡村e镇 of 垣曲县, with the project's worked example ledger for 2024 (monthly rows for 2023 and 2024).
const etown = '140827-E01';
const year = 2024;
const ledgerFile = path.join(repositoryRoot, 'src', 'indicators', 'fixtures', 'gaotao-2024.ledger.json');
const shotFolder = '/tmp/shots';
// The smallest file the server recognises as a PDF by its content.
const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const evidenceName = '2024年月度产值统计表.pdf';

/** "126,384,207.65" or "100,000,000" → integer fen, so totals compare exactly. */
function fen(text: string): bigint {
  const [yuan = '0', cents = ''] = text.replaceAll(',', '').trim().split('.');
  return BigInt(yuan) * 100n + BigInt(cents.padEnd(2, '0').slice(0, 2));
}

/** A whole-drawer picture: the viewport grows to the drawer's content, then returns. */
async function drawerShot(page: Page, name: string) {
  await mkdir(shotFolder, { recursive: true });
  await page.waitForLoadState('networkidle').catch(() => undefined);
  const height = await page
    .locator('.ant-drawer-open .ant-drawer-body')
    .evaluate((body) => body.scrollHeight);
  await page.setViewportSize({ width: 1440, height: Math.min(Math.max(900, height + 120), 4000) });
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(shotFolder, `${name}.png`) });
  await page.setViewportSize({ width: 1440, height: 900 });
}

describe('drilling down from the 皋陶乡村e镇 scorecard to the ledger rows and evidence', () => {
  const session = browserSession({ fixtureLedger: { file: ledgerFile, etownCode: etown } });
  const ledgerRequests: string[] = [];
  const drilldownRequests: string[] = [];

  const openDrawer = async (testId: string, title: string) => {
    await session.page.getByTestId(testId).click();
    const drawer = session.page.locator('.ant-drawer-open [data-testid="drilldown-drawer"]');
    await drawer.waitFor();
    await expect
      .poll(() => session.page.locator('.ant-drawer-open .ant-drawer-title').textContent())
      .toBe(title);
    return drawer;
  };
  const closeDrawer = async () => {
    await session.page.locator('.ant-drawer-open .ant-drawer-close').click();
    await session.page.locator('.ant-drawer-open').waitFor({ state: 'detached' });
  };

  beforeAll(async () => {
    // The clerk's ledger: the worked example's registry, figures and documents for 2024 (test data).
    session.page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname === `/api/etowns/${etown}/ledger`) ledgerRequests.push(request.url());
      if (pathname.startsWith(`/api/etowns/${etown}/scorecard/indicators/`)) drilldownRequests.push(pathname);
    });
    await loginThroughUi(session.page, 'county.yuanqu');

    // One piece of evidence, through the API the upload pages use.
    const started = await session.page.request.post('/api/evaluations', { data: { etownCode: etown, year } });
    expect(started.status()).toBe(201);
    const evaluation = (await started.json()) as { id: string };
    const uploaded = await session.page.request.post(
      `/api/evaluations/${evaluation.id}/items/23/evidence?fileName=${encodeURIComponent(evidenceName)}`,
      { headers: { 'content-type': 'application/octet-stream' }, data: pdfBytes },
    );
    expect(uploaded.status()).toBe(201);
  });

  test('#23 shows the months of 2023 and 2024 and a yearly total equal to the scorecard figure', async () => {
    await session.page.goto(`/etowns/${etown}/scorecard?year=${year}`);
    await session.page.getByTestId('scorecard-table').waitFor();
    const rowText = (await session.page.getByTestId('scorecard-row-23').textContent()) ?? '';
    const figure = /2024年总产值 ([\d,]+(?:\.\d{1,2})?) 元/.exec(rowText)?.[1];
    expect(figure, rowText).toBeDefined();
    expect(ledgerRequests).toEqual([]);

    const drawer = await openDrawer('drill-23', '第23项 年总产值 · 明细');
    const monthly = drawer.getByTestId('drill-monthly-output');
    await monthly.waitFor();
    const months = monthly.locator('[data-testid^="drill-month-"]');
    expect(await months.count()).toBe(12);
    expect(await monthly.getByTestId('drill-month-1').textContent()).toContain('1月');
    expect(await monthly.getByTestId('drill-month-12').textContent()).toContain('12月');

    const total = (await monthly.getByTestId(`drill-year-total-${year}`).textContent()) ?? '';
    expect(fen(total)).toBe(fen(figure as string));
    // The total is the sum of the twelve months shown (the 2024 column), to the fen.
    const monthCells = await months.evaluateAll((rows) =>
      rows.map((row) => row.querySelectorAll('td')[2]?.textContent ?? ''),
    );
    expect(monthCells.reduce((sum, cell) => sum + fen(cell), 0n)).toBe(fen(total));
    expect(await monthly.getByTestId(`drill-year-total-${year - 1}`).textContent()).toMatch(
      /^[\d,]+\.\d{2}$/,
    );

    // The entities behind the figure: the ten largest first, all on request.
    const contributors = monthly.getByTestId('drill-contributors').locator('tr.ant-table-row');
    expect(await contributors.count()).toBe(10);
    expect(await contributors.first().textContent()).toContain('垣曲县皋陶食用菌产业发展有限公司');
    await monthly.getByTestId('drill-contributors-toggle').click();
    await expect.poll(() => contributors.count()).toBeGreaterThan(10);

    // The evidence uploaded for #23 in the 2024 self-evaluation, downloadable.
    const evidence = drawer.getByTestId('drill-evidence');
    await evidence.getByText(evidenceName).waitFor();
    expect(await evidence.getByTestId('drill-evaluation-link').getAttribute('href')).toMatch(
      /^\/evaluations\/[0-9a-f-]{36}$/,
    );
    const href = (await evidence.locator('a[href*="/evidence/"]').first().getAttribute('href')) ?? '';
    const download = await session.page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, type: response.headers.get('content-type') ?? '' };
    }, href);
    expect(download).toEqual({ status: 200, type: 'application/pdf' });
    await drawerShot(session.page, 'drilldown-23');
    await closeDrawer();
  });

  test('#4 lists the leading enterprises the engine counted, without downloading the ledger', async () => {
    const drawer = await openDrawer('drill-4', '第4项 电商龙头企业 · 明细');
    const section = drawer.getByTestId('drill-section-c0');
    await section.waitFor();
    const rows = section.locator('tr.ant-table-row');
    expect(await rows.count()).toBe(5);
    const text = (await section.textContent()) ?? '';
    expect(text).toContain('垣曲县皋陶食用菌产业发展有限公司');
    expect(text).toContain('垣曲县历山猴头菇种植专业合作社');
    expect(text).toContain('龙头企业');
    expect(text).toContain('共 5 家（要求不少于 5 家）');
    // The server said which rows it counted for #23 and #4; the browser never fetched the whole ledger.
    expect(ledgerRequests).toEqual([]);
    expect(drilldownRequests).toEqual([
      `/api/etowns/${etown}/scorecard/indicators/23`,
      `/api/etowns/${etown}/scorecard/indicators/4`,
    ]);
    await drawerShot(session.page, 'drilldown-04');
    await closeDrawer();

    // A row itself opens its drill-down too: #27 lists the 8 legal entities registered in 2024.
    await session.page.getByTestId('scorecard-row-27').locator('td').nth(2).click();
    await expect
      .poll(() => session.page.locator('.ant-drawer-open .ant-drawer-title').textContent())
      .toBe('第27项 新增法人单位 · 明细');
    const newEntities = session.page.locator('.ant-drawer-open [data-testid="drill-section-c0"]');
    await newEntities.waitFor();
    const registered = newEntities.locator('tr.ant-table-row');
    expect(await registered.count()).toBe(8);
    // The legal entities registered in other years are listed on request, each with why it is not counted.
    await newEntities.getByTestId('drill-excluded-toggle').click();
    const excluded = newEntities.getByTestId('drill-excluded-rows').locator('tr.ant-table-row');
    await excluded.first().waitFor();
    expect(await excluded.first().textContent()).toMatch(/早于2024年，不计入/);
    await closeDrawer();
    expect(session.pageErrors).toEqual([]);
  });

  test('the overview shows 垣曲县 and the per-indicator chart', async () => {
    await session.page.getByTestId('menu-overview').click();
    await session.page.getByTestId(`overview-etown-${etown}`).waitFor();
    expect(await session.page.getByTestId('overview-region').textContent()).toContain('垣曲县');
    await session.page.getByTestId('overview-chart').locator('canvas').waitFor();
    expect(await session.page.getByTestId('overview-chart').locator('canvas').count()).toBeGreaterThan(0);
    await mkdir(shotFolder, { recursive: true });
    await session.page.waitForTimeout(600);
    await session.page.screenshot({ path: path.join(shotFolder, 'overview.png'), fullPage: true });
    expect(session.pageErrors).toEqual([]);
  });

  test('an e-town operator sees the ledger rows but no evaluation evidence', async () => {
    await session.openPage();
    await loginThroughUi(session.page, 'etown.gaotao');
    await session.page.goto(`/etowns/${etown}/scorecard?year=${year}`);
    await session.page.getByTestId('scorecard-table').waitFor();
    const drawer = await openDrawer('drill-23', '第23项 年总产值 · 明细');
    await drawer.getByTestId('drill-monthly-output').waitFor();
    expect(await drawer.getByTestId('drill-evidence').count()).toBe(0);
    expect(session.pageErrors).toEqual([]);
  });
});
