import type ExcelJS from 'exceljs';
import { formatFen, parseMoneyText } from '../../indicators/exact.ts';
import {
  brandKindLabels,
  countyTierLabels,
  documentKindLabels,
  entityTagLabels,
  eventKindLabels,
  facilityFeatureLabels,
  facilityKindLabels,
  incidentCategoryLabels,
  LEDGER_FORMAT,
  type LedgerParseResult,
  type LedgerProblem,
  mediaChannelKindLabels,
  parseLedger,
  personRoleLabels,
} from '../../indicators/ledger-schema.ts';
import { loadExcelJS } from '../../lib/lazy-packages.ts';
import { ledgerWorkbookLimits } from '../../lib/spreadsheet-limits.ts';
import { readXlsxRows, type XlsxCell, XlsxUnreadableError } from '../../lib/xlsx-rows.ts';
import type { LedgerJson } from './ledger-export.ts';

/**
 * The XLSX form of `ezhen-ledger/1`: a 基本信息 sheet, one sheet per ledger list with Chinese headers
 * and dropdowns, and a 填表说明 sheet. Reading a workbook gives the same validated structure as a JSON
 * file, with every problem located at its sheet, row and column.
 */

type Labels = Record<string, string>;
type ColumnType =
  | 'text'
  | 'optionalText'
  | 'date'
  | 'month'
  | 'money'
  | 'decimal'
  | 'optionalDecimal'
  | 'boolean'
  | 'integer'
  | 'enum'
  | 'enumList'
  | 'textList'
  | 'json';
type Column = {
  key: string;
  header: string;
  type: ColumnType;
  labels?: Labels;
  width?: number;
  note?: string;
};
type ListSheet = { list: keyof LedgerJson & string; sheet: string; columns: Column[] };

