import { open } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { type SpreadsheetLimits, spreadsheetLimitError } from './spreadsheet-limits.ts';

/** One file of a zip as its central directory declares it. */
export type ZipEntry = {
  name: string;
  /** 0 stored, 8 deflated; XLSX uses nothing else. */
  method: number;
  compressedBytes: number;
  uncompressedBytes: number;
  localHeaderOffset: number;
};

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const DIRECTORY_ENTRY = 0x02014b50;
/** The end record (22 bytes) may be followed by a comment of up to 65,535 bytes. */
const TAIL_BYTES = 22 + 0xffff;
/** Reading a directory larger than this is itself the attack; no workbook needs one. */
const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;
const RATIO_CHECKED_FROM_BYTES = 1024 * 1024;

/** Random access to a zip's bytes: a file or a buffer. */
export type ZipSource = { size: number; read(position: number, length: number): Promise<Buffer> };
type Source = ZipSource;

function bufferSource(bytes: Buffer): Source {
  return {
    size: bytes.length,
    read: async (position, length) => bytes.subarray(position, Math.min(position + length, bytes.length)),
  };
}

const u64 = (buffer: Buffer, offset: number) => Number(buffer.readBigUInt64LE(offset));

/** The central directory's entries, or null when the bytes are not a zip (the reader then says so). */
async function readDirectory(source: Source, maxEntries: number): Promise<ZipEntry[] | 'too_many' | null> {
  const tailStart = Math.max(0, source.size - TAIL_BYTES);
  const tail = await source.read(tailStart, source.size - tailStart);
  let end = -1;
  for (let offset = tail.length - 22; offset >= 0; offset -= 1) {
    if (tail.readUInt32LE(offset) === END_OF_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end < 0) return null;
  let entryCount = tail.readUInt16LE(end + 10);
  let directoryBytes = tail.readUInt32LE(end + 12);
  let directoryOffset = tail.readUInt32LE(end + 16);
  if (end >= 20 && tail.readUInt32LE(end - 20) === ZIP64_LOCATOR) {
    const record = await source.read(u64(tail, end - 20 + 8), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_END_OF_DIRECTORY) return null;
    entryCount = u64(record, 32);
    directoryBytes = u64(record, 40);
    directoryOffset = u64(record, 48);
  }
  if (entryCount > maxEntries) return 'too_many';
  if (directoryBytes > MAX_DIRECTORY_BYTES || directoryOffset + directoryBytes > source.size) return null;
  const directory = await source.read(directoryOffset, directoryBytes);
  const entries: ZipEntry[] = [];
  let offset = 0;
  while (offset + 46 <= directory.length && directory.readUInt32LE(offset) === DIRECTORY_ENTRY) {
    const method = directory.readUInt16LE(offset + 10);
    let compressedBytes = directory.readUInt32LE(offset + 20);
    let uncompressedBytes = directory.readUInt32LE(offset + 24);
    const nameLength = directory.readUInt16LE(offset + 28);
    const extraLength = directory.readUInt16LE(offset + 30);
    const commentLength = directory.readUInt16LE(offset + 32);
    let localHeaderOffset = directory.readUInt32LE(offset + 42);
    const name = directory.toString('utf8', offset + 46, offset + 46 + nameLength);
    // ZIP64: sizes that do not fit 32 bits are in the extra field, uncompressed first.
    let extra = offset + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = directory.readUInt16LE(extra);
      const size = directory.readUInt16LE(extra + 2);
      if (id === 0x0001) {
        let field = extra + 4;
        if (uncompressedBytes === 0xffffffff && field + 8 <= extraEnd) {
          uncompressedBytes = u64(directory, field);
          field += 8;
        }
        if (compressedBytes === 0xffffffff && field + 8 <= extraEnd) {
          compressedBytes = u64(directory, field);
          field += 8;
        }
        if (localHeaderOffset === 0xffffffff && field + 8 <= extraEnd)
          localHeaderOffset = u64(directory, field);
      }
      extra += 4 + size;
    }
    entries.push({ name, method, compressedBytes, uncompressedBytes, localHeaderOffset });
    if (entries.length > maxEntries) return 'too_many';
    offset = extraEnd + commentLength;
  }
  return entries;
}

