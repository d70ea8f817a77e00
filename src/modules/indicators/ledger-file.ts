import { readFileSync } from 'node:fs';
import { AppError } from '../../http/errors.ts';
import type { Ledger } from '../../indicators/ledger-schema.ts';
import { parseLedger } from '../../indicators/ledger-schema.ts';
import { type CellProblem, describeCellProblem, readLedgerWorkbook } from './ledger-xlsx.ts';

/** A ledger file read and validated: JSON or XLSX by its extension. */
export type LedgerFileResult =
  | { ok: true; ledger: Ledger; warnings: string[] }
  | { ok: false; problems: string[]; warnings: string[] }
  | { ok: false; unreadable: string };

export const isWorkbookFile = (file: string) => /\.xlsx$/i.test(file);

/** JSON.parse explains itself in English with a character position; say where in Chinese. */
function describeJsonError(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message);
  if (!position) return '内容不是有效的 JSON';
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `内容不是有效的 JSON（第 ${line} 行第 ${column} 列附近）`;
}

function readBytes(file: string): Buffer | { unreadable: string } {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { unreadable: `文件 ${file} 不存在` };
    if (code === 'EISDIR') return { unreadable: `${file} 是目录，不是台账文件` };
    return { unreadable: `无法读取 ${file}（${code ?? (error as Error).message}）` };
  }
}

const describe = (problem: { path: string; message: string; code: string }) =>
  `${problem.path || '（整个文件）'}: ${problem.message} [${problem.code}]`;

export async function readLedgerFile(file: string): Promise<LedgerFileResult> {
  if (/\.xls$/i.test(file)) return { ok: false, unreadable: `${file} 是旧版 XLS 文件，请另存为 XLSX` };
  const bytes = readBytes(file);
  if (!Buffer.isBuffer(bytes)) return { ok: false, unreadable: bytes.unreadable };
  if (isWorkbookFile(file)) {
    let result: Awaited<ReturnType<typeof readLedgerWorkbook>>;
    try {
      result = await readLedgerWorkbook(bytes);
    } catch (error) {
      // A workbook over a size limit: its message names the limit.
      if (error instanceof AppError) return { ok: false, unreadable: `${file}：${error.message}` };
      throw error;
    }
    const warnings = result.warnings.map(describeCellProblem);
    if (!result.ok) return { ok: false, problems: result.problems.map(describeCellProblem), warnings };
    return { ok: true, ledger: result.ledger, warnings };
  }
  // Spreadsheet tools often write a byte-order mark in front of UTF-8 JSON.
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, unreadable: `${file} ${describeJsonError(text, error as Error)}` };
  }
  const result = parseLedger(value);
  const warnings = result.warnings.map(describe);
  if (!result.ok) return { ok: false, problems: result.problems.map(describe), warnings };
  return { ok: true, ledger: result.ledger, warnings };
}

/** An uploaded ledger read and validated, each problem located for an error receipt. */
export type LedgerUploadResult =
  | { ok: true; ledger: Ledger; warnings: CellProblem[] }
  | { ok: false; problems: CellProblem[]; warnings: CellProblem[] };

const atPath = (problem: { path: string; message: string; code: string }): CellProblem => ({
  ...problem,
  sheet: '',
  row: null,
  column: null,
});

/** The bytes of an uploaded ledger, JSON or XLSX by the file name's extension. */
export async function readLedgerUpload(bytes: Buffer, fileName: string): Promise<LedgerUploadResult> {
  const whole = (code: string, message: string): LedgerUploadResult => ({
    ok: false,
    problems: [atPath({ path: '', code, message })],
    warnings: [],
  });
  if (/\.xls$/i.test(fileName))
    return whole('legacy_xls', `${fileName} 是旧版 XLS 文件，请另存为 XLSX 后上传`);
  if (isWorkbookFile(fileName)) return readLedgerWorkbook(bytes);
  if (!/\.json$/i.test(fileName)) return whole('unsupported_file', '台账文件须为 XLSX 或 JSON');
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return whole('invalid_json', describeJsonError(text, error as Error));
  }
  const result = parseLedger(value);
  if (!result.ok)
    return { ok: false, problems: result.problems.map(atPath), warnings: result.warnings.map(atPath) };
  return { ok: true, ledger: result.ledger, warnings: result.warnings.map(atPath) };
}
