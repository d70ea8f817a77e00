import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError } from '../../http/errors.ts';
import { idNumberBlindIndex, maskIdNumber } from '../../lib/id-number.ts';
import { loadExcelJS } from '../../lib/lazy-packages.ts';
import { sm4Encrypt } from '../../lib/national-crypto.ts';
import { writeReceiptWorkbook } from '../../lib/receipt-xlsx.ts';
import { monthlyWorkbookLimits } from '../../lib/spreadsheet-limits.ts';
import { readXlsxRows, XlsxUnreadableError } from '../../lib/xlsx-rows.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import { type CopyTransaction, withCopyTransaction } from '../stats/monthly-import-copy.ts';
import { CsvFormatError, readCsvRecords } from '../stats/monthly-import-csv.ts';
import type { CellInput, ImportProblem } from '../stats/monthly-import-rows.ts';
import { type CheckedTrainee, TraineeRowChecker, traineeImportColumns } from './trainee-import-rows.ts';
import { phoneColumns } from './trainees.service.ts';

export const TRAINEE_SHEET = '学员名单';
const INSTRUCTIONS_SHEET = '填表说明';

export type TraineeImportSummary = {
  fileName: string;
  etownCode: string;
  rows: number;
  inserted: number;
  /** Rows whose ID number already has a file (一人一档): left as they are. */
  skipped: number;
  warningCount: number;
};

export type TraineeImportResult = { summary: TraineeImportSummary; warnings: ImportProblem[] };

/** The file was read and refused: nothing was written. */
export class TraineeImportRejected extends Error {
  constructor(
    readonly problems: ImportProblem[],
    readonly problemCount: number,
  ) {
    super(`文件有 ${problemCount} 处问题，未导入任何学员`);
  }
}

type SheetRecord = { row: number; cells: CellInput[] };

function readRecords(filePath: string, fileName: string): AsyncIterable<SheetRecord[]> {
  const extension = path.extname(fileName).toLowerCase();
  if (extension === '.csv') return readCsvRecords(createReadStream(filePath));
  if (extension !== '.xlsx')
    throw new AppError(415, 'unsupported_file_type', '文件须为 .csv 或 .xlsx（旧版 .xls 请另存为 .xlsx）');
  return (async function* () {
    for await (const { rows } of readXlsxRows(filePath, monthlyWorkbookLimits, {
      skip: [INSTRUCTIONS_SHEET],
      firstOnly: true,
    })) {
      if (rows.length > 0) yield rows;
    }
  })();
}

const fileProblem = (message: string, code: string): ImportProblem => ({
  row: null,
  column: null,
  field: '',
  message,
  code,
});

/** Reads and checks every row; problems of the file as a whole (unreadable, empty) are added too. */
async function checkFile(
  file: { path: string; fileName: string },
  checker: TraineeRowChecker,
): Promise<void> {
  try {
    reading: for await (const records of readRecords(file.path, file.fileName)) {
      for (const { row, cells } of records) {
        if (checker.hasHeader) checker.check(cells, row);
        else if (cells.some((cell) => cell !== null && cell !== undefined && String(cell).trim() !== '')) {
          if (!checker.header(cells, row)) break reading;
        }
      }
    }
  } catch (error) {
    if (error instanceof CsvFormatError)
      checker.problems.add({ ...fileProblem(error.message, 'bad_csv'), row: error.row });
    else if (error instanceof XlsxUnreadableError)
      checker.problems.add(
        fileProblem('无法读取该 XLSX 文件，请用 Excel 或 WPS 另存为 .xlsx 后重试', 'unreadable_xlsx'),
      );
    else throw error;
  }
  if (checker.problems.count === 0 && checker.rows === 0)
    checker.problems.add(
      fileProblem(checker.hasHeader ? '文件中没有数据行' : '文件是空的，请使用模板填写', 'empty_file'),
    );
}

/** The blind indexes among `indexes` that already have a file, anywhere (one file per person): one query. */
async function indexesOnFile(transaction: CopyTransaction, indexes: string[]): Promise<Set<string>> {
  if (indexes.length === 0) return new Set();
  const rows = await transaction.query<{ index: string }>(
    'select id_number_index as index from trainees where id_number_index = any($1::text[])',
    [indexes],
  );
  return new Set(rows.map((row) => row.index));
}

export type TraineeImportOptions = {
  onProgress?: (done: number, total: number, stage?: string) => void;
  /** Runs last inside the import's transaction (a job records its outcome with the rows). */
  beforeCommit?: (executor: Executor, result: TraineeImportResult) => Promise<void>;
};

const TRAINEE_COPY_TARGET =
  'trainees (etown_code, village_name, name, gender, birth_year, id_number_cipher, id_number_masked, id_number_index, phone_cipher, phone_masked, category, skills)';
/** Rows per piece of COPY data (each piece made, encrypted, as the previous one is sent). */
const COPY_PIECE_ROWS = 1_000;

/** A value as COPY text: backslash, tab and line breaks escaped; null as `\N`. */
const copyText = (value: string | null) =>
  value === null
    ? '\\N'
    : value.replace(/[\\\t\n\r]/g, (c) =>
        c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\\\',
      );

/** The new files as COPY lines, encrypted a piece at a time (the ID number's index is already known). */
async function* traineeCopyPieces(
  secretKeyHex: string,
  etownCode: string,
  rows: { row: CheckedTrainee; index: string }[],
): AsyncGenerator<string> {
  for (let start = 0; start < rows.length; start += COPY_PIECE_ROWS) {
    let piece = '';
    for (const { row, index } of rows.slice(start, start + COPY_PIECE_ROWS)) {
      const phone = phoneColumns(row.phone, secretKeyHex);
      const fields = [
        etownCode,
        row.villageName,
        row.name,
        row.gender,
        String(row.birthYear),
        sm4Encrypt(row.idNumber, secretKeyHex),
        maskIdNumber(row.idNumber),
        index,
        phone.phoneCipher ?? null,
        phone.phoneMasked ?? null,
        row.category,
        JSON.stringify(row.skills),
      ];
      piece += `${fields.map(copyText).join('\t')}\n`;
    }
    yield piece;
  }
}

