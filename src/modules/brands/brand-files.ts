import type { AppContext } from '../../http/context.ts';
import { AppError, badRequest } from '../../http/errors.ts';
import { fileStorageFor } from '../../lib/file-storage.ts';
import { detectEvidenceFileType, MAX_EVIDENCE_BYTES } from '../indicators/evidence-file-type.ts';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_DOCUMENT_BYTES = MAX_EVIDENCE_BYTES;

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  bytes.length >= offset + signature.length &&
  signature.every((value, index) => bytes[offset + index] === value);

/** Product photos are typed by their bytes: JPEG, PNG or WebP only. */
export function detectPhotoType(bytes: Buffer): string | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // RIFF....WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) {
    return 'image/webp';
  }
  return null;
}

function requireSize(bytes: Buffer, max: number, what: string) {
  if (bytes.length === 0) throw badRequest('empty_file', '上传的文件为空');
  if (bytes.length > max) {
    throw new AppError(413, 'file_too_large', `${what}不能超过 ${max / 1024 / 1024} MB`);
  }
}

const storage = (context: AppContext) => fileStorageFor(context.config.dataDir, 'brands');

/** Checks a photo's size and type from its bytes and stores it. */
export async function storePhoto(context: AppContext, bytes: Buffer) {
  requireSize(bytes, MAX_PHOTO_BYTES, '产品图片');
  const mediaType = detectPhotoType(bytes);
  if (!mediaType) {
    throw new AppError(415, 'unsupported_file_type', '产品图片仅支持 JPEG、PNG 或 WebP 格式');
  }
  const { sha256 } = await storage(context).put(bytes);
  return { sha256, mediaType };
}

/** Standards documents and inspection reports: PDF, images or Office documents, like evaluation evidence. */
export async function storeDocument(context: AppContext, bytes: Buffer, what: string) {
  requireSize(bytes, MAX_DOCUMENT_BYTES, what);
  const type = detectEvidenceFileType(bytes);
  if (!type)
    throw new AppError(415, 'unsupported_file_type', `${what}仅支持 PDF、PNG、JPEG 图片和 Office 文档`);
  const { sha256 } = await storage(context).put(bytes);
  return { sha256, mediaType: type.mediaType };
}

export async function readStoredFile(context: AppContext, sha256: string) {
  const bytes = await storage(context).get(sha256);
  return {
    bytes,
    mediaType:
      detectEvidenceFileType(bytes)?.mediaType ?? detectPhotoType(bytes) ?? 'application/octet-stream',
  };
}
