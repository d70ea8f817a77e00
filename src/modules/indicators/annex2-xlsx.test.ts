import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { currentProvinceCatalog } from '../../indicators/catalog.ts';
import { explainLedger } from '../../indicators/engine.ts';
import { parseLedger } from '../../indicators/ledger-schema.ts';
import { writeAnnex2Workbook } from './annex2-xlsx.ts';

const ledgerJson = JSON.parse(
  readFileSync(new URL('../../indicators/fixtures/gaotao-2024.ledger.json', import.meta.url), 'utf8'),
);

async function sheetFor(etownName: string) {
  const parsed = parseLedger({ ...ledgerJson, etown: { ...ledgerJson.etown, name: etownName } });
  if (!parsed.ok) throw new Error('fixture does not parse');
  const catalog = currentProvinceCatalog();
  const explained = explainLedger(parsed.ledger, catalog);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await writeAnnex2Workbook(explained, catalog)) as unknown as ArrayBuffer);
  return { sheet: workbook.worksheets[0] as ExcelJS.Worksheet, explained };
}

describe('Annex-2 workbook', () => {
  it('lays out the seed table with 当前值 and coloured 状态 for each of the 28 indicators', async () => {
    const { sheet, explained } = await sheetFor('皋陶乡村e镇');
    expect(sheet.getCell('A1').value).toBe('皋陶乡村e镇 2024 年建设约束性指标完成情况');
    expect(sheet.getCell('A3').value).toBe('一、科学谋划布局');
    expect(sheet.getCell('C3').value).toBe('高标准编制乡村 e 镇方案和发展规划。');
    expect(sheet.getCell('E3').value).toBe('约束性');
    expect(String(sheet.getCell('F4').value)).toContain('主导产业2个');
    const unmetRow =
      3 + explained.evaluation.indicators.findIndex((indicator) => indicator.status === 'unmet');
    expect(sheet.getCell(unmetRow, 7).value).toBe('未达标');
    expect(sheet.getCell(unmetRow, 7).fill).toMatchObject({ fgColor: { argb: 'FFFFC7CE' } });
    expect(sheet.getCell('G3').fill).toMatchObject({ fgColor: { argb: 'FFC6EFCE' } });
    expect(String(sheet.getCell(31, 1).value)).toContain(`达标 ${explained.evaluation.summary.met} 项`);
  });

  it('never writes text that a spreadsheet would run as a formula', async () => {
    const { sheet } = await sheetFor('=HYPERLINK("http://x")');
    expect(sheet.getCell('A1').value).toBe('\'=HYPERLINK("http://x") 2024 年建设约束性指标完成情况');
    expect(sheet.getCell('A1').formula).toBeUndefined();
  });
});
