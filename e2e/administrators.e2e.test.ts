import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { browserSession, chooseOption, demoPassword, screenshot } from './helpers.ts';

// The server accepts each 30-second step once (no replay), so each use of a secret takes the next step.
const totpUses = new Map<string, number>();
const totpCode = (secret: string) => {
  const uses = totpUses.get(secret) ?? 0;
  totpUses.set(secret, uses + 1);
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: Date.now() + uses * 30_000,
  });
};

/** First sign-in of an admin role: password, then the forced TOTP enrolment; returns the TOTP secret. */
async function signInAndEnrol(page: Page, username: string, shot?: string): Promise<string> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(demoPassword);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('totp-enrollment').waitFor();
  await page.getByTestId('totp-qr').waitFor();
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  if (shot) await screenshot(page, shot);
  await page.getByTestId('totp-code').fill(totpCode(secret));
  await page.getByTestId('totp-enable').click();
  await page.getByTestId('app-header').waitFor();
  return secret;
}

async function signInAsProvinceAdmin(page: Page) {
  await page.goto('/login');
  await page.getByTestId('login-username').fill('province.admin');
  await page.getByTestId('login-password').fill(demoPassword);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('region-tree').waitFor();
}

describe('三员分立 administrators and the province admin', () => {
  const session = browserSession({ openPage: false });
  let temporaryPassword = '';
  // Every test works in a fresh browser; the uncaught errors of all their pages are checked at the end.
  const pageErrors: string[] = [];

  async function freshPage(): Promise<Page> {
    const page = await session.openPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  test('system admin binds TOTP, sets the login notice, and signs in again with a code', async () => {
    const page = await freshPage();
    const secret = await signInAndEnrol(page, 'system.admin', 'admin-01-totp-enrolment');
    await page.waitForURL(/\/settings$/);
    expect(await page.getByTestId('side-menu').textContent()).toBe('系统设置');
    await page.getByTestId('system-info').getByText('PGlite 嵌入式数据库').waitFor();
    await page.getByTestId('settings-login-notice').fill('本平台将于周六 22:00 至 24:00 停机维护。');
    await page.getByTestId('settings-save').click();
    await page.getByText('系统设置已保存').waitFor();
    await screenshot(page, 'admin-02-settings');

    await page.getByTestId('logout').click();
    await page.getByTestId('login-notice').waitFor();
    expect(await page.getByTestId('login-notice').textContent()).toContain('停机维护');
    await page.getByTestId('login-username').fill('system.admin');
    await page.getByTestId('login-password').fill(demoPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-totp').waitFor();
    await screenshot(page, 'admin-03-login-totp');
    await page.getByTestId('login-totp').fill(totpCode(secret));
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/settings$/);
    await page.context().close();
  });

  test('security admin creates a county operator and sees the temporary password once', async () => {
    const page = await freshPage();
    await signInAndEnrol(page, 'security.admin');
    await page.waitForURL(/\/users$/);
    await page.getByTestId('users-table').getByText('county.yuanqu', { exact: true }).waitFor();
    await page.getByTestId('create-user').click();
    const modal = page.getByTestId('user-form-modal');
    await modal.getByTestId('user-username').fill('county.wenxi');
    await modal.getByTestId('user-display-name-input').fill('闻喜县操作员');
    await chooseOption(page, modal.getByTestId('user-role-select'), '县级操作员');
    await chooseOption(page, modal.getByTestId('user-scope-select'), '闻喜县', {
      option: '.ant-select-tree-node-content-wrapper',
      search: '闻喜',
    });
    await screenshot(page, 'admin-04-create-user');
    await page.getByTestId('user-form-submit').click();
    await page.getByTestId('temporary-password').waitFor();
    temporaryPassword = ((await page.getByTestId('temporary-password').textContent()) ?? '').trim();
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(8);
    await screenshot(page, 'admin-05-temporary-password');
    await page.getByRole('button', { name: '我已记下' }).click();
    await page.getByTestId('users-table').getByText('county.wenxi').waitFor();
    await screenshot(page, 'admin-06-users');
    await page.context().close();
  });

  test('the new user must change the temporary password before working', async () => {
    const page = await freshPage();
    await page.goto('/login');
    await page.getByTestId('login-username').fill('county.wenxi');
    await page.getByTestId('login-password').fill(temporaryPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('change-password').waitFor();
    await page.getByTestId('current-password').fill(temporaryPassword);
    await page.getByTestId('new-password').fill('county.wenxi-2026');
    await page.getByTestId('confirm-password').fill('county.wenxi-2026');
    await page.getByTestId('change-password-submit').click();
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '不能包含用户名' }).waitFor();
    await page.getByTestId('new-password').fill('Wenxi#2026county');
    await page.getByTestId('confirm-password').fill('Wenxi#2026county');
    await screenshot(page, 'admin-06b-change-password');
    await page.getByTestId('change-password-submit').click();
    await page.getByTestId('region-tree').getByTestId('tree-node-140823').waitFor();
    expect(await page.getByTestId('user-scope').textContent()).toBe('闻喜县');
    await page.context().close();
  });

  test('auditor filters the log, expands a record and verifies the hash chain', async () => {
    const page = await freshPage();
    await signInAndEnrol(page, 'auditor');
    await page.waitForURL(/\/audit$/);
    const settingsRow = page
      .getByTestId('audit-table')
      .locator('tr')
      .filter({ hasText: '修改系统设置' })
      .first();
    await settingsRow.waitFor();
    await settingsRow.locator('.ant-table-row-expand-icon').click();
    await page.getByTestId('audit-diff').getByText('loginNotice').waitFor();
    await page.getByTestId('verify-chain').click();
    await page.getByTestId('verify-result').waitFor();
    expect(await page.getByTestId('verify-result').textContent()).toContain('哈希链完整');
    await screenshot(page, 'admin-07-audit');
    await page.context().close();
  });

  test('province admin re-tiers a county and edits an e-town profile', async () => {
    const page = await freshPage();
    await signInAsProvinceAdmin(page);
    await page.goto('/regions/140826?region=140826');
    await page.getByTestId('region-detail').waitFor();
    expect(await page.getByTestId('region-name').textContent()).toBe('绛县');
    await page.getByTestId('change-tier').click();
    await chooseOption(page, page.getByTestId('tier-select'), '先行示范县');
    await page.getByPlaceholder('如：依据省商务厅文件调整').fill('依据省商务厅 2026 年度评估结果调整');
    await page.getByTestId('tier-save').click();
    await page.getByTestId('tier-history').getByText('依据省商务厅 2026 年度评估结果调整').waitFor();
    await screenshot(page, 'province-01-county-tier');

    await page.goto('/etowns/140827-E01');
    await page.getByTestId('etown-edit').click();
    const east = page.getByTestId('etown-edit-east');
    await east.fill('鲁家坡村东侧');
    await page.getByTestId('etown-edit-save').click();
    await page.getByText('e镇档案已保存').waitFor();
    expect(await page.getByTestId('boundary-east').textContent()).toBe('鲁家坡村东侧');

    await page.getByTestId('boundary-draw').click();
    const map = page.getByTestId('boundary-map').locator('svg');
    const box = await map.boundingBox();
    if (!box) throw new Error('map not visible');
    const corners: [number, number][] = [
      [0.3, 0.25],
      [0.7, 0.25],
      [0.75, 0.75],
      [0.25, 0.7],
    ];
    for (const [dx, dy] of corners) {
      await map.click({ position: { x: box.width * dx, y: box.height * dy } });
    }
    expect(await page.getByTestId('draw-toolbar').textContent()).toContain('已点 4 个');
    expect(await page.getByTestId('pending-area').textContent()).toMatch(/平方公里/);
    await screenshot(page, 'province-02-draw-boundary');
    await page.getByTestId('draw-save').click();
    await page.getByText('边界已保存').waitFor();
    await page.goto('/etowns');
    await page.getByTestId('etown-table').getByText('皋陶乡村e镇').waitFor();
    await screenshot(page, 'province-03-etown-list');
    await page.context().close();
  });

  test('province admin creates an e-town and uploads its boundary file', async () => {
    const page = await freshPage();
    await signInAsProvinceAdmin(page);
    await page.goto('/regions/140823?region=140823');
    await page.getByTestId('create-etown').click();
    await page.getByTestId('create-etown-name').fill('闻喜花馍乡村e镇');
    await page
      .getByTestId('create-etown-modal')
      .getByRole('button', { name: /新\s*建/ })
      .click();
    await page.waitForURL(/\/etowns\/140823-E01/);
    await page.getByTestId('boundary-card').getByText('尚未上传边界').waitFor();
    const feature = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: '闻喜花馍乡村e镇' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [111.21, 35.35],
                [111.225, 35.35],
                [111.225, 35.36],
                [111.21, 35.36],
              ],
            ],
          },
        },
      ],
    };
    await page
      .getByTestId('boundary-card')
      .locator('input[type=file]')
      .setInputFiles({
        name: 'wenxi.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from(JSON.stringify(feature)),
      });
    await page.getByText('部分环未闭合，已自动补上首点').waitFor();
    expect(await page.getByTestId('pending-area').textContent()).toContain('1.5');
    await screenshot(page, 'province-04-upload-boundary');
    await page.getByRole('button', { name: '保存边界' }).click();
    await page.getByText('边界已保存').waitFor();
    expect(await page.getByTestId('computed-area').textContent()).toContain('1.5');
    await page.context().close();
  });

  test('province admin replaces the 组长 and sees who replaced whom', async () => {
    const page = await freshPage();
    await signInAsProvinceAdmin(page);
    await page.goto('/leading-groups?region=140827');
    await page.getByTestId('group-link').first().click();
    const headRow = page.getByTestId('member-row-head').first();
    await headRow.getByText('马巍').waitFor();
    await headRow.getByRole('button', { name: /更\s*换/ }).click();
    await page.getByTestId('replace-person').fill('张新');
    await page.getByTestId('replace-member-modal').getByRole('button', { name: '确认更换' }).click();
    await page.getByText('成员已更换').waitFor();
    expect(await page.getByTestId('member-row-head').first().textContent()).toContain('接替 马巍');
    await page.getByTestId('member-history-toggle').click();
    await page.getByTestId('members-table').getByText('由 张新 接替').waitFor();
    await screenshot(page, 'province-05-member-history');
    await page.context().close();
    expect(pageErrors).toEqual([]);
  });
});
