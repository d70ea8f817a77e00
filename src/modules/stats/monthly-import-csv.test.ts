import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CsvFormatError, type CsvRecord, CsvRecordParser, readCsvRecords } from './monthly-import-csv.ts';

/** Parses `text` fed in pieces of `size` characters, to prove records survive any chunk boundary. */
function parseInPieces(text: string, size: number): CsvRecord[] {
  const parser = new CsvRecordParser();
  const records: CsvRecord[] = [];
  for (let start = 0; start < text.length; start += size)
    records.push(...parser.push(text.slice(start, start + size)));
  records.push(...parser.end());
  return records;
}

async function readAll(bytes: Buffer, chunkSize = 7): Promise<CsvRecord[]> {
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += chunkSize)
    chunks.push(bytes.subarray(start, start + chunkSize));
  const records: CsvRecord[] = [];
  for await (const batch of readCsvRecords(Readable.from(chunks))) records.push(...batch);
  return records;
}

describe('CSV records', () => {
  const text = 'a,b,c\r\n1,"x, y",3\n"he said ""hi""",,"two\nlines"\r\n,,\nlast,row,"no newline"';
  const expected: CsvRecord[] = [
    { row: 1, cells: ['a', 'b', 'c'] },
    { row: 2, cells: ['1', 'x, y', '3'] },
    { row: 3, cells: ['he said "hi"', '', 'two\nlines'] },
    { row: 4, cells: ['', '', ''] },
    { row: 5, cells: ['last', 'row', 'no newline'] },
  ];

  it('reads quotes, doubled quotes, quoted commas and line breaks, CRLF and LF, whatever the chunking', () => {
    for (const size of [1, 2, 3, 5, 8, 13, text.length])
      expect(parseInPieces(text, size), `pieces of ${size}`).toEqual(expected);
  });

  it('decodes UTF-8 with a BOM, UTF-8 without, and GB18030 as Excel on Chinese Windows saves it', async () => {
    const chinese = '统一社会信用代码,月份\r\n91140827MA0K8DEM0X,2025-03\r\n';
    const rows = [
      { row: 1, cells: ['统一社会信用代码', '月份'] },
      { row: 2, cells: ['91140827MA0K8DEM0X', '2025-03'] },
    ];
    expect(await readAll(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(chinese)]))).toEqual(
      rows,
    );
    expect(await readAll(Buffer.from(chinese))).toEqual(rows);
    // 月份 in GB18030 (GBK): D4 C2 B7 DD.
    const gbk = Buffer.from([0xd4, 0xc2, 0xb7, 0xdd, 0x0d, 0x0a, 0x31, 0x0d, 0x0a]);
    expect(await readAll(gbk, 3)).toEqual([
      { row: 1, cells: ['月份'] },
      { row: 2, cells: ['1'] },
    ]);
  });

  it('gives up with the row when a quote never closes', () => {
    const parser = new CsvRecordParser();
    parser.push('a,b\n"open,');
    expect(() => parser.push('x'.repeat(1_100_000))).toThrow(CsvFormatError);
  });
});

describe('a NUL character', () => {
  it('stops the parse at its row with a reason', () => {
    const parser = new CsvRecordParser();
    expect(parser.push('a,b\r\n1,2\r\n')).toHaveLength(2);
    expect(() => parser.push('3,4\r\n5,\u00006\r\n')).toThrow(/第 4 行含有非法字符/);
  });
});
