import { writeReceiptWorkbook } from '../../lib/receipt-xlsx.ts';
import type { CellProblem } from './ledger-xlsx.ts';

/**
 * 错误回执: every problem of a rejected ledger upload, one row each, so the person who filled it in
 * can go down the list in the original workbook. Warnings follow, marked as 提示.
 */
export function writeLedgerReceipt(
  fileName: string,
  problems: readonly CellProblem[],
  warnings: readonly CellProblem[],
): Promise<Buffer> {
  const line = (problem: CellProblem, warning: boolean) => ({
    cells: [
      problem.sheet || '（整个文件）',
      problem.row ?? '',
      problem.column ?? '',
      problem.path,
      problem.message,
      problem.code,
    ],
    warning,
  });
  return writeReceiptWorkbook({
    sheetName: '错误回执',
    title: `台账导入错误回执：${fileName}`,
    note: `共 ${problems.length} 处问题，未导入任何数据；请按下表逐条改正后重新上传。${warnings.length > 0 ? `另有 ${warnings.length} 条提示，不影响导入。` : ''}`,
    columns: [
      { header: '序号', width: 6, align: 'center' },
      { header: '工作表', width: 14 },
      { header: '行', width: 6, align: 'center' },
      { header: '列', width: 6, align: 'center' },
      { header: '字段', width: 26 },
      { header: '问题', width: 64 },
      { header: '代码', width: 24 },
    ],
    messageColumn: 6,
    lines: [
      ...problems.map((problem) => line(problem, false)),
      ...warnings.map((problem) => line(problem, true)),
    ],
  });
}
