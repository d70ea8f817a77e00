import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  demoPassword,
  launchBrowser,
  loginThroughUi,
  newPage,
  type RunningServer,
  screenshot,
  startServer,
} from './helpers.ts';

// 垣曲县 (140827) is county.yuanqu's scope; 绛县 (140826) is the other seeded county of 运城市.
const ownEtown = '140827-E01';
const otherCountyEtown = '140826-E01';

describe('county operator of 垣曲县', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    ({ page, errors: pageErrors } = await newPage(browser, server.baseUrl));
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

  test('a wrong password is refused with a clear message', async () => {
    // The address a clerk types, the bare host, leads to the login page.
    await page.goto('/');
    await page.getByTestId('login-username').waitFor();
    await page.getByTestId('login-username').fill('county.yuanqu');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码错误');
    await screenshot(page, 'county-01-login-error');
  });

  test('signs in and sees only 垣曲县 and its e-town in the region tree', async () => {
    await loginThroughUi(page, 'county.yuanqu', demoPassword);
    await expect.poll(() => page.getByTestId('user-scope').textContent()).toBe('垣曲县');
    expect(await page.getByTestId('demo-tag').isVisible()).toBe(true);

    const tree = page.getByTestId('region-tree');
    await tree.getByTestId(`tree-node-${ownEtown}`).waitFor();
    expect(await tree.getByTestId('tree-node-140827').textContent()).toContain('垣曲县');
    expect(await tree.getByTestId(`tree-node-${ownEtown}`).textContent()).toContain('皋陶乡村e镇');
    const treeText = (await tree.textContent()) ?? '';
    expect(treeText).not.toContain('绛县');
    expect(await tree.getByTestId('tree-node-140826').count()).toBe(0);
    await page.getByTestId('region-detail').waitFor();
    expect(await page.getByTestId('region-name').textContent()).toBe('垣曲县');
    await screenshot(page, 'county-02-region-tree');
  });

  test('opens the 皋陶乡村e镇 profile from the tree', async () => {
    await page.getByTestId(`tree-node-${ownEtown}`).click();
    await page.getByTestId('open-etown-profile').click();
    await page.waitForURL(new RegExp(`/etowns/${ownEtown}`));
    await page.getByTestId('etown-four-bounds').waitFor();
    expect(await page.getByTestId('etown-name').textContent()).toBe('皋陶乡村e镇');
    expect(await page.getByTestId('boundary-east').textContent()).toBe('鲁家坡');
    expect(await page.getByTestId('etown-four-bounds').textContent()).toContain('东至鲁家坡');
    expect(await page.getByTestId('boundary-shape').count()).toBe(1);
    expect(await page.getByTestId('phase-steps').textContent()).toContain('总结验收阶段');
    await screenshot(page, 'county-03-etown-profile');
  });

  test('the leading group lists 马巍 as 组长', async () => {
    await page.getByTestId('menu-leading-groups').click();
    await page.getByTestId('group-link').first().click();
    await page.getByTestId('members-table').waitFor();
    const headRow = page.getByTestId('member-row-head').first();
    expect(await headRow.textContent()).toContain('马巍');
    expect(await headRow.textContent()).toContain('组长');
    await screenshot(page, 'county-04-leading-group');
  });

  test("the other county's e-town does not exist for this user", async () => {
    await page.goto(`/etowns/${otherCountyEtown}`);
    await page.getByTestId('not-found').waitFor();
    expect(await page.getByTestId('not-found').textContent()).toContain('e镇不存在');
    await page.goto('/regions/140826');
    await page.getByTestId('not-found').waitFor();
    await screenshot(page, 'county-05-other-county-not-found');
  });

  test('a session that ended on the server sends the clerk back to the login page', async () => {
    await page.goto('/etowns');
    await page.getByTestId(`etown-link-${ownEtown}`).waitFor();
    await page.context().clearCookies();
    await page.getByTestId('menu-regions').click();
    await page.getByTestId('session-timeout').waitFor();
    expect(await page.getByTestId('session-timeout').textContent()).toContain('登录已超时');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(pageErrors).toEqual([]);
  });
});
