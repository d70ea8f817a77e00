import makeContentDisposition from 'content-disposition';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../http/context.ts';
import { AppError, badRequest, notFound } from '../http/errors.ts';
import { type FileArea, fileStorageFor } from './file-storage.ts';

/** Uploads are typed by their bytes, never by the name or the declared content type. */
export type DocumentType = { mediaType: string; label: string };

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  bytes.length >= offset + signature.length &&
  signature.every((value, index) => bytes[offset + index] === value);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Photos: JPEG, PNG or WebP only. */
export function detectPhotoType(bytes: Buffer): string | null {
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'image/webp';
  return null;
}

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

/** Documents (evidence, standards, reports, policy files): PDF, PNG, JPEG or Office. */
export function detectDocumentType(bytes: Buffer): DocumentType | null {
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

/** What a field takes, and what the user calls it in messages (`产品图片`, `证明材料`). */
export type AttachmentField = { accepts: 'photo' | 'document'; what: string };

/** The media type of an upload for its field, or 400/413/415 with the reason in Chinese. */
export function acceptAttachment(bytes: Buffer, field: AttachmentField): string {
  const max = field.accepts === 'photo' ? MAX_PHOTO_BYTES : MAX_DOCUMENT_BYTES;
  if (bytes.length === 0) throw badRequest('empty_file', '上传的文件为空');
  if (bytes.length > max) {
    throw new AppError(413, 'file_too_large', `${field.what}不能超过 ${max / 1024 / 1024} MB`);
  }
  if (field.accepts === 'photo') {
    const mediaType = detectPhotoType(bytes);
    if (!mediaType) {
      throw new AppError(415, 'unsupported_file_type', `${field.what}仅支持 JPEG、PNG 或 WebP 格式`);
    }
    return mediaType;
  }
  const type = detectDocumentType(bytes);
  if (!type) {
    throw new AppError(415, 'unsupported_file_type', `${field.what}仅支持 PDF、PNG、JPEG 图片和 Office 文档`);
  }
  return type.mediaType;
}

export type StoredAttachment = { sha256: string; mediaType: string; sizeBytes: number };

/** Checks an upload against its field and stores it by content hash in the area's file store. */
export async function storeAttachment(
  context: AppContext,
  area: FileArea,
  field: AttachmentField,
  bytes: Buffer,
): Promise<StoredAttachment> {
  const mediaType = acceptAttachment(bytes, field);
  const { sha256 } = await fileStorageFor(context.config.dataDir, area).put(bytes);
  return { sha256, mediaType, sizeBytes: bytes.length };
}

export type AttachmentDownload = { bytes: Buffer; mediaType: string; fileName: string; sha256: string };

/** A stored file as a download answers it; the type from the bytes where the row does not keep one. */
export async function readAttachment(
  context: AppContext,
  area: FileArea,
  row: { fileSha256: string; fileName: string; mediaType?: string },
): Promise<AttachmentDownload> {
  const bytes = await fileStorageFor(context.config.dataDir, area)
    .get(row.fileSha256)
    .catch((error: NodeJS.ErrnoException) => {
      // The row outlived its file (a restored database, a pruned folder): say so instead of a 500.
      if (error.code === 'ENOENT') throw notFound('文件');
      throw error;
    });
  const mediaType =
    row.mediaType ??
    detectDocumentType(bytes)?.mediaType ??
    detectPhotoType(bytes) ??
    'application/octet-stream';
  return { bytes, mediaType, fileName: row.fileName, sha256: row.fileSha256 };
}

/** Upload routes take the file as the raw request body, up to `maxBytes`; the type is decided from the bytes. */
export function acceptRawUploads(app: FastifyInstance, maxBytes: number) {
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: maxBytes },
    (_request, body, done) => done(null, body),
  );
}

/** The raw body of an upload route, or 400. */
export function uploadedBytes(request: FastifyRequest): Buffer {
  if (!Buffer.isBuffer(request.body)) {
    throw badRequest('file_required', '请以 application/octet-stream 上传文件内容');
  }
  return request.body;
}

/**
 * The Content-Disposition of a download (RFC 6266): an ASCII fallback name and the UTF-8 one (RFC 5987),
 * as the `content-disposition` library writes them. Every download of the server uses this.
 */
export const contentDisposition = (
  fileName: string,
  options: { inline?: boolean; asciiFallback?: string } = {},
) =>
  makeContentDisposition(fileName, {
    type: options.inline ? 'inline' : 'attachment',
    ...(options.asciiFallback ? { fallback: options.asciiFallback } : {}),
  });

/** Sends a stored file; `inline` for images shown in the page, otherwise as a download. */
export function sendAttachment(reply: FastifyReply, file: AttachmentDownload, inline = false) {
  return reply
    .header('Content-Type', file.mediaType)
    .header('Content-Disposition', contentDisposition(file.fileName, { inline }))
    .header('X-Content-SHA256', file.sha256)
    .header('Cache-Control', 'private, max-age=3600')
    .send(file.bytes);
}
