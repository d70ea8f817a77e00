import { writeReceiptWorkbook } from '../../lib/receipt-xlsx.ts';
import type { RefusedItem } from './ledger-import-refusals.ts';
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

const refusedListLabels: Record<RefusedItem['list'], string> = {
  etown: '基本信息',
  documents: '制度文件',
  entities: '市场主体',
  monthlyStats: '月度统计',
  complianceIncidents: '违规事件',
};
const refusedActionLabels: Record<RefusedItem['action'], string> = {
  add: '新增',
  change: '修改',
  remove: '删除',
};

/** Where a refused item sits in the file: its list and row (1-based), or that the file omits it. */
export function refusedItemPlace(item: RefusedItem): string {
  const row = /\[(\d+)\]$/.exec(item.path);
  return row ? `${refusedListLabels[item.list]} 第 ${Number(row[1]) + 1} 条` : refusedListLabels[item.list];
}

/**
 * 导入回执 of an import that went through but refused changes to records another role reviews: one row
 * per refused item with where it is, what the file asked for and why it was not written.
 */
export function writeLedgerImportReceipt(fileName: string, refused: readonly RefusedItem[]): Promise<Buffer> {
  return writeReceiptWorkbook({
    sheetName: '导入回执',
    title: `台账导入回执：${fileName}`,
    note: `台账已导入。以下 ${refused.length} 项属于其他角色登记或审核的数据（市场主体及标签、经审核的月度统计、违规事件、领导小组文件、市级增长率），台账导入不能更改，已拒绝，其余内容已写入。如需更改，请由负责的角色在平台中办理。`,
    columns: [
      { header: '序号', width: 6, align: 'center' },
      { header: '位置', width: 18 },
      { header: '操作', width: 8, align: 'center' },
      { header: '项目', width: 40 },
      { header: '拒绝原因', width: 70 },
    ],
    messageColumn: 5,
    lines: refused.map((item) => ({
      cells: [refusedItemPlace(item), refusedActionLabels[item.action], item.item, item.reason],
      warning: false,
    })),
  });
}
