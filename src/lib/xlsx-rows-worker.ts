import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import ExcelJS from 'exceljs';
import type { SpreadsheetLimitBreach, SpreadsheetLimits } from './spreadsheet-limits.ts';
import type { XlsxCell, XlsxRow } from './xlsx-rows.ts';
import {
  listZipEntries,
  openZipSource,
  type ZipEntry,
  ZipEntryOverflowError,
  zipEntryStream,
} from './zip-directory.ts';

/** What the main thread asks for (see `readXlsxRows`). */
export type XlsxWorkerRequest = {
  source: Uint8Array | string;
  limits: SpreadsheetLimits;
  /** Sheets to read; any other is skipped unread (all when absent). */
  only?: string[];
  /** Sheets never read. */
  skip?: string[];
  /** Stop after the first sheet that is read. */
  firstOnly?: boolean;
};

export type XlsxWorkerMessage =
  | { type: 'sheet'; name: string }
  | { type: 'rows'; rows: XlsxRow[] }
  | { type: 'breach'; breach: SpreadsheetLimitBreach }
  | { type: 'unreadable'; message: string }
  | { type: 'end' };

/** Batches the main thread has not taken yet; the reader waits beyond this, so memory stays flat. */
const BATCHES_AHEAD = 2;
const ROWS_PER_BATCH = 1000;

const port = parentPort;
if (!port) throw new Error('xlsx-rows-worker runs only as a worker thread');
const request = workerData as XlsxWorkerRequest;
const { limits } = request;

let ahead = 0;
let wake: (() => void) | null = null;
port.on('message', () => {
  ahead -= 1;
  wake?.();
  wake = null;
});
async function send(message: XlsxWorkerMessage) {
  port?.postMessage(message);
  if (message.type !== 'rows') return;
  ahead += 1;
  while (ahead >= BATCHES_AHEAD) await new Promise<void>((resolve) => (wake = resolve));
}

class Breach extends Error {
  constructor(readonly breach: SpreadsheetLimitBreach) {
    super(breach.limit);
  }
}

/** A cell as the plain value typed into it: formulas give their result, rich text its text. */
function plainCell(value: ExcelJS.CellValue): XlsxCell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value !== 'object') return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return plainCell((value.result ?? null) as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return null;
}

/** exceljs's streaming reader, driven part by part instead of in zip order (see `read`). */
type WorkbookParts = {
  model?: { sheets?: { name: string; rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Iterable<{ value: unknown }>;
};

class Unreadable extends Error {}

/** The worksheets in the order a person sees their tabs, each with its part name inside the zip. */
function* worksheetsOf(
  parts: WorkbookParts,
  entries: Map<string, ZipEntry>,
): Generator<{ name: string; entry: ZipEntry; sheetNo: string }> {
  for (const sheet of parts.model?.sheets ?? []) {
    const target = parts.workbookRels?.find((rel) => rel.Id === sheet.rId)?.Target ?? '';
    const partName = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
    const entry = entries.get(partName);
    if (entry) yield { name: sheet.name, entry, sheetNo: /(\d+)\.xml$/.exec(partName)?.[1] ?? '0' };
  }
}

async function read() {
  // exceljs's WorkbookReader takes the zip in file order, spooling sheets to temporary files when
  // workbook.xml comes last (as exceljs itself writes it), and then loses parts of some workbooks. Here
  // the central directory gives random access: workbook, styles and shared strings first, then each sheet.
  const zip = await openZipSource(request.source);
  try {
    const entries = await listZipEntries(zip, limits.maxZipEntries);
    const workbookEntry = entries?.get('xl/workbook.xml');
    if (!entries || !workbookEntry) throw new Unreadable('not an XLSX workbook');
    const open = async (entry: ZipEntry) => {
      try {
        return await zipEntryStream(zip, entry);
      } catch (error) {
        throw new Unreadable((error as Error).message);
      }
    };
    const parts = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
      worksheets: 'emit',
      sharedStrings: 'cache',
      // Styles tell dates from numbers: "2025-03" typed in Excel becomes a date.
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    }) as unknown as WorkbookParts;
    const rels = entries.get('xl/_rels/workbook.xml.rels');
    if (rels) await parts._parseRels(await open(rels));
    await parts._parseWorkbook(await open(workbookEntry));
    const styles = entries.get('xl/styles.xml');
    if (styles) await parts._parseStyles(await open(styles));
    const sharedStrings = entries.get('xl/sharedStrings.xml');
    if (sharedStrings) for await (const _ of parts._parseSharedStrings(await open(sharedStrings))) void _;
    await readSheets(parts, entries, open);
  } finally {
    await zip.close();
  }
}

async function readSheets(
  parts: WorkbookParts,
  entries: Map<string, ZipEntry>,
  open: (entry: ZipEntry) => Promise<Readable>,
) {
  let sheets = 0;
  let cells = 0;
  let done = false;
  for (const { name, entry, sheetNo } of worksheetsOf(parts, entries)) {
    sheets += 1;
    if (sheets > limits.maxSheets)
      throw new Breach({ limit: 'sheets', actual: sheets, max: limits.maxSheets });
    if (done) break;
    if (request.skip?.includes(name) || (request.only && !request.only.includes(name))) continue;
    done = request.firstOnly === true;
    const [event] = parts._parseWorksheet(await open(entry), sheetNo);
    const worksheet = event?.value;
    await send({ type: 'sheet', name });
    let rowsWithValues = 0;
    let batch: XlsxRow[] = [];
    for await (const row of worksheet as unknown as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as ExcelJS.CellValue[];
      const rowCells: XlsxCell[] = [];
      let filled = 0;
      for (let index = 1; index < values.length; index += 1) {
        const cell = plainCell(values[index]);
        rowCells.push(cell);
        if (cell === null) continue;
        filled += 1;
        if (typeof cell === 'string' && cell.length > limits.maxCellCharacters) {
          throw new Breach({
            limit: 'cellCharacters',
            sheet: name,
            row: row.number,
            column: index,
            actual: cell.length,
            max: limits.maxCellCharacters,
          });
        }
      }
      if (filled === 0) continue;
      while (rowCells.at(-1) === null) rowCells.pop();
      if (rowCells.length > limits.maxColumnsPerRow) {
        throw new Breach({
          limit: 'columnsPerRow',
          sheet: name,
          row: row.number,
          actual: rowCells.length,
          max: limits.maxColumnsPerRow,
        });
      }
      rowsWithValues += 1;
      if (rowsWithValues > limits.maxRowsPerSheet) {
        throw new Breach({
          limit: 'rowsPerSheet',
          sheet: name,
          row: row.number,
          max: limits.maxRowsPerSheet,
        });
      }
      cells += filled;
      if (cells > limits.maxCells) {
        throw new Breach({ limit: 'cells', sheet: name, row: row.number, max: limits.maxCells });
      }
      batch.push({ row: row.number, cells: rowCells });
      if (batch.length >= ROWS_PER_BATCH) {
        await send({ type: 'rows', rows: batch });
        batch = [];
      }
    }
    if (batch.length > 0) await send({ type: 'rows', rows: batch });
  }
}

try {
  await read();
  await send({ type: 'end' });
} catch (error) {
  if (error instanceof Breach) await send({ type: 'breach', breach: error.breach });
  else if (error instanceof ZipEntryOverflowError) {
    await send({ type: 'breach', breach: { limit: 'declaredSize', entry: error.entry } });
  } else await send({ type: 'unreadable', message: (error as Error).message });
}