/**
 * 学员名单导入 into one e-town: every row checked (GB 11643, categories, duplicates in the file); any
 * problem refuses the whole file with `TraineeImportRejected`. A person who already has a file is left
 * as is and listed as a warning; the others are copied in one transaction with one audit record.
 */
export async function importTrainees(
  context: AppContext,
  actor: Actor,
  file: { path: string; fileName: string },
  etownCode: string,
  options: TraineeImportOptions = {},
): Promise<TraineeImportResult> {
  await requireVisibleRegion(context.database.db, actor, etownCode, 'etown');
  options.onProgress?.(0, 0, '正在读取和校验文件');
  const checker = new TraineeRowChecker();
  await checkFile(file, checker);
  if (checker.problems.count > 0)
    throw new TraineeImportRejected(checker.problems.listed, checker.problems.count);
  const total = checker.checked.length;
  options.onProgress?.(total, total, `正在写入数据库（${total} 行）`);
  const withIndex = checker.checked.map((row) => ({
    row,
    index: idNumberBlindIndex(row.idNumber, context.secretKeyHex),
  }));
  return withCopyTransaction(context.database, async (transaction) => {
    const onFile = await indexesOnFile(
      transaction,
      withIndex.map((entry) => entry.index),
    );
    const fresh = withIndex.filter((entry) => !onFile.has(entry.index));
    if (fresh.length > 0)
      await transaction.copyFromPieces(
        TRAINEE_COPY_TARGET,
        traineeCopyPieces(context.secretKeyHex, etownCode, fresh),
      );
    const warnings: ImportProblem[] = withIndex
      .filter((entry) => onFile.has(entry.index))
      .map(({ row }) => ({
        row: row.row,
        column: null,
        field: '身份证号',
        message: `${row.name} 已建档（一人一档），本行未导入`,
        code: 'already_on_file',
      }));
    const summary: TraineeImportSummary = {
      fileName: file.fileName,
      etownCode,
      rows: total,
      inserted: fresh.length,
      skipped: total - fresh.length,
      warningCount: warnings.length,
    };
    await recordAudit(transaction.executor, actor, {
      action: 'trainee.import',
      targetType: 'trainees',
      regionCode: etownCode,
      diff: { ...summary },
    });
    const result = { summary, warnings: warnings.slice(0, 1000) };
    await options.beforeCommit?.(transaction.executor, result);
    return result;
  });
}

/** The CSV template: UTF-8 with a BOM (so Excel and WPS open the Chinese headers right), headers only. */
export function traineeTemplateCsv(): Buffer {
  return Buffer.from(`\uFEFF${traineeImportColumns.map((column) => column.header).join(',')}\r\n`, 'utf8');
}

/** The XLSX template: the list sheet with every column as text (ID numbers keep all 18 characters), and 填表说明. */
export async function traineeTemplateXlsx(): Promise<Buffer> {
  const workbook = new (await loadExcelJS()).Workbook();
  workbook.creator = 'e镇通';
  const sheet = workbook.addWorksheet(TRAINEE_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = traineeImportColumns.map((column) => ({
    header: column.header,
    key: column.key,
    width: column.key === 'idNumber' ? 24 : 16,
    style: { numFmt: '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  const notes = workbook.addWorksheet(INSTRUCTIONS_SHEET);
  notes.columns = [{ width: 14 }, { width: 10 }, { width: 70 }, { width: 24 }];
  notes.addRow(['学员名单导入：填表说明']).font = { bold: true, size: 14 };
  notes.addRow([
    '整个文件全部通过校验才会导入；有任何错误则不导入任何学员，并生成错误回执（行、列、原因）。已建档的身份证号跳过并在回执中列出。',
  ]);
  notes.addRow(['列', '是否必填', '说明', '示例']).font = { bold: true };
  for (const column of traineeImportColumns)
    notes.addRow([column.header, column.required ? '必填' : '选填', column.note, column.example]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** 错误回执 of a refused import, or 导入提示 listing the rows skipped as already on file. */
export function writeTraineeImportReceipt(
  fileName: string,
  problems: readonly ImportProblem[],
  problemCount: number,
  warnings: readonly ImportProblem[],
): Promise<Buffer> {
  const refused = problemCount > 0;
  return writeReceiptWorkbook({
    sheetName: refused ? '错误回执' : '导入提示',
    title: `${refused ? '学员名单导入错误回执' : '学员名单导入提示'}：${fileName}`,
    note: refused
      ? `共 ${problemCount} 处问题${problemCount > problems.length ? `（列出前 ${problems.length} 处）` : ''}，未导入任何学员；请按下表逐条改正后重新上传。`
      : `其余各行已导入。下列 ${warnings.length} 行的身份证号已建档（一人一档），未导入。`,
    columns: [
      { header: '序号', width: 6, align: 'center' },
      { header: '行', width: 8, align: 'center' },
      { header: '列', width: 6, align: 'center' },
      { header: '字段', width: 14 },
      { header: '问题', width: 64 },
      { header: '代码', width: 26 },
    ],
    messageColumn: 5,
    lines: (refused ? problems : warnings).map((problem) => ({
      cells: [
        problem.row ?? '（整个文件）',
        problem.column ?? '',
        problem.field,
        problem.message,
        problem.code,
      ],
      warning: !refused,
    })),
  });
}