/** Opens a zip file (path) or buffer for random access; `close` releases the file. */
export async function openZipSource(
  file: Buffer | Uint8Array | string,
): Promise<ZipSource & { close(): Promise<void> }> {
  if (typeof file !== 'string') {
    const bytes = Buffer.isBuffer(file) ? file : Buffer.from(file.buffer, file.byteOffset, file.byteLength);
    return { ...bufferSource(bytes), close: async () => {} };
  }
  const handle = await open(file, 'r');
  return {
    size: (await handle.stat()).size,
    read: async (position, length) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}

/** The zip's entries by name, or null when the bytes are not a zip. */
export async function listZipEntries(
  source: ZipSource,
  maxEntries: number,
): Promise<Map<string, ZipEntry> | null> {
  const entries = await readDirectory(source, maxEntries);
  if (entries === null || entries === 'too_many') return null;
  return new Map(entries.map((entry) => [entry.name, entry]));
}

/** More bytes came out of an entry than its directory record declared: a crafted zip. */
export class ZipEntryOverflowError extends Error {
  constructor(readonly entry: string) {
    super(`${entry} inflates beyond its declared size`);
  }
}

const PIECE_BYTES = 256 * 1024;

/**
 * An entry's uncompressed bytes as a stream, read piece by piece; it fails with `ZipEntryOverflowError`
 * as soon as it inflates beyond the size the directory declared, so a lying directory cannot bypass the
 * size checks.
 */
export async function zipEntryStream(source: ZipSource, entry: ZipEntry): Promise<Readable> {
  const header = await source.read(entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50)
    throw new Error(`zip entry ${entry.name} has no header`);
  let position = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const end = position + entry.compressedBytes;
  const compressed = Readable.from(
    (async function* () {
      while (position < end) {
        const piece = await source.read(position, Math.min(PIECE_BYTES, end - position));
        if (piece.length === 0) return;
        position += piece.length;
        yield piece;
      }
    })(),
  );
  let inflated = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      inflated += chunk.length;
      if (inflated > entry.uncompressedBytes) callback(new ZipEntryOverflowError(entry.name));
      else callback(null, chunk);
    },
  });
  const inflating = entry.method === 8 ? compressed.pipe(createInflateRaw()) : compressed;
  inflating.on('error', (error) => counted.destroy(error));
  return inflating.pipe(counted);
}

/**
 * Refuses a zip bomb before anything inflates it: too many entries, too many bytes once uncompressed,
 * an entry compressed beyond any real sheet's ratio, or too many worksheets. Reads only the central
 * directory. Bytes that are not a zip pass, for the workbook reader to call unreadable.
 */
export async function checkXlsxZip(file: Buffer | string, limits: SpreadsheetLimits): Promise<void> {
  const handle = typeof file === 'string' ? await open(file, 'r') : null;
  try {
    const source = handle
      ? {
          size: (await handle.stat()).size,
          read: async (position: number, length: number) => {
            const buffer = Buffer.alloc(length);
            const { bytesRead } = await handle.read(buffer, 0, length, position);
            return buffer.subarray(0, bytesRead);
          },
        }
      : bufferSource(file as Buffer);
    const entries = await readDirectory(source, limits.maxZipEntries);
    if (entries === null) return;
    if (entries === 'too_many') {
      throw spreadsheetLimitError({
        limit: 'zipEntries',
        actual: limits.maxZipEntries + 1,
        max: limits.maxZipEntries,
      });
    }
    const uncompressed = entries.reduce((sum, entry) => sum + entry.uncompressedBytes, 0);
    if (uncompressed > limits.maxUncompressedBytes) {
      throw spreadsheetLimitError({
        limit: 'uncompressedBytes',
        actual: uncompressed,
        max: limits.maxUncompressedBytes,
      });
    }
    for (const entry of entries) {
      if (entry.uncompressedBytes < RATIO_CHECKED_FROM_BYTES) continue;
      const ratio = entry.uncompressedBytes / Math.max(entry.compressedBytes, 1);
      if (ratio > limits.maxCompressionRatio) {
        throw spreadsheetLimitError({
          limit: 'compressionRatio',
          entry: entry.name,
          actual: Math.round(ratio),
          max: limits.maxCompressionRatio,
        });
      }
    }
    const sheets = entries.filter((entry) => /^xl\/worksheets\/[^/]+\.xml$/i.test(entry.name)).length;
    if (sheets > limits.maxSheets) {
      throw spreadsheetLimitError({ limit: 'sheets', actual: sheets, max: limits.maxSheets });
    }
  } finally {
    await handle?.close();
  }
}
