import { describe, expect, test } from 'vitest';
import { browserSession, loginThroughUi, screenshot } from './helpers.ts';

const newPassword = 'Gaotao-Mushroom-2026!';
const shanghaiYear = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(
  new Date(),
);

type EntityList = { items: { id: string; name: string }[]; total: number };

describe('the county invites an enterprise; the province sets a deadline', () => {
  const session = browserSession({ openPage: false });
  let invited: { id: string; name: string };
  let otherEntityId = '';
  let link = '';

  const fresh = async () => {
    await session.openPage();
  };
  const apiGet = <T>(path: string) =>
    session.page.evaluate(async (url) => (await fetch(url)).json(), `/api${path}`) as Promise<T>;

  test('the county operator invites from the entity page and gets a one-time link', async () => {
    await fresh();
    await loginThroughUi(session.page, 'county.yuanqu');
    // An entity of the demo ledger that has no account yet; the demo entity keeps enterprise.demo's.
    const list = await apiGet<EntityList>('/entities?pageSize=50');
    const [first, second] = list.items.filter((item) => !item.name.includes('演示食用菌'));
    invited = first as { id: string; name: string };
    otherEntityId = (second as { id: string }).id;
    await session.page.goto(`/entities/${invited.id}`);
    const card = session.page.getByTestId('enterprise-accounts-card');
    await card.waitFor();
    await expect.poll(() => card.textContent()).toContain('尚未邀请');

    await card.getByTestId('invite-enterprise').click();
    const modal = session.page.getByTestId('invite-modal');
    // A click while the modal is still zooming in can be lost: wait until its field is there and focused.
    await expect
      .poll(() => modal.getByTestId('invitee-name').evaluate((input) => input === document.activeElement))
      .toBe(true);
    await session.page.waitForTimeout(300);
    await modal.getByTestId('invite-create').click();
    await expect
      .poll(() => modal.locator('.ant-form-item-explain-error').allTextContents())
      .toEqual(['请填写被邀请人姓名']);
    await modal.getByTestId('invitee-name').fill('张丽');
    await modal.getByTestId('invite-create').click();
    const input = modal.getByTestId('invite-link');
    await input.waitFor();
    link = await input.inputValue();
    expect(link).toMatch(new RegExp(`^${session.server.baseUrl}/invite/[A-Za-z0-9_-]{43}$`));
    expect(await modal.textContent()).toContain('只显示这一次');
    await screenshot(session.page, 'invitation-01-link-shown-once');
    await modal.getByTestId('invite-done').click();
    await card.getByTestId('invitation-status-pending').waitFor();
    expect(await card.textContent()).toContain('张丽');
    await screenshot(session.page, 'invitation-02-entity-page-card');
    expect(session.pageErrors).toEqual([]);
  });

  test('the invitee opens the link in another browser, chooses a password and signs in', async () => {
    await fresh();
    await session.page.goto(link);
    await expect
      .poll(() => session.page.getByTestId('invitation-greeting').textContent())
      .toBe('张丽，您好！');
    expect(await session.page.getByTestId('invitation-entity').textContent()).toBe(invited.name);
    await session.page.getByTestId('accept-username').fill('zhang.li');
    await session.page.getByTestId('accept-password').fill('Zhang.li2026');
    await session.page.getByTestId('accept-confirm-password').fill('Zhang.li2026');
    await session.page.getByTestId('accept-submit').click();
    await expect
      .poll(() => session.page.locator('.ant-form-item-explain-error').allTextContents())
      .toContainEqual(expect.stringContaining('不能包含用户名'));
    await screenshot(session.page, 'invitation-03-public-page');

    await session.page.getByTestId('accept-password').fill(newPassword);
    await session.page.getByTestId('accept-confirm-password').fill(newPassword);
    await session.page.getByTestId('accept-submit').click();
    await session.page.waitForURL(/\/login$/);
    await expect
      .poll(() => session.page.getByTestId('login-success-notice').textContent())
      .toContain('账号 zhang.li 已开通');
    expect(await session.page.getByTestId('login-username').inputValue()).toBe('zhang.li');
    await screenshot(session.page, 'invitation-04-login-notice');

    await session.page.getByTestId('login-password').fill(newPassword);
    await session.page.getByTestId('login-submit').click();
    await session.page.getByTestId('app-header').waitFor();
    await session.page.goto('/entities');
    await expect.poll(() => session.page.getByTestId('entity-title').textContent()).toBe(invited.name);
    const own = await apiGet<EntityList>('/entities');
    expect(own.items.map((item) => item.id)).toEqual([invited.id]);
    await session.page.goto(`/entities/${otherEntityId}`);
    await session.page.getByTestId('not-found').waitFor();
    await screenshot(session.page, 'invitation-05-enterprise-sees-own-entity-only');

    // The link is spent.
    await session.page.goto(link);
    await expect
      .poll(() => session.page.getByTestId('invitation-unusable').textContent())
      .toContain('已使用过');
    await screenshot(session.page, 'invitation-06-link-spent');
    expect(session.pageErrors).toEqual([]);
  });

  test('the county sees the invitation accepted', async () => {
    await fresh();
    await loginThroughUi(session.page, 'county.yuanqu');
    await session.page.goto(`/entities/${invited.id}`);
    const card = session.page.getByTestId('enterprise-accounts-card');
    await card.getByTestId('invitation-status-accepted').waitFor();
    expect(await card.textContent()).toContain('账号 zhang.li（张丽）');
  });

  test('the province admin moves a month’s deadline and changes a rule on 统计设置', async () => {
    await fresh();
    await loginThroughUi(session.page, 'province.admin');
    await session.page.getByTestId('menu-stats/settings').click();
    await session.page.waitForURL(/\/stats\/settings/);
    const month = `${shanghaiYear}-03`;
    const row = session.page.getByTestId(`deadline-row-${month}`);
    await expect.poll(() => row.textContent()).toContain(`${shanghaiYear}年4月10日`);
    await screenshot(session.page, 'stats-settings-01-page');

    await row.getByTestId('deadline-edit').click();
    const modal = session.page.getByTestId('deadline-modal');
    const picker = modal.locator('input').first();
    await picker.click();
    await picker.fill(`${shanghaiYear}-04-20`);
    await picker.press('Enter');
    await screenshot(session.page, 'stats-settings-02-deadline-modal');
    await session.page.getByTestId('deadline-save').click();
    await expect.poll(() => row.textContent()).toContain(`${shanghaiYear}年4月20日`);
    expect(await row.textContent()).toContain('已调整');
    expect(await row.textContent()).toContain('省商务厅管理员');

    const rules = session.page.getByTestId('rules-card');
    expect(await rules.getByTestId('rules-last-change').textContent()).toContain('尚未修改');
    await rules.getByTestId('rule-required-orders').click();
    await rules
      .locator('[data-testid="rule-threshold-orders"] input, input[data-testid="rule-threshold-orders"]')
      .fill('40');
    await rules.getByTestId('rules-save').click();
    await session.page.getByTestId('rules-confirm').click();
    await expect
      .poll(() => rules.getByTestId('rules-last-change').textContent())
      .toContain('最近修改：省商务厅管理员');
    const saved = await apiGet<{ fields: { orders: { required: boolean; momThresholdPct: number } } }>(
      '/stats/rules',
    );
    expect(saved.fields.orders).toEqual({ required: true, momThresholdPct: 40 });
    await screenshot(session.page, 'stats-settings-03-saved');
    expect(session.pageErrors).toEqual([]);
  });
});
