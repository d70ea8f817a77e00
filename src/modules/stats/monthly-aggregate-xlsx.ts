import type ExcelJS from 'exceljs';
import type { monthlySources } from '../../db/schema/stats.ts';
import { shanghaiMinute } from '../../lib/china-date.ts';
import { loadExcelJS } from '../../lib/lazy-packages.ts';
import { displayWidth } from '../../lib/sheet-text.ts';
import { escapeFormula } from '../indicators/ledger-xlsx.ts';
import type {
  AggregateCell,
  AggregateRow,
  AggregateSeries,
  MonthlyAggregates,
} from './monthly-aggregate.schemas.ts';

/** Rows beyond this stay out of the 明细 sheet (the sheet says so); the 汇总 sheet is always complete. */
export const MAX_DETAIL_ROWS = 50_000;

export const monthlySourceLabels: Record<(typeof monthlySources)[number], string> = {
  report: '企业填报',
  ledger: '台账导入',
  import: '批量导入',
};

const levelLabels: Record<AggregateSeries['level'], string> = {
  province: '省',
  city: '市',
  county: '县',
  etown: 'e镇',
  entity: '市场主体',
};

const MONEY = '#,##0.00';
const COUNT = '#,##0';
const PERCENT = '0.00';

type Column = { header: string; format?: string; minWidth?: number };
type Cell = string | number | null;

/** An ISO instant as Beijing time, to the minute. */
export { shanghaiMinute };

const yuanNumber = (yuan: string) => Number(yuan);
const pctNumber = (pct: string | null) => (pct === null ? null : Number(pct));

export const aggregatesFileName = (aggregates: MonthlyAggregates) =>
  `统计汇总-${aggregates.region.name}-${aggregates.fromMonth}至${aggregates.toMonth}.xlsx`;

/**
 * A titled, printable sheet: title and note merged over the columns, a frozen header with a filter, numbers
 * as numbers in their formats, column widths from the widest text (CJK counts double), A4 landscape.
 */
function addTableSheet(
  workbook: ExcelJS.Workbook,
  input: {
    name: string;
    title: string;
    note: string;
    columns: readonly Column[];
    rows: readonly { cells: readonly Cell[]; bold?: boolean }[];
    frozenColumns: number;
  },
) {
  const { columns } = input;
  const sheet = workbook.addWorksheet(input.name, {
    views: [{ state: 'frozen', ySplit: 3, xSplit: input.frozenColumns }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    },
  });
  sheet.pageSetup.printTitlesRow = '3:3';
  sheet.mergeCells(1, 1, 1, columns.length);
  const title = sheet.getCell(1, 1);
  title.value = escapeFormula(input.title);
  title.font = { bold: true, size: 14 };
  title.alignment = { vertical: 'middle' };
  sheet.getRow(1).height = 26;
  sheet.mergeCells(2, 1, 2, columns.length);
  sheet.getCell(2, 1).value = input.note;
  sheet.getCell(2, 1).font = { color: { argb: 'FF595959' } };
  const header = sheet.getRow(3);
  header.height = 32;
  columns.forEach((column, index) => {
    const cell = header.getCell(index + 1);
    cell.value = column.header;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
  });
  const widths = columns.map((column) =>
    Math.max(column.minWidth ?? 8, Math.ceil(displayWidth(column.header) / 2) + 2),
  );
  input.rows.forEach(({ cells, bold }, rowIndex) => {
    const row = sheet.getRow(4 + rowIndex);
    cells.forEach((value, index) => {
      const cell = row.getCell(index + 1);
      const column = columns[index];
      cell.value = typeof value === 'string' ? escapeFormula(value) : value;
      if (column?.format) cell.numFmt = column.format;
      if (bold) cell.font = { bold: true };
      const shown =
        typeof value === 'number'
          ? value.toLocaleString('en-US', {
              minimumFractionDigits: column?.format === COUNT ? 0 : 2,
              maximumFractionDigits: column?.format === COUNT ? 0 : 2,
            })
          : (value ?? '');
      widths[index] = Math.max(widths[index] ?? 8, displayWidth(shown) + 2);
    });
    if (bold) {
      for (let index = 1; index <= columns.length; index += 1) {
        row.getCell(index).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
      }
    }
  });
  widths.forEach((width, index) => {
    sheet.getColumn(index + 1).width = Math.min(width, 48);
  });
  sheet.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: columns.length } };
  return sheet;
}

const measureColumns: Column[] = [
  { header: '总产值（元）', format: MONEY },
  { header: '总产值环比（%）', format: PERCENT },
  { header: '总产值同比（%）', format: PERCENT },
  { header: '网络零售额（元）', format: MONEY },
  { header: '网络零售额环比（%）', format: PERCENT },
  { header: '网络零售额同比（%）', format: PERCENT },
  { header: '其中跨境（元）', format: MONEY },
  { header: '订单数', format: COUNT },
  { header: '从业人员', format: COUNT },
  { header: '电商从业人员', format: COUNT },
  { header: '数据条数', format: COUNT },
];

