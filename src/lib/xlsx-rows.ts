import { Worker } from 'node:worker_threads';
import type { AppError } from '../http/errors.ts';
import { type SpreadsheetLimits, spreadsheetLimitError } from './spreadsheet-limits.ts';
import type { XlsxWorkerMessage, XlsxWorkerRequest } from './xlsx-rows-worker.ts';
import { checkXlsxZip } from './zip-directory.ts';

/** A cell's plain value: text, number, boolean or a date (formulas give their result). */
export type XlsxCell = string | number | boolean | Date | null;
/** A row holding at least one value; `cells[0]` is column A; `row` is 1-based as Excel numbers it. */
export type XlsxRow = { row: number; cells: XlsxCell[] };
/** A sheet starts (`rows` empty), then its rows come in batches. */
export type XlsxSheetRows = { sheet: string; rows: XlsxRow[] };

/** The bytes are not a workbook (not a zip, or no sheets inside it). */
export class XlsxUnreadableError extends Error {}

/** Heap of the reading worker; a workbook needing more is refused instead of slowing the server. */
const WORKER_HEAP_MB = 512;
const workerEntry = new URL('./xlsx-rows-worker-entry.mjs', import.meta.url);

export type XlsxReadOptions = Omit<XlsxWorkerRequest, 'source' | 'limits'>;

/**
 * The rows of a workbook (a file path or its bytes), read as a stream in a worker thread so the server
 * keeps answering: the zip's central directory is checked first, then sheets, rows, columns, cells and
 * cell text are counted as they go. A broken limit throws its 400 `AppError`; bytes that are no
 * workbook throw `XlsxUnreadableError`. Stopping early (break) ends the worker.
 */
export async function* readXlsxRows(
  source: Buffer | string,
  limits: SpreadsheetLimits,
  options: XlsxReadOptions = {},
): AsyncGenerator<XlsxSheetRows> {
  await checkXlsxZip(source, limits);
  const request: XlsxWorkerRequest = { source, limits, ...options };
  const worker = new Worker(workerEntry, {
    workerData: request,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    stdout: false,
    stderr: false,
  });
  const queue: XlsxWorkerMessage[] = [];
  let failure: Error | AppError | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: XlsxWorkerMessage) => {
    queue.push(message);
    notify();
  });
  worker.on('error', (error: Error & { code?: string }) => {
    failure =
      error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? spreadsheetLimitError({ limit: 'memory', maxMb: WORKER_HEAP_MB })
        : error;
    notify();
  });
  worker.on('exit', () => {
    failure ??= new Error('XLSX 读取线程意外退出');
    notify();
  });
  let sheet = '';
  try {
    for (;;) {
      const message = queue.shift();
      if (!message) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      switch (message.type) {
        case 'sheet':
          sheet = message.name;
          yield { sheet, rows: [] };
          break;
        case 'rows':
          worker.postMessage('more');
          yield { sheet, rows: message.rows };
          break;
        case 'breach':
          throw spreadsheetLimitError(message.breach);
        case 'unreadable':
          throw new XlsxUnreadableError(message.message);
        case 'end':
          return;
      }
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
