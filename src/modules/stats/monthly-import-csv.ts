import type { Readable } from 'node:stream';

/** One CSV record and the spreadsheet row it occupies (1-based, as Excel and WPS number rows). */
export type CsvRecord = { row: number; cells: string[] };

/** A quoted field this long never closes: the file's quotes are unbalanced. */
const MAX_RECORD_CHARACTERS = 1_000_000;

/** The file cannot be read as CSV at all (from `row` on). */
export class CsvFormatError extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A streaming RFC 4180 parser: comma-separated, fields optionally in double quotes ("" is a quote, and a
 * quoted field may span lines), CRLF or LF. Text goes in by chunks, complete records come out; only the
 * unfinished last record of a chunk is kept, so memory does not grow with the file.
 */
export class CsvRecordParser {
  #carry = '';
  #row = 0;

  /** Records completed by this chunk. */
  push(text: string): CsvRecord[] {
    const nul = text.indexOf('\u0000');
    if (nul >= 0) {
      // PostgreSQL stores no NUL character; a file holding one is binary or damaged, not a CSV to read on.
      const before = this.#carry + text.slice(0, nul);
      const row = this.#row + 1 + (before.match(/\n/g)?.length ?? 0);
      throw new CsvFormatError(row, `第 ${row} 行含有非法字符（NUL 空字符），请确认上传的是 CSV 文本文件`);
    }
    const records: CsvRecord[] = [];
    const data = this.#carry + text;
    this.#carry = data.slice(this.#parse(data, records, false));
    if (this.#carry.length > MAX_RECORD_CHARACTERS) {
      throw new CsvFormatError(this.#row + 1, '从此行起引号（"）不配对，无法按 CSV 读取，请检查该行');
    }
    return records;
  }

  /** The last record, when the file does not end with a line break. */
  end(): CsvRecord[] {
    const records: CsvRecord[] = [];
    const data = this.#carry;
    this.#carry = '';
    if (data.length > 0) this.#parse(data, records, true);
    return records;
  }

  /** Parses whole records from `data` into `records`; returns where the first unfinished one starts. */
  #parse(data: string, records: CsvRecord[], final: boolean): number {
    let position = 0;
    // Where the next quote is, searched again only once passed (searching per line would be quadratic).
    let quote = -2;
    while (position < data.length) {
      const newline = data.indexOf('\n', position);
      if (newline < 0 && !final) return position;
      const lineEnd = newline < 0 ? data.length : newline;
      if (quote !== -1 && quote < position) quote = data.indexOf('"', position);
      if (quote < 0 || quote > lineEnd) {
        // The common case: no quotes on this line, so the fields are what lies between the commas.
        const line =
          data.charCodeAt(lineEnd - 1) === 13
            ? data.slice(position, lineEnd - 1)
            : data.slice(position, lineEnd);
        this.#row += 1;
        records.push({ row: this.#row, cells: line.split(',') });
        position = lineEnd + 1;
        continue;
      }
      const end = this.#parseQuoted(data, position, records, final);
      if (end < 0) return position;
      position = end;
    }
    return position;
  }

  /** A record with quotes, character by character; -1 when it does not end within `data`. */
  #parseQuoted(data: string, start: number, records: CsvRecord[], final: boolean): number {
    const cells: string[] = [];
    let field = '';
    let position = start;
    let quoted = false;
    while (position < data.length) {
      const character = data[position] as string;
      if (quoted) {
        if (character === '"') {
          if (data[position + 1] === '"') {
            field += '"';
            position += 2;
            continue;
          }
          if (position + 1 >= data.length && !final) return -1;
          quoted = false;
        } else field += character;
        position += 1;
        continue;
      }
      if (character === '"') quoted = true;
      else if (character === ',') {
        cells.push(field);
        field = '';
      } else if (character === '\n') {
        cells.push(field.endsWith('\r') ? field.slice(0, -1) : field);
        this.#row += 1;
        records.push({ row: this.#row, cells });
        return position + 1;
      } else field += character;
      position += 1;
    }
    if (!final) return -1;
    cells.push(field.endsWith('\r') ? field.slice(0, -1) : field);
    this.#row += 1;
    records.push({ row: this.#row, cells });
    return position;
  }
}

/** How many bytes of the start of a file decide its encoding. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Text of an uploaded CSV: UTF-8 (with or without BOM), or GB18030 (a superset of GBK), which is what
 * Excel and WPS on a Chinese Windows write for "CSV（逗号分隔）" unless told otherwise.
 */
export async function* decodeCsvText(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  let head = Buffer.alloc(0);
  for await (const chunk of chunks) {
    if (!decoder) {
      head = Buffer.concat([head, chunk]);
      if (head.length < SNIFF_BYTES) continue;
      decoder = chooseDecoder(head);
      yield decoder.decode(head, { stream: true });
      continue;
    }
    yield decoder.decode(chunk, { stream: true });
  }
  if (!decoder) {
    decoder = chooseDecoder(head);
    yield decoder.decode(head, { stream: true });
  }
  yield decoder.decode();
}

function chooseDecoder(head: Buffer): TextDecoder {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return new TextDecoder('utf-8');
  try {
    // `stream: true` tolerates a character cut at the end of the sample; anything else invalid is not UTF-8.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return new TextDecoder('utf-8');
  } catch {
    return new TextDecoder('gb18030');
  }
}

/** Records of a CSV file read as a stream. */
export async function* readCsvRecords(stream: Readable): AsyncGenerator<CsvRecord[]> {
  const parser = new CsvRecordParser();
  for await (const text of decodeCsvText(stream as AsyncIterable<Buffer>)) {
    const records = parser.push(text);
    if (records.length > 0) yield records;
  }
  const rest = parser.end();
  if (rest.length > 0) yield rest;
}