const listSheets: ListSheet[] = [
  {
    list: 'documents',
    sheet: '制度文件',
    columns: [
      { key: 'kind', header: '文件类别', type: 'enum', labels: documentKindLabels, width: 30 },
      { key: 'title', header: '文件标题', type: 'text', width: 50 },
      { key: 'docNo', header: '文号', type: 'optionalText', width: 24 },
      { key: 'issuedOn', header: '印发日期', type: 'date' },
    ],
  },
  {
    list: 'entities',
    sheet: '市场主体',
    columns: [
      { key: 'creditCode', header: '统一社会信用代码', type: 'text', width: 24 },
      { key: 'name', header: '名称', type: 'text', width: 40 },
      { key: 'legalEntity', header: '是否法人', type: 'boolean' },
      { key: 'registeredOn', header: '注册日期', type: 'date' },
      {
        key: 'tags',
        header: '类型标签',
        type: 'enumList',
        labels: entityTagLabels,
        width: 40,
        note: `多个用逗号分隔，可选：${Object.values(entityTagLabels).join('、')}`,
      },
    ],
  },
  {
    list: 'monthlyStats',
    sheet: '月度统计',
    columns: [
      { key: 'creditCode', header: '统一社会信用代码', type: 'text', width: 24 },
      { key: 'month', header: '月份', type: 'month', note: 'YYYY-MM，如 2024-01' },
      { key: 'outputYuan', header: '产值（元）', type: 'money', width: 18 },
      { key: 'onlineRetailYuan', header: '网络零售额（元）', type: 'money', width: 18 },
    ],
  },
  {
    list: 'investments',
    sheet: '投资',
    columns: [
      { key: 'project', header: '项目', type: 'text', width: 40 },
      { key: 'amountYuan', header: '投资额（元）', type: 'money', width: 18 },
      { key: 'date', header: '日期', type: 'date' },
    ],
  },
  {
    list: 'facilities',
    sheet: '设施',
    columns: [
      { key: 'kind', header: '设施类别', type: 'enum', labels: facilityKindLabels, width: 26 },
      { key: 'name', header: '名称', type: 'text', width: 36 },
      { key: 'buildingAreaM2', header: '建筑面积（平方米）', type: 'decimal', width: 18 },
      {
        key: 'features',
        header: '功能',
        type: 'enumList',
        labels: facilityFeatureLabels,
        width: 40,
        note: `多个用逗号分隔，可选：${Object.values(facilityFeatureLabels).join('、')}`,
      },
    ],
  },
  {
    list: 'supplyChains',
    sheet: '供应链',
    columns: [{ key: 'name', header: '名称', type: 'text', width: 40 }],
  },
  {
    list: 'pavilions',
    sheet: '特色馆',
    columns: [
      { key: 'platform', header: '平台', type: 'text', width: 16 },
      { key: 'name', header: '馆名', type: 'text', width: 30 },
      { key: 'url', header: '网址', type: 'optionalText', width: 40 },
    ],
  },
  {
    list: 'brands',
    sheet: '品牌',
    columns: [
      { key: 'name', header: '品牌名称', type: 'text', width: 30 },
      { key: 'kind', header: '品牌类别', type: 'enum', labels: brandKindLabels, width: 22 },
    ],
  },
  {
    list: 'products',
    sheet: '网货产品',
    columns: [
      { key: 'name', header: '产品名称', type: 'text', width: 30 },
      { key: 'brand', header: '所属品牌', type: 'text', width: 24 },
      { key: 'online', header: '是否网货', type: 'boolean' },
    ],
  },
  {
    list: 'events',
    sheet: '展会大赛宣传',
    columns: [
      { key: 'kind', header: '活动类别', type: 'enum', labels: eventKindLabels },
      { key: 'date', header: '日期', type: 'date' },
      { key: 'title', header: '名称', type: 'text', width: 40 },
    ],
  },
  {
    list: 'mediaChannels',
    sheet: '媒体渠道',
    columns: [
      { key: 'kind', header: '渠道类别', type: 'enum', labels: mediaChannelKindLabels },
      { key: 'name', header: '名称', type: 'text', width: 30 },
    ],
  },
  {
    list: 'trainings',
    sheet: '培训',
    columns: [
      { key: 'date', header: '日期', type: 'date' },
      { key: 'title', header: '培训名称', type: 'text', width: 40 },
      { key: 'crossBorder', header: '是否跨境电商培训', type: 'boolean', width: 18 },
      { key: 'attendance', header: '参训人次', type: 'integer' },
    ],
  },
  {
    list: 'people',
    sheet: '人才',
    columns: [
      { key: 'role', header: '类别', type: 'enum', labels: personRoleLabels },
      { key: 'name', header: '姓名', type: 'text', width: 20 },
    ],
  },
  {
    list: 'complianceIncidents',
    sheet: '违规事件',
    columns: [
      { key: 'date', header: '日期', type: 'date' },
      { key: 'category', header: '类别', type: 'enum', labels: incidentCategoryLabels },
      { key: 'description', header: '说明', type: 'optionalText', width: 50 },
    ],
  },
];

const ETOWN_SHEET = '基本信息';
const GUIDE_SHEET = '填表说明';
const sheetOrder = [ETOWN_SHEET, ...listSheets.map((spec) => spec.sheet)];

/** Problems as a person walks the workbook: sheet by sheet, row by row, left to right. */
const inWorkbookOrder = (
  a: { sheet: string; row: number | null; column: string | null },
  b: { sheet: string; row: number | null; column: string | null },
) =>
  sheetOrder.indexOf(a.sheet) - sheetOrder.indexOf(b.sheet) ||
  (a.row ?? 0) - (b.row ?? 0) ||
  (a.column ?? '').length - (b.column ?? '').length ||
  (a.column ?? '').localeCompare(b.column ?? '');

