import { loadExcelJS } from './lazy-packages.ts';
import { linesNeeded } from './sheet-text.ts';

export type ReceiptColumn = { header: string; width: number; align?: 'center' };
export type ReceiptLine = { cells: (string | number)[]; warning: boolean };

/**
 * 错误回执 (or 导入提示) as a workbook: a title, a one-paragraph note, then one problem per row with a
 * `序号` first and the wrapped `问题` text in `messageColumn` — printable on landscape A4, header row
 * repeated on every page, warnings greyed and marked 提示.
 */
export async function writeReceiptWorkbook(input: {
  sheetName: string;
  title: string;
  note: string;
  columns: readonly ReceiptColumn[];
  /** 1-based column of the problem's message (wrapped, sized, greyed for warnings). */
  messageColumn: number;
  lines: readonly ReceiptLine[];
}): Promise<Buffer> {
  const { columns, messageColumn } = input;
  const workbook = new (await loadExcelJS()).Workbook();
  workbook.creator = 'e镇通';
  const sheet = workbook.addWorksheet(input.sheetName, {
    views: [{ state: 'frozen', ySplit: 3 }],
    // A4 landscape, all columns on one page width, as many pages down as needed.
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.pageSetup.printTitlesRow = '3:3';
  sheet.columns = columns.map((column) => ({ width: column.width }));
  sheet.mergeCells(1, 1, 1, columns.length);
  const title = sheet.getCell(1, 1);
  title.value = input.title;
  title.font = { bold: true, size: 14 };
  sheet.mergeCells(2, 1, 2, columns.length);
  sheet.getRow(2).height = 32;
  sheet.getCell(2, 1).alignment = { wrapText: true, vertical: 'top' };
  sheet.getCell(2, 1).value = input.note;
  const headerRow = sheet.getRow(3);
  columns.forEach((column, index) => {
    const cell = headerRow.getCell(index + 1);
    cell.value = column.header;
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
  });
  const messageWidth = columns[messageColumn - 1]?.width ?? 64;
  input.lines.forEach(({ cells, warning }, index) => {
    const row = sheet.getRow(4 + index);
    row.values = [index + 1, ...cells];
    columns.forEach((column, columnIndex) => {
      row.getCell(columnIndex + 1).alignment =
        columnIndex + 1 === messageColumn
          ? { wrapText: true, vertical: 'top' }
          : { vertical: 'top', ...(column.align ? { horizontal: column.align } : {}) };
    });
    const message = row.getCell(messageColumn);
    if (warning) {
      message.value = `提示：${String(message.value ?? '')}`;
      message.font = { color: { argb: 'FF8C8C8C' } };
    }
    row.height = 15 * linesNeeded(String(message.value), messageWidth);
  });
  sheet.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