function measureCells(cell: AggregateCell | AggregateSeries['total'], mom: boolean): Cell[] {
  return [
    yuanNumber(cell.outputYuan),
    mom && 'outputMomPct' in cell ? pctNumber(cell.outputMomPct) : null,
    pctNumber(cell.outputYoyPct),
    yuanNumber(cell.onlineRetailYuan),
    mom && 'onlineRetailMomPct' in cell ? pctNumber(cell.onlineRetailMomPct) : null,
    pctNumber(cell.onlineRetailYoyPct),
    yuanNumber(cell.crossBorderYuan),
    cell.orders,
    cell.employees,
    cell.ecommerceEmployees,
    cell.rows,
  ];
}

/**
 * 统计汇总 as a workbook: 汇总 (the region and each child, one row per month plus a 合计 row with the
 * cumulative YoY) and 明细 (the approved rows behind them). Only approved figures, as on the page.
 */
export async function writeAggregatesWorkbook(
  aggregates: MonthlyAggregates,
  detail: readonly AggregateRow[],
  exportedAt: string,
): Promise<Buffer> {
  const workbook = new (await loadExcelJS()).Workbook();
  workbook.creator = 'e镇通';
  const range = `${aggregates.fromMonth} 至 ${aggregates.toMonth}`;
  const note = `仅含已审核数据 · 金额单位：元 · 环比、同比单位为 %，空白表示上月或上年同月无已审核数据 · 导出时间 ${exportedAt}`;

  const summaryRows: { cells: Cell[]; bold?: boolean }[] = [];
  for (const series of [aggregates.series, ...aggregates.children]) {
    const own = series === aggregates.series;
    const head: Cell[] = [
      series.name,
      series.creditCode ?? series.code,
      own ? `${levelLabels[series.level]}（本级）` : levelLabels[series.level],
    ];
    for (const cell of series.months)
      summaryRows.push({ cells: [...head, cell.month, ...measureCells(cell, true)] });
    summaryRows.push({ cells: [...head, '合计', ...measureCells(series.total, false)], bold: true });
  }
  addTableSheet(workbook, {
    name: '汇总',
    title: `${aggregates.region.name} 月度统计汇总（${range}，仅含已审核数据）`,
    note: `${note} · 合计行的同比为累计同比`,
    columns: [
      { header: '区划 / 市场主体', minWidth: 14 },
      { header: '代码', minWidth: 10 },
      { header: '层级' },
      { header: '月份' },
      ...measureColumns,
    ],
    rows: summaryRows,
    frozenColumns: 4,
  });

  const shown = detail.slice(0, MAX_DETAIL_ROWS);
  const detailRows: { cells: Cell[]; bold?: boolean }[] = shown
    .map((row) => [
      row.month,
      row.etown.name,
      row.entity.name,
      row.entity.creditCode,
      yuanNumber(row.outputYuan),
      yuanNumber(row.onlineRetailYuan),
      yuanNumber(row.crossBorderYuan),
      row.orders,
      row.employees,
      row.ecommerceEmployees,
      monthlySourceLabels[row.source],
      row.reviewedAt ? shanghaiMinute(row.reviewedAt) : '',
    ])
    .map((cells) => ({ cells }));
  if (detail.length <= MAX_DETAIL_ROWS) {
    const total = aggregates.series.total;
    detailRows.push({
      cells: [
        '合计',
        '',
        `${total.rows} 条`,
        '',
        yuanNumber(total.outputYuan),
        yuanNumber(total.onlineRetailYuan),
        yuanNumber(total.crossBorderYuan),
        total.orders,
        total.employees,
        total.ecommerceEmployees,
        '',
        '',
      ],
      bold: true,
    });
  }
  addTableSheet(workbook, {
    name: '明细',
    title: `${aggregates.region.name} 已审核月度数据明细（${range}）`,
    note:
      detail.length > MAX_DETAIL_ROWS
        ? `明细超过 ${MAX_DETAIL_ROWS.toLocaleString('en-US')} 行，此处只列出前 ${MAX_DETAIL_ROWS.toLocaleString('en-US')} 行；请选择更小的区划或月份范围导出完整明细`
        : note,
    columns: [
      { header: '月份' },
      { header: 'e镇', minWidth: 12 },
      { header: '市场主体', minWidth: 16 },
      { header: '统一社会信用代码', minWidth: 20 },
      { header: '总产值（元）', format: MONEY },
      { header: '网络零售额（元）', format: MONEY },
      { header: '其中跨境（元）', format: MONEY },
      { header: '订单数', format: COUNT },
      { header: '从业人员', format: COUNT },
      { header: '电商从业人员', format: COUNT },
      { header: '来源' },
      { header: '审核时间', minWidth: 17 },
    ],
    rows: detailRows,
    frozenColumns: 0,
  });

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
