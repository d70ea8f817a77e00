import { badRequest } from '../http/errors.ts';

/**
 * How big an uploaded workbook may be, checked before and while it is read (ledger and monthly imports).
 * A crafted XLSX is a small zip that inflates to gigabytes; these refuse it with a clear message instead.
 */
export type SpreadsheetLimits = {
  /** Sum of the zip entries' uncompressed sizes, as the central directory declares them. */
  maxUncompressedBytes: number;
  maxZipEntries: number;
  /** Uncompressed / compressed size of any one entry above 1 MB; ordinary sheet XML stays far below. */
  maxCompressionRatio: number;
  maxSheets: number;
  /** Rows holding any value, per sheet. */
  maxRowsPerSheet: number;
  /** The rightmost column holding a value, in any row. */
  maxColumnsPerRow: number;
  /** Cells holding a value, in the whole workbook. */
  maxCells: number;
  /** Characters in one cell; 32,767 is Excel's own limit. */
  maxCellCharacters: number;
};

const MB = 1024 * 1024;

/** A ledger is one e-town's year: a few thousand rows per list at most. */
export const ledgerWorkbookLimits: SpreadsheetLimits = {
  maxUncompressedBytes: 256 * MB,
  maxZipEntries: 500,
  maxCompressionRatio: 100,
  maxSheets: 40,
  maxRowsPerSheet: 100_000,
  maxColumnsPerRow: 100,
  maxCells: 2_000_000,
  maxCellCharacters: 32_767,
};

/** Monthly statistics: up to Excel's 1,048,576 rows of about ten columns in one sheet. */
export const monthlyWorkbookLimits: SpreadsheetLimits = {
  maxUncompressedBytes: 1024 * MB,
  maxZipEntries: 500,
  maxCompressionRatio: 100,
  maxSheets: 40,
  maxRowsPerSheet: 1_048_576,
  maxColumnsPerRow: 100,
  maxCells: 12_000_000,
  maxCellCharacters: 32_767,
};

/** Which limit a workbook broke, and where; crosses from the reading worker to the main thread as is. */
export type SpreadsheetLimitBreach =
  | { limit: 'uncompressedBytes'; actual: number; max: number }
  | { limit: 'zipEntries'; actual: number; max: number }
  | { limit: 'compressionRatio'; entry: string; actual: number; max: number }
  | { limit: 'sheets'; actual: number; max: number }
  | { limit: 'rowsPerSheet'; sheet: string; row: number; max: number }
  | { limit: 'columnsPerRow'; sheet: string; row: number; actual: number; max: number }
  | { limit: 'cells'; sheet: string; row: number; max: number }
  | { limit: 'cellCharacters'; sheet: string; row: number; column: number; actual: number; max: number }
  | { limit: 'declaredSize'; entry: string }
  | { limit: 'memory'; maxMb: number };

const megabytes = (bytes: number) => `${Math.round(bytes / MB)} MB`;
const at = (sheet: string, row: number) => `工作表「${sheet}」第 ${row} 行`;

/** The 400 a broken limit answers with: one stable code per limit, the message naming the limit. */
export function spreadsheetLimitError(breach: SpreadsheetLimitBreach) {
  switch (breach.limit) {
    case 'uncompressedBytes':
      return badRequest(
        'xlsx_uncompressed_too_large',
        `XLSX 文件解压后共 ${megabytes(breach.actual)}，超过上限 ${megabytes(breach.max)}，请拆分后分批导入`,
        breach,
      );
    case 'zipEntries':
      return badRequest(
        'xlsx_too_many_entries',
        `XLSX 文件内含 ${breach.actual} 个部件，超过上限 ${breach.max} 个，不像是正常的工作簿`,
        breach,
      );
    case 'compressionRatio':
      return badRequest(
        'xlsx_compression_ratio',
        `XLSX 文件中的 ${breach.entry} 压缩比为 ${breach.actual} 倍，超过上限 ${breach.max} 倍（疑似压缩炸弹），请用 Excel 或 WPS 重新另存后上传`,
        breach,
      );
    case 'sheets':
      return badRequest(
        'xlsx_too_many_sheets',
        `工作簿有 ${breach.actual} 个工作表，超过上限 ${breach.max} 个`,
        breach,
      );
    case 'rowsPerSheet':
      return badRequest(
        'xlsx_too_many_rows',
        `${at(breach.sheet, breach.row)}：每个工作表最多 ${breach.max} 行数据，请拆分后分批导入`,
        breach,
      );
    case 'columnsPerRow':
      return badRequest(
        'xlsx_too_many_columns',
        `${at(breach.sheet, breach.row)}有 ${breach.actual} 列，每行最多 ${breach.max} 列`,
        breach,
      );
    case 'cells':
      return badRequest(
        'xlsx_too_many_cells',
        `${at(breach.sheet, breach.row)}：工作簿最多 ${breach.max} 个非空单元格，请拆分后分批导入`,
        breach,
      );
    case 'cellCharacters':
      return badRequest(
        'xlsx_cell_too_long',
        `${at(breach.sheet, breach.row)}第 ${breach.column} 列有 ${breach.actual} 个字符，单元格最多 ${breach.max} 个字符`,
        breach,
      );
    case 'declaredSize':
      return badRequest(
        'xlsx_uncompressed_too_large',
        `XLSX 文件中的 ${breach.entry} 解压后超过其声明的大小（文件被篡改或损坏），请用 Excel 或 WPS 重新另存后上传`,
        breach,
      );
    case 'memory':
      return badRequest(
        'xlsx_too_large',
        `读取该 XLSX 文件需要的内存超过上限 ${breach.maxMb} MB，请删去多余的工作表和格式，或拆分后分批导入`,
        breach,
      );
  }
}
