import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  launchBrowser,
  loginThroughUi,
  newPage,
  type RunningServer,
  screenshot,
  startServer,
} from './helpers.ts';

const newPassword = 'Gaotao-Mushroom-2026!';
const shanghaiYear = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(
  new Date(),
);

type EntityList = { items: { id: string; name: string }[]; total: number };

describe('the county invites an enterprise; the province sets a deadline', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let invited: { id: string; name: string };
  let otherEntityId = '';
  let link = '';

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  beforeEach(({ onTestFailed, task }) => {
    onTestFailed(async () => {
      if (page && !page.isClosed()) await screenshot(page, `failed-${task.name.slice(0, 40)}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const fresh = async () => {
    if (page) await page.context().close();
    ({ page, errors: pageErrors } = await newPage(browser, server.baseUrl));
  };
  const apiGet = <T>(path: string) =>
    page.evaluate(async (url) => (await fetch(url)).json(), `/api${path}`) as Promise<T>;

  test('the county operator invites from the entity page and gets a one-time link', async () => {
    await fresh();
    await loginThroughUi(page, 'county.yuanqu');
    // An entity of the demo ledger that has no account yet; the demo entity keeps enterprise.demo's.
    const list = await apiGet<EntityList>('/entities?pageSize=50');
    const [first, second] = list.items.filter((item) => !item.name.includes('演示食用菌'));
    invited = first as { id: string; name: string };
    otherEntityId = (second as { id: string }).id;
    await page.goto(`/entities/${invited.id}`);
    const card = page.getByTestId('enterprise-accounts-card');
    await card.waitFor();
    await expect.poll(() => card.textContent()).toContain('尚未邀请');

    await card.getByTestId('invite-enterprise').click();
    const modal = page.getByTestId('invite-modal');
    // A click while the modal is still zooming in can be lost: wait until its field is there and focused.
    await expect
      .poll(() => modal.getByTestId('invitee-name').evaluate((input) => input === document.activeElement))
      .toBe(true);
    await page.waitForTimeout(300);
    await modal.getByTestId('invite-create').click();
    await expect
      .poll(() => modal.locator('.ant-form-item-explain-error').allTextContents())
      .toEqual(['请填写被邀请人姓名']);
    await modal.getByTestId('invitee-name').fill('张丽');
    await modal.getByTestId('invite-create').click();
    const input = modal.getByTestId('invite-link');
    await input.waitFor();
    link = await input.inputValue();
    expect(link).toMatch(new RegExp(`^${server.baseUrl}/invite/[A-Za-z0-9_-]{43}$`));
    expect(await modal.textContent()).toContain('只显示这一次');
    await screenshot(page, 'invitation-01-link-shown-once');
    await modal.getByTestId('invite-done').click();
    await card.getByTestId('invitation-status-pending').waitFor();
    expect(await card.textContent()).toContain('张丽');
    await screenshot(page, 'invitation-02-entity-page-card');
    expect(pageErrors).toEqual([]);
  });

  test('the invitee opens the link in another browser, chooses a password and signs in', async () => {
    await fresh();
    await page.goto(link);
    await expect.poll(() => page.getByTestId('invitation-greeting').textContent()).toBe('张丽，您好！');
    expect(await page.getByTestId('invitation-entity').textContent()).toBe(invited.name);
    await page.getByTestId('accept-username').fill('zhang.li');
    await page.getByTestId('accept-password').fill('Zhang.li2026');
    await page.getByTestId('accept-confirm-password').fill('Zhang.li2026');
    await page.getByTestId('accept-submit').click();
    await expect
      .poll(() => page.locator('.ant-form-item-explain-error').allTextContents())
      .toContainEqual(expect.stringContaining('不能包含用户名'));
    await screenshot(page, 'invitation-03-public-page');

    await page.getByTestId('accept-password').fill(newPassword);
    await page.getByTestId('accept-confirm-password').fill(newPassword);
    await page.getByTestId('accept-submit').click();
    await page.waitForURL(/\/login$/);
    await expect
      .poll(() => page.getByTestId('login-success-notice').textContent())
      .toContain('账号 zhang.li 已开通');
    expect(await page.getByTestId('login-username').inputValue()).toBe('zhang.li');
    await screenshot(page, 'invitation-04-login-notice');

    await page.getByTestId('login-password').fill(newPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-header').waitFor();
    await page.goto('/entities');
    await expect.poll(() => page.getByTestId('entity-title').textContent()).toBe(invited.name);
    const own = await apiGet<EntityList>('/entities');
    expect(own.items.map((item) => item.id)).toEqual([invited.id]);
    await page.goto(`/entities/${otherEntityId}`);
    await page.getByTestId('not-found').waitFor();
    await screenshot(page, 'invitation-05-enterprise-sees-own-entity-only');

    // The link is spent.
    await page.goto(link);
    await expect.poll(() => page.getByTestId('invitation-unusable').textContent()).toContain('已使用过');
    await screenshot(page, 'invitation-06-link-spent');
    expect(pageErrors).toEqual([]);
  });

  test('the county sees the invitation accepted', async () => {
    await fresh();
    await loginThroughUi(page, 'county.yuanqu');
    await page.goto(`/entities/${invited.id}`);
    const card = page.getByTestId('enterprise-accounts-card');
    await card.getByTestId('invitation-status-accepted').waitFor();
    expect(await card.textContent()).toContain('账号 zhang.li（张丽）');
  });

  test('the province admin moves a month’s deadline and changes a rule on 统计设置', async () => {
    await fresh();
    await loginThroughUi(page, 'province.admin');
    await page.getByTestId('menu-stats/settings').click();
    await page.waitForURL(/\/stats\/settings/);
    const month = `${shanghaiYear}-03`;
    const row = page.getByTestId(`deadline-row-${month}`);
    await expect.poll(() => row.textContent()).toContain(`${shanghaiYear}年4月10日`);
    await screenshot(page, 'stats-settings-01-page');

    await row.getByTestId('deadline-edit').click();
    const modal = page.getByTestId('deadline-modal');
    const picker = modal.locator('input').first();
    await picker.click();
    await picker.fill(`${shanghaiYear}-04-20`);
    await picker.press('Enter');
    await screenshot(page, 'stats-settings-02-deadline-modal');
    await page.getByTestId('deadline-save').click();
    await expect.poll(() => row.textContent()).toContain(`${shanghaiYear}年4月20日`);
    expect(await row.textContent()).toContain('已调整');
    expect(await row.textContent()).toContain('省商务厅管理员');

    const rules = page.getByTestId('rules-card');
    expect(await rules.getByTestId('rules-last-change').textContent()).toContain('尚未修改');
    await rules.getByTestId('rule-required-orders').click();
    await rules
      .locator('[data-testid="rule-threshold-orders"] input, input[data-testid="rule-threshold-orders"]')
      .fill('40');
    await rules.getByTestId('rules-save').click();
    await page.getByTestId('rules-confirm').click();
    await expect
      .poll(() => rules.getByTestId('rules-last-change').textContent())
      .toContain('最近修改：省商务厅管理员');
    const saved = await apiGet<{ fields: { orders: { required: boolean; momThresholdPct: number } } }>(
      '/stats/rules',
    );
    expect(saved.fields.orders).toEqual({ required: true, momThresholdPct: 40 });
    await screenshot(page, 'stats-settings-03-saved');
    expect(pageErrors).toEqual([]);
  });
});