/** 基本信息: one field per row, the value in column B. */
const etownFields: Column[] = [
  { key: 'year', header: '评价年度', type: 'integer' },
  { key: 'code', header: 'e镇代码', type: 'text', note: '县级区划代码-E两位数字，如 140827-E01' },
  { key: 'name', header: 'e镇名称', type: 'text' },
  { key: 'countyCode', header: '所在县代码', type: 'text', note: '6位 GB/T 2260 代码' },
  { key: 'countyTier', header: '县域类别', type: 'enum', labels: countyTierLabels },
  { key: 'landAreaKm2', header: '占地面积（平方公里）', type: 'optionalDecimal', note: '可空' },
  { key: 'buildingAreaM2', header: '建筑面积（平方米）', type: 'optionalDecimal', note: '可空' },
  {
    key: 'boundary',
    header: '四至边界（GeoJSON）',
    type: 'json',
    note: '可空；GeoJSON Polygon 或 MultiPolygon（WGS84 经纬度），填写后按边界计算占地面积',
  },
  { key: 'leadingIndustries', header: '主导产业', type: 'textList', note: '多个用逗号分隔' },
  {
    key: 'cityOutputGrowthPct',
    header: '所在市年总产值平均增长率（%）',
    type: 'optionalDecimal',
    note: '可空；可为负数',
  },
];

const YES = '是';
const NO = '否';
const DATA_ROWS = 2000;

// ---- writing ----

/** Excel runs a cell starting with = + - @ as a formula when the sheet is re-saved as CSV or edited. */
const FORMULA_START = /^[=+\-@]/;
export const escapeFormula = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);
const unescapeFormula = (text: string) => (/^'[=+\-@]/.test(text) ? text.slice(1) : text);

const columnLetter = (index: number) => {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
};

/** Money and areas as numbers when the number prints back as the same decimal; text otherwise. */
function numberOrText(value: string): number | string {
  const number = Number(value);
  return Number.isFinite(number) && Math.abs(number) < 2 ** 53 / 100 && Number(String(number)) === number
    ? number
    : value;
}

function cellValue(column: Column, value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'boolean':
      return value ? YES : NO;
    case 'integer':
      return value as number;
    case 'money':
    case 'decimal':
    case 'optionalDecimal':
      return numberOrText(String(value));
    case 'enum':
      return column.labels?.[value as string] ?? String(value);
    case 'enumList':
      return (value as string[]).map((code) => column.labels?.[code] ?? code).join('，');
    case 'textList':
      return (value as string[]).map(escapeFormula).join('，');
    case 'json':
      return JSON.stringify(value);
    default:
      return escapeFormula(String(value));
  }
}

function validationFor(column: Column): ExcelJS.DataValidation | null {
  if (column.type === 'boolean') {
    return { type: 'list', allowBlank: true, formulae: [`"${YES},${NO}"`], showErrorMessage: true };
  }
  if (column.type === 'enum' && column.labels) {
    return {
      type: 'list',
      allowBlank: false,
      formulae: [`"${Object.values(column.labels).join(',')}"`],
      showErrorMessage: true,
      errorTitle: column.header,
      error: `请从下拉列表中选择：${Object.values(column.labels).join('、')}`,
    };
  }
  if (column.note) {
    return {
      type: 'custom',
      allowBlank: true,
      formulae: ['TRUE'],
      showInputMessage: true,
      prompt: column.note,
    };
  }
  return null;
}

type DataValidationsApi = {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
};

function addValidation(sheet: ExcelJS.Worksheet, range: string, validation: ExcelJS.DataValidation) {
  (sheet as unknown as DataValidationsApi).dataValidations.add(range, validation);
}

const headerStyle = (row: ExcelJS.Row) => {
  row.font = { bold: true };
  row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
};

