/** Evidence uploads are typed by their bytes, never by the name or the declared content type. */
export type EvidenceFileType = { mediaType: string; label: string };

export const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;

const startsWith = (bytes: Uint8Array, signature: number[]) =>
  bytes.length >= signature.length && signature.every((value, index) => bytes[index] === value);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Names of the zip entries, read from the local file headers (OOXML packages are plain zips). */
function zipEntryNames(bytes: Buffer): string[] {
  const names: string[] = [];
  let offset = 0;
  while (offset + 30 <= bytes.length && names.length < 2000) {
    if (bytes.readUInt32LE(offset) !== 0x04034b50) break;
    const flags = bytes.readUInt16LE(offset + 6);
    const compressedSize = bytes.readUInt32LE(offset + 18);
    const nameLength = bytes.readUInt16LE(offset + 26);
    const extraLength = bytes.readUInt16LE(offset + 28);
    names.push(bytes.subarray(offset + 30, offset + 30 + nameLength).toString('utf8'));
    // With a data descriptor the size is only known after the data: stop; the names seen so far decide.
    if (flags & 0x08) break;
    offset += 30 + nameLength + extraLength + compressedSize;
  }
  return names;
}

export function detectEvidenceFileType(bytes: Buffer): EvidenceFileType | null {
  if (startsWith(bytes, PDF)) return { mediaType: 'application/pdf', label: 'PDF' };
  if (startsWith(bytes, PNG)) return { mediaType: 'image/png', label: 'PNG 图片' };
  if (startsWith(bytes, JPEG)) return { mediaType: 'image/jpeg', label: 'JPEG 图片' };
  if (startsWith(bytes, OLE)) return { mediaType: 'application/x-ole-storage', label: 'Office 97-2003 文档' };
  if (startsWith(bytes, ZIP)) {
    const names = zipEntryNames(bytes);
    if (!names.includes('[Content_Types].xml')) return null;
    if (names.some((name) => name.startsWith('word/')))
      return {
        mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        label: 'Word 文档',
      };
    if (names.some((name) => name.startsWith('xl/')))
      return {
        mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        label: 'Excel 表格',
      };
    if (names.some((name) => name.startsWith('ppt/')))
      return {
        mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
        label: 'PowerPoint 演示文稿',
      };
    return null;
  }
  return null;
}
