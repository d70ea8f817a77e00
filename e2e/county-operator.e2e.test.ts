import { describe, expect, test } from 'vitest';
import { browserSession, demoPassword, loginThroughUi, screenshot } from './helpers.ts';

// 垣曲县 (140827) is county.yuanqu's scope; 绛县 (140826) is the other seeded county of 运城市.
const ownEtown = '140827-E01';
const otherCountyEtown = '140826-E01';

describe('county operator of 垣曲县', () => {
  const session = browserSession();

  test('a wrong password is refused with a clear message', async () => {
    // The address a clerk types, the bare host, leads to the login page.
    await session.page.goto('/');
    await session.page.getByTestId('login-username').waitFor();
    await session.page.getByTestId('login-username').fill('county.yuanqu');
    await session.page.getByTestId('login-password').fill('not-the-password');
    await session.page.getByTestId('login-submit').click();
    await expect
      .poll(() => session.page.getByTestId('login-error').textContent())
      .toContain('用户名或密码错误');
    await screenshot(session.page, 'county-01-login-error');
  });

  test('signs in and sees only 垣曲县 and its e-town in the region tree', async () => {
    await loginThroughUi(session.page, 'county.yuanqu', demoPassword);
    await expect.poll(() => session.page.getByTestId('user-scope').textContent()).toBe('垣曲县');
    expect(await session.page.getByTestId('demo-tag').isVisible()).toBe(true);

    const tree = session.page.getByTestId('region-tree');
    await tree.getByTestId(`tree-node-${ownEtown}`).waitFor();
    expect(await tree.getByTestId('tree-node-140827').textContent()).toContain('垣曲县');
    expect(await tree.getByTestId(`tree-node-${ownEtown}`).textContent()).toContain('皋陶乡村e镇');
    const treeText = (await tree.textContent()) ?? '';
    expect(treeText).not.toContain('绛县');
    expect(await tree.getByTestId('tree-node-140826').count()).toBe(0);
    await session.page.getByTestId('region-detail').waitFor();
    expect(await session.page.getByTestId('region-name').textContent()).toBe('垣曲县');
    await screenshot(session.page, 'county-02-region-tree');
  });

  test('opens the 皋陶乡村e镇 profile from the tree', async () => {
    await session.page.getByTestId(`tree-node-${ownEtown}`).click();
    await session.page.getByTestId('open-etown-profile').click();
    await session.page.waitForURL(new RegExp(`/etowns/${ownEtown}`));
    await session.page.getByTestId('etown-four-bounds').waitFor();
    expect(await session.page.getByTestId('etown-name').textContent()).toBe('皋陶乡村e镇');
    expect(await session.page.getByTestId('boundary-east').textContent()).toBe('鲁家坡');
    expect(await session.page.getByTestId('etown-four-bounds').textContent()).toContain('东至鲁家坡');
    expect(await session.page.getByTestId('boundary-shape').count()).toBe(1);
    expect(await session.page.getByTestId('phase-steps').textContent()).toContain('总结验收阶段');
    await screenshot(session.page, 'county-03-etown-profile');
  });

  test('the leading group lists 马巍 as 组长', async () => {
    await session.page.getByTestId('menu-leading-groups').click();
    await session.page.getByTestId('group-link').first().click();
    await session.page.getByTestId('members-table').waitFor();
    const headRow = session.page.getByTestId('member-row-head').first();
    expect(await headRow.textContent()).toContain('马巍');
    expect(await headRow.textContent()).toContain('组长');
    await screenshot(session.page, 'county-04-leading-group');
  });

  test("the other county's e-town does not exist for this user", async () => {
    await session.page.goto(`/etowns/${otherCountyEtown}`);
    await session.page.getByTestId('not-found').waitFor();
    expect(await session.page.getByTestId('not-found').textContent()).toContain('e镇不存在');
    await session.page.goto('/regions/140826');
    await session.page.getByTestId('not-found').waitFor();
    await screenshot(session.page, 'county-05-other-county-not-found');
  });

  test('a session that ended on the server sends the clerk back to the login page', async () => {
    await session.page.goto('/etowns');
    await session.page.getByTestId(`etown-link-${ownEtown}`).waitFor();
    await session.page.context().clearCookies();
    await session.page.getByTestId('menu-regions').click();
    await session.page.getByTestId('session-timeout').waitFor();
    expect(await session.page.getByTestId('session-timeout').textContent()).toContain('登录已超时');
    expect(new URL(session.page.url()).pathname).toBe('/login');
    expect(session.pageErrors).toEqual([]);
  });
});