function guideRows(): string[][] {
  const rows: string[][] = [
    ['乡村e镇台账（ezhen-ledger/1）填表说明'],
    [''],
    ['1. 每个工作表对应台账的一个清单；第一行为表头，请从第二行起逐行填写，不要改动表头和工作表名称。'],
    ['2. 「基本信息」表的 B 列填写 e镇基本情况和评价年度。'],
    ['3. 带下拉箭头的单元格请从下拉列表中选择；「是否…」列填 是 或 否。'],
    ['4. 金额单位为元，最多两位小数，不带千分位和符号；日期写成 YYYY-MM-DD，月份写成 YYYY-MM。'],
    ['5. 多选项（市场主体的类型标签、设施的功能、主导产业）用逗号分隔，如：电子商务企业，龙头企业。'],
    ['6. 月度统计中每个市场主体每月一行，统一社会信用代码须在「市场主体」表中。'],
    ['7. 整个文件有任何一处错误都不会导入，系统会列出每个错误所在的工作表、行、列和原因。'],
    ['8. 以 = + - @ 开头的文本在导出时前面加了单引号，防止被当成公式；导入时会自动去掉。'],
    [''],
    ['可选值'],
  ];
  const vocabularies: [string, Labels][] = [
    ['县域类别', countyTierLabels],
    ['文件类别', documentKindLabels],
    ['市场主体类型标签', entityTagLabels],
    ['设施类别', facilityKindLabels],
    ['设施功能', facilityFeatureLabels],
    ['品牌类别', brandKindLabels],
    ['活动类别', eventKindLabels],
    ['媒体渠道类别', mediaChannelKindLabels],
    ['人才类别', personRoleLabels],
    ['违规事件类别', incidentCategoryLabels],
  ];
  for (const [title, labels] of vocabularies) rows.push([`${title}：${Object.values(labels).join('、')}`]);
  return rows;
}

/** The workbook for a ledger JSON value; without one, the empty template. */
export async function writeLedgerWorkbook(ledger: LedgerJson | null): Promise<Buffer> {
  const workbook = new (await loadExcelJS()).Workbook();
  workbook.creator = 'EZhen e镇通';

  const guide = workbook.addWorksheet(GUIDE_SHEET);
  guide.columns = [{ width: 110 }];
  for (const row of guideRows()) guide.addRow(row);
  guide.getRow(1).font = { bold: true, size: 14 };

  const etownSheet = workbook.addWorksheet(ETOWN_SHEET);
  etownSheet.columns = [{ width: 32 }, { width: 60 }, { width: 60 }];
  headerStyle(etownSheet.addRow(['项目', '填写内容', '说明']));
  etownFields.forEach((field, index) => {
    const value =
      ledger === null
        ? null
        : field.key === 'year'
          ? ledger.year
          : (ledger.etown as Record<string, unknown>)[field.key];
    etownSheet.addRow([field.header, cellValue(field, value), field.note ?? '']);
    const validation = validationFor(field);
    if (validation && validation.type === 'list') addValidation(etownSheet, `B${index + 2}`, validation);
  });
  etownSheet.getColumn(2).numFmt = '@';

  for (const spec of listSheets) {
    const sheet = workbook.addWorksheet(spec.sheet);
    sheet.columns = spec.columns.map((column) => ({ width: column.width ?? 14 }));
    headerStyle(sheet.addRow(spec.columns.map((column) => column.header)));
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    spec.columns.forEach((column, index) => {
      if (!['money', 'decimal', 'integer'].includes(column.type)) sheet.getColumn(index + 1).numFmt = '@';
      if (column.type === 'money') sheet.getColumn(index + 1).numFmt = '0.00';
      const validation = validationFor(column);
      const letter = columnLetter(index);
      if (validation) addValidation(sheet, `${letter}2:${letter}${DATA_ROWS}`, validation);
      if (column.note) sheet.getCell(`${letter}1`).note = column.note;
    });
    for (const row of (ledger?.[spec.list] as Record<string, unknown>[] | undefined) ?? []) {
      sheet.addRow(spec.columns.map((column) => cellValue(column, row[column.key])));
    }
  }
  for (const sheet of workbook.worksheets) {
    sheet.pageSetup = { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
  }
  // The guide last in the file would hide it; keep it first but open on 基本信息.
  workbook.views = [
    { x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 1, visibility: 'visible' },
  ];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---- reading ----

/** Where a problem is in the workbook, in words a person filling it in understands. */
export type CellProblem = LedgerProblem & { sheet: string; row: number | null; column: string | null };

export type WorkbookReadResult =
  | {
      ok: true;
      ledger: Extract<LedgerParseResult, { ok: true }>['ledger'];
      json: unknown;
      warnings: CellProblem[];
    }
  | { ok: false; problems: CellProblem[]; warnings: CellProblem[] };

type Location = { sheet: string; row: number | null; column: string | null };

/** A cell's value as the plain thing a person typed: text, number, boolean, or a date's YYYY-MM-DD. */
function plainValue(value: XlsxCell): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : unescapeFormula(trimmed);
  }
  return value;
}

