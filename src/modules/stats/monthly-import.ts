import { randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Actor } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { entities } from '../../db/schema/entities.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError } from '../../http/errors.ts';
import { monthlyWorkbookLimits } from '../../lib/spreadsheet-limits.ts';
import { readXlsxRows, XlsxUnreadableError } from '../../lib/xlsx-rows.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { withCopyTransaction } from './monthly-import-copy.ts';
import { CsvFormatError, readCsvRecords } from './monthly-import-csv.ts';
import { INSTRUCTIONS_SHEET } from './monthly-import-files.ts';
import {
  type CellInput,
  copyLine,
  currentChinaMonth,
  type ImportEntity,
  type ImportProblem,
  MonthlyRowChecker,
} from './monthly-import-rows.ts';

export type MonthlyImportFormat = 'csv' | 'xlsx';

/** What an import did, for the job list and the audit record. */
export type MonthlyImportSummary = {
  fileName: string;
  rows: number;
  inserted: number;
  replaced: number;
  months: string[];
  etownCount: number;
  /** The first e-towns touched (all of them up to 100). */
  etowns: string[];
  warningCount: number;
};

export type MonthlyImportResult = { summary: MonthlyImportSummary; warnings: ImportProblem[] };

/** The file was read and refused: nothing was written. */
export class MonthlyImportRejected extends Error {
  constructor(
    readonly problems: ImportProblem[],
    readonly problemCount: number,
    readonly warnings: ImportProblem[],
    readonly warningCount: number,
  ) {
    super(`文件有 ${problemCount} 处问题，未导入任何数据`);
  }
}

export type MonthlyImportOptions = {
  /** Rows read so far and the rows the whole file probably has; `stage` when the work moves on. */
  onProgress?: (rowsRead: number, estimatedRows: number, stage?: string) => void;
  /** How many problems (and warnings) are listed; all are counted. */
  problemLimit?: number;
  /** The latest month a file may give (default: this month in China). */
  latestMonth?: string;
  /** Runs last inside the import's transaction (a job records its outcome with the rows). */
  beforeCommit?: (executor: Executor, result: MonthlyImportResult) => Promise<void>;
};

/** Rows between progress reports (the job store throttles writes itself). */
const PROGRESS_EVERY_ROWS = 5_000;
/** COPY text is written to the spool file in pieces of about this size. */
const SPOOL_FLUSH_CHARACTERS = 1024 * 1024;
const LISTED_ETOWNS = 100;

export function monthlyImportFormat(fileName: string): MonthlyImportFormat {
  const extension = path.extname(fileName).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.xlsx') return 'xlsx';
  throw new AppError(415, 'unsupported_file_type', '文件须为 .csv 或 .xlsx（旧版 .xls 请另存为 .xlsx）');
}

/** The entities the actor may write figures for, by credit code (loaded once per import). */
async function scopedEntities(executor: Executor, actor: Actor): Promise<Map<string, ImportEntity>> {
  const rows = await executor
    .select({ creditCode: entities.creditCode, id: entities.id, etownCode: entities.etownCode })
    .from(entities)
    .where(regionScopeCondition(actor.scope, entities.etownCode));
  return new Map(
    rows.map((row) => [row.creditCode.toUpperCase(), { id: row.id, etownCode: row.etownCode, seen: null }]),
  );
}

type SheetRecord = { row: number; cells: CellInput[] };

/** Rows of the first worksheet other than 填表说明, streamed from a worker thread; other sheets are skipped. */
async function* readXlsxRecords(filePath: string): AsyncGenerator<SheetRecord[]> {
  for await (const { rows } of readXlsxRows(filePath, monthlyWorkbookLimits, {
    skip: [INSTRUCTIONS_SHEET],
    firstOnly: true,
  })) {
    if (rows.length > 0) yield rows;
  }
}

function readRecords(
  format: MonthlyImportFormat,
  filePath: string,
  stream: ReadStream,
): AsyncIterable<SheetRecord[]> {
  return format === 'csv' ? readCsvRecords(stream) : readXlsxRecords(filePath);
}

