import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { browserSession, loginThroughUi, screenshot } from './helpers.ts';

const etown = '140827-E01';

describe('ledger files in the web app (county operator of 垣曲县)', () => {
  const session = browserSession();
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'ezhen-ledger-e2e-'));
    await loginThroughUi(session.page, 'county.yuanqu');
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const chooseAndImport = async (file: string) => {
    await session.page.locator('input[type=file][accept=".xlsx,.json"]').setInputFiles(file);
    await session.page.getByTestId('ledger-start').click();
    await session.page.getByTestId('ledger-confirm').click();
  };

  test('exports the e-town ledger as XLSX from its profile', async () => {
    await session.page.goto(`/etowns/${etown}`);
    await session.page.getByTestId('etown-ledger').click();
    await session.page.getByTestId('ledger-export').waitFor();
    await session.page
      .locator('input[data-testid="ledger-year"], [data-testid="ledger-year"] input')
      .fill('2025');
    const [download] = await Promise.all([
      session.page.waitForEvent('download'),
      session.page.getByTestId('ledger-export-xlsx').click(),
    ]);
    expect(download.suggestedFilename()).toBe('台账-皋陶乡村e镇-2025.xlsx');
    await download.saveAs(path.join(folder, 'exported.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(path.join(folder, 'exported.xlsx'))) as unknown as ArrayBuffer);
    expect(workbook.getWorksheet('市场主体')?.rowCount).toBeGreaterThan(1);
    await screenshot(session.page, 'ledger-01-page');
  });

  test('a file with a bad cell is refused with its place and an error receipt; nothing changes', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(path.join(folder, 'exported.xlsx'))) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('市场主体');
    if (!sheet) throw new Error('no 市场主体 sheet');
    sheet.getCell('C2').value = '也许';
    const broken = path.join(folder, '改错的台账.xlsx');
    await writeFile(broken, Buffer.from(await workbook.xlsx.writeBuffer()));

    await chooseAndImport(broken);
    await session.page.getByTestId('import-failed').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => session.page.getByTestId('import-problems').textContent())
      .toContain('市场主体 第 2 行 C 列');
    const [receipt] = await Promise.all([
      session.page.waitForEvent('download'),
      session.page.getByTestId('download-receipt').click(),
    ]);
    expect(receipt.suggestedFilename()).toBe('错误回执-改错的台账.xlsx');
    await screenshot(session.page, 'ledger-02-rejected');
  });

  test('the exported file imports back with progress, and the download centre lists both jobs', async () => {
    await chooseAndImport(path.join(folder, 'exported.xlsx'));
    // A whole ledger import runs as a job; under a full CI run beside it the job can take more than half a minute.
    await session.page.getByTestId('import-succeeded').waitFor({ timeout: 90_000 });
    expect(await session.page.getByTestId('import-succeeded').textContent()).toContain('市场主体');
    await screenshot(session.page, 'ledger-03-imported');

    await session.page.getByTestId('menu-downloads').click();
    const table = session.page.getByTestId('jobs-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    const text = await table.textContent();
    expect(text).toContain('已完成');
    expect(text).toContain('未完成');
    expect(text).toContain('错误回执-改错的台账.xlsx');
    await screenshot(session.page, 'ledger-04-downloads');
    expect(session.pageErrors).toEqual([]);
  });

  test('a file changing registry tags imports the rest and lists the refused change with a receipt', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(path.join(folder, 'exported.xlsx'))) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('市场主体');
    if (!sheet) throw new Error('no 市场主体 sheet');
    // The first entity becomes a 电商研发机构 (#28) in the file only, or loses every tag if it is one.
    const tags = String(sheet.getCell('E2').value ?? '');
    sheet.getCell('E2').value = tags.includes('电商研发机构') ? '' : '电商研发机构';
    const changed = path.join(folder, '改了标签的台账.xlsx');
    await writeFile(changed, Buffer.from(await workbook.xlsx.writeBuffer()));

    await session.page.goto(`/etowns/${etown}`);
    await session.page.getByTestId('etown-ledger').click();
    await chooseAndImport(changed);
    // A whole ledger import runs as a job; under a full CI run beside it the job can take more than half a minute.
    await session.page.getByTestId('import-succeeded').waitFor({ timeout: 90_000 });
    const refused = session.page.getByTestId('import-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('1 项未导入');
    expect(await session.page.getByTestId('refused-items').textContent()).toContain('市场主体 第 1 条');
    expect(await session.page.getByTestId('refused-items').textContent()).toContain('台账导入不能修改');
    const [receipt] = await Promise.all([
      session.page.waitForEvent('download'),
      session.page.getByTestId('download-import-receipt').click(),
    ]);
    expect(receipt.suggestedFilename()).toBe('导入回执-改了标签的台账.xlsx');
    await screenshot(session.page, 'ledger-05-refused');
    expect(session.pageErrors).toEqual([]);
  });
});
