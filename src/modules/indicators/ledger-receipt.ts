import ExcelJS from 'exceljs';
import { linesNeeded } from '../../lib/sheet-text.ts';
import type { CellProblem } from './ledger-xlsx.ts';

const headers = ['序号', '工作表', '行', '列', '字段', '问题', '代码'] as const;
const widths = [6, 14, 6, 6, 26, 64, 24];

/**
 * 错误回执: every problem of a rejected ledger upload, one row each, so the person who filled it in
 * can go down the list in the original workbook. Warnings follow, marked as 提示.
 */
export async function writeLedgerReceipt(
  fileName: string,
  problems: readonly CellProblem[],
  warnings: readonly CellProblem[],
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'e镇通';
  const sheet = workbook.addWorksheet('错误回执', {
    views: [{ state: 'frozen', ySplit: 3 }],
    // A4 landscape, all columns on one page width, as many pages down as needed.
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.pageSetup.printTitlesRow = '3:3';
  sheet.columns = widths.map((width) => ({ width }));
  sheet.mergeCells(1, 1, 1, headers.length);
  const title = sheet.getCell(1, 1);
  title.value = `台账导入错误回执：${fileName}`;
  title.font = { bold: true, size: 14 };
  sheet.mergeCells(2, 1, 2, headers.length);
  sheet.getRow(2).height = 32;
  sheet.getCell(2, 1).alignment = { wrapText: true, vertical: 'top' };
  sheet.getCell(2, 1).value =
    `共 ${problems.length} 处问题，未导入任何数据；请按下表逐条改正后重新上传。${warnings.length > 0 ? `另有 ${warnings.length} 条提示，不影响导入。` : ''}`;
  const headerRow = sheet.getRow(3);
  headers.forEach((header, index) => {
    const cell = headerRow.getCell(index + 1);
    cell.value = header;
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
  });
  const lines = [
    ...problems.map((problem) => ({ problem, warning: false })),
    ...warnings.map((problem) => ({ problem, warning: true })),
  ];
  lines.forEach(({ problem, warning }, index) => {
    const row = sheet.getRow(4 + index);
    row.values = [
      index + 1,
      problem.sheet || '（整个文件）',
      problem.row ?? '',
      problem.column ?? '',
      problem.path,
      warning ? `提示：${problem.message}` : problem.message,
      problem.code,
    ];
    for (const column of [1, 3, 4]) row.getCell(column).alignment = { horizontal: 'center', vertical: 'top' };
    for (const column of [2, 5, 7]) row.getCell(column).alignment = { vertical: 'top' };
    row.getCell(6).alignment = { wrapText: true, vertical: 'top' };
    row.height = 15 * linesNeeded(String(row.getCell(6).value), widths[5] ?? 64);
    if (warning) row.getCell(6).font = { color: { argb: 'FF8C8C8C' } };
  });
  sheet.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: headers.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