/** Reads and checks the whole file, writing the checked rows as COPY text to `spoolPath`. */
async function checkFile(
  filePath: string,
  format: MonthlyImportFormat,
  spoolPath: string,
  checker: MonthlyRowChecker,
  onProgress: MonthlyImportOptions['onProgress'],
): Promise<void> {
  const totalBytes = (await stat(filePath)).size;
  const spool = await open(spoolPath, 'w');
  const stream = createReadStream(filePath, { highWaterMark: 1024 * 1024 });
  try {
    let pending: string[] = [];
    let pendingCharacters = 0;
    let nextProgress = PROGRESS_EVERY_ROWS;
    let headerRow = 0;
    reading: for await (const records of readRecords(format, filePath, stream)) {
      for (const { row, cells } of records) {
        if (!checker.hasHeader) {
          if (cells.every((cell) => cell === null || cell === undefined || String(cell).trim() === ''))
            continue;
          headerRow = row;
          // Without the template's columns nothing below can be read.
          if (!checker.header(cells, row)) break reading;
          continue;
        }
        const checked = checker.check(cells, row);
        // Once the file has a problem it will not be imported: keep checking, stop writing.
        if (checked && checker.problems.count === 0) {
          const line = copyLine(checked);
          pending.push(line);
          pendingCharacters += line.length;
          if (pendingCharacters >= SPOOL_FLUSH_CHARACTERS) {
            await spool.write(pending.join(''));
            pending = [];
            pendingCharacters = 0;
          }
        }
      }
      if (checker.rows >= nextProgress) {
        nextProgress = checker.rows + PROGRESS_EVERY_ROWS;
        // The worker reads an XLSX by itself; only a CSV's bytes read tell how far along the file is.
        const estimate =
          format === 'csv'
            ? Math.round((checker.rows * totalBytes) / Math.max(stream.bytesRead, 1))
            : checker.rows;
        onProgress?.(checker.rows, Math.max(estimate, checker.rows));
      }
    }
    if (pending.length > 0 && checker.problems.count === 0) await spool.write(pending.join(''));
    if (checker.problems.count === 0 && checker.rows === 0) {
      checker.problems.add({
        row: checker.hasHeader ? headerRow : null,
        column: null,
        field: '',
        message: checker.hasHeader ? '文件中没有数据行' : '文件是空的，请使用模板填写',
        code: 'empty_file',
      });
    }
  } catch (error) {
    if (error instanceof CsvFormatError) {
      checker.problems.add({
        row: error.row,
        column: null,
        field: '',
        message: error.message,
        code: 'bad_csv',
      });
    } else if (error instanceof XlsxUnreadableError) {
      // Not a zip, or not a workbook inside: the person's file, not our disk, is the problem.
      checker.problems.add({
        row: null,
        column: null,
        field: '',
        message: '无法读取该 XLSX 文件，请用 Excel 或 WPS 另存为 .xlsx 后重试',
        code: 'unreadable_xlsx',
      });
    } else throw error;
  } finally {
    stream.destroy();
    await spool.close();
  }
}

const STAGING = 'monthly_import_staging';

/**
 * 批量导入月度统计: reads a CSV or XLSX file as a stream and checks every cell; if anything is wrong it
 * throws `MonthlyImportRejected` with the problems and writes nothing. Otherwise, in one transaction, it
 * copies the rows into a temporary table and upserts them into monthly_statistics (an entity-month
 * already there is replaced; imported figures are approved), with one audit record.
 *
 * Memory does not grow with the file: rows are checked one by one and spooled to a temporary file of
 * COPY text; only the credit-code map of the actor's entities and one bit per entity and month are kept.
 * Checking happens before the transaction opens, so the database is held only while the rows go in.
 */
