import type { IndicatorCatalog } from '../../indicators/catalog.ts';
import {
  type ExplainedEvaluation,
  type IndicatorStatus,
  indicatorStatusLabels,
} from '../../indicators/engine.ts';
import { countyTierLabels } from '../../indicators/ledger-schema.ts';
import { loadExcelJS } from '../../lib/lazy-packages.ts';
import { linesNeeded } from '../../lib/sheet-text.ts';
import { escapeFormula } from './ledger-xlsx.ts';

const statusFills: Record<IndicatorStatus, string> = {
  met: 'FFC6EFCE',
  unmet: 'FFFFC7CE',
  pending: 'FFFFEB9C',
};
const headers = ['项目', '序号', '建设内容', '建设标准', '属性', '当前值', '状态'];
const widths = [18, 6, 36, 36, 8, 40, 9];
const thin = { style: 'thin' as const, color: { argb: 'FF000000' } };
const border = { top: thin, left: thin, bottom: thin, right: thin };

export const annex2FileName = (etownName: string, year: number) =>
  `${etownName}${year}年建设约束性指标完成情况.xlsx`;

/**
 * The Annex-2 table (附件2: 项目, 序号, 建设内容, 建设标准, 属性, with 项目 merged over its indicators)
 * plus the e-town's 当前值 and 状态 for the year, one sheet, printable on landscape A4.
 */
export async function writeAnnex2Workbook(
  { evaluation, explanations }: ExplainedEvaluation,
  catalog: IndicatorCatalog,
): Promise<Buffer> {
  const workbook = new (await loadExcelJS()).Workbook();
  const sheet = workbook.addWorksheet('附件2', {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '2:2',
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    },
  });
  sheet.columns = widths.map((width) => ({ width }));

  const title = `${evaluation.etown.name} ${evaluation.year} 年建设约束性指标完成情况`;
  sheet.addRow([escapeFormula(title)]);
  sheet.mergeCells(1, 1, 1, headers.length);
  const titleRow = sheet.getRow(1);
  titleRow.height = 30;
  titleRow.getCell(1).font = { bold: true, size: 16 };
  titleRow.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };

  const headerRow = sheet.addRow(headers);
  headerRow.height = 22;
  headerRow.eachCell((cell) => {
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
    cell.border = border;
  });

  const results = new Map(evaluation.indicators.map((indicator) => [indicator.no, indicator]));
  const definitions = [...catalog.indicators].sort((a, b) => a.no - b.no);
  let groupStart = 0;
  definitions.forEach((definition, index) => {
    const result = results.get(definition.no);
    const status = result?.status ?? 'pending';
    const values = explanations.get(`${catalog.id}#${definition.no}`) ?? [];
    const firstOfGroup = index === 0 || definitions[index - 1]?.category !== definition.category;
    const cells = [
      firstOfGroup ? escapeFormula(definition.category) : null,
      definition.no,
      escapeFormula(definition.content),
      escapeFormula(definition.standard),
      '约束性',
      escapeFormula([...new Set([...values, ...(result?.reasons ?? [])])].join('\n')),
      indicatorStatusLabels[status],
    ];
    const row = sheet.addRow(cells);
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cell.border = border;
      cell.alignment = {
        vertical: 'middle',
        horizontal: column === 2 || column === 5 || column === 7 ? 'center' : 'left',
        wrapText: true,
      };
    });
    const lines = Math.max(
      ...cells.map((value, column) =>
        typeof value === 'string' ? linesNeeded(value, widths[column] ?? 10) : 1,
      ),
    );
    row.height = Math.max(20, lines * 14 + 6);
    row.getCell(7).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: statusFills[status] } };
    row.getCell(7).font = { bold: true };
    if (firstOfGroup) groupStart = row.number;
    const lastOfGroup = definitions[index + 1]?.category !== definition.category;
    if (lastOfGroup && row.number > groupStart) sheet.mergeCells(groupStart, 1, row.number, 1);
  });

  const { met, unmet, pending } = evaluation.summary;
  const summaryRow = sheet.addRow([
    `合计：达标 ${met} 项，未达标 ${unmet} 项，待定 ${pending} 项（${countyTierLabels[evaluation.tier]}，指标目录 ${evaluation.catalog.id} 第 ${evaluation.catalog.version} 版）`,
  ]);
  sheet.mergeCells(summaryRow.number, 1, summaryRow.number, headers.length);
  summaryRow.getCell(1).alignment = { horizontal: 'left', vertical: 'middle' };
  summaryRow.getCell(1).border = border;

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
