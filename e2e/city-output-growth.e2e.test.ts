import { beforeAll, describe, expect, test } from 'vitest';
import { browserSession, loginThroughUi, screenshot } from './helpers.ts';

const ETOWN = '140827-E01';
// The demo's year (that of the last finished month, Shanghai time): it has figures for some of its months
// and the same months of the year before, but no city figure yet.
const shanghai = new Date(Date.now() + 8 * 3600_000);
const YEAR = new Date(Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), 0)).getUTCFullYear();

describe('市级增长率: the city enters its output growth and #23 on an e-town scorecard changes', () => {
  const session = browserSession();

  const status23 = async () => {
    await session.page.goto(`/etowns/${ETOWN}/scorecard?year=${YEAR}`);
    const row = session.page.locator('[data-testid="scorecard-table"] tr[data-row-key="23"]');
    await row.waitFor();
    return row;
  };

  beforeAll(async () => {
    await loginThroughUi(session.page, 'city.yuncheng');
  }, 240_000);

  test('#23 waits for the city figure, then is judged against it plus 2 points', async () => {
    const before = await status23();
    await expect.poll(() => before.getByTestId('indicator-status-pending').count()).toBe(1);

    await session.page.goto('/stats/city-output-growth');
    await session.page.getByTestId('growth-table').waitFor();
    await expect.poll(() => session.page.getByTestId('growth-table').textContent()).toContain('尚未录入');
    await session.page.getByTestId('growth-add').click();
    await session.page.getByTestId('growth-year').fill(String(YEAR));
    await session.page.getByTestId('growth-pct').fill('6.5');
    await session.page.getByTestId('growth-source').fill(`运城市${YEAR}年国民经济和社会发展统计公报`);
    await session.page.getByTestId('growth-modal-ok').click();
    await expect.poll(() => session.page.getByTestId('growth-table').textContent()).toContain('6.5%');
    expect(await session.page.getByTestId('growth-table').textContent()).toContain('统计公报');
    await screenshot(session.page, 'city-output-growth');

    const after = await status23();
    await expect.poll(() => after.getByTestId('indicator-status-met').count()).toBe(1);
    expect(await after.textContent()).toContain('所在市平均增长率 6.5% 加 2 个百分点');
    await screenshot(session.page, 'scorecard-after-city-growth');
    expect(session.pageErrors).toEqual([]);
  });
});
