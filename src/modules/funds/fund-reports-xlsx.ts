import { loadExcelJS } from '../../lib/lazy-packages.ts';
import { displayWidth } from '../../lib/sheet-text.ts';
import { escapeFormula } from '../indicators/ledger-xlsx.ts';
import {
  type Disclosure,
  fundApplicationStatusLabels,
  fundSupportModeLabels,
  type UsageReport,
} from './funds.schemas.ts';

const MONEY = '#,##0.00';
type Column = { header: string; money?: boolean };
type Cell = string | number | null;

const groupLabels: Record<UsageReport['groupBy'], string> = {
  etown: 'e镇',
  source: '资金来源',
  policy: '资金政策',
  month: '月份',
};

export const usageFileName = (report: UsageReport) =>
  `资金使用情况-${report.regionName}-按${groupLabels[report.groupBy]}${report.year ? `-${report.year}年` : ''}.xlsx`;
export const disclosureFileName = (disclosure: Disclosure) =>
  `补助对象公示名单-${disclosure.regionName}${disclosure.year ? `-${disclosure.year}年` : ''}.xlsx`;

/** Yuan text ("1500000.00") as a spreadsheet number; exact to the fen at these magnitudes. */
const money = (yuan: string) => Number(yuan);

/** A titled sheet with a frozen header and filter; widths from the widest text (CJK counts double). */
async function tableWorkbook(sheetName: string, title: string, columns: Column[], rows: Cell[][]) {
  const workbook = new (await loadExcelJS()).Workbook();
  const sheet = workbook.addWorksheet(sheetName, {
    views: [{ state: 'frozen', ySplit: 2 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.mergeCells(1, 1, 1, columns.length);
  const titleCell = sheet.getCell(1, 1);
  titleCell.value = escapeFormula(title);
  titleCell.font = { bold: true, size: 14 };
  sheet.getRow(1).height = 26;
  const header = sheet.getRow(2);
  const widths = columns.map((column) => displayWidth(column.header) + 2);
  columns.forEach((column, index) => {
    const cell = header.getCell(index + 1);
    cell.value = column.header;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
  });
  rows.forEach((cells, rowIndex) => {
    const row = sheet.getRow(3 + rowIndex);
    cells.forEach((value, index) => {
      const cell = row.getCell(index + 1);
      cell.value = typeof value === 'string' ? escapeFormula(value) : value;
      const shown =
        typeof value === 'number'
          ? value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
          : (value ?? '');
      if (columns[index]?.money) cell.numFmt = MONEY;
      widths[index] = Math.max(widths[index] ?? 8, displayWidth(shown) + 2);
    });
  });
  widths.forEach((width, index) => {
    sheet.getColumn(index + 1).width = Math.min(Math.max(width, 8), 60);
  });
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function writeUsageWorkbook(report: UsageReport): Promise<Buffer> {
  const title = `${report.regionName}${report.year ? `${report.year}年` : ''}资金使用情况（按${groupLabels[report.groupBy]}）`;
  const columns: Column[] = [
    { header: groupLabels[report.groupBy] },
    { header: '预算下达（元）', money: true },
    { header: '核定（元）', money: true },
    { header: '已拨付（元）', money: true },
    { header: '结算退回（元）', money: true },
  ];
  const rows = [...report.rows, report.total].map((row) => [
    row.label,
    money(row.allocatedYuan),
    money(row.approvedYuan),
    money(row.paidYuan),
    money(row.returnedYuan),
  ]);
  return tableWorkbook('资金使用情况', title, columns, rows);
}

export function writeDisclosureWorkbook(disclosure: Disclosure): Promise<Buffer> {
  const title = `${disclosure.regionName}${disclosure.year ? `${disclosure.year}年` : ''}乡村e镇资金补助对象公示名单`;
  const columns: Column[] = [
    { header: '序号' },
    { header: 'e镇' },
    { header: '补助对象' },
    { header: '统一社会信用代码' },
    { header: '资金政策' },
    { header: '支持方式' },
    { header: '政策文号' },
    { header: '核定金额（元）', money: true },
    { header: '已拨付（元）', money: true },
    { header: '核定日期' },
    { header: '状态' },
  ];
  const rows = disclosure.rows.map((row, index) => [
    index + 1,
    row.etownName,
    row.entityName,
    row.creditCode ?? '',
    row.policyName,
    fundSupportModeLabels[row.supportMode],
    row.documentNumber,
    money(row.approvedYuan),
    money(row.paidYuan),
    row.approvedOn,
    fundApplicationStatusLabels[row.status],
  ]);
  return tableWorkbook('公示名单', title, columns, rows);
}