const splitList = (text: string) =>
  text
    .split(/[,，、;；\n]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');

type Converted = { value: unknown; problem?: string };

function convert(column: Column, raw: string | number | boolean | null): Converted {
  const labelToCode = (text: string) => {
    const entries = Object.entries(column.labels ?? {});
    return entries.find(([code, label]) => label === text || code === text)?.[0];
  };
  switch (column.type) {
    case 'text':
      return { value: raw === null ? undefined : String(raw) };
    case 'optionalText':
      return { value: raw === null ? null : String(raw) };
    case 'date':
    case 'month':
      return { value: raw === null ? undefined : String(raw) };
    case 'money': {
      if (raw === null) return { value: undefined };
      // A number cell goes on as yuan with two decimals, the form a JSON export writes.
      const fen = typeof raw === 'number' ? parseMoneyText(String(raw)) : null;
      return { value: fen === null ? String(raw) : formatFen(fen) };
    }
    case 'decimal':
      // Numbers go on as the decimal text they print as, so the JSON matches a JSON file's.
      return { value: raw === null ? undefined : String(raw) };
    case 'optionalDecimal':
      return { value: raw === null ? null : String(raw) };
    case 'integer':
      if (raw === null) return { value: undefined };
      if (typeof raw === 'string' && /^\d+$/.test(raw)) return { value: Number(raw) };
      return { value: raw };
    case 'boolean':
      if (raw === null) return { value: undefined };
      if (raw === true || raw === YES || raw === 'true') return { value: true };
      if (raw === false || raw === NO || raw === 'false') return { value: false };
      return { value: raw, problem: `须为 ${YES} 或 ${NO}，实际为 "${raw}"` };
    case 'enum': {
      if (raw === null) return { value: undefined };
      const code = labelToCode(String(raw));
      if (code) return { value: code };
      return {
        value: raw,
        problem: `须为以下之一：${Object.values(column.labels ?? {}).join('、')}，实际为 "${raw}"`,
      };
    }
    case 'enumList': {
      if (raw === null) return { value: [] };
      const parts = splitList(String(raw));
      const unknown = parts.filter((part) => !labelToCode(part));
      if (unknown.length > 0) {
        return {
          value: parts,
          problem: `${unknown.map((part) => `"${part}"`).join('、')} 不是可选值；可选：${Object.values(column.labels ?? {}).join('、')}`,
        };
      }
      return { value: [...new Set(parts.map((part) => labelToCode(part) as string))] };
    }
    case 'textList':
      return { value: raw === null ? [] : splitList(String(raw)) };
    case 'json':
      if (raw === null) return { value: null };
      try {
        return { value: JSON.parse(String(raw)) };
      } catch {
        return { value: raw, problem: '须为 GeoJSON 文本（JSON 格式）' };
      }
  }
}

const locate = (location: Location, header: string) =>
  `${location.sheet}${location.row === null ? '' : ` 第 ${location.row} 行`}${location.column === null ? '' : ` ${location.column} 列`}（${header}）`;

/** The list sheet being read: its columns by header, once row 1 has been seen, and its rows so far. */
type ListSheetState = { spec: ListSheet; columnOf: Map<string, number>; rows: Record<string, unknown>[] };

/** What reading a workbook gathers: the cell of each ledger path, and the problems found in cells. */
type WorkbookReading = {
  locations: Map<string, Location & { header: string }>;
  cellProblems: CellProblem[];
};

/** The sheets as streamed: the e-town sheet's cells by label (if there was one) and each list sheet. */
type StreamedSheets = {
  etownSeen: boolean;
  etownCells: Map<string, { row: number; value: XlsxCell }>;
  lists: Map<string, ListSheetState>;
};

/**
 * Reads a workbook into the validated ledger, or every problem at its sheet / row / column. The rows
 * stream from a worker thread (see `readXlsxRows`), so a huge or crafted file never blocks the server;
 * one that breaks a limit of `ledgerWorkbookLimits` throws that limit's 400 `AppError`.
 */
export async function readLedgerWorkbook(data: Buffer): Promise<WorkbookReadResult> {
  const reading: WorkbookReading = { locations: new Map(), cellProblems: [] };
  let sheets: StreamedSheets;
  try {
    sheets = await streamWorkbookSheets(data, reading);
  } catch (error) {
    if (!(error instanceof XlsxUnreadableError)) throw error;
    const problem = {
      sheet: '',
      row: null,
      column: null,
      path: '',
      code: 'invalid_xlsx',
      message: '文件不是有效的 XLSX 工作簿',
    };
    return { ok: false, problems: [problem], warnings: [] };
  }

  const json: Record<string, unknown> = { format: LEDGER_FORMAT };
  json.etown = readEtownFields(reading, sheets, json);
  readListSheets(reading, sheets.lists, json);
  return parseWorkbookJson(reading, json);
}

/** Streams the e-town sheet's cells and the list sheets' rows, converting each list row as it comes. */
async function streamWorkbookSheets(data: Buffer, reading: WorkbookReading): Promise<StreamedSheets> {
  const sheets: StreamedSheets = { etownSeen: false, etownCells: new Map(), lists: new Map() };
  const specOf = new Map(listSheets.map((spec) => [spec.sheet, spec]));
  for await (const { sheet, rows } of readXlsxRows(data, ledgerWorkbookLimits, {
    only: [ETOWN_SHEET, ...specOf.keys()],
  })) {
    if (sheet === ETOWN_SHEET) {
      sheets.etownSeen = true;
      for (const { row, cells } of rows) {
        const label = plainValue(cells[0] ?? null);
        if (typeof label === 'string') sheets.etownCells.set(label, { row, value: cells[1] ?? null });
      }
      continue;
    }
    const spec = specOf.get(sheet);
    if (!spec) continue;
    let state = sheets.lists.get(sheet);
    if (!state) {
      state = { spec, columnOf: new Map(), rows: [] };
      sheets.lists.set(sheet, state);
    }
    for (const { row, cells } of rows) {
      if (row === 1) readHeader(state, cells);
      else readListRow(reading, state, row, cells);
    }
  }
  return sheets;
}

function readHeader(state: ListSheetState, cells: XlsxCell[]) {
  cells.forEach((cell, index) => {
    const header = plainValue(cell);
    if (typeof header === 'string') state.columnOf.set(header, index + 1);
  });
}

/** Converts one row of a list sheet into a list item, noting each cell's location; blank rows are skipped. */
function readListRow(reading: WorkbookReading, state: ListSheetState, rowNumber: number, cells: XlsxCell[]) {
  const { locations, cellProblems } = reading;
  const { spec, columnOf, rows } = state;
  const raws = spec.columns.map((column) => {
    const columnNumber = columnOf.get(column.header);
    return columnNumber === undefined ? null : plainValue(cells[columnNumber - 1] ?? null);
  });
  if (raws.every((raw) => raw === null)) return;
  const index = rows.length;
  const item: Record<string, unknown> = {};
  spec.columns.forEach((column, columnIndex) => {
    const columnNumber = columnOf.get(column.header);
    const path = `${spec.list}[${index}].${column.key}`;
    const location = {
      sheet: spec.sheet,
      row: rowNumber,
      column: columnNumber === undefined ? null : columnLetter(columnNumber - 1),
      header: column.header,
    };
    locations.set(path, location);
    const converted = convert(column, raws[columnIndex] ?? null);
    if (converted.problem)
      cellProblems.push({ ...location, path, code: 'invalid_cell', message: converted.problem });
    if (converted.value !== undefined) item[column.key] = converted.value;
  });
  locations.set(`${spec.list}[${index}]`, {
    sheet: spec.sheet,
    row: rowNumber,
    column: null,
    header: '整行',
  });
  rows.push(item);
}

/** The e-town's fields from its sheet (the year goes to `json.year`); a missing sheet is a problem. */
function readEtownFields(
  reading: WorkbookReading,
  sheets: StreamedSheets,
  json: Record<string, unknown>,
): Record<string, unknown> {
  const { locations, cellProblems } = reading;
  const etown: Record<string, unknown> = {};
  if (!sheets.etownSeen) {
    cellProblems.push({
      sheet: ETOWN_SHEET,
      row: null,
      column: null,
      path: 'etown',
      code: 'missing_sheet',
      message: `缺少工作表「${ETOWN_SHEET}」`,
    });
  } else {
    for (const field of etownFields) {
      const found = sheets.etownCells.get(field.header);
      const path = field.key === 'year' ? 'year' : `etown.${field.key}`;
      const location = { sheet: ETOWN_SHEET, row: found?.row ?? null, column: 'B', header: field.header };
      locations.set(path, location);
      const converted = convert(field, found ? plainValue(found.value) : null);
      if (converted.problem)
        cellProblems.push({ ...location, path, code: 'invalid_cell', message: converted.problem });
      if (field.key === 'year') json.year = converted.value;
      else if (converted.value !== undefined) etown[field.key] = converted.value;
    }
  }
  return etown;
}

/** Puts each list's rows into `json` (an absent sheet is an empty list) and reports missing columns. */
function readListSheets(
  reading: WorkbookReading,
  lists: Map<string, ListSheetState>,
  json: Record<string, unknown>,
) {
  for (const spec of listSheets) {
    const state = lists.get(spec.sheet);
    // An absent list is an empty list.
    json[spec.list] = state?.rows ?? [];
    if (!state) continue;
    for (const column of spec.columns) {
      if (!state.columnOf.has(column.header)) {
        reading.cellProblems.push({
          sheet: spec.sheet,
          row: 1,
          column: null,
          path: spec.list,
          code: 'missing_column',
          message: `缺少列「${column.header}」`,
        });
      }
    }
  }
}

/** Validates the workbook's JSON as a ledger; every problem and warning points at its cell. */
function parseWorkbookJson(reading: WorkbookReading, json: Record<string, unknown>): WorkbookReadResult {
  const { locations, cellProblems } = reading;
  /** The cell of a path, or of the nearest enclosing field (a boundary coordinate → the boundary cell). */
  const cellOf = (problemPath: string) => {
    let path = problemPath;
    let location = locations.get(path);
    while (!location && /[.[]/.test(path)) {
      path = path.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
      location = locations.get(path);
    }
    return location ? { path, location } : null;
  };
  const locateProblem = (problem: LedgerProblem): CellProblem => {
    const found = cellOf(problem.path);
    if (!found) return { ...problem, sheet: '', row: null, column: null };
    const { location } = found;
    return {
      ...problem,
      sheet: location.sheet,
      row: location.row,
      column: location.column,
      message: `${locate(location, location.header)}：${problem.message}`,
    };
  };
  const parsed = parseLedger(json);
  const warnings = parsed.warnings.map(locateProblem);
  // A cell already reported while reading is not reported again by the ledger's own checks.
  const flagged = new Set(cellProblems.map((problem) => problem.path));
  const problems = [
    ...cellProblems.map((problem) => {
      const location = locations.get(problem.path);
      return location
        ? { ...problem, message: `${locate(location, location.header)}：${problem.message}` }
        : problem;
    }),
    ...(parsed.ok
      ? []
      : parsed.problems
          .filter((problem) => !flagged.has(cellOf(problem.path)?.path ?? problem.path))
          .map(locateProblem)),
  ];
  if (problems.length > 0 || !parsed.ok)
    return { ok: false, problems: problems.sort(inWorkbookOrder), warnings };
  return { ok: true, ledger: parsed.ledger, json, warnings };
}

/** "市场主体 第 5 行 C 列（是否法人）：须为 是 或 否" — the one-line form the CLI and receipts print. */
export const describeCellProblem = (problem: CellProblem) =>
  problem.sheet && !problem.message.startsWith(problem.sheet)
    ? `${problem.sheet}${problem.row === null ? '' : ` 第 ${problem.row} 行`}${problem.column === null ? '' : ` ${problem.column} 列`}：${problem.message}`
    : problem.message || problem.path;
