import { describe, expect, test } from 'vitest';
import { creditCodeCheckCharacter } from '../src/lib/credit-code.ts';
import { browserSession, chooseOption, demoPassword, loginThroughUi, screenshot } from './helpers.ts';

const first17 = '91140827MA0E2E001';
const validCode = `${first17}${creditCodeCheckCharacter(first17)}`;
const wrongCheck = creditCodeCheckCharacter(first17) === '0' ? '1' : '0';

describe('county operator registers a market entity', () => {
  const session = browserSession();

  test('sees the registry of 垣曲县 with the demo entity', async () => {
    await loginThroughUi(session.page, 'county.yuanqu', demoPassword);
    await session.page.goto('/entities');
    const table = session.page.getByTestId('entity-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    // The demo ledger registers a score of entities; the clerk searches for the one she wants.
    await session.page
      .locator('[data-testid="entity-search"] input, input[data-testid="entity-search"]')
      .fill('演示食用菌');
    await session.page.keyboard.press('Enter');
    await table.getByText('垣曲县演示食用菌电商有限公司', { exact: false }).waitFor();
    expect(await session.page.getByTestId('page-title').textContent()).toBe('市场主体');
    await screenshot(session.page, 'entities-01-list');
  });

  test('is refused a credit code with a wrong check character, then registers the entity with a tag', async () => {
    await session.page.getByTestId('entity-create').click();
    const drawer = session.page.getByTestId('entity-form-drawer');
    await drawer.getByTestId('entity-credit-code').fill(`${first17}${wrongCheck}`);
    await drawer.getByTestId('entity-name').fill('垣曲县皋陶香菇电商有限公司');
    await drawer.getByTestId('entity-phone').fill('13812341234');
    await chooseOption(session.page, drawer.getByTestId('entity-tags'), '电商企业');
    await drawer.getByTestId('entity-tag-reason').fill('在拼多多、抖音开设网店');
    await session.page.getByTestId('entity-form-save').click();
    // The server names the check character the code should have, on the field itself.
    await expect
      .poll(() => drawer.locator('.ant-form-item-explain-error').allTextContents())
      .toContainEqual(expect.stringContaining(`第 18 位应为“${creditCodeCheckCharacter(first17)}”`));
    await screenshot(session.page, 'entities-02-check-digit-refused');

    await drawer.getByTestId('entity-credit-code').fill(validCode);
    await session.page.getByTestId('entity-form-save').click();
    await session.page.waitForURL(/\/entities\/[0-9a-f-]{36}/);
    await expect
      .poll(() => session.page.getByTestId('entity-title').textContent())
      .toBe('垣曲县皋陶香菇电商有限公司');
    expect(await session.page.getByTestId('contact-phone').textContent()).toBe('138****1234');
    expect(await session.page.getByTestId('current-tag-ecommerce').textContent()).toContain(
      '在拼多多、抖音开设网店',
    );
    expect(await session.page.getByTestId('tag-history').textContent()).toContain('认定“电商企业”');
    expect(await session.page.getByTestId('credit-formula').textContent()).toContain('100 + 0 = 100');
    await screenshot(session.page, 'entities-03-detail');

    await session.page.getByTestId('reveal-phone').click();
    await expect.poll(() => session.page.getByTestId('contact-phone').textContent()).toBe('13812341234');
  });

  test('finds the new entity in the list by its tag', async () => {
    await session.page.goto('/entities');
    await chooseOption(session.page, session.page.getByTestId('entity-filter-tag'), '电商企业');
    await session.page
      .locator('[data-testid="entity-search"] input, input[data-testid="entity-search"]')
      .fill('香菇');
    await session.page.keyboard.press('Enter');
    const table = session.page.getByTestId('entity-table');
    await table.getByTestId(`entity-link-${validCode}`).waitFor();
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(1);
    await screenshot(session.page, 'entities-04-filtered-by-tag');
    expect(session.pageErrors).toEqual([]);
  });
});
