import { loadExcelJS } from '../../lib/lazy-packages.ts';
import { writeReceiptWorkbook } from '../../lib/receipt-xlsx.ts';
import { linesNeeded } from '../../lib/sheet-text.ts';
import { type ImportProblem, monthlyImportColumns } from './monthly-import-rows.ts';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MONTHLY_DATA_SHEET = '月度统计';
export const INSTRUCTIONS_SHEET = '填表说明';
/** The largest upload: a million rows of CSV are about 90 MB. */
export const MAX_MONTHLY_UPLOAD_BYTES = 200 * 1024 * 1024;

const BOM = '\uFEFF';

/** The CSV template: UTF-8 with a BOM (so Excel and WPS open the Chinese headers right), headers only. */
export function monthlyTemplateCsv(): Buffer {
  return Buffer.from(`${BOM}${monthlyImportColumns.map((column) => column.header).join(',')}\r\n`, 'utf8');
}

/** The XLSX template: the data sheet with text-formatted code and month columns, and 填表说明. */
export async function monthlyTemplateXlsx(): Promise<Buffer> {
  const workbook = new (await loadExcelJS()).Workbook();
  workbook.creator = 'e镇通';
  const sheet = workbook.addWorksheet(MONTHLY_DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = monthlyImportColumns.map((column) => ({
    header: column.header,
    key: column.key,
    width: column.kind === 'creditCode' ? 24 : column.kind === 'month' ? 12 : 18,
    // Text, so that Excel keeps "2025-03" and 18-digit codes as typed instead of a date or 9.1E+17.
    style: {
      numFmt: column.kind === 'money' ? '0.00' : column.kind === 'count' ? '0' : '@',
    },
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
    cell.numFmt = '@';
  });

  const notes = workbook.addWorksheet(INSTRUCTIONS_SHEET);
  notes.columns = [{ width: 20 }, { width: 10 }, { width: 60 }, { width: 22 }];
  notes.mergeCells(1, 1, 1, 4);
  notes.getCell(1, 1).value = '月度统计批量导入：填表说明';
  notes.getCell(1, 1).font = { bold: true, size: 14 };
  const rules = [
    `1. 数据填在「${MONTHLY_DATA_SHEET}」工作表，第 1 行为表头（请勿修改），每个市场主体每个月一行。`,
    '2. 同一市场主体同一月份在文件中只能出现一次；平台中已有的该月数据将被文件中的数据替换。',
    '3. 金额一律以元为单位，最多两位小数；人数、订单数为非负整数。',
    '4. 网络零售额大于总产值、跨境大于网络零售额、电商从业人员多于从业人员时会提示核实，不影响导入。',
    '5. 整个文件全部通过校验才会导入；有任何错误则不导入任何数据，并生成错误回执（行、列、原因）。',
    '6. 也可上传 CSV（逗号分隔，UTF-8 或 GBK 编码），表头与本模板相同；文件不超过 200 MB。',
  ];
  rules.forEach((rule, index) => {
    notes.mergeCells(2 + index, 1, 2 + index, 4);
    const cell = notes.getCell(2 + index, 1);
    cell.value = rule;
    cell.alignment = { wrapText: true, vertical: 'top' };
    notes.getRow(2 + index).height = 15 * linesNeeded(rule, 110);
  });
  const tableTop = 3 + rules.length;
  const titles = notes.getRow(tableTop);
  titles.values = ['列', '是否必填', '说明', '示例'];
  titles.font = { bold: true };
  monthlyImportColumns.forEach((column, index) => {
    const row = notes.getRow(tableTop + 1 + index);
    row.values = [column.header, column.required ? '必填' : '选填', column.note, column.example];
    row.getCell(3).alignment = { wrapText: true, vertical: 'top' };
    row.height = 15 * linesNeeded(column.note, 60);
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * 错误回执 of a rejected (or, with warnings only, accepted) import: one problem per row, so the person
 * who filled the file can go down the list; at most the listed ones, with the totals at the top.
 */
export function writeMonthlyImportReceipt(input: {
  fileName: string;
  problems: readonly ImportProblem[];
  problemCount: number;
  warnings: readonly ImportProblem[];
  warningCount: number;
}): Promise<Buffer> {
  const { fileName, problems, problemCount, warnings, warningCount } = input;
  const listedNote = (count: number, listed: number) => (count > listed ? `（列出前 ${listed} 处）` : '');
  const line = (problem: ImportProblem, warning: boolean) => ({
    cells: [
      problem.row ?? '（整个文件）',
      problem.column ?? '',
      problem.field,
      problem.message,
      problem.code,
    ],
    warning,
  });
  return writeReceiptWorkbook({
    sheetName: problemCount > 0 ? '错误回执' : '导入提示',
    title: `${problemCount > 0 ? '月度统计导入错误回执' : '月度统计导入提示'}：${fileName}`,
    note:
      problemCount > 0
        ? `共 ${problemCount} 处问题${listedNote(problemCount, problems.length)}，未导入任何数据；请按下表逐条改正后重新上传。${warningCount > 0 ? `另有 ${warningCount} 条提示${listedNote(warningCount, warnings.length)}，不影响导入。` : ''}`
        : `已全部导入。共 ${warningCount} 条提示${listedNote(warningCount, warnings.length)}，请核实下列数据。`,
    columns: [
      { header: '序号', width: 6, align: 'center' },
      { header: '行', width: 8, align: 'center' },
      { header: '列', width: 6, align: 'center' },
      { header: '字段', width: 22 },
      { header: '问题', width: 64 },
      { header: '代码', width: 30 },
    ],
    messageColumn: 5,
    lines: [
      ...problems.map((problem) => line(problem, false)),
      ...warnings.map((problem) => line(problem, true)),
    ],
  });
}
