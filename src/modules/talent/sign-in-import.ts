import { createReadStream } from 'node:fs';
import path from 'node:path';
import { and, inArray } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import { trainees } from '../../db/schema/talent.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, badRequest } from '../../http/errors.ts';
import { idNumberBlindIndex, idNumberProblem, normalizeIdNumber } from '../../lib/id-number.ts';
import { monthlyWorkbookLimits } from '../../lib/spreadsheet-limits.ts';
import { readXlsxRows, XlsxUnreadableError } from '../../lib/xlsx-rows.ts';
import { CsvFormatError, readCsvRecords } from '../stats/monthly-import-csv.ts';
import { type CellInput, columnLetter, type ImportProblem } from '../stats/monthly-import-rows.ts';
import { addAttendance, getTrainingSession, requireVisibleSession } from './training-sessions.service.ts';

type SheetRecord = { row: number; cells: CellInput[] };
type SignInRow = { row: number; column: string; idNumber: string };

function readRecords(filePath: string, fileName: string): AsyncIterable<SheetRecord[]> {
  const extension = path.extname(fileName).toLowerCase();
  if (extension === '.csv') return readCsvRecords(createReadStream(filePath));
  if (extension !== '.xlsx')
    throw new AppError(415, 'unsupported_file_type', '文件须为 .csv 或 .xlsx（旧版 .xls 请另存为 .xlsx）');
  return (async function* () {
    for await (const { rows } of readXlsxRows(filePath, monthlyWorkbookLimits, { firstOnly: true }))
      yield rows;
  })();
}

/** The 身份证号 column of a sign-in sheet (any other columns are ignored), every number checked. */
async function readSignInRows(file: { path: string; fileName: string }) {
  const problems: ImportProblem[] = [];
  const rows: SignInRow[] = [];
  let column = -1;
  try {
    for await (const records of readRecords(file.path, file.fileName)) {
      for (const { row, cells } of records) {
        const texts = cells.map((cell) => (cell === null || cell === undefined ? '' : String(cell).trim()));
        if (column < 0) {
          column = texts.findIndex((text) => text.replace(/\s+/g, '') === '身份证号');
          continue;
        }
        const text = texts[column] ?? '';
        if (!text) continue;
        const problem = idNumberProblem(text);
        const at = { row, column: columnLetter(column), field: '身份证号' };
        if (problem) problems.push({ ...at, message: problem.message, code: problem.code });
        else rows.push({ ...at, idNumber: normalizeIdNumber(text) });
      }
    }
  } catch (error) {
    if (!(error instanceof CsvFormatError || error instanceof XlsxUnreadableError)) throw error;
    problems.push({
      row: null,
      column: null,
      field: '',
      message: '无法读取该文件，请使用 UTF-8 CSV 或 .xlsx',
      code: 'unreadable_file',
    });
  }
  if (column < 0)
    problems.push({
      row: null,
      column: null,
      field: '身份证号',
      message: '签到表中没有「身份证号」列',
      code: 'missing_column',
    });
  return { rows, problems };
}

const refused = (problems: ImportProblem[]) =>
  badRequest(
    'sign_in_list_rejected',
    `签到表有 ${problems.length} 处问题，未签到任何人：${problems
      .slice(0, 5)
      .map((problem) => (problem.row === null ? problem.message : `第 ${problem.row} 行：${problem.message}`))
      .join('；')}`,
    problems
      .slice(0, 200)
      .map((problem) => ({ ...problem, path: problem.row === null ? 'file' : `row ${problem.row}` })),
  );

/**
 * 签到表导入: every ID number in the sheet must belong to a trainee file the actor sees (found by its
 * blind index); any problem signs in nobody. Those already signed in are counted apart.
 */
export async function importSignInList(
  context: AppContext,
  actor: Actor,
  sessionId: string,
  file: { path: string; fileName: string },
) {
  await requireVisibleSession(context.database.db, actor, sessionId);
  const { rows, problems } = await readSignInRows(file);
  if (problems.length === 0 && rows.length === 0)
    problems.push({
      row: null,
      column: null,
      field: '身份证号',
      message: '签到表中没有签到人员',
      code: 'empty_file',
    });
  const indexOf = new Map(rows.map((row) => [idNumberBlindIndex(row.idNumber, context.secretKeyHex), row]));
  const found = indexOf.size
    ? await context.database.db
        .select({ id: trainees.id, index: trainees.idNumberIndex })
        .from(trainees)
        .where(
          and(
            inArray(trainees.idNumberIndex, [...indexOf.keys()]),
            regionScopeCondition(actor.scope, trainees.etownCode),
          ),
        )
    : [];
  const known = new Set(found.map((trainee) => trainee.index));
  for (const [index, row] of indexOf) {
    if (!known.has(index))
      problems.push({
        row: row.row,
        column: row.column,
        field: '身份证号',
        message: '该身份证号尚未建档，请先建立学员档案',
        code: 'trainee_not_on_file',
      });
  }
  if (problems.length > 0) throw refused(problems);
  const change = await context.database.db.transaction(async (tx) =>
    addAttendance(
      tx,
      actor,
      await requireVisibleSession(tx, actor, sessionId),
      found.map((trainee) => trainee.id),
      'import',
    ),
  );
  return { ...change, session: await getTrainingSession(context, actor, sessionId) };
}