export async function importMonthlyStatistics(
  context: AppContext,
  actor: Actor,
  file: { path: string; fileName: string },
  options: MonthlyImportOptions = {},
): Promise<MonthlyImportResult> {
  const format = monthlyImportFormat(file.fileName);
  const { onProgress } = options;
  onProgress?.(0, 0, '正在读取和校验文件');
  const checker = new MonthlyRowChecker(
    await scopedEntities(context.database.db, actor),
    options.latestMonth ?? currentChinaMonth(),
    options.problemLimit ?? 1000,
  );
  const spoolPath = path.join(tmpdir(), `ezhen-monthly-import-${randomUUID()}.copy`);
  try {
    await checkFile(file.path, format, spoolPath, checker, onProgress);
    const { problems, warnings } = checker;
    if (problems.count > 0) {
      throw new MonthlyImportRejected(problems.listed, problems.count, warnings.listed, warnings.count);
    }
    const rows = checker.rows;
    onProgress?.(rows, rows, `正在写入数据库（${rows} 行）`);
    const months = [...checker.months].sort();
    const etowns = [...checker.etowns].sort();
    return await withCopyTransaction(context.database, async (transaction) => {
      await transaction.query(`create temporary table ${STAGING} (
          etown_code text not null, entity_id uuid not null, month text not null,
          output_fen bigint not null, online_retail_fen bigint not null, cross_border_fen bigint not null,
          orders bigint not null, employees integer not null, ecommerce_employees integer not null
        ) on commit drop`);
      await transaction.copyFromFile(
        `${STAGING} (etown_code, entity_id, month, output_fen, online_retail_fen, cross_border_fen, orders, employees, ecommerce_employees)`,
        spoolPath,
      );
      // xmax = 0 marks a freshly inserted row; a conflicting one was updated (replaced).
      const [counts] = await transaction.query<{ inserted: string; total: string }>(
        `with upserted as (
           insert into monthly_statistics as m (etown_code, entity_id, month, output_fen, online_retail_fen,
             cross_border_fen, orders, employees, ecommerce_employees, status, source, reviewed_at, reviewed_by)
           select etown_code, entity_id, month, output_fen, online_retail_fen, cross_border_fen, orders,
             employees, ecommerce_employees, 'approved', 'import', now(), $1::uuid
           from ${STAGING}
           on conflict (entity_id, month) do update set
             etown_code = excluded.etown_code, output_fen = excluded.output_fen,
             online_retail_fen = excluded.online_retail_fen, cross_border_fen = excluded.cross_border_fen,
             orders = excluded.orders, employees = excluded.employees,
             ecommerce_employees = excluded.ecommerce_employees, status = 'approved', source = 'import',
             outlier_explanation = null, return_reason = null, reviewed_at = excluded.reviewed_at,
             reviewed_by = excluded.reviewed_by, updated_at = now()
           returning (xmax = 0) as inserted
         )
         select count(*) filter (where inserted)::text as inserted, count(*)::text as total from upserted`,
        [actor.userId],
      );
      const total = Number(counts?.total ?? 0);
      if (total !== rows) throw new Error(`写入 ${total} 行，与文件中的 ${rows} 行不符`);
      const insertedRows = Number(counts?.inserted ?? 0);
      const result = { inserted: insertedRows, replaced: total - insertedRows };
      const summary: MonthlyImportSummary = {
        fileName: file.fileName,
        rows,
        ...result,
        months,
        etownCount: etowns.length,
        etowns: etowns.slice(0, LISTED_ETOWNS),
        warningCount: warnings.count,
      };
      await recordAudit(transaction.executor, actor, {
        action: 'stats.monthly.import',
        targetType: 'monthly_statistics',
        // The importing county: its e-towns' figures are what changed.
        regionCode: actor.scope.kind === 'region' ? actor.scope.code : null,
        diff: {
          fileName: file.fileName,
          rows,
          ...result,
          months: months.length > 24 ? [months[0], months.at(-1)] : months,
          monthCount: months.length,
          etownCount: etowns.length,
          etowns: etowns.slice(0, LISTED_ETOWNS),
          warningCount: warnings.count,
        },
      });
      await options.beforeCommit?.(transaction.executor, { summary, warnings: warnings.listed });
      return { summary, warnings: warnings.listed };
    });
  } finally {
    await rm(spoolPath, { force: true });
  }
}
